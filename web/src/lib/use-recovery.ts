'use client';
// A "cannot reach Monkeytown" notice must not outlive the outage: while one is shown, the
// page probes the server every few seconds and clears it as soon as the server answers or
// the live connection comes back.
import { useEffect, useRef } from 'react';
import type { ConnectionState } from '../components/ConnectionIndicator';

export function useRecovery(opts: { active: boolean; conn: ConnectionState; probe: () => Promise<unknown>; onBack: () => void; everyMs?: number }): void {
  const { active, conn, everyMs = 3000 } = opts;
  const ref = useRef(opts);
  ref.current = opts;
  const lastConn = useRef(conn);

  // The live connection reopening is proof enough that the network is back.
  useEffect(() => {
    const was = lastConn.current;
    lastConn.current = conn;
    if (active && conn === 'open' && was !== 'open') ref.current.onBack();
  }, [active, conn]);

  // The API may have been away alone (the socket stayed up): ask it.
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const timer = setInterval(() => {
      ref.current.probe().then(
        () => {
          if (!stopped) ref.current.onBack();
        },
        () => {},
      );
    }, everyMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [active, everyMs]);
}
