/**
 * The GitOps backend plugin: agent API, store, entity linking, stats and commands.
 *
 * @packageDocumentation
 */
export { gitopsPlugin as default } from './plugin';
export { gitopsClockServiceRef, type GitOpsClock } from './service/clock';
