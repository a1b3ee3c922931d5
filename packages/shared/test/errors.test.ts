import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, ErrorCode, errorCodeForStatus, errorStatus } from '../src/schemas/index.js';

describe('the error table', () => {
  it('gives every code an error status, and a bare status a code that travels with that same status', () => {
    for (const code of ErrorCode.options) expect(errorStatus(code)).toBeGreaterThanOrEqual(400);
    for (let status = 400; status < 600; status++) {
      const code = errorCodeForStatus(status);
      // Either the status is the code's own, or it folds into a general code (whose own status is then sent).
      if (errorStatus(code) !== status) expect(['bad_request', 'internal', 'unavailable']).toContain(code);
    }
    expect(errorCodeForStatus(431)).toBe('headers_too_large');
    expect(errorCodeForStatus(418)).toBe('bad_request');
  });

  it('docs/api.md lists every code with its status', () => {
    const doc = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(doc, code).toMatch(new RegExp(`\\| ${status} \\| \`${code}\` \\|`));
    }
  });
});
