// Types for the stack API (scripts/stack/index.mjs), for TypeScript tests.
export declare const REPO_ROOT: string;

export type ServiceName = 'postgres' | 'redis' | 'game-server' | 'event-stream' | 'web' | 'nginx' | `game-server-${number}` | `event-stream-${number}` | `web-${number}`;

export interface StackOptions {
  root?: string;
  stateDir?: string;
  databaseUrl?: string;
  redisUrl?: string;
  nginxPort?: number;
  env?: Record<string, string>;
  log?: (line: string) => void;
  detach?: boolean;
  /** game-servers and event-streams behind nginx (default 1): game-server-2, event-stream-2, … */
  replicas?: number;
  /** false: no web server (nginx's web upstream points at a closed port). */
  web?: boolean;
  /** The production-shaped stack: ALB + WAF and Service Connect stand-ins (scripts/stack/alb.mjs). */
  production?: boolean;
  /** web's GAME_SERVER_URL: the internal address (default) or 'public', the ALB (before issue 25). */
  wiring?: 'internal' | 'public';
  /** The WAF stand-in's scaled window in seconds (default 60). */
  wafWindowSeconds?: number;
}

export interface StackUrls {
  /** nginx: the browser's single origin. */
  base: string;
  /** ws://…/ws through nginx. */
  ws: string;
  web: string;
  gameServer: string;
  eventStream: string;
  /** The Service Connect stand-in (production-shaped stack only). */
  internal: string | null;
  database: string;
  redis: string;
}

export interface Stack {
  urls: StackUrls;
  ports: Record<'nginx' | 'web' | 'gameServer' | 'eventStream', number> & {
    postgres: number | null;
    redis: number | null;
    internal: number | null;
    /** Ports of replicas 2..n (web's only in the production-shaped stack). */
    replicas: Record<'game-server' | 'event-stream' | 'web', number[]>;
  };
  stateDir: string;
  readonly pids: Partial<Record<ServiceName, number>>;
  logFile(name: ServiceName): string;
  kill(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /**
   * SIGTERM and start again; `deregister` takes a replica out of nginx's rotation meanwhile,
   * `delayMs` waits that long between deregistering and the signal (ECS's deregistration delay).
   */
  restart(name: ServiceName, opts?: { deregister?: boolean; delayMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

export declare function startStack(opts?: StackOptions): Promise<Stack>;
export declare function missingTools(opts?: { ownPostgres?: boolean; ownRedis?: boolean }): string[];
export declare function missingArtifacts(root?: string): string[];
export declare function artifacts(root?: string): {
  gameServer: string;
  eventStream: string;
  webRoot: string;
  webServer: string;
  nginxConf: string;
};
export declare function stopStackFromState(stateDir?: string): Promise<Array<[string, number, string]>>;
export declare function stackState(stateDir?: string): { supervisor: number; urls: StackUrls; pids: Record<string, number> } | null;
