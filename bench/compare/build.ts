// `--compare <git-ref>`: the server of another commit, built once into its own
// directory (not a `git worktree`: `git archive` leaves the shared repository's
// metadata alone), and reused by later runs against the same commit.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../lib/proc.js';

export interface BuiltRef {
  ref: string;
  sha: string;
  /** server/dist of that commit. */
  dist: string;
}

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, npm_config_loglevel: 'error' } });

/** Builds `ref`'s server into $TMPDIR/mt-bench-ref-<sha> (npm ci of the server's workspaces, then its build). */
export function buildRef(ref: string): BuiltRef {
  const sha = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  const dir = path.join(process.env.BENCH_REF_DIR ?? os.tmpdir(), `mt-bench-ref-${sha.slice(0, 12)}`);
  const dist = path.join(dir, 'server/dist');
  if (existsSync(path.join(dist, 'game-server.js')) && existsSync(path.join(dir, '.built'))) {
    console.log(`compare: ${ref} (${sha.slice(0, 7)}) already built in ${dir}`);
    return { ref, sha, dist };
  }
  console.log(`compare: building ${ref} (${sha.slice(0, 7)}) in ${dir} (npm ci + server build, about a minute)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive --format=tar ${sha} | tar -x -C "${dir}"`], { cwd: REPO_ROOT, stdio: 'inherit' });
  // Only what the server bundle needs: its workspace and the shared package it bundles.
  run('npm', ['ci', '--no-audit', '--no-fund', '--workspace=server', '--workspace=packages/shared', '--include-workspace-root'], dir);
  run('npm', ['run', 'build', '--workspace=server'], dir);
  run('touch', ['.built'], dir);
  return { ref, sha, dist };
}
