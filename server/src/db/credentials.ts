/**
 * Database credentials that can change while the process runs (docs/operations.md,
 * "Database credentials"). On AWS the game-server connects as its own role
 * (`monkeytown_app`, not the RDS master user) with IAM database authentication:
 * every new connection presents a short-lived token signed with the task role, so
 * the monthly rotation of the master password never reaches the app at all.
 *
 * The pool asks a CredentialSource for the password of each NEW connection (open
 * connections keep working when a password or token changes). A source caches its
 * value; when Postgres refuses a new connection for bad credentials the pool calls
 * invalidate() and tries that connection once more with a fresh value. Nothing had
 * been sent on the refused connection, so the retry is always safe.
 */
export interface CredentialSource {
  /** The password (or IAM token) for the next new connection. */
  password(): Promise<string>;
  /** Forget the cached value: the next password() fetches a fresh one. */
  invalidate(): void;
}

/** Caches what `fetch` returns for `ttlMs` (or until invalidated); concurrent callers share one fetch. */
export function cachedSource(fetch: () => Promise<string>, ttlMs = Number.POSITIVE_INFINITY): CredentialSource {
  let cached: { value: Promise<string>; at: number } | undefined;
  return {
    password() {
      if (!cached || Date.now() - cached.at >= ttlMs) {
        const value = fetch();
        const entry = { value, at: Date.now() };
        cached = entry;
        // A failed fetch must not stick: the next connection tries again.
        value.catch(() => {
          if (cached === entry) cached = undefined;
        });
      }
      return cached.value;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/**
 * RDS IAM authentication: tokens are valid for 15 minutes and signed locally (no
 * network call) with the task role's credentials; refresh well before expiry.
 * The signer is loaded only when IAM auth is on, so local runs never load the SDK.
 */
export function iamTokenSource(target: { host: string; port: number; user: string; region: string }): CredentialSource {
  return cachedSource(async () => {
    const { Signer } = await import('@aws-sdk/rds-signer');
    const signer = new Signer({ hostname: target.host, port: target.port, username: target.user, region: target.region });
    return signer.getAuthToken();
  }, 10 * 60_000);
}

/**
 * 28P01 invalid_password; 28000 invalid_authorization_specification (what RDS
 * answers for an expired or wrong IAM token: "PAM authentication failed").
 */
export function isAuthFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '28P01' || code === '28000';
}

/** The credential source the configuration asks for; undefined: the password in the URL, fixed. */
export function credentialsFor(url: string, iam: { region: string } | undefined): CredentialSource | undefined {
  if (!iam) return undefined;
  const u = new URL(url);
  return iamTokenSource({ host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username), region: iam.region });
}
