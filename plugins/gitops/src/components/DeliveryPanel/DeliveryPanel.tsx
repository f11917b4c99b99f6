import { InfoCard, Progress } from '@backstage/core-components';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import {
  Box,
  Button,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  DEPLOYMENT_OUTCOME_LABELS,
  type DeliveryMetrics,
  type DeliveryMetricsResponse,
  type DeploymentView,
} from '@shoehorn/plugin-gitops-common';
import { useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useEntityDelivery } from '../../hooks/queries';
import {
  formatDuration,
  formatOptionalDuration,
  formatRate,
} from '../../lib/time';
import { LastSync, RevisionLink } from '../ResourceFields';
import { GitOpsErrorPanel } from '../GitOpsErrorPanel';

/** Rows of the history shown before "Show all". */
const HISTORY_ROWS = 10;

const MEASURES: Array<[string, (m: DeliveryMetrics) => string]> = [
  ['Deployments', m => String(m.deployments)],
  ['Per day', m => m.deploymentsPerDay.toFixed(2)],
  ['Change failure rate', m => formatRate(m.changeFailureRate)],
  ['Time to restore', m => formatOptionalDuration(m.meanTimeToRestoreMs)],
  ['Time out of sync', m => formatDuration(m.outOfSyncMs)],
];

/** Delivery metrics over 7, 30 and 90 days, one column per window. */
export const MetricsTable = ({
  metrics,
  label,
}: {
  metrics: DeliveryMetricsResponse;
  label: string;
}) => (
  <Table size="small" aria-label={label}>
    <TableHead>
      <TableRow>
        <TableCell />
        {metrics.windows.map(w => (
          <TableCell key={w.windowDays} align="right">
            {w.windowDays} days
          </TableCell>
        ))}
      </TableRow>
    </TableHead>
    <TableBody>
      {MEASURES.map(([name, value]) => (
        <TableRow key={name}>
          <TableCell component="th" scope="row">
            {name}
          </TableCell>
          {metrics.windows.map(w => (
            <TableCell key={w.windowDays} align="right">
              {value(w)}
            </TableCell>
          ))}
        </TableRow>
      ))}
    </TableBody>
  </Table>
);

/** Deployments per day over the last 30 days, failed ones stacked on top. */
const DeploymentChart = ({ metrics }: { metrics: DeliveryMetricsResponse }) => {
  const data = metrics.daily.map(d => ({
    day: d.day.slice(5),
    Succeeded: d.deployments - d.failed,
    Failed: d.failed,
  }));
  return (
    <figure aria-label="Deployments per day" style={{ margin: 0 }}>
      <BarChart width={520} height={180} data={data}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tick={{ fontSize: 11 }} interval={4} />
        <YAxis allowDecimals={false} width={28} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Legend />
        <Bar dataKey="Succeeded" stackId="d" fill="#4caf50" />
        <Bar dataKey="Failed" stackId="d" fill="#f44336" />
      </BarChart>
    </figure>
  );
};

/** The entity's deployments, newest first: what changed, where, and how it ended. */
const DeploymentHistory = ({ items }: { items: DeploymentView[] }) => {
  const [all, setAll] = useState(false);
  if (items.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No deployments recorded yet: a deployment is recorded when a linked
        resource's revision changes.
      </Typography>
    );
  }
  const shown = all ? items : items.slice(0, HISTORY_ROWS);
  return (
    <>
      <Table size="small" aria-label="Deployment history">
        <TableHead>
          <TableRow>
            <TableCell>Started</TableCell>
            <TableCell>Resource</TableCell>
            <TableCell>From</TableCell>
            <TableCell>To</TableCell>
            <TableCell>Outcome</TableCell>
            <TableCell>Took</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(d => (
            <TableRow key={d.id}>
              <TableCell>
                <LastSync at={d.startedAt} />
              </TableCell>
              <TableCell>
                {d.name}
                <Typography
                  variant="caption"
                  display="block"
                  color="textSecondary"
                >
                  {d.kind} · {d.cluster}
                </Typography>
              </TableCell>
              <TableCell>
                <RevisionLink
                  revision={d.fromRevision}
                  sourceUrl={d.sourceUrl}
                />
              </TableCell>
              <TableCell>
                <RevisionLink revision={d.toRevision} sourceUrl={d.sourceUrl} />
              </TableCell>
              <TableCell>
                {d.outcome
                  ? DEPLOYMENT_OUTCOME_LABELS[d.outcome]
                  : 'In progress'}
              </TableCell>
              <TableCell>
                {d.endedAt
                  ? formatDuration(
                      Date.parse(d.endedAt) - Date.parse(d.startedAt),
                    )
                  : '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {items.length > HISTORY_ROWS && (
        <Box mt={1}>
          <Button size="small" onClick={() => setAll(!all)}>
            {all ? 'Show fewer' : `Show all ${items.length}`}
          </Button>
        </Box>
      )}
    </>
  );
};

/** Deployment history and delivery metrics of an entity, on its Operations tab. */
export const DeliveryPanel = ({ entity }: { entity: CompoundEntityRef }) => {
  const { value, error } = useEntityDelivery(entity);
  if (error && !value) {
    return <GitOpsErrorPanel error={error} />;
  }
  if (!value) {
    return <Progress />;
  }
  const { metrics, deployments } = value;
  return (
    <InfoCard title="Delivery" subheader="Deployments of the linked resources">
      <Grid container spacing={2}>
        <Grid item xs={12} lg={6}>
          <DeploymentChart metrics={metrics} />
        </Grid>
        <Grid item xs={12} lg={6}>
          <MetricsTable metrics={metrics} label="Delivery metrics" />
        </Grid>
        <Grid item xs={12}>
          <Typography variant="subtitle2">Deployment history</Typography>
          <DeploymentHistory items={deployments} />
        </Grid>
      </Grid>
    </InfoCard>
  );
};
