import { describe, expect, it } from 'vitest';
import { offerLapsesAt, offerSurvivesMove } from '../src/commands/offer-lapse.js';
import type { Seat } from '../src/schemas/games.js';

// The server stores an offer with the move count it lapses at; the web's fold clears it
// move by move. Both read one rule: played out here, the two must always agree.
describe('offer lapse: the stored count and the move-by-move rule agree', () => {
  for (const kind of ['draw', 'takeback'] as const) {
    for (const offerer of [0, 1] as Seat[]) {
      for (const turn of [0, 1] as Seat[]) {
        it(`${kind} offered by seat ${offerer} with seat ${turn} to move`, () => {
          const until = offerLapsesAt(kind, 10, turn, offerer);
          let open = true;
          let mover = turn;
          for (let count = 10; count < 14; count++) {
            expect(open, `open before move ${count + 1}`).toBe(count < until);
            if (open && !offerSurvivesMove(kind, offerer, mover)) open = false;
            mover = mover === 0 ? 1 : 0;
          }
        });
      }
    }
  }

  it('a draw offer stands through the offerer\'s own move and lapses with the opponent\'s', () => {
    expect(offerLapsesAt('draw', 4, 0, 0)).toBe(6);
    expect(offerLapsesAt('draw', 4, 1, 0)).toBe(5);
    expect(offerLapsesAt('takeback', 4, 0, 0)).toBe(5);
  });
});
