import { createHash } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';

const ISSUER = 'monkeytown';

/** No token lives longer than this, whatever TOKEN_TTL_DAYS says or a token claims. */
export const MAX_TOKEN_LIFETIME_DAYS = 90;
const MAX_LIFETIME_S = MAX_TOKEN_LIFETIME_DAYS * 86_400;

/** Verified tokens kept per process (each ~0.5 KiB); the oldest is forgotten first. */
const VERIFIED_MAX = 10_000;

/** What a valid token says: the player, and the token version it was issued under (sign-out bumps it). */
export interface TokenClaims {
  playerId: string;
  version: number;
}

interface SigningKey {
  kid: string;
  key: Uint8Array;
}

// A short public name for a secret (never the secret): tokens carry it as `kid`, so the
// verifier picks the right key at once during a rotation instead of trying each.
const keyOf = (secret: string): SigningKey => ({
  kid: createHash('sha256').update(`monkeytown-kid:${secret}`).digest('base64url').slice(0, 12),
  key: new TextEncoder().encode(secret),
});

export interface TokenServiceOptions {
  /** The secret before a rotation: still accepted for verification, never used to sign. */
  previousSecret?: string;
}

/**
 * Signs and verifies guest tokens: HS256 JWTs with `sub` (player id), `iat`, `exp`
 * (required: a token without them is refused), `ver` (token version) and a `kid`
 * naming the secret. Rotation: SESSION_SECRET signs, SESSION_SECRET_PREVIOUS still
 * verifies until it is removed (after at most one token lifetime).
 */
export class TokenService {
  private readonly current: SigningKey;
  private readonly keys: Map<string, Uint8Array>;
  private readonly ttlDays: number;
  /**
   * token → claims and expiry. A token's signature never changes, so each one is
   * checked once per process instead of on every request (the WebCrypto HMAC costs
   * ~50 µs of CPU and a thread-pool hop: docs/performance.md); expiry is still enforced.
   */
  private readonly verified = new Map<string, TokenClaims & { exp: number }>();

  constructor(secret: string, ttlDays = 30, opts: TokenServiceOptions = {}) {
    this.current = keyOf(secret);
    this.keys = new Map([[this.current.kid, this.current.key]]);
    if (opts.previousSecret && opts.previousSecret !== secret) {
      const prev = keyOf(opts.previousSecret);
      this.keys.set(prev.kid, prev.key);
    }
    this.ttlDays = Math.min(ttlDays, MAX_TOKEN_LIFETIME_DAYS);
  }

  sign(playerId: string, version = 0): Promise<string> {
    return new SignJWT({ ver: version })
      .setProtectedHeader({ alg: 'HS256', kid: this.current.kid })
      .setSubject(playerId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlDays}d`)
      .sign(this.current.key);
  }

  /** The player id of a valid token, or null (bad signature, expired, malformed, no exp/iat). */
  async verify(token: string): Promise<string | null> {
    return (await this.claims(token))?.playerId ?? null;
  }

  /** The claims of a valid token, or null. */
  async claims(token: string): Promise<TokenClaims | null> {
    const now = Date.now() / 1000;
    const known = this.verified.get(token);
    if (known) {
      if (known.exp > now) return { playerId: known.playerId, version: known.version };
      this.verified.delete(token);
    }
    try {
      const { kid } = decodeProtectedHeader(token);
      // Tokens from before key ids existed name none: the current secret is the only candidate.
      const key = kid === undefined ? this.current.key : this.keys.get(kid);
      if (!key) return null;
      const { payload } = await jwtVerify(token, key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        requiredClaims: ['sub', 'iat', 'exp'],
        maxTokenAge: MAX_LIFETIME_S,
      });
      const { sub, iat, exp, ver = 0 } = payload as { sub: unknown; iat: number; exp: number; ver?: unknown };
      if (typeof sub !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return null;
      // A token signed to outlive the maximum (a leaked secret's tokens, a bad TTL) is refused outright.
      if (exp - iat > MAX_LIFETIME_S || iat > now + 60) return null;
      if (typeof ver !== 'number' || !Number.isSafeInteger(ver) || ver < 0) return null;
      if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { playerId: sub, version: ver, exp });
      return { playerId: sub, version: ver };
    } catch {
      return null;
    }
  }
}
