import { expect } from 'vitest';
import { ERROR_STATUS, ROUTES, routeUrl, type ErrorCode, type RouteName } from '@monkeytown/shared';
import type { Res, TestServer } from '../helpers/server.js';

/**
 * The contract test's request helper: sends a request to a table route by name and checks
 * every error it answers against the route's declared codes (ROUTES[name].errors), with the
 * status of the shared table. What each route answered is kept, so the test can also prove
 * the declared codes are real (contract.test.ts).
 */
export const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];
export const answered = new Map<RouteName, Set<ErrorCode>>(ROUTE_NAMES.map((n) => [n, new Set()]));

export interface Probe {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  /** A raw body (sent as is, with `contentType`). */
  raw?: string;
  contentType?: string;
}

export async function hit(s: TestServer, name: RouteName, p: Probe = {}): Promise<Res> {
  const route = ROUTES[name];
  const url = `/api${routeUrl(name, { ...(p.params ? { params: p.params } : {}), ...(p.query ? { query: p.query } : {}) })}`;
  const headers = { ...p.headers, ...(p.contentType ? { 'content-type': p.contentType } : {}) };
  const payload = p.raw !== undefined ? { raw: p.raw } : route.method === 'GET' ? {} : { body: p.body ?? {} };
  const res = await s.req(route.method, url, { ...(p.token ? { token: p.token } : {}), headers, ...payload });
  if (res.status >= 400) {
    const code = res.body?.error?.code as ErrorCode;
    expect(route.errors as readonly string[], `${name} answered ${res.status} ${JSON.stringify(res.body)}: a code it does not declare`).toContain(code);
    expect(res.status, `${name}: ${code} travels with ${ERROR_STATUS[code]}`).toBe(ERROR_STATUS[code]);
    answered.get(name)!.add(code);
  }
  return res;
}

/** `hit`, expecting the error `code`. */
export async function refused(s: TestServer, name: RouteName, p: Probe, code: ErrorCode): Promise<Res> {
  const res = await hit(s, name, p);
  expect(res.body?.error?.code, `${name} ${JSON.stringify(p).slice(0, 200)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toBe(code);
  return res;
}

/** `hit`, expecting success; the body. */
export async function ok(s: TestServer, name: RouteName, p: Probe): Promise<any> {
  const res = await hit(s, name, p);
  expect(res.status, `${name}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(ROUTES[name].response.status);
  return res.body;
}

/**
 * Fastify's own list of routes (printRoutes' tree, read back into `METHOD /path` lines),
 * without the HEAD twins it adds to every GET.
 */
export function servedRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│\s├└─]*?)([^│\s├└─].*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m || !m[2]) continue;
    const depth = m[1]!.length / 4; // "├── " is one level; the top level is 1
    stack.length = Math.max(0, depth - 1);
    stack.push(m[2]);
    const path = stack.join('').replace(/\/{2,}/g, '/');
    for (const method of (m[3] ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
      if (method !== 'HEAD') out.push(`${method} ${path}`);
    }
  }
  return out.sort();
}
