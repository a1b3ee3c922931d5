import { RegisterTaskDefinitionRequest$ } from '@aws-sdk/client-ecs';
import { NormalizedSchema } from '@smithy/core/schema';

/**
 * Checks a task definition document against the RegisterTaskDefinition
 * request shape of the ECS API model that ships inside @aws-sdk/client-ecs
 * (walked with Smithy's NormalizedSchema): every key must be a member of its
 * structure - at any depth - and every value must have the member's type.
 * JSON input with a misspelt key ("portMapping", "healthcheck") would
 * otherwise be dropped silently by the SDK serializer.
 */
export function sdkModelProblems(doc: unknown): string[] {
  const problems: string[] = [];
  walk(NormalizedSchema.of(RegisterTaskDefinitionRequest$), doc, '', problems);
  return problems;
}

function kind(s: NormalizedSchema): string {
  if (s.isStructSchema()) return 'object';
  if (s.isListSchema()) return 'array';
  if (s.isMapSchema()) return 'map';
  if (s.isStringSchema()) return 'string';
  if (s.isNumericSchema()) return 'number';
  if (s.isBooleanSchema()) return 'boolean';
  return 'other';
}

function walk(schema: NormalizedSchema, value: unknown, at: string, problems: string[]): void {
  const where = at || '(root)';
  const want = kind(schema);
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  switch (want) {
    case 'object': {
      if (!isObject) return void problems.push(`${where}: expected an object`);
      const members = schema.getMemberSchemas();
      for (const [key, v] of Object.entries(value)) {
        const member = members[key];
        if (!member) {
          problems.push(`${at ? `${at}.` : ''}${key}: not a member of ${schema.getName() ?? 'this structure'}`);
          continue;
        }
        walk(member, v, at ? `${at}.${key}` : key, problems);
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return void problems.push(`${where}: expected an array`);
      value.forEach((item, i) => walk(schema.getValueSchema(), item, `${at}.${i}`, problems));
      return;
    case 'map':
      if (!isObject) return void problems.push(`${where}: expected an object map`);
      for (const [k, v] of Object.entries(value)) walk(schema.getValueSchema(), v, `${at}.${k}`, problems);
      return;
    case 'string':
    case 'number':
    case 'boolean':
      if (typeof value !== want) problems.push(`${where}: expected a ${want}, got ${JSON.stringify(value)}`);
      return;
    default:
      return;
  }
}
