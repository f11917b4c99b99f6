import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
} from '@asteasolutions/zod-to-openapi';
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
  readinessSchema,
  resourceKeySchema,
  SYNC_STATUSES,
  syncWindowSchema,
} from '@shoehorn/plugin-gitops-common';
import { z } from 'zod';

// The generator reads names and descriptions through methods it adds to zod's types.
extendZodWithOpenApi(z);

/** A JSON Schema node as the generator writes it. */
type Schema = { [key: string]: unknown };

/** The object under refinements (refine wraps it in ZodEffects). */
function objectOf(schema: z.ZodTypeAny): z.AnyZodObject {
  let current = schema;
  while (current instanceof z.ZodEffects) current = current.innerType();
  return current as z.AnyZodObject;
}

/** The components of openapi.yaml that the zod schemas of gitops-common define, by name. */
export function wireComponentSources(): Record<string, z.ZodTypeAny> {
  const resource = objectOf(gitOpsResourceSchema).shape;
  const readiness = readinessSchema.shape;
  return {
    GitOpsTool: z.enum(GITOPS_TOOLS),
    GitOpsKind: z.enum(GITOPS_KINDS),
    SyncStatus: z.enum(SYNC_STATUSES),
    HealthStatus: z.enum(HEALTH_STATUSES),
    LinkStatus: z.enum(LINK_STATUSES),
    ClusterState: z.enum(CLUSTER_STATES),
    CommandType: z
      .enum(COMMAND_TYPES)
      .describe(
        'Suspend and Resume set spec.suspend of a Flux object (true and false); ArgoCD has no suspend.',
      ),
    CommandStatus: z.enum(COMMAND_STATUSES),
    AgentKindState: z
      .enum(AGENT_KIND_STATES)
      .describe(
        'watching: the watch is current. stale: the watch keeps failing, stored objects of the kind may be out of date. unavailable: the kind cannot be watched (e.g. no CRD).',
      ),
    AgentWatchedKind: z
      .enum(AGENT_WATCHED_KINDS)
      .describe(
        'A kind of GitOpsKind, or one watched only for what it tells about other records (AppProject: the sync windows of its Applications).',
      ),
    ResourceSource: resource.source,
    DriftReport: resource.drift,
    WaitRef: readiness.waitsOn.element,
    SyncProblem: readiness.syncProblem.unwrap(),
    SyncWindow: syncWindowSchema,
    Readiness: readinessSchema,
    GitOpsResource: gitOpsResourceSchema,
    GitOpsResourceKey: resourceKeySchema,
    AgentCapabilities: agentCapabilitiesSchema,
    AgentKindStatus: agentKindStatusSchema,
    AgentInfo: agentInfoSchema,
    PushRequest: pushRequestSchema,
    CommandResult: commandResultSchema,
  };
}

function withoutDescription(schema: Schema): Schema {
  const { description: _ignored, ...rest } = schema;
  return rest;
}

const same = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Replaces each nested schema equal to a component by a reference to it: the generator only
 * references schemas it was given by name, and the shared ones are nested as they are.
 */
function referenceComponents(
  node: unknown,
  components: Record<string, Schema>,
  isRoot: boolean,
): unknown {
  if (Array.isArray(node)) {
    return node.map(item => referenceComponents(item, components, false));
  }
  if (!node || typeof node !== 'object') return node;
  const schema = node as Schema;
  if (!isRoot) {
    const bare = withoutDescription(schema);
    // A nullable use of a component is the component or null.
    const types = Array.isArray(bare.type) ? bare.type : [];
    const nullable = types.length === 2 && types.includes('null');
    const target = nullable
      ? { ...bare, type: types.find(t => t !== 'null') }
      : bare;
    const name = Object.keys(components).find(n =>
      same(withoutDescription(components[n]), target),
    );
    if (name) {
      const ref = { $ref: `#/components/schemas/${name}` };
      // A description of the use is kept; the component's own is not repeated.
      const own = schema.description !== components[name].description;
      return {
        ...(nullable ? { oneOf: [ref, { type: 'null' }] } : ref),
        ...(schema.description && own
          ? { description: schema.description }
          : {}),
      };
    }
  }
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      // Keys of `properties` are names, not schemas: a property's value is one.
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as Schema).map(([p, s]) => [
              p,
              referenceComponents(s, components, false),
            ]),
          )
        : referenceComponents(value, components, false),
    ]),
  );
}

/** The OpenAPI 3.1 component schemas generated from the zod schemas, by name. */
export function generateWireComponents(
  sources: Record<string, z.ZodTypeAny> = wireComponentSources(),
): Record<string, Schema> {
  const registry = new OpenAPIRegistry();
  for (const [name, schema] of Object.entries(sources)) {
    registry.register(name, schema);
  }
  const generated = new OpenApiGeneratorV31(
    registry.definitions,
  ).generateComponents().components?.schemas as Record<string, Schema>;
  return Object.fromEntries(
    Object.keys(sources).map(name => [
      name,
      referenceComponents(generated[name], generated, true) as Schema,
    ]),
  );
}
