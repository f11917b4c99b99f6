import { ENTITY_ANNOTATION } from '../model';
import { at, text } from './objectFields';

/** The identifying fields every record carries. */
export interface RecordIdentity {
  namespace: string;
  name: string;
  uid: string;
  entityAnnotation: string | null;
}

/** Reads metadata; a string result is the reason the object cannot be a record. */
export function readRecordIdentity(obj: unknown): RecordIdentity | string {
  const name = text(at(obj, 'metadata', 'name'));
  if (name === null) {
    return 'metadata.name is missing or empty';
  }
  const namespace = text(at(obj, 'metadata', 'namespace'));
  if (namespace === null) {
    return 'metadata.namespace is missing or empty';
  }
  const uid = at(obj, 'metadata', 'uid');
  return {
    namespace,
    name,
    // Manifests not read back from a cluster carry no uid; the wire format wants a string.
    uid: typeof uid === 'string' ? uid : '',
    entityAnnotation: text(
      at(obj, 'metadata', 'annotations', ENTITY_ANNOTATION),
    ),
  };
}

function shown(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    return '?';
  }
  // One line per warning: control characters are shown escaped.
  return Array.from(value, c => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? JSON.stringify(c).slice(1, -1) : c;
  }).join('');
}

/**
 * Names a raw object for messages: `apiVersion kind namespace/name`, with `?` for
 * missing parts. Never throws.
 * @public
 */
export function describeRawObject(obj: unknown): string {
  try {
    const apiVersion = shown(at(obj, 'apiVersion'));
    const kind = shown(at(obj, 'kind'));
    const namespace = at(obj, 'metadata', 'namespace');
    const name = shown(at(obj, 'metadata', 'name'));
    const where =
      namespace === undefined ? name : `${shown(namespace)}/${name}`;
    return `${apiVersion} ${kind} ${where}`;
  } catch {
    return '(unreadable object)';
  }
}
