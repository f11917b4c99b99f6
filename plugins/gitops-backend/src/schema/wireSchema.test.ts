import {
  AGENT_KIND_STATES,
  AGENT_WATCHED_KINDS,
  agentCapabilitiesSchema,
  agentInfoSchema,
  agentKindStatusSchema,
  CLUSTER_STATES,
  COMMAND_STATUSES,
  COMMAND_TYPES,
  commandResultSchema,
  GITOPS_KINDS,
  GITOPS_TOOLS,
  gitOpsResourceSchema,
  HEALTH_STATUSES,
  LINK_STATUSES,
  pushRequestSchema,
  resourceKeySchema,
  SYNC_STATUSES,
  syncWindowSchema,
} from '@shoehorn/plugin-gitops-common';
import { z } from 'zod';
import { spec } from './openapi/generated/router';

type JsonSchema = {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly string[];
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: unknown;
};

// Read as plain JSON Schema: the spec's literal type is too narrow to index by name.
const components = spec.components.schemas as unknown as Readonly<
  Record<string, JsonSchema>
>;

function resolve(schema: JsonSchema): JsonSchema {
  return schema.$ref
    ? components[schema.$ref.replace('#/components/schemas/', '')]
    : schema;
}

/** The object under refinements (superRefine and refine wrap it in ZodEffects). */
function objectOf(schema: z.ZodTypeAny): z.AnyZodObject {
  let current = schema;
  while (current instanceof z.ZodEffects) {
    current = current.innerType();
  }
  return current as z.AnyZodObject;
}

function unwrap(schema: z.ZodTypeAny): {
  inner: z.ZodTypeAny;
  nullable: boolean;
} {
  let inner = schema;
  let nullable = false;
  for (;;) {
    if (inner instanceof z.ZodEffects) inner = inner.innerType();
    else if (inner instanceof z.ZodOptional) inner = inner.unwrap();
    else if (inner instanceof z.ZodNullable) {
      nullable = true;
      inner = inner.unwrap();
    } else return { inner, nullable };
  }
}

/** Every difference between a zod object and its OpenAPI component, as readable lines. */
function differences(name: string, zodSchema: z.ZodTypeAny): string[] {
  const out: string[] = [];
  const component = components[name];
  const shape = objectOf(zodSchema).shape as Record<string, z.ZodTypeAny>;
  const keys = Object.keys(shape).sort();
  const properties = component.properties ?? {};
  if (JSON.stringify(Object.keys(properties).sort()) !== JSON.stringify(keys)) {
    out.push(`${name}: properties ${Object.keys(properties)} vs ${keys}`);
  }
  const required = keys.filter(k => !shape[k].isOptional());
  if (
    JSON.stringify([...(component.required ?? [])].sort()) !==
    JSON.stringify(required)
  ) {
    out.push(`${name}: required ${component.required} vs ${required}`);
  }
  if (
    objectOf(zodSchema)._def.unknownKeys === 'strict' &&
    component.additionalProperties !== false
  ) {
    out.push(`${name}: strict in zod, open in OpenAPI`);
  }
  for (const key of keys.filter(k => properties[k])) {
    const { inner, nullable } = unwrap(shape[key]);
    const property = resolve(properties[key]);
    const types = [property.type ?? []].flat();
    if (nullable !== types.includes('null')) {
      out.push(`${name}.${key}: nullable ${nullable} vs type ${types}`);
    }
    if (
      inner instanceof z.ZodEnum &&
      JSON.stringify(inner.options) !== JSON.stringify(property.enum)
    ) {
      out.push(`${name}.${key}: enum ${inner.options} vs ${property.enum}`);
    }
  }
  return out;
}

describe('the OpenAPI components agree with the shared zod schemas', () => {
  it.each([
    ['GitOpsTool', GITOPS_TOOLS],
    ['GitOpsKind', GITOPS_KINDS],
    ['SyncStatus', SYNC_STATUSES],
    ['HealthStatus', HEALTH_STATUSES],
    ['LinkStatus', LINK_STATUSES],
    ['ClusterState', CLUSTER_STATES],
    ['CommandType', COMMAND_TYPES],
    ['CommandStatus', COMMAND_STATUSES],
    ['AgentKindState', AGENT_KIND_STATES],
    ['AgentWatchedKind', AGENT_WATCHED_KINDS],
  ])('enum %s', (name, values) => {
    expect(components[name].enum).toEqual([...values]);
  });

  it.each([
    ['GitOpsResource', gitOpsResourceSchema],
    ['GitOpsResourceKey', resourceKeySchema],
    ['AgentCapabilities', agentCapabilitiesSchema],
    ['AgentInfo', agentInfoSchema],
    ['AgentKindStatus', agentKindStatusSchema],
    ['PushRequest', pushRequestSchema],
    ['CommandResult', commandResultSchema],
    ['SyncWindow', syncWindowSchema],
  ] as const)('object %s', (name, schema) => {
    expect(differences(name, schema)).toEqual([]);
  });

  it('reports a difference it is shown', () => {
    const widened = gitOpsResourceSchema.extend({ extra: z.string() });
    expect(differences('GitOpsResource', widened)).toEqual([
      expect.stringContaining('GitOpsResource: properties'),
      expect.stringContaining('GitOpsResource: required'),
    ]);
  });
});
