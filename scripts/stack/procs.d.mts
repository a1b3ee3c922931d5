// Types for scripts/stack/procs.mjs.
import type { ChildProcess } from 'node:child_process';
export declare function freePort(): Promise<number>;
export declare function spawnLogged(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): ChildProcess;
export declare function isAlive(pid: number): boolean;
export declare function cmdlineOf(pid: number): string | null;
export declare function stopPid(pid: number, opts?: { signal?: NodeJS.Signals; graceMs?: number; expect?: RegExp }): Promise<'gone' | 'reused' | 'stopped' | 'killed'>;
export declare function tail(file: string, lines?: number): string;
export declare function waitFor(name: string, check: () => Promise<boolean>, opts?: { timeoutMs?: number; child?: ChildProcess; logFile?: string }): Promise<void>;
export declare function httpCheck(url: string, ok?: (status: number) => boolean): () => Promise<boolean>;
