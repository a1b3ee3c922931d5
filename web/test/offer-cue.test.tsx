import { render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useGameCues } from '../src/components/game/useGameCues';
import { gameReducer, initialModel, type GameModel } from '../src/lib/game-model';
import { createdEvents, snapshot } from './fixtures';

vi.mock('../src/lib/sound', () => ({ playCue: vi.fn(() => true), installAudioUnlock: vi.fn() }));
const { playCue } = await import('../src/lib/sound');

function Cues({ model, seat }: { model: GameModel; seat: 0 | 1 | null }) {
  useGameCues(model, seat);
  return null;
}

describe('offer cue', () => {
  it("sounds once when the opponent offers, never for one's own offer, an answer or a spectator", () => {
    let m = gameReducer(initialModel(snapshot()), { type: 'events', events: createdEvents() });
    const { rerender } = render(<Cues model={m} seat={0} />);
    vi.mocked(playCue).mockClear();
    m = gameReducer(m, { type: 'events', events: [{ seq: 3, kind: 'offer', data: { offer: 'draw', action: 'offered', seat: 1 } }] });
    rerender(<Cues model={m} seat={0} />);
    rerender(<Cues model={{ ...m }} seat={0} />); // a re-render is not a new offer
    expect(vi.mocked(playCue).mock.calls).toEqual([['offer']]);
    m = gameReducer(m, { type: 'events', events: [{ seq: 4, kind: 'offer', data: { offer: 'draw', action: 'declined', seat: 0 } }] });
    rerender(<Cues model={m} seat={0} />);
    m = gameReducer(m, { type: 'events', events: [{ seq: 5, kind: 'offer', data: { offer: 'takeback', action: 'offered', seat: 0 } }] });
    rerender(<Cues model={m} seat={0} />);
    expect(vi.mocked(playCue).mock.calls).toEqual([['offer']]);
    m = gameReducer(m, { type: 'events', events: [{ seq: 6, kind: 'offer', data: { offer: 'draw', action: 'offered', seat: 1 } }] });
    rerender(<Cues model={m} seat={null} />);
    expect(vi.mocked(playCue).mock.calls).toEqual([['offer']]);
  });
});
