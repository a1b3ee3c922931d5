import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * terraform and shellcheck are real tools, not mocks. Locally a missing tool
 * skips its tests with a printed reason; with CI=true it is a failure.
 */
export function toolAvailable(name: string): boolean {
  const r = spawnSync(name, ['--version'], { encoding: 'utf8' });
  const ok = r.status === 0;
  if (!ok) {
    const msg = `${name} is not installed (or not on PATH)`;
    if (process.env.CI === 'true') throw new Error(`${msg}: required in CI`);
    console.warn(`SKIPPING ${name} checks: ${msg}. Install it to run them (CI=true makes this a failure).`);
  }
  return ok;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}): Run {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  return { status: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** Terraform environment: offline, no colour, and no warning about a missing CLI config file. */
export function terraformEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', ...extra };
  if (env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) env.TF_CLI_CONFIG_FILE = '/dev/null';
  return env;
}

export const PLUGIN_DIR = process.env.TF_PLUGIN_DIR ?? '/opt/tf-plugins';
