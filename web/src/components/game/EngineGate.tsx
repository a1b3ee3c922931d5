'use client';
// Shows `children` once the game's engine is loaded (use-engine-ready.ts); until then a
// board-sized placeholder, or a way out if the rules could not be downloaded.
import type { ReactNode } from 'react';
import { useEngineReady } from '../../lib/use-engine-ready';

export function EngineGate({ type, children }: { type: string; children: ReactNode }) {
  const ready = useEngineReady(type);
  if (ready === 'ready') return <>{children}</>;
  return (
    <div className="game-page" data-game-type={type}>
      {ready === 'loading' ? (
        <div className="board-placeholder" role="img" aria-label="Loading the game" />
      ) : (
        <p role="alert">
          The rules of this game could not be loaded. <button type="button" onClick={() => window.location.reload()}>Reload</button>
        </p>
      )}
    </div>
  );
}
