import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

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

/**
 * A copy of infrastructure/terraform with a local backend, initialised offline, for
 * commands that need an initialised backend (console, graph). Returns its directory
 * and the temporary root to remove afterwards.
 */
export function localBackendCopy(terraformDir: string, taskDefsDir: string): { dir: string; tmp: string } {
  const tmp = mkdtempSync(path.join(tmpdir(), 'mt-tfcopy-'));
  const dir = path.join(tmp, 'infrastructure/terraform');
  cpSync(terraformDir, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.terraform${path.sep}`) && !src.endsWith(`${path.sep}.terraform`) });
  symlinkSync(taskDefsDir, path.join(tmp, 'task-definitions'));
  writeFileSync(path.join(dir, 'backend_override.tf'), 'terraform {\n  backend "local" {}\n}\n');
  const init = run('terraform', ['init', '-input=false', '-no-color', `-plugin-dir=${PLUGIN_DIR}`], { cwd: dir, env: terraformEnv() });
  if (init.status !== 0) throw new Error(`terraform init failed: ${init.stderr}`);
  return { dir, tmp };
}
