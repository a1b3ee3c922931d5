import { readFile } from 'node:fs/promises';
import { DeployError } from '../aws/errors.js';
import { fargateProblems, TaskDefinitionSchema, type TaskDefinition } from './schema.js';
import { sdkModelProblems } from './sdk-model.js';

/**
 * task-definitions/*.json carry ${NAME} placeholders. Terraform fills them
 * with templatefile() for the bootstrap revision; this fills the same ones for
 * every rollout, from the deploy configuration (config/deploy-config.ts) plus the
 * image by digest. Only ${UPPER_CASE} is a placeholder, so shell `$VAR` and JS code
 * in commands pass through untouched.
 */
const PLACEHOLDER = /\$\{([A-Z][A-Z0-9_]*)\}/g;

export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}

export function renderTemplate(template: string, vars: Record<string, string>): string {
  const missing = placeholders(template).filter((p) => vars[p] === undefined);
  if (missing.length) {
    throw new DeployError(`task definition placeholders without a value: ${missing.join(', ')}`, 2);
  }
  // Values land inside JSON strings: escape them as JSON string content.
  return template.replace(PLACEHOLDER, (_, name: string) => JSON.stringify(vars[name]).slice(1, -1));
}

export function parseTaskDefinition(json: string, source: string): TaskDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new DeployError(`${source} is not valid JSON: ${(err as Error).message}`, 2);
  }
  const unknown = sdkModelProblems(raw);
  if (unknown.length) {
    throw new DeployError(`${source} does not match the ECS RegisterTaskDefinition API model:\n  ${unknown.join('\n  ')}`, 2);
  }
  const parsed = TaskDefinitionSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DeployError(`${source} is not a valid RegisterTaskDefinition input:\n  ${lines.join('\n  ')}`, 2);
  }
  const problems = fargateProblems(parsed.data);
  if (problems.length) throw new DeployError(`${source}: ${problems.join('; ')}`, 2);
  return parsed.data;
}

export async function renderTaskDefinitionFile(
  file: string,
  vars: Record<string, string>,
): Promise<TaskDefinition> {
  const template = await readFile(file, 'utf8');
  return parseTaskDefinition(renderTemplate(template, vars), file);
}

/** Reads a vars file (offline rendering): a flat {NAME: value} map or {service: {NAME: value}}. */
export async function loadVars(file: string, service: string | undefined): Promise<Record<string, string>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new DeployError(`cannot read vars file ${file}: ${(err as Error).message}`, 2);
  }
  if (!isRecord(raw)) throw new DeployError(`vars file ${file} must hold a JSON object`, 2);
  const scoped = service && isRecord(raw[service]) ? raw[service] : raw;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(scoped)) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
