export { StatsPanel, SyncStatusBar, SYNC_COLOURS } from './StatsPanel';
