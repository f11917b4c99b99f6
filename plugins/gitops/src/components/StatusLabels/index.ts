export {
  SyncStatusLabel,
  HealthStatusLabel,
  ClusterStateChip,
  DriftIndicator,
} from './StatusLabels';
