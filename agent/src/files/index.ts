export {
  InputFileError,
  defaultInputBaseDir,
  loadObjectsFromFiles,
  parseObjects,
  resolveInputPath,
  type LoadedObject,
} from './loadObjectsFromFiles';
