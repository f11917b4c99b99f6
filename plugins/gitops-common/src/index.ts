/**
 * Shared model of the GitOps plugins: resource types, wire schema, normalizers,
 * drift rules and permissions.
 *
 * @packageDocumentation
 */
export * from './model';
export * from './protocol';
export * from './permissions';
export * from './commandRules';
export * from './labels';
export * from './linking';
export * from './api';
export * from './resourceChanges';
export * from './history';
export * from './drift';
export * from './rootCause';
export * from './revisionSearch';
export * from './rfc3339';
export * from './storableText';
export * from './normalize';
export * from './syncWindows';
