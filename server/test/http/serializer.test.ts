import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MoveResponse } from '@monkeytown/shared';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { responseSerializerCompiler, serializationSchema } from '../../src/http/serializer.js';
import { installErrorHandlers } from '../../src/http/errors.js';

const now = '2026-11-30T12:00:00.000Z';
const seat = (s: 0 | 1, id: string) => ({ seat: s, playerId: id, name: `p${s}`, kind: 'human', rating: 1500, provisional: true });
const move = {
  game: {
    id: '8f14e45f-ceea-467f-a8f5-0a1b2c3d4e5f', type: 'tictactoe', status: 'active', rated: true, seq: 5,
    players: [seat(0, '5b7c2a55-0000-4000-8000-000000000001'), seat(1, '5b7c2a55-0000-4000-8000-000000000002')],
    turn: 1, state: { cells: ['x', null, 'o'], nested: { deep: [1, 2] } }, legalMoves: [{ cell: 1 }, { cell: 2 }], moveCount: 3,
    result: null, spectators: 0, agentThinking: false, clock: { initialSeconds: 60, incrementSeconds: 1 },
    clockState: { remainingMs: [1000, 2000], running: 1, at: now }, offers: { draw: 0, takeback: null, rematch: null },
    rematchId: null, ratingChanges: null, claimAfterSeconds: 30, createdAt: now, updatedAt: now,
  },
  seq: 6,
};

async function appWith(check: boolean, data: unknown) {
  const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler({ check }));
  installErrorHandlers(app);
  app.get('/x', { schema: { response: { 200: MoveResponse } } }, async () => data as z.infer<typeof MoveResponse>);
  await app.ready();
  return app;
}

describe('response serializer (fast-json-stringify from the zod schemas)', () => {
  it.each([true, false])('writes what zod would (check=%s), and leaves out properties the schema does not name', async (check) => {
    const leaky = { ...move, internal: 'secret', game: { ...move.game, passwordHash: 'x', players: move.game.players.map((p) => ({ ...p, token: 't' })) } };
    const app = await appWith(check, leaky);
    const r = await app.inject({ method: 'GET', url: '/x' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual(JSON.parse(JSON.stringify(MoveResponse.parse(leaky))));
    expect(r.body).not.toMatch(/secret|passwordHash|token/);
    await app.close();
  });

  it('with checks on (tests, development), a response that breaks its schema is a 500 in the error shape', async () => {
    const app = await appWith(true, { ...move, game: { ...move.game, turn: 7 } });
    const r = await app.inject({ method: 'GET', url: '/x' });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({ error: { code: 'internal', message: 'internal error' } });
    await app.close();
  });

  it('rewrites unions for writing: literal and nullable unions become one type; objects whose shared properties disagree stay a union', () => {
    const s = serializationSchema(z.object({
      seat: z.union([z.literal(0), z.literal(1)]).nullable(),
      move: z.union([z.strictObject({ cell: z.number() }), z.strictObject({ uci: z.string() })]),
      either: z.union([z.strictObject({ v: z.number() }), z.strictObject({ v: z.string() })]),
    })) as { properties: Record<string, Record<string, unknown>> };
    expect(s.properties.seat).toEqual({ type: 'number', nullable: true });
    expect(s.properties.move).toMatchObject({ type: 'object', properties: { cell: { type: 'number' }, uci: { type: 'string' } } });
    expect(s.properties.either!.anyOf).toHaveLength(2);
  });
});
