// A small Dockerfile parser: just the instructions Monkeytown's Dockerfiles use, for the
// static checks of compose.test.ts (which stages copy what, the final CMD/WORKDIR).
// Anything else is an error, so a new instruction is looked at, not silently ignored.

export interface CopyStep {
  kind: 'COPY';
  from: string | null;
  chown: string | null;
  sources: string[];
  dest: string;
}
export interface RunStep {
  kind: 'RUN';
  command: string;
}
export interface WorkdirStep {
  kind: 'WORKDIR';
  path: string;
}
export interface EnvStep {
  kind: 'ENV';
  vars: Record<string, string>;
}
export type Step = CopyStep | RunStep | WorkdirStep | EnvStep;

export interface Stage {
  name: string;
  base: string;
  steps: Step[];
  user: string | null;
  expose: number[];
  cmd: string[] | null;
  healthcheck: { cmd: string[]; options: Record<string, string> } | null;
}

/** Join continuation lines, drop comments and blank lines. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!current && /^\s*#/.test(line)) continue; // comment / parser directive
    if (current && /^\s*#/.test(line)) continue; // comments inside a continuation
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    current += line;
    if (current.trim()) out.push(current.trim());
    current = '';
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** Split leading `--flag=value` options off an instruction's arguments. */
function takeFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (;;) {
    const m = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest);
    if (!m) break;
    flags[m[1]!] = m[2] ?? 'true';
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

function jsonArray(text: string, what: string): string[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) {
    throw new Error(`${what}: expected a JSON array of strings (exec form)`);
  }
  return parsed;
}

/** ENV a=b c="d e" (the legacy `ENV a b` form is rejected). */
function parseEnv(args: string): Record<string, string> {
  const vars: Record<string, string> = {};
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g;
  let consumed = '';
  for (const m of args.matchAll(re)) {
    const value = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
    vars[m[1]!] = value;
    consumed += m[0];
  }
  if (!Object.keys(vars).length || consumed.replace(/\s/g, '').length !== args.replace(/\s/g, '').length) {
    throw new Error(`ENV ${args}: only the key=value form is supported`);
  }
  return vars;
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const m = /^([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`cannot parse Dockerfile line: ${line}`);
    const op = m[1]!.toUpperCase();
    const args = m[2]!;
    if (op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(takeFlags(args + ' ').rest.trim());
      if (!f) throw new Error(`FROM ${args}`);
      stages.push({ name: f[2] ?? String(stages.length), base: f[1]!, steps: [], user: null, expose: [], cmd: null, healthcheck: null });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${op} before FROM`);
    switch (op) {
      case 'WORKDIR':
        stage.steps.push({ kind: 'WORKDIR', path: args.trim() });
        break;
      case 'ENV':
        stage.steps.push({ kind: 'ENV', vars: parseEnv(args) });
        break;
      case 'RUN': {
        // --mount=type=cache|secret|bind (BuildKit) leave nothing in the layer.
        const { rest } = takeFlags(args + ' ');
        stage.steps.push({ kind: 'RUN', command: rest.trim().startsWith('[') ? jsonArray(rest, 'RUN').join(' ') : rest.trim() });
        break;
      }
      case 'COPY': {
        const { flags, rest } = takeFlags(args + ' ');
        for (const k of Object.keys(flags)) if (!['from', 'chown', 'link'].includes(k)) throw new Error(`COPY --${k} is not supported`);
        const parts = rest.trim().split(/\s+/);
        if (parts.length < 2) throw new Error(`COPY ${args}: needs a source and a destination`);
        stage.steps.push({ kind: 'COPY', from: flags.from ?? null, chown: flags.chown ?? null, sources: parts.slice(0, -1), dest: parts.at(-1)! });
        break;
      }
      case 'USER':
        stage.user = args.trim();
        break;
      case 'EXPOSE':
        stage.expose.push(...args.trim().split(/\s+/).map((p) => Number.parseInt(p, 10)));
        break;
      case 'CMD':
        stage.cmd = jsonArray(args, 'CMD');
        break;
      case 'HEALTHCHECK': {
        const { flags, rest } = takeFlags(args + ' ');
        const c = /^CMD\s+(\[.*\])$/.exec(rest.trim());
        if (!c) throw new Error('HEALTHCHECK: only the exec form `CMD [...]` is supported');
        stage.healthcheck = { cmd: jsonArray(c[1]!, 'HEALTHCHECK'), options: flags };
        break;
      }
      case 'LABEL':
      case 'ARG':
        break; // no effect on the layout or the process
      default:
        throw new Error(`Dockerfile instruction ${op} is not supported by this parser`);
    }
  }
  return stages;
}

/** The stage's environment after all ENV steps (what the image runs with). */
export function stageEnv(stage: Stage): Record<string, string> {
  return Object.assign({}, ...stage.steps.filter((s): s is EnvStep => s.kind === 'ENV').map((s) => s.vars));
}

/** The stage's final WORKDIR. */
export function stageWorkdir(stage: Stage): string {
  let dir = '/';
  for (const s of stage.steps) if (s.kind === 'WORKDIR') dir = s.path.startsWith('/') ? s.path : `${dir.replace(/\/$/, '')}/${s.path}`;
  return dir;
}
