import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignJWT } from 'jose';
import { MAX_TOKEN_LIFETIME_DAYS, TokenService } from '../../src/auth/tokens.js';

const ID = '5b7c2a55-0000-4000-8000-000000000001';
const SECRET = 'a-test-secret-that-is-long-enough-for-hs256!';

describe('TokenService', () => {
  afterEach(() => vi.useRealTimers());

  it('verifies its own tokens, again and again (the second time from its cache)', async () => {
    const svc = new TokenService(SECRET);
    const token = await svc.sign(ID);
    expect(await svc.verify(token)).toBe(ID);
    expect(await svc.verify(token)).toBe(ID);
  });

  it('refuses forged, tampered and malformed tokens, also after a good one was seen', async () => {
    const svc = new TokenService(SECRET);
    const good = await svc.sign(ID);
    expect(await svc.verify(good)).toBe(ID);
    const forged = await new TokenService('another-secret-that-is-long-enough-too!!').sign(ID);
    expect(await svc.verify(forged)).toBeNull();
    const [h, p, sig] = good.split('.');
    expect(await svc.verify(`${h}.${p}.${sig!.slice(0, -2)}AA`)).toBeNull();
    expect(await svc.verify('not.a.jwt')).toBeNull();
  });

  it('a cached token stops working when it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const svc = new TokenService(SECRET, 1);
    const token = await svc.sign(ID);
    expect(await svc.verify(token)).toBe(ID); // now cached
    vi.setSystemTime(new Date('2026-01-01T23:59:00Z'));
    expect(await svc.verify(token)).toBe(ID);
    vi.setSystemTime(new Date('2026-01-02T00:00:01Z'));
    expect(await svc.verify(token)).toBeNull();
  });

  // Correctly signed with the right secret, but shaped by hand (a leaked secret, an old signer).
  const handMade = (claims: { exp?: string | number; iat?: boolean | number }, secret = SECRET) => {
    let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(ID).setIssuer('monkeytown');
    if (claims.iat === true) jwt = jwt.setIssuedAt();
    else if (typeof claims.iat === 'number') jwt = jwt.setIssuedAt(claims.iat);
    if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
    return jwt.sign(new TextEncoder().encode(secret));
  };

  it('refuses a correctly signed token without exp or without iat (issue 15: such a token never expired)', async () => {
    const svc = new TokenService(SECRET);
    expect(await svc.verify(await handMade({ iat: true }))).toBeNull();
    expect(await svc.verify(await handMade({ exp: '1d' }))).toBeNull();
    expect(await svc.verify(await handMade({ iat: true, exp: '1d' }))).toBe(ID); // the same, complete, passes
  });

  it(`refuses tokens made to live longer than ${MAX_TOKEN_LIFETIME_DAYS} days, and caps TOKEN_TTL_DAYS`, async () => {
    const svc = new TokenService(SECRET);
    expect(await svc.verify(await handMade({ iat: true, exp: '10y' }))).toBeNull();
    const now = Math.floor(Date.now() / 1000);
    expect(await svc.verify(await handMade({ iat: now - 100 * 86_400, exp: now + 3600 }))).toBeNull(); // too old
    expect(await svc.verify(await handMade({ iat: now + 86_400, exp: now + 2 * 86_400 }))).toBeNull(); // issued in the future

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const long = new TokenService(SECRET, 3650);
    const token = await long.sign(ID);
    vi.setSystemTime(new Date('2026-03-31T23:00:00Z')); // day 89
    expect(await long.verify(token)).toBe(ID);
    vi.setSystemTime(new Date('2026-04-01T00:00:01Z')); // past 90 days
    expect(await long.verify(token)).toBeNull();
  });

  it('rotation: tokens of SESSION_SECRET_PREVIOUS verify during the window, and not after it', async () => {
    const OLD = 'the-old-secret-before-the-rotation-xxxxxxxx';
    const before = new TokenService(OLD);
    const oldToken = await before.sign(ID);
    const legacy = await handMade({ iat: true, exp: '1d' }, OLD); // no kid: signed before key ids existed

    const during = new TokenService(SECRET, 30, { previousSecret: OLD });
    expect(await during.verify(oldToken)).toBe(ID);
    const newToken = await during.sign(ID);
    expect(await during.verify(newToken)).toBe(ID);
    expect(await before.verify(newToken)).toBeNull(); // signed with the new secret only
    expect(await during.verify(legacy)).toBeNull(); // a kid-less token is checked against the current secret

    const after = new TokenService(SECRET); // SESSION_SECRET_PREVIOUS removed
    expect(await after.verify(oldToken)).toBeNull();
    expect(await after.verify(newToken)).toBe(ID);
  });

  it('carries the token version (sign-out revokes by bumping it)', async () => {
    const svc = new TokenService(SECRET);
    expect(await svc.claims(await svc.sign(ID))).toEqual({ playerId: ID, version: 0 });
    expect(await svc.claims(await svc.sign(ID, 3))).toEqual({ playerId: ID, version: 3 });
  });
});
