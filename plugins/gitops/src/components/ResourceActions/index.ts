export { ResourceActions, CommandState } from './ResourceActions';
