import { createElement } from 'react';
import { describe, expect, it, vi } from 'vitest';

// Fresh modules, as a page opened cold sees them: chess's rules not loaded yet (the setup
// file loaded them in the shared copies). React and testing-library come fresh too, so
// the component and the renderer share one React.
async function fresh() {
  vi.resetModules();
  const [rtl, react, gate, games] = await Promise.all([
    import('@testing-library/react'),
    import('react'),
    import('../src/components/game/EngineGate'),
    import('@monkeytown/shared/games'),
  ]);
  return { rtl, h: react.createElement, EngineGate: gate.EngineGate, games };
}

describe('EngineGate (chess.js loads with the first chess page, not with the others)', () => {
  it('shows a tic-tac-toe game at once, without loading chess', async () => {
    const { rtl, h, EngineGate, games } = await fresh();
    rtl.render(h(EngineGate, { type: 'tictactoe', children: h('p', null, 'the board') }));
    expect(rtl.screen.getByText('the board')).toBeTruthy();
    expect(games.engineLoaded('chess')).toBe(false);
    rtl.cleanup();
  });

  it('holds a chess game behind a placeholder until chess.js has loaded', async () => {
    const { rtl, h, EngineGate, games } = await fresh();
    expect(games.engineLoaded('chess')).toBe(false);
    rtl.render(h(EngineGate, { type: 'chess', children: h('p', null, 'the board') }));
    expect(rtl.screen.getByRole('img', { name: 'Loading the game' })).toBeTruthy();
    expect(rtl.screen.queryByText('the board')).toBeNull();
    expect(await rtl.screen.findByText('the board')).toBeTruthy();
    expect(games.engineLoaded('chess')).toBe(true);
    rtl.cleanup();
  });
});

void createElement; // the static React import keeps this file a TSX module for the type checker
