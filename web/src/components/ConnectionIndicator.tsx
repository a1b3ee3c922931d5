'use client';
// The live connection as a small pill. Announced politely to screen readers; same width in
// every state so the header never shifts.
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

const TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
};

export function ConnectionIndicator({ state, attempt }: { state: ConnectionState; attempt?: number }) {
  const detail = state === 'reconnecting' && attempt && attempt > 1 ? ` (try ${attempt})` : '';
  return (
    <span className="conn" data-state={state} role="status" aria-live="polite" aria-label={`Connection: ${TEXT[state]}${detail}`}>
      <span className="conn-dot" aria-hidden="true" />
      {TEXT[state]}
    </span>
  );
}
