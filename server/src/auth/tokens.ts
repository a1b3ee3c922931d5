import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'monkeytown';

/** Verified tokens kept per process (each ~0.5 KiB); the oldest is forgotten first. */
const VERIFIED_MAX = 10_000;

/** Signs and verifies guest tokens: HS256 JWTs whose `sub` is the player id. */
export class TokenService {
  private readonly key: Uint8Array;
  /**
   * token → player id and expiry. A token's signature never changes, so each one is
   * checked once per process instead of on every request (the WebCrypto HMAC costs
   * ~50 µs of CPU and a thread-pool hop: docs/performance.md); expiry is still enforced.
   */
  private readonly verified = new Map<string, { sub: string; exp: number }>();

  constructor(secret: string, private readonly ttlDays = 30) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(playerId: string): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(playerId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlDays}d`)
      .sign(this.key);
  }

  /** The player id of a valid token, or null (bad signature, expired, malformed). */
  async verify(token: string): Promise<string | null> {
    const known = this.verified.get(token);
    if (known) {
      if (known.exp > Date.now() / 1000) return known.sub;
      this.verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string') return null;
      if (typeof payload.exp === 'number') {
        if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value!);
        this.verified.set(token, { sub: payload.sub, exp: payload.exp });
      }
      return payload.sub;
    } catch {
      return null;
    }
  }
}
