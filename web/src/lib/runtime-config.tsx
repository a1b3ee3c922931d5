'use client';
// Per-environment values handed from the server at request time (see app/layout.tsx).
import { createContext, useContext, type ReactNode } from 'react';

export interface RuntimeConfig {
  /** EVENT_STREAM_PUBLIC_URL, or null for same-origin /ws. */
  eventStreamUrl: string | null;
}

const Ctx = createContext<RuntimeConfig>({ eventStreamUrl: null });

export function RuntimeConfigProvider({ value, children }: { value: RuntimeConfig; children: ReactNode }) {
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useRuntimeConfig = () => useContext(Ctx);

/** The absolute ws(s):// URL of the event stream as seen from this page. */
export function resolveStreamUrl(configured: string | null, location: { protocol: string; host: string; href: string }): string {
  const wsProto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (!configured) return `${wsProto}//${location.host}/ws`;
  if (/^wss?:\/\//i.test(configured)) return configured;
  if (/^https?:\/\//i.test(configured)) return configured.replace(/^http/i, 'ws');
  // ":8080/ws" (npm start): the page's own host name on another port.
  const port = /^:(\d+)(\/.*)$/.exec(configured);
  if (port) return `${wsProto}//${new URL(location.href).hostname}:${port[1]}${port[2]}`;
  const u = new URL(configured, location.href); // relative path such as /ws
  return `${wsProto}//${u.host}${u.pathname}${u.search}`;
}
