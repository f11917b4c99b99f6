export {
  ResourceActions,
  CommandReasons,
  CommandState,
} from './ResourceActions';
