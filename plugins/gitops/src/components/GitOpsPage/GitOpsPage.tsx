import { useCallback, useMemo, useState } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  Page,
  Progress,
} from '@backstage/core-components';
import { Box, Button, Paper, Typography } from '@material-ui/core';
import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import type { SyncStatus } from '@shoehorn/plugin-gitops-common';
import type { ResourceFilter, ResourceSort } from '../../api/types';
import {
  isFiltered,
  PageQuery,
  readPageQuery,
  writePageQuery,
} from '../../lib/filterParams';
import {
  useClusters,
  useFacets,
  useResourceList,
  useStats,
} from '../../hooks/queries';
import { CommandTrackerProvider } from '../../hooks/useCommands';
import { StatsPanel } from '../StatsPanel';
import { ResourceFilters } from '../ResourceFilters';
import { ResourceTable } from '../ResourceTable';
import { AgentInstallEmptyState } from '../AgentInstallEmptyState';
import { TeamDeliveryTable } from '../TeamDeliveryTable';
import { GitOpsErrorPanel } from '../GitOpsErrorPanel';

/** The filtered, sorted, paged list; the query lives in the URL. */
const FleetView = () => {
  const [params, setParams] = useAppSearchParams();
  const search = params.toString();
  const query = useMemo(
    () => readPageQuery(new URLSearchParams(search)),
    [search],
  );
  // Cursors of the pages visited so far under this query; page n starts at cursors[n].
  const [paging, setPaging] = useState<{
    search: string;
    cursors: Array<string | null>;
  }>({ search, cursors: [null] });
  const cursors = paging.search === search ? paging.cursors : [null];
  const setCursors = (next: Array<string | null>) =>
    setPaging({ search, cursors: next });
  const page = cursors.length - 1;

  const update = useCallback(
    (next: Partial<PageQuery>) =>
      setParams(writePageQuery({ ...query, ...next }), { replace: true }),
    [query, setParams],
  );
  const setFilter = useCallback(
    (filter: ResourceFilter) => update({ filter }),
    [update],
  );

  const list = useResourceList({
    ...query.filter,
    sort: query.sort,
    limit: query.limit,
    cursor: cursors[page],
  });
  const facets = useFacets();
  const stats = useStats();
  const clusters = useClusters();

  const refreshAll = useCallback(() => {
    list.retry();
    facets.retry();
    stats.retry();
  }, [list, facets, stats]);

  if (stats.error && !stats.value) {
    return <GitOpsErrorPanel error={stats.error} />;
  }
  if (!stats.value) {
    return <Progress />;
  }
  if (stats.value.total === 0 && !isFiltered(query.filter)) {
    return <AgentInstallEmptyState />;
  }

  const items = list.value?.items ?? [];
  return (
    <>
      <StatsPanel
        stats={stats.value}
        onSelectSyncStatus={(s: SyncStatus) =>
          setFilter({ ...query.filter, syncStatus: [s] })
        }
      />
      <Box mt={3} mb={2}>
        <ResourceFilters
          filter={query.filter}
          facets={facets.value}
          onChange={setFilter}
        />
      </Box>
      <Paper>
        {list.error && <GitOpsErrorPanel error={list.error} />}
        {!list.loading && list.value && items.length === 0 ? (
          <Box p={4} textAlign="center">
            <Typography variant="h6">
              No resources match these filters
            </Typography>
            <Button onClick={() => setFilter({})}>Clear filters</Button>
          </Box>
        ) : (
          <ResourceTable
            items={items}
            totalCount={list.value?.totalCount ?? 0}
            loading={list.loading}
            sort={query.sort}
            onSort={(sort: ResourceSort) => update({ sort })}
            page={page}
            pageSize={query.limit}
            hasNextPage={Boolean(list.value?.nextCursor)}
            onPageChange={next => {
              if (next > page && list.value?.nextCursor) {
                setCursors([...cursors, list.value.nextCursor]);
              } else if (next < page) {
                setCursors(cursors.slice(0, next + 1));
              }
            }}
            onPageSizeChange={limit => update({ limit })}
            clusters={clusters.byName}
            onResourceChanged={refreshAll}
          />
        )}
      </Paper>
      <Box mt={3}>
        <TeamDeliveryTable />
      </Box>
    </>
  );
};

/** The fleet-wide GitOps page. */
export const GitOpsPage = () => (
  <Page themeId="tool">
    <Header
      title="GitOps"
      subtitle="ArgoCD and FluxCD resources across clusters"
    />
    <Content>
      <ContentHeader title="Fleet" />
      <CommandTrackerProvider>
        <FleetView />
      </CommandTrackerProvider>
    </Content>
  </Page>
);
