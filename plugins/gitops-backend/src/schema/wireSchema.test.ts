import { gitOpsResourceSchema } from '@shoehorn/plugin-gitops-common';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { spec } from './openapi/generated/router';
import {
  generateWireComponents,
  wireComponentSources,
} from '../../scripts/wireComponents';

const STALE = 'openapi.yaml is stale: run `yarn generate` in the plugin';

const checkedIn = YAML.parse(
  fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
).components.schemas as Record<string, unknown>;

/** The names whose checked-in component differs from the one generated now. */
function staleNames(
  components: Record<string, unknown>,
  generated: Record<string, unknown>,
): string[] {
  return Object.keys(generated).filter(
    name =>
      JSON.stringify(components[name]) !== JSON.stringify(generated[name]),
  );
}

describe('the wire schema is generated from the shared zod schemas', () => {
  const generated = generateWireComponents();

  it('openapi.yaml carries the components generated from zod', () => {
    expect({ stale: staleNames(checkedIn, generated), hint: STALE }).toEqual({
      stale: [],
      hint: STALE,
    });
  });

  it('the validating router was generated from this openapi.yaml', () => {
    const routed = spec.components.schemas as unknown as Record<
      string,
      unknown
    >;
    expect(staleNames(routed, checkedIn)).toEqual([]);
  });

  it('a change to a zod schema makes the checked-in spec stale', () => {
    const widened = generateWireComponents({
      ...wireComponentSources(),
      GitOpsResource: gitOpsResourceSchema.extend({ extra: z.string() }),
    });
    expect(staleNames(checkedIn, widened)).toContain('GitOpsResource');
  });

  it('shared schemas are referenced, not repeated', () => {
    const push = generated.PushRequest as {
      properties: Record<string, unknown>;
    };
    expect(push.properties.agent).toEqual({
      $ref: '#/components/schemas/AgentInfo',
    });
    expect(push.properties.upserts).toMatchObject({
      items: { $ref: '#/components/schemas/GitOpsResource' },
    });
  });
});
