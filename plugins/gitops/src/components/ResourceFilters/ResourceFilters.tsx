import { useEffect, useState } from 'react';
import {
  Box,
  Button,
  Checkbox,
  Chip,
  FormControl,
  FormControlLabel,
  Grid,
  InputLabel,
  ListItemText,
  MenuItem,
  Select,
  TextField,
} from '@material-ui/core';
import {
  FacetCount,
  formatSearchText,
  GITOPS_TOOLS,
  HEALTH_STATUSES,
  LINK_STATUSES,
  parseSearchText,
  ResourceFacets,
  type SearchText,
  LINK_STATUS_LABELS,
  SYNC_STATUS_LABELS,
  SYNC_STATUSES,
  TOOL_LABELS,
} from '@shoehorn/plugin-gitops-common';
import type { ResourceFilter } from '../../api/types';
import { isFiltered } from '../../lib/filterParams';

type MultiKey =
  | 'tool'
  | 'cluster'
  | 'namespace'
  | 'syncStatus'
  | 'healthStatus'
  | 'linked';

interface FilterSpec {
  key: MultiKey;
  facet: keyof ResourceFacets;
  label: string;
  /** Values always offered, with or without resources (enums). */
  known?: readonly string[];
  text?: Record<string, string>;
}

const FILTERS: FilterSpec[] = [
  {
    key: 'tool',
    facet: 'tool',
    label: 'Tool',
    known: GITOPS_TOOLS,
    text: TOOL_LABELS,
  },
  { key: 'cluster', facet: 'cluster', label: 'Cluster' },
  { key: 'namespace', facet: 'namespace', label: 'Namespace' },
  {
    key: 'syncStatus',
    facet: 'syncStatus',
    label: 'Sync status',
    known: SYNC_STATUSES,
    text: SYNC_STATUS_LABELS,
  },
  {
    key: 'healthStatus',
    facet: 'healthStatus',
    label: 'Health',
    known: HEALTH_STATUSES,
  },
  {
    key: 'linked',
    facet: 'linkStatus',
    label: 'Entity link',
    known: LINK_STATUSES,
    text: LINK_STATUS_LABELS,
  },
];

function optionsOf(
  spec: FilterSpec,
  facets: ResourceFacets | undefined,
  selected: string[],
) {
  const counts = new Map<string, number>(
    (facets?.[spec.facet] ?? []).map((f: FacetCount) => [f.value, f.count]),
  );
  const values = new Set<string>([
    ...(spec.known ?? []),
    ...counts.keys(),
    ...selected,
  ]);
  const ordered = spec.known
    ? [...values]
    : [...values].sort((a, b) => a.localeCompare(b));
  return ordered.map(value => ({ value, count: counts.get(value) ?? 0 }));
}

const SEARCH_DEBOUNCE_MS = 300;

/** True when two searches ask for the same. */
const sameSearch = (a: SearchText, b: SearchText) =>
  a.q === b.q && a.revision === b.revision;

/** The GitOps page's filters; options and counts come from the backend's facets. */
export const ResourceFilters = (props: {
  filter: ResourceFilter;
  facets?: ResourceFacets;
  onChange: (filter: ResourceFilter) => void;
}) => {
  const { filter, facets, onChange } = props;
  const { q, revision } = filter;
  const [text, setText] = useState(() => formatSearchText({ q, revision }));

  // The URL may change underneath (back button): follow it, but keep text that reads the same.
  useEffect(
    () =>
      setText(t =>
        sameSearch(parseSearchText(t), { q, revision })
          ? t
          : formatSearchText({ q, revision }),
      ),
    [q, revision],
  );

  useEffect(() => {
    const search = parseSearchText(text);
    if (sameSearch(search, filter)) {
      return undefined;
    }
    const timer = setTimeout(
      () => onChange({ ...filter, q: search.q, revision: search.revision }),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [text, filter, onChange]);

  return (
    <Grid container spacing={2} alignItems="center">
      <Grid item xs={12} md={3}>
        <TextField
          fullWidth
          label="Search"
          placeholder="Name, repository, SHA or revision:tag"
          value={text}
          onChange={e => setText(e.target.value)}
          inputProps={{ 'aria-label': 'Search resources' }}
        />
        {revision && (
          // Says that the SHA or tag is searched as the applied revision, not as a name.
          <Box mt={0.5}>
            <Chip
              size="small"
              label={`revision ${revision}`}
              onDelete={() => onChange({ ...filter, revision: undefined })}
            />
          </Box>
        )}
      </Grid>
      {FILTERS.map(spec => {
        const selected = (filter[spec.key] ?? []) as string[];
        const id = `gitops-filter-${spec.key}`;
        return (
          <Grid item xs={6} sm={4} md key={spec.key}>
            <FormControl fullWidth>
              <InputLabel id={`${id}-label`}>{spec.label}</InputLabel>
              <Select
                labelId={`${id}-label`}
                id={id}
                multiple
                value={selected}
                renderValue={v =>
                  (v as string[]).map(x => spec.text?.[x] ?? x).join(', ')
                }
                onChange={e => {
                  const values = e.target.value as string[];
                  onChange({
                    ...filter,
                    [spec.key]: values.length ? values : undefined,
                  });
                }}
              >
                {optionsOf(spec, facets, selected).map(o => (
                  <MenuItem key={o.value} value={o.value}>
                    <Checkbox
                      size="small"
                      checked={selected.includes(o.value)}
                    />
                    <ListItemText
                      primary={`${spec.text?.[o.value] ?? o.value} (${
                        o.count
                      })`}
                    />
                  </MenuItem>
                ))}
              </Select>
            </FormControl>
          </Grid>
        );
      })}
      <Grid item>
        <FormControlLabel
          control={
            <Checkbox
              checked={filter.drift === true}
              onChange={e =>
                onChange({
                  ...filter,
                  drift: e.target.checked ? true : undefined,
                })
              }
            />
          }
          label="Drift only"
        />
      </Grid>
      {isFiltered(filter) && (
        <Grid item>
          <Button
            size="small"
            onClick={() => {
              setText('');
              onChange({});
            }}
          >
            Clear filters
          </Button>
        </Grid>
      )}
    </Grid>
  );
};
