// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, ErrorBody } from '@monkeytown/shared/schemas';
import { frameworkError } from '../src/lib/contract-errors';
import { proxy } from '../proxy';

async function expectContract(res: Response | null, code: keyof typeof ERROR_STATUS) {
  expect(res).not.toBeNull();
  expect(res!.status).toBe(ERROR_STATUS[code]);
  const body = ErrorBody.parse(await res!.json());
  expect(body.error.code).toBe(code);
}

describe('the web server’s own errors (before Next routes a request)', () => {
  it('malformed percent-encoding in page and /api paths → 400 bad_request (Next answered a plain-text 500)', async () => {
    await expectContract(frameworkError('GET', '/players/%'), 'bad_request');
    await expectContract(frameworkError('GET', '/games/%E0%A4%A'), 'bad_request');
    await expectContract(frameworkError('POST', '/api/games/%/resign'), 'bad_request');
  });

  it('TRACE and methods outside the list → 405 method_not_allowed with Allow', async () => {
    const trace = frameworkError('TRACE', '/api/games');
    await expectContract(trace, 'method_not_allowed');
    expect(trace!.headers.get('allow')).toContain('GET');
    await expectContract(frameworkError('PROPFIND', '/api/games'), 'method_not_allowed');
    await expectContract(frameworkError('DELETE', '/leaderboard'), 'method_not_allowed');
  });

  it('/api itself → 404 not_found in JSON (no HTML page)', async () => {
    await expectContract(frameworkError('GET', '/api'), 'not_found');
    await expectContract(frameworkError('GET', '/api/'), 'not_found');
  });

  it('lets everything else through', () => {
    expect(frameworkError('GET', '/games/00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(frameworkError('POST', '/api/games/x%20y/moves')).toBeNull();
    expect(frameworkError('OPTIONS', '/api/games')).toBeNull();
  });

  it('is what proxy.ts answers', async () => {
    const url = new URL('http://web.test/api/games/%/resign');
    const res = proxy(Object.assign(new Request(url, { method: 'POST' }), { nextUrl: url }) as never);
    await expectContract(res, 'bad_request');
  });
});
