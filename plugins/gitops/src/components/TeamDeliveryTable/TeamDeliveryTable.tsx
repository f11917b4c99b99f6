import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api/GitOpsApi';
import {
  formatDuration,
  formatOptionalDuration,
  formatRate,
} from '../../lib/time';
import { GitOpsErrorPanel } from '../GitOpsErrorPanel';

/** The window the team table reports, in days (one of the API's windows). */
const TEAM_WINDOW_DAYS = 30;
/** Teams asked for at most; the busiest owners come first in the catalog's facets. */
const MAX_TEAMS = 50;

/** Delivery metrics per owning team, over the last 30 days, on the GitOps page. */
export const TeamDeliveryTable = () => {
  const catalogApi = useApi(catalogApiRef);
  const api = useApi(gitopsApiRef);
  const { value, error, loading } = useAsync(async () => {
    const { facets } = await catalogApi.getEntityFacets({
      facets: ['relations.ownedBy'],
    });
    const groups = (facets['relations.ownedBy'] ?? [])
      .map(f => f.value)
      .filter(ref => ref.startsWith('group:'))
      .slice(0, MAX_TEAMS);
    const all = await Promise.all(
      groups.map(ref => api.getGroupMetrics(parseEntityRef(ref))),
    );
    return all
      .map(m => ({
        ...m,
        window: m.windows.find(w => w.windowDays === TEAM_WINDOW_DAYS)!,
      }))
      .filter(m => m.window && m.window.deployments > 0)
      .sort((a, b) => b.window.deployments - a.window.deployments);
  }, [catalogApi, api]);

  return (
    <InfoCard
      title="Delivery by team"
      subheader={`Deployments of the entities each team owns, last ${TEAM_WINDOW_DAYS} days`}
    >
      {error && <GitOpsErrorPanel error={error} />}
      {loading && <Progress />}
      {value && value.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No team has deployments recorded in the last {TEAM_WINDOW_DAYS} days.
        </Typography>
      )}
      {value && value.length > 0 && (
        <Table size="small" aria-label="Delivery by team">
          <TableHead>
            <TableRow>
              <TableCell>Team</TableCell>
              <TableCell align="right">Deployments</TableCell>
              <TableCell align="right">Per day</TableCell>
              <TableCell align="right">Change failure rate</TableCell>
              <TableCell align="right">Time to restore</TableCell>
              <TableCell align="right">Time out of sync</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.map(m => (
              <TableRow key={m.groupRef}>
                <TableCell>{parseEntityRef(m.groupRef).name}</TableCell>
                <TableCell align="right">{m.window.deployments}</TableCell>
                <TableCell align="right">
                  {m.window.deploymentsPerDay.toFixed(2)}
                </TableCell>
                <TableCell align="right">
                  {formatRate(m.window.changeFailureRate)}
                </TableCell>
                <TableCell align="right">
                  {formatOptionalDuration(m.window.meanTimeToRestoreMs)}
                </TableCell>
                <TableCell align="right">
                  {formatDuration(m.window.outOfSyncMs)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
};
