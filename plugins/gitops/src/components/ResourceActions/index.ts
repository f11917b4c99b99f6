export { ResourceActions, CommandState } from './ResourceActions';
export { commandUnavailableReason } from './commandAvailability';
