/*
 * Defensive reads of untyped Kubernetes objects. Only own properties of plain
 * objects are followed, so inherited names such as `constructor` never leak in.
 */
import { isRfc3339Instant } from '../rfc3339';

export type ObjectRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is ObjectRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of own object keys and array indexes, or undefined. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(current) || key < 0 || key >= current.length) {
        return undefined;
      }
      current = current[key];
    } else {
      if (
        !isRecord(current) ||
        !Object.prototype.hasOwnProperty.call(current, key)
      ) {
        return undefined;
      }
      current = current[key];
    }
  }
  return current;
}

/** A non-empty string as-is; anything else (absent, "", other types) is null. */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The first non-empty string among the values, or null. */
export function firstText(...values: unknown[]): string | null {
  for (const value of values) {
    const found = text(value);
    if (found !== null) {
      return found;
    }
  }
  return null;
}

/** An array as-is, anything else as an empty array. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** An RFC 3339 instant as written, or null when absent or unparsable. */
export function instant(value: unknown): string | null {
  return isRfc3339Instant(value) ? value : null;
}

/** Milliseconds since the epoch of a valid instant, for ordering. */
export function instantMillis(value: string): number {
  return Date.parse(value);
}

/** A Kubernetes status condition of the given type (the first one, if repeated). */
export function findCondition(
  conditions: unknown,
  type: string,
): ObjectRecord | undefined {
  return list(conditions).find(
    (c): c is ObjectRecord => isRecord(c) && c.type === type,
  );
}
