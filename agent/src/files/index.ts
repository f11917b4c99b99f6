export {
  InputFileError,
  inputBaseDirs,
  loadObjectsFromFiles,
  parseObjects,
  resolveInputPath,
  type LoadedObject,
} from './loadObjectsFromFiles';
