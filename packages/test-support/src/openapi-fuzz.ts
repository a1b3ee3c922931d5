import fc from 'fast-check';
import { ERROR_STATUS, ErrorBody } from '@monkeytown/shared';

/**
 * A request fuzzer driven by the OpenAPI document the game-server serves (/api/docs/json):
 * every operation, every path and query parameter, fed arbitrary strings, arbitrary
 * base64url-encoded JSON (what opaque cursors look like), boundary numbers, malformed
 * percent-encoding and the schema's own enum values. A route added to the API is fuzzed
 * without editing a test.
 */

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: { enum?: unknown[]; type?: string; minimum?: number; maximum?: number };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: OpenApiParameter[]; requestBody?: unknown; security?: unknown[] }>>;
}

export interface FuzzRequest {
  method: string;
  /** Path and query, already percent-encoded (sometimes deliberately malformed). */
  url: string;
  headers: Record<string, string>;
  body?: string;
}
export interface FuzzResponse {
  status: number;
  body: string;
}

export interface FuzzSeeds {
  /** Real values for path parameters (a game id, a player id) so requests reach the handlers. */
  pathValues?: string[];
  /** A bearer token sent on part of the requests to routes that declare security. */
  token?: string;
}

/** Numbers at the edges of JS, int32, int64 and decimal parsing. */
export const BOUNDARY_NUMBERS = [
  '0', '-0', '1', '-1', '1.5', '1e3', '1e308', '-1e308', '1e400', 'NaN', 'Infinity', '-Infinity', '0x10', '0b1', '00000000000000000001',
  '2147483647', '2147483648', '-2147483649', '4294967296', '9007199254740991', '9007199254740993', '9223372036854775807',
  '9223372036854775808', '-9223372036854775809', '18446744073709551616', '99999999999999999999', '', ' ', '+1',
];

/** Already-encoded fragments that no decoder accepts, or that try to climb out of /api. */
const RAW_FRAGMENTS = ['%', '%%', '%E0%A4%A', '%C0%AF', '%FF', '%00', '%2e%2e', '..', '%2F', '%u0041', '%ZZ', '%0A', '%3F', '#'];

/** encodeURIComponent, also for lone surrogates (which it refuses): their UTF-8 bytes, escaped. */
function pct(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
  }
}

const b64json = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  // opaque-cursor-shaped: [numeric string, id-ish string]
  {
    arbitrary: fc.tuple(
      fc.oneof(fc.constantFrom(...BOUNDARY_NUMBERS), fc.stringMatching(/^\d{1,25}$/), fc.string({ maxLength: 20 })),
      fc.oneof(fc.uuid(), fc.stringMatching(/^[0-9a-f-]{36}$/), fc.constant('-'.repeat(36)), fc.string({ maxLength: 40 })),
    ),
    weight: 3,
  },
).map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url'));

/** A hostile value for one parameter, already encoded for a URL. */
function wildArb(param: OpenApiParameter, seeds: FuzzSeeds): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 60, unit: 'binary' }).map(pct),
    fc.string({ maxLength: 30 }).map(pct),
    b64json,
    b64json,
    fc.constantFrom(...BOUNDARY_NUMBERS).map(pct),
    fc.constantFrom(...RAW_FRAGMENTS),
    fc.uuid().map(pct),
    fc.string({ minLength: 90, maxLength: 300 }).map(pct),
    tameArb(param, seeds),
  );
}

/** A value the schema accepts (enum member, in-range integer, real id), or undefined when it knows none. */
function tameArb(param: OpenApiParameter, seeds: FuzzSeeds): fc.Arbitrary<string> {
  const { enum: values, minimum, maximum, type } = param.schema ?? {};
  if (values?.length) return fc.constantFrom(...values.map(String)).map(pct);
  if (type === 'integer') return fc.integer({ min: minimum ?? 0, max: maximum ?? 1000 }).map(String);
  if (param.in === 'path' && seeds.pathValues?.length) return fc.constantFrom(...seeds.pathValues).map(pct);
  return fc.string({ maxLength: 12 }).map(pct);
}

/** `arb` on about one request in ten, undefined otherwise. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 9 }, { arbitrary: arb, weight: 1 });

/**
 * Arbitrary requests over every operation of the document. Each request aims at one
 * parameter with a hostile value and keeps the others tame (absent or valid), so the
 * hostile one gets past validation of its neighbours and into the handler.
 */
export function requestArbitrary(doc: OpenApiDocument, seeds: FuzzSeeds = {}): fc.Arbitrary<FuzzRequest> {
  const ops: fc.Arbitrary<FuzzRequest>[] = [];
  for (const [template, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const params = (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query');
      const arb = fc.record({
        target: fc.nat({ max: Math.max(0, params.length - 1) }),
        values: fc.tuple(
          ...params.map((p) =>
            fc.record({
              wild: wildArb(p, seeds),
              tame: p.in === 'path' || p.required ? tameArb(p, seeds) : fc.option(tameArb(p, seeds), { nil: undefined }),
            }),
          ),
        ),
        extra: rarely(fc.tuple(fc.string({ maxLength: 10 }).map(pct), fc.string({ maxLength: 10 }).map(pct))),
        otherMethod: rarely(fc.constantFrom('DELETE', 'PUT', 'PATCH', 'OPTIONS', 'TRACE')),
        auth: fc.boolean(),
      });
      ops.push(
        arb.map(({ target, values, extra, otherMethod, auth }) => {
          const value = (i: number) => (i === target ? values[i]!.wild : values[i]!.tame);
          let url = template;
          const qs: string[] = [];
          params.forEach((p, i) => {
            const v = value(i);
            if (p.in === 'path') url = url.replace(`{${p.name}}`, v ?? '');
            else if (v !== undefined) qs.push(`${pct(p.name)}=${v}`);
          });
          if (extra) qs.push(`${extra[0]}=${extra[1]}`);
          const m = otherMethod ?? method.toUpperCase();
          const headers: Record<string, string> = { accept: 'application/json' };
          if (auth && seeds.token && op.security) headers.authorization = `Bearer ${seeds.token}`;
          const hasBody = m !== 'GET' && m !== 'OPTIONS' && m !== 'TRACE';
          if (hasBody) headers['content-type'] = 'application/json';
          return { method: m, url: qs.length ? `${url}?${qs.join('&')}` : url, headers, ...(hasBody ? { body: '{}' } : {}) };
        }),
      );
    }
  }
  if (ops.length === 0) throw new Error('the OpenAPI document lists no operations');
  return fc.oneof(...ops);
}

/**
 * What every answer must be: never a 5xx, and every error in the contract shape with a
 * code from the table and the status the table gives that code. Returns what is wrong,
 * or null.
 */
export function contractViolation(res: FuzzResponse): string | null {
  if (res.status >= 500) return `${res.status} (a server fault): ${res.body.slice(0, 300)}`;
  if (res.status < 400) return null;
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    return `${res.status} with a non-JSON body: ${JSON.stringify(res.body.slice(0, 200))}`;
  }
  const parsed = ErrorBody.safeParse(json);
  if (!parsed.success) return `${res.status} off-contract body: ${res.body.slice(0, 300)}`;
  const want = ERROR_STATUS[parsed.data.error.code];
  if (want !== res.status) return `code ${parsed.data.error.code} travelled with ${res.status}, the table says ${want}`;
  return null;
}

export interface FuzzReport {
  requests: number;
  byStatus: Record<number, number>;
}

/**
 * Sends `runs` generated requests through `send` and throws (with fast-check's shrunk
 * counterexample) on the first contract violation.
 */
export async function fuzzOpenApi(
  doc: OpenApiDocument,
  send: (req: FuzzRequest) => Promise<FuzzResponse>,
  opts: { runs: number; seeds?: FuzzSeeds; seed?: number },
): Promise<FuzzReport> {
  const report: FuzzReport = { requests: 0, byStatus: {} };
  await fc.assert(
    fc.asyncProperty(requestArbitrary(doc, opts.seeds), async (req) => {
      const res = await send(req);
      report.requests++;
      report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
      const wrong = contractViolation(res);
      if (wrong) throw new Error(`${req.method} ${req.url} → ${wrong}`);
    }),
    { numRuns: opts.runs, ...(opts.seed !== undefined ? { seed: opts.seed } : {}), endOnFailure: false },
  );
  return report;
}
