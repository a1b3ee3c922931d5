'use client';
// The moderators' page (issue 26): the open chat reports — game, reporter, reported player,
// the line, when — each with a way to close it. The server decides who is a moderator
// (MODERATORS, docs/api.md "Moderation"); anyone else is shown why they cannot see them,
// with their own player id (what an operator would add to MODERATORS).
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import type { OpenReport } from '@monkeytown/shared/schemas';
import { api, ApiError } from '../../lib/api';
import { useSession } from '../../lib/session';
import { GAME_TITLES } from '../lobby/game-titles';

type Load = { state: 'loading' } | { state: 'ok'; reports: OpenReport[] } | { state: 'forbidden' } | { state: 'error'; message: string };

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function ModerationView() {
  const { ready, session } = useSession();
  const token = session?.token ?? null;
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [closed, setClosed] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    if (!token) return;
    try {
      setLoad({ state: 'ok', reports: (await api.openReports(token)).reports });
    } catch (err) {
      const e = err as ApiError;
      setLoad(e.code === 'forbidden' ? { state: 'forbidden' } : { state: 'error', message: e.message });
    }
  }, [token]);
  useEffect(() => void refresh(), [refresh]);

  if (!ready) return null;
  if (!session) return <p className="muted">This page is for moderators: choose a name on the home page first.</p>;
  if (load.state === 'loading') return <p className="muted">Loading the reports…</p>;
  if (load.state === 'forbidden') {
    return (
      <p className="muted" data-testid="not-moderator">
        This page is for moderators only. Your player id is <code>{session.playerId}</code>: an operator who
        adds it to <code>MODERATORS</code> makes you one.
      </p>
    );
  }
  if (load.state === 'error') {
    return (
      <p className="error" role="alert">
        {load.message}
      </p>
    );
  }

  const close = async (r: OpenReport, note: string) => {
    try {
      await api.resolveReport(r.id, note, session.token);
      setClosed(`Closed the report on ${r.reported.name}.`);
      setLoad((l) => (l.state === 'ok' ? { state: 'ok', reports: l.reports.filter((x) => x.id !== r.id) } : l));
    } catch (err) {
      setClosed(null);
      setLoad({ state: 'error', message: (err as ApiError).message });
    }
  };

  return (
    <>
      <p className="muted" role="status">
        {closed}
      </p>
      {load.reports.length === 0 ? (
        <p className="muted">No open reports.</p>
      ) : (
        <ul className="report-list" aria-label="Open reports">
          {load.reports.map((r) => (
            <ReportItem key={r.id} report={r} onClose={(note) => void close(r, note)} />
          ))}
        </ul>
      )}
    </>
  );
}

function ReportItem({ report: r, onClose }: { report: OpenReport; onClose: (note: string) => void }) {
  const [note, setNote] = useState('');
  return (
    <li className="panel report" data-report={r.id}>
      <p>
        <strong>{r.reporter.name}</strong> reported <strong>{r.reported.name}</strong> in a{' '}
        <Link href={`/games/${r.game.id}`}>{GAME_TITLES[r.game.type] ?? r.game.type} game</Link>, <time dateTime={r.createdAt}>{when(r.createdAt)}</time>
      </p>
      {r.text !== null && <blockquote className="reported-line">{r.text}</blockquote>}
      {r.reason && <p className="muted">Why: {r.reason}</p>}
      <form
        className="report-close"
        onSubmit={(e) => {
          e.preventDefault();
          onClose(note.trim());
        }}
      >
        <label>
          Note <input value={note} maxLength={280} onChange={(e) => setNote(e.target.value)} placeholder="what was done (optional)" />
        </label>
        <button type="submit">Close report</button>
      </form>
    </li>
  );
}
