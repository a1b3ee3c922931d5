import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenService } from '../../src/auth/tokens.js';

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
});
