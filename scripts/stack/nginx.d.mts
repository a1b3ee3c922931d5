// Types for scripts/stack/nginx.mjs.
export declare const UPSTREAMS: Record<'web' | 'game_server' | 'event_stream', string>;
export declare const TRUSTED_PROXIES_FILE: string;
export declare function substituteUpstreams(conf: string, addresses: Record<string, string | string[]>, trustedProxiesFile?: string): string;
export declare function renderStackConf(
  conf: string,
  opts: { addresses: Record<string, string | string[]>; listen: string; cacheDir: string; tempDir?: string },
): string;
export declare function prepareNginx(opts: {
  shippedConf: string;
  prefix: string;
  addresses: Record<string, string | string[]>;
  listen: string;
}): { confFile: string; args: string[] };
