import {
  Box,
  Chip,
  LinearProgress,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TablePagination,
  TableRow,
  TableSortLabel,
  Typography,
} from '@material-ui/core';
import {
  clusterAgentOf,
  TOOL_LABELS,
  type ClusterView,
  type GitOpsResourceView,
} from '@shoehorn/plugin-gitops-common';
import type { ResourceSort, ResourceSortField } from '../../api/types';
import { PAGE_SIZES } from '../../lib/filterParams';
import {
  ClusterStateChip,
  StaleKindNotice,
  DriftIndicator,
  HealthStatusLabel,
  SyncStatusLabel,
} from '../StatusLabels';
import { LastSync, RevisionLink, SourceLink } from '../ResourceFields';
import { EntityLinkCell } from '../LinkEntityDialog';
import { ResourceActions } from '../ResourceActions';
import { RootCauseHint } from '../RootCause';

const useStyles = makeStyles(theme => ({
  source: { minWidth: 180, maxWidth: 280, wordBreak: 'break-all' },
  name: { fontWeight: 600, wordBreak: 'break-all' },
  nameCell: { minWidth: 200, maxWidth: 320 },
  message: {
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    wordBreak: 'break-word',
  },
  kind: { display: 'flex', alignItems: 'center', marginTop: 2 },
  tool: { marginLeft: theme.spacing(0.5) },
  entity: { minWidth: 160 },
  nowrap: { whiteSpace: 'nowrap' },
}));

interface Column {
  title: string;
  sort?: ResourceSortField;
}

const COLUMNS: Column[] = [
  { title: 'Name', sort: 'name' },
  { title: 'Cluster / namespace', sort: 'cluster' },
  { title: 'Sync', sort: 'syncStatus' },
  { title: 'Health', sort: 'healthStatus' },
  { title: 'Source' },
  { title: 'Revision' },
  { title: 'Last sync', sort: 'lastSyncedAt' },
  { title: 'Drift' },
  { title: 'Entity' },
  { title: 'Actions' },
];

/** The fleet table: server-side sorted and paged with a cursor. */
export const ResourceTable = (props: {
  items: GitOpsResourceView[];
  totalCount: number;
  loading: boolean;
  sort: ResourceSort;
  onSort: (sort: ResourceSort) => void;
  page: number;
  pageSize: number;
  hasNextPage: boolean;
  onPageChange: (page: number) => void;
  onPageSizeChange: (size: number) => void;
  clusters: Map<string, ClusterView>;
  onResourceChanged: (resource: GitOpsResourceView) => void;
}) => {
  const classes = useStyles();
  const { sort } = props;
  const descending = sort.startsWith('-');
  const sortField = sort.replace(/^-/, '');
  const direction = descending ? 'desc' : 'asc';

  return (
    <Box>
      <Box height={4}>{props.loading && <LinearProgress />}</Box>
      <TableContainer>
        <Table size="small" aria-label="GitOps resources">
          <TableHead>
            <TableRow>
              {COLUMNS.map(col => (
                <TableCell
                  key={col.title}
                  className={classes.nowrap}
                  sortDirection={col.sort === sortField ? direction : false}
                >
                  {col.sort ? (
                    <TableSortLabel
                      active={col.sort === sortField}
                      direction={
                        col.sort === sortField && descending ? 'desc' : 'asc'
                      }
                      onClick={() =>
                        props.onSort(
                          col.sort === sortField && !descending
                            ? (`-${col.sort}` as ResourceSort)
                            : col.sort!,
                        )
                      }
                    >
                      {col.title}
                    </TableSortLabel>
                  ) : (
                    col.title
                  )}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {props.items.map(r => {
              const cluster = props.clusters.get(r.cluster);
              // The freshness of the agent that watches this resource's tool.
              const agent = clusterAgentOf(cluster, r.tool);
              return (
                <TableRow key={r.id} data-resource-id={r.id}>
                  <TableCell className={classes.nameCell}>
                    <Typography variant="body2" className={classes.name}>
                      {r.name}
                    </Typography>
                    <Box className={classes.kind}>
                      <Typography variant="caption">{r.kind}</Typography>
                      <Chip
                        size="small"
                        label={TOOL_LABELS[r.tool] ?? r.tool}
                        className={classes.tool}
                      />
                    </Box>
                    {r.message && (
                      <Typography
                        variant="caption"
                        color="textSecondary"
                        className={classes.message}
                      >
                        {r.message}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    <Box display="flex" alignItems="center" style={{ gap: 4 }}>
                      <span>{r.cluster}</span>
                      <ClusterStateChip
                        state={agent?.state ?? r.clusterState}
                        lastSeenAt={agent?.lastSeenAt}
                        lastRefusedPush={cluster?.lastRefusedPush}
                      />
                    </Box>
                    <Typography variant="caption" color="textSecondary">
                      {r.namespace}
                    </Typography>
                    <StaleKindNotice resource={r} />
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    <SyncStatusLabel status={r.syncStatus} />
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    <HealthStatusLabel status={r.healthStatus} />
                    <RootCauseHint cause={r.rootCause} />
                  </TableCell>
                  <TableCell className={classes.source}>
                    <SourceLink source={r.source} />
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    <RevisionLink
                      revision={r.revision}
                      sourceUrl={r.source.url}
                    />
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    <LastSync at={r.lastSyncedAt} />
                  </TableCell>
                  <TableCell>
                    <DriftIndicator drift={r.drift} />
                  </TableCell>
                  <TableCell className={classes.entity}>
                    <EntityLinkCell
                      resource={r}
                      onChanged={props.onResourceChanged}
                    />
                  </TableCell>
                  <TableCell className={classes.nowrap}>
                    <ResourceActions resource={r} cluster={cluster} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
      <TablePagination
        component="div"
        count={props.totalCount}
        page={props.page}
        rowsPerPage={props.pageSize}
        rowsPerPageOptions={[...PAGE_SIZES]}
        onPageChange={(_e, page) => props.onPageChange(page)}
        onRowsPerPageChange={e =>
          props.onPageSizeChange(Number(e.target.value))
        }
        nextIconButtonProps={{ disabled: !props.hasNextPage }}
      />
    </Box>
  );
};
