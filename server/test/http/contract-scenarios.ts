import { expect } from 'vitest';
import { guest, type TestServer } from '../helpers/server.js';
import { hit, ok, refused } from './contract-probe.js';

/**
 * Each route's own refusals, provoked for real (contract.test.ts checks every answer
 * against the route's declared codes): names, cursors, seats, turns, seqs, offers, claims,
 * aborts, finished games, reused Idempotency-Keys, moderators' routes for others.
 */
export async function scenarios(s: TestServer, moderator: { token: string }): Promise<void> {
  const alice = await guest(s, 'Alice');
  const bob = await guest(s, 'Bob');
  const carol = await guest(s, 'Carol');
  const game = async (id: string) => (await ok(s, 'games.get', { params: { id } })).game;
  const open = async () => {
    const { game: g } = await ok(s, 'games.create', { token: alice.token, body: { type: 'tictactoe', opponent: { kind: 'open' }, seat: 0 } });
    return g.id as string;
  };

  // Players and the lobby.
  await refused(s, 'players.create', { body: { name: 'ChampionChimp' } }, 'name_unavailable');
  await refused(s, 'players.rename', { token: alice.token, body: { name: 'Champi0nChimp' } }, 'name_unavailable');
  const leaving = await guest(s, 'Leaving');
  await ok(s, 'players.signOut', { token: leaving.token });
  await refused(s, 'players.me', { token: leaving.token }, 'unauthorized');
  await refused(s, 'games.list', { query: { cursor: 'not a cursor' } }, 'bad_request');

  // An open game: nobody to play or claim against yet.
  const id = await open();
  let seq = (await game(id)).seq;
  await refused(s, 'games.join', { token: alice.token, params: { id } }, 'conflict');
  await refused(s, 'games.move', { token: alice.token, params: { id }, body: { move: { cell: 4 }, expectedSeq: seq } }, 'conflict');
  await refused(s, 'games.claim', { token: alice.token, params: { id }, body: { outcome: 'win', expectedSeq: seq } }, 'not_claimable');
  await refused(s, 'games.review', { params: { id } }, 'conflict'); // no review before the end

  // Bob takes the seat; Carol is too late and not a player.
  await ok(s, 'games.join', { token: bob.token, params: { id } });
  await refused(s, 'games.join', { token: carol.token, params: { id } }, 'game_full');
  seq = (await game(id)).seq;
  const at = (p: { token: string }, body: Record<string, unknown>) => ({ token: p.token, params: { id }, body: { ...body, expectedSeq: seq } });
  await refused(s, 'games.move', at(carol, { move: { cell: 4 } }), 'forbidden');
  await refused(s, 'games.move', at(bob, { move: { cell: 4 } }), 'not_your_turn');
  await refused(s, 'games.move', { ...at(alice, { move: { cell: 4 } }), body: { move: { cell: 4 }, expectedSeq: 0 } }, 'stale_seq');
  await refused(s, 'games.move', at(alice, { move: { column: 3 } }), 'illegal_move');
  await refused(s, 'games.offer', at(carol, { offer: 'draw', action: 'offer' }), 'forbidden');
  await refused(s, 'games.abort', at(carol, {}), 'forbidden');
  await refused(s, 'games.claim', at(carol, { outcome: 'win' }), 'forbidden');
  await refused(s, 'games.resign', { token: carol.token, params: { id } }, 'forbidden');
  await refused(s, 'games.offer', { ...at(alice, {}), body: { offer: 'draw', action: 'offer', expectedSeq: 0 } }, 'stale_seq');
  await refused(s, 'games.abort', { ...at(alice, {}), body: { expectedSeq: 0 } }, 'stale_seq');
  await refused(s, 'games.claim', { ...at(alice, {}), body: { outcome: 'win', expectedSeq: 0 } }, 'stale_seq');
  await refused(s, 'games.offer', at(alice, { offer: 'draw', action: 'accept' }), 'no_offer');
  await refused(s, 'games.offer', at(alice, { offer: 'rematch', action: 'offer' }), 'conflict');

  // Two moves: no abort any more. A key reused for another move is refused.
  await ok(s, 'games.move', { ...at(alice, { move: { cell: 4 } }), headers: { 'idempotency-key': 'contract-move' } });
  seq = (await game(id)).seq;
  await refused(s, 'games.move', { ...at(bob, { move: { cell: 4 } }) }, 'illegal_move');
  await ok(s, 'games.move', at(bob, { move: { cell: 0 } }));
  seq = (await game(id)).seq;
  await refused(s, 'games.move', { ...at(alice, { move: { cell: 8 } }), headers: { 'idempotency-key': 'contract-move' } }, 'idempotency_key_reused');
  await refused(s, 'games.abort', at(alice, {}), 'not_abortable');

  // An offer made under a key; the key reused for its withdrawal is refused.
  await ok(s, 'games.offer', { ...at(alice, { offer: 'draw', action: 'offer' }), headers: { 'idempotency-key': 'contract-offer' } });
  seq = (await game(id)).seq;
  await refused(s, 'games.offer', { ...at(alice, { offer: 'draw', action: 'cancel' }), headers: { 'idempotency-key': 'contract-offer' } }, 'idempotency_key_reused');

  // Bob has never opened the game (DISCONNECT_CLAIM_SECONDS=0): Alice claims it. Then it is over.
  await ok(s, 'games.claim', { ...at(alice, { outcome: 'win' }), headers: { 'idempotency-key': 'contract-claim' } });
  seq = (await game(id)).seq;
  await refused(s, 'games.move', at(alice, { move: { cell: 8 } }), 'game_over');
  await refused(s, 'games.resign', { token: alice.token, params: { id } }, 'game_over');
  await refused(s, 'games.offer', at(alice, { offer: 'draw', action: 'offer' }), 'game_over');
  await refused(s, 'games.abort', at(alice, {}), 'game_over');
  await refused(s, 'games.claim', at(alice, { outcome: 'win' }), 'game_over');
  await refused(s, 'games.pgn', { params: { id } }, 'not_supported');
  await ok(s, 'games.review', { params: { id } });
  await ok(s, 'games.chat', { token: carol.token, params: { id }, body: { text: 'good game' } });
  // Chat manners (the suite runs with 3 lines per 10 s and 2 reports an hour): a report,
  // one of oneself, one of a player who said nothing; then a flood of each.
  await ok(s, 'games.report', { token: alice.token, params: { id }, body: { playerId: carol.id, reason: 'test' } });
  await refused(s, 'games.report', { token: bob.token, params: { id }, body: { playerId: bob.id } }, 'bad_request');
  await refused(s, 'games.report', { token: bob.token, params: { id }, body: { playerId: alice.id } }, 'not_found');
  await ok(s, 'games.report', { token: alice.token, params: { id }, body: { playerId: carol.id } });
  await refused(s, 'games.report', { token: alice.token, params: { id }, body: { playerId: carol.id } }, 'report_rate_limited');
  await ok(s, 'games.chat', { token: carol.token, params: { id }, body: { text: 'really' } });
  await ok(s, 'games.chat', { token: carol.token, params: { id }, body: { text: 'good' } });
  await refused(s, 'games.chat', { token: carol.token, params: { id }, body: { text: 'game' } }, 'chat_rate_limited');

  // Moderation: only a moderator reads and closes the reports.
  await refused(s, 'moderation.reports', { token: alice.token }, 'forbidden');
  const { reports } = await ok(s, 'moderation.reports', { token: moderator.token });
  const report = (reports as { id: string; game: { id: string } }[]).find((r) => r.game.id === id)!;
  await refused(s, 'moderation.resolve', { token: alice.token, params: { id: report.id }, body: {} }, 'forbidden');
  await ok(s, 'moderation.resolve', { token: moderator.token, params: { id: report.id }, body: {} });

  // The claim's key on another game; an agent never leaves; an abort's key on another game.
  const other = await open();
  await ok(s, 'games.join', { token: bob.token, params: { id: other } });
  const otherSeq = (await game(other)).seq;
  await refused(s, 'games.claim', { token: alice.token, params: { id: other }, body: { outcome: 'win', expectedSeq: otherSeq }, headers: { 'idempotency-key': 'contract-claim' } }, 'idempotency_key_reused');
  const vsAgent = async () => {
    const { game: g } = await ok(s, 'games.create', { token: alice.token, body: { type: 'tictactoe', opponent: { kind: 'agent', agentId: 'speedygibbon' }, seat: 0 } });
    return g as { id: string; seq: number };
  };
  const a1 = await vsAgent();
  await refused(s, 'games.claim', { token: alice.token, params: { id: a1.id }, body: { outcome: 'win', expectedSeq: a1.seq } }, 'not_claimable');
  await ok(s, 'games.abort', { token: alice.token, params: { id: a1.id }, body: { expectedSeq: a1.seq }, headers: { 'idempotency-key': 'contract-abort' } });
  const a2 = await vsAgent();
  await refused(s, 'games.abort', { token: alice.token, params: { id: a2.id }, body: { expectedSeq: a2.seq }, headers: { 'idempotency-key': 'contract-abort' } }, 'idempotency_key_reused');

  // Nothing above wrote a success where a refusal was declared: the first game is Alice's win.
  expect((await game(id)).result).toMatchObject({ winner: 0, reason: 'left' });
  void hit;
}
