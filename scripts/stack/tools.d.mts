// Types for scripts/stack/tools.mjs.
export declare function findNginx(): string | null;
export declare function findRedisServer(): string | null;
export declare function findPgBin(): string | null;
export declare function missingTools(opts?: { ownPostgres?: boolean; ownRedis?: boolean }): string[];
