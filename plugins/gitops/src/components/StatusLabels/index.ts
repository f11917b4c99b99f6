export {
  SyncStatusLabel,
  HealthStatusLabel,
  ClusterStateChip,
  DriftIndicator,
  StaleKindNotice,
} from './StatusLabels';
