import {
  ApplicationProtocol,
  Compatibility,
  ContainerCondition,
  CPUArchitecture,
  LogDriver,
  NetworkMode,
  OSFamily,
  TransportProtocol,
  UlimitName,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { z } from 'zod';

/**
 * Semantic checks of the task definition fields Monkeytown uses (enums are the
 * SDK's own, plus ranges and formats). Which keys exist at all is decided by
 * the SDK's API model (sdk-model.ts), so objects here are loose: a valid API
 * field this schema does not list passes through unchanged. The inferred type
 * is checked at compile time to be assignable to RegisterTaskDefinitionCommandInput.
 */

const KeyValue = z.looseObject({ name: z.string().min(1), value: z.string() });
const Secret = z.looseObject({ name: z.string().min(1), valueFrom: z.string().min(1) });

const PortMapping = z.looseObject({
  name: z.string().optional(),
  containerPort: z.number().int().min(1).max(65535),
  hostPort: z.number().int().min(1).max(65535).optional(),
  protocol: z.enum(TransportProtocol).optional(),
  appProtocol: z.enum(ApplicationProtocol).optional(),
});

const HealthCheck = z.looseObject({
  command: z.array(z.string()).min(2),
  interval: z.number().int().min(5).max(300).optional(),
  timeout: z.number().int().min(2).max(120).optional(),
  retries: z.number().int().min(1).max(10).optional(),
  startPeriod: z.number().int().min(0).max(300).optional(),
});

const ContainerDefinition = z.looseObject({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/),
  image: z.string().min(1),
  essential: z.boolean().optional(),
  entryPoint: z.array(z.string()).optional(),
  command: z.array(z.string()).optional(),
  portMappings: z.array(PortMapping).optional(),
  environment: z.array(KeyValue).optional(),
  secrets: z.array(Secret).optional(),
  healthCheck: HealthCheck.optional(),
  linuxParameters: z.looseObject({ initProcessEnabled: z.boolean().optional() }).optional(),
  stopTimeout: z.number().int().min(0).max(120).optional(),
  readonlyRootFilesystem: z.boolean().optional(),
  mountPoints: z
    .array(z.looseObject({ sourceVolume: z.string().min(1), containerPath: z.string().startsWith('/'), readOnly: z.boolean().optional() }))
    .optional(),
  dependsOn: z.array(z.looseObject({ containerName: z.string().min(1), condition: z.enum(ContainerCondition) })).optional(),
  ulimits: z
    .array(z.looseObject({ name: z.enum(UlimitName), softLimit: z.number().int(), hardLimit: z.number().int() }))
    .optional(),
  logConfiguration: z
    .strictObject({ logDriver: z.enum(LogDriver), options: z.record(z.string(), z.string()).optional() })
    .optional(),
});

export const TaskDefinitionSchema = z.looseObject({
  family: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'family: letters, digits, _ and - (max 255)'),
  networkMode: z.enum(NetworkMode).optional(),
  requiresCompatibilities: z.array(z.enum(Compatibility)).optional(),
  cpu: z.string().regex(/^\d+$/).optional(),
  memory: z.string().regex(/^\d+$/).optional(),
  runtimePlatform: z
    .strictObject({ operatingSystemFamily: z.enum(OSFamily).optional(), cpuArchitecture: z.enum(CPUArchitecture).optional() })
    .optional(),
  executionRoleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/, 'executionRoleArn must be an IAM role ARN').optional(),
  taskRoleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/, 'taskRoleArn must be an IAM role ARN').optional(),
  containerDefinitions: z.array(ContainerDefinition).min(1),
  volumes: z.array(z.looseObject({ name: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/) })).optional(),
});

export type TaskDefinition = z.infer<typeof TaskDefinitionSchema>;

// Compile-time: anything the schema accepts is a valid RegisterTaskDefinition input.
const _assignable: (t: TaskDefinition) => RegisterTaskDefinitionCommandInput = (t) => t;
void _assignable;

/** Valid Fargate task sizes: cpu units -> allowed memory MiB. */
function fargateMemory(cpu: number): number[] {
  const range = (from: number, to: number, step: number) =>
    Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
  switch (cpu) {
    case 256: return [512, 1024, 2048];
    case 512: return range(1024, 4096, 1024);
    case 1024: return range(2048, 8192, 1024);
    case 2048: return range(4096, 16384, 1024);
    case 4096: return range(8192, 30720, 1024);
    case 8192: return range(16384, 61440, 4096);
    case 16384: return range(32768, 122880, 8192);
    default: return [];
  }
}

/** Checks the API itself would only reject at registration or at task start. */
export function fargateProblems(td: TaskDefinition): string[] {
  const problems: string[] = [];
  if (!td.requiresCompatibilities?.includes('FARGATE')) return problems;
  if (td.networkMode !== 'awsvpc') problems.push('Fargate requires networkMode "awsvpc"');
  if (!td.cpu || !td.memory) problems.push('Fargate requires task-level cpu and memory');
  else if (!fargateMemory(Number(td.cpu)).includes(Number(td.memory))) {
    problems.push(`cpu ${td.cpu} with memory ${td.memory} is not a valid Fargate size`);
  }
  if (!td.executionRoleArn) problems.push('an executionRoleArn is required to pull from ECR and write logs');
  for (const c of td.containerDefinitions) {
    for (const p of c.portMappings ?? []) {
      if (p.hostPort !== undefined && p.hostPort !== p.containerPort) {
        problems.push(`${c.name}: awsvpc needs hostPort == containerPort (${p.hostPort} != ${p.containerPort})`);
      }
    }
    if (c.logConfiguration?.logDriver === 'awslogs') {
      for (const k of ['awslogs-group', 'awslogs-region', 'awslogs-stream-prefix']) {
        if (!c.logConfiguration.options?.[k]) problems.push(`${c.name}: awslogs needs option ${k}`);
      }
    }
    const names = [...(c.environment ?? []), ...(c.secrets ?? [])].map((e) => e.name);
    const dup = names.filter((n, i) => names.indexOf(n) !== i);
    if (dup.length) problems.push(`${c.name}: variables defined twice: ${[...new Set(dup)].join(', ')}`);
    const volumes = new Set((td.volumes ?? []).map((v) => v.name));
    for (const m of c.mountPoints ?? []) {
      if (!volumes.has(m.sourceVolume)) problems.push(`${c.name}: mount ${m.containerPath} names volume ${m.sourceVolume}, which the task does not declare`);
    }
    for (const d of c.dependsOn ?? []) {
      if (!td.containerDefinitions.some((o) => o.name === d.containerName)) problems.push(`${c.name}: depends on unknown container ${d.containerName}`);
    }
    if (c.healthCheck && !['CMD', 'CMD-SHELL'].includes(c.healthCheck.command[0] ?? '')) {
      problems.push(`${c.name}: healthCheck.command must start with CMD or CMD-SHELL`);
    }
  }
  return problems;
}
