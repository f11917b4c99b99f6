import {
  Box,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type { GitOpsResourceView } from '@shoehorn/plugin-gitops-common';
import { revisionsByCluster } from '../../lib/revisionSummary';
import { RevisionLink, SourceLink } from '../ResourceFields';

const plural = (n: number) => (n === 1 ? '1 resource' : `${n} resources`);

/**
 * One line per cluster: which revision of which source its resources run, so "is commit X
 * live in prod-eu?" reads at a glance; a source at more than one revision there says so.
 */
export const RevisionSummary = ({
  resources,
}: {
  resources: GitOpsResourceView[];
}) => (
  <Table size="small" aria-label="Revisions by cluster">
    <TableHead>
      <TableRow>
        <TableCell>Cluster</TableCell>
        <TableCell>Running revision</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {revisionsByCluster(resources).map(c => (
        <TableRow key={c.cluster} data-cluster={c.cluster}>
          <TableCell>
            <Box display="flex" alignItems="center" style={{ gap: 8 }}>
              <Typography variant="body2">{c.cluster}</Typography>
              {c.mixed && (
                <Chip size="small" color="secondary" label="mixed revisions" />
              )}
            </Box>
          </TableCell>
          <TableCell>
            {c.revisions.map(r => (
              <Box
                key={`${r.source.url}-${r.source.chart}-${r.revision}`}
                display="flex"
                alignItems="baseline"
                flexWrap="wrap"
                style={{ gap: 8 }}
              >
                <RevisionLink revision={r.revision} sourceUrl={r.source.url} />
                <SourceLink source={{ ...r.source, path: null }} />
                <Typography
                  variant="caption"
                  color="textSecondary"
                  title={r.resources.join(', ')}
                >
                  {plural(r.resources.length)}
                </Typography>
              </Box>
            ))}
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
