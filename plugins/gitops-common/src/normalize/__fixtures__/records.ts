import { gitOpsResourceSchema, type GitOpsResource } from '../../model';
import type { NormalizeResult } from '../types';

/** The record of a result that must have been accepted, checked against the wire schema. */
export function accepted(result: NormalizeResult): GitOpsResource {
  if (!result.ok) {
    throw new Error(`expected a record, got a rejection: ${result.reason}`);
  }
  expect(gitOpsResourceSchema.parse(result.resource)).toEqual(result.resource);
  return result.resource;
}

/** The reason of a result that must have been rejected. */
export function rejected(result: NormalizeResult): string {
  if (result.ok) {
    throw new Error(
      `expected a rejection, got ${JSON.stringify(result.resource)}`,
    );
  }
  expect(result.reason).not.toBe('');
  return result.reason;
}
