import { SignJWT, jwtVerify } from 'jose';

const ISSUER = 'monkeytown';

/** Signs and verifies guest tokens: HS256 JWTs whose `sub` is the player id. */
export class TokenService {
  private readonly key: Uint8Array;

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
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      return typeof payload.sub === 'string' ? payload.sub : null;
    } catch {
      return null;
    }
  }
}
