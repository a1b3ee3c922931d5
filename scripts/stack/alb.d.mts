// Types for scripts/stack/alb.mjs.
export declare const FRONT_ADDRESS: string;
export interface WafBucket {
  limit: number;
  windowSeconds: number;
  perMinute: number;
  burst: number;
}
export declare function wafRateLimit(variablesTf?: string): number;
export declare function wafBucket(limit?: number, windowSeconds?: number): WafBucket;
export declare function renderAlbConf(opts: {
  upstreams: Record<'web' | 'game_server' | 'event_stream', string[]>;
  listen: string;
  internalListen: string;
  logDir: string;
  tempDir: string;
  bucket?: WafBucket;
}): string;
export declare function prepareAlb(opts: {
  prefix: string;
  upstreams: Record<'web' | 'game_server' | 'event_stream', string[]>;
  listen: string;
  internalListen: string;
  bucket?: WafBucket;
}): { confFile: string; accessLog: string; args: string[] };
