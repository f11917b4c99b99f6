export {
  blockingSyncWindow,
  describeSyncWindowBlock,
  type SyncWindowBlock,
} from './evaluate';
