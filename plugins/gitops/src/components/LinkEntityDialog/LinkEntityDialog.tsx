import { useEffect, useState } from 'react';
import {
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
  Typography,
} from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  LINKABLE_KINDS,
  type GitOpsResourceView,
} from '@shoehorn/plugin-gitops-common';
import { gitopsApiRef } from '../../api/GitOpsApi';
import { errorMessage } from '../../lib/errors';

const SEARCH_DEBOUNCE_MS = 250;
const MAX_OPTIONS = 25;

interface EntityOption {
  ref: string;
  title: string;
}

function toOption(entity: Entity): EntityOption {
  return {
    ref: stringifyEntityRef(entity),
    title: entity.metadata.title ?? entity.metadata.name,
  };
}

/** Catalog entities matching what the user typed. */
function useEntitySearch(term: string, open: boolean) {
  const catalogApi = useApi(catalogApiRef);
  const [options, setOptions] = useState<EntityOption[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!open) {
      return undefined;
    }
    let current = true;
    setLoading(true);
    const timer = setTimeout(() => {
      catalogApi
        .queryEntities({
          filter: { kind: [...LINKABLE_KINDS] },
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
          ],
          limit: MAX_OPTIONS,
          orderFields: { field: 'metadata.name', order: 'asc' },
          ...(term
            ? {
                fullTextFilter: {
                  term,
                  fields: ['metadata.name', 'metadata.title'],
                },
              }
            : {}),
        })
        .then(
          res => current && setOptions(res.items.map(toOption)),
          () => current && setOptions([]),
        )
        .finally(() => current && setLoading(false));
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [catalogApi, term, open]);
  return { options, loading };
}

/** Links a GitOps resource to a catalog entity by hand. */
export const LinkEntityDialog = (props: {
  resource: GitOpsResourceView;
  open: boolean;
  onClose: () => void;
  onLinked: (resource: GitOpsResourceView) => void;
}) => {
  const { resource, open, onClose, onLinked } = props;
  const gitopsApi = useApi(gitopsApiRef);
  const [term, setTerm] = useState('');
  const [choice, setChoice] = useState<EntityOption | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const { options, loading } = useEntitySearch(term, open);

  const submit = async () => {
    if (!choice) {
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      const updated = await gitopsApi.linkResource(resource.id, choice.ref);
      onLinked(updated);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="gitops-link-title"
    >
      <DialogTitle id="gitops-link-title">
        Link {resource.name} to an entity
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          A manual link replaces the automatic one (annotation or name match)
          until it is removed.
        </DialogContentText>
        {resource.link.status === 'ambiguous' &&
          resource.link.candidates.length > 0 && (
            <DialogContentText>
              Candidates by the automatic rules:{' '}
              {resource.link.candidates.join(', ')}
            </DialogContentText>
          )}
        <Autocomplete<EntityOption>
          options={options}
          value={choice}
          loading={loading}
          filterOptions={x => x}
          getOptionLabel={o => o.ref}
          getOptionSelected={(a, b) => a.ref === b.ref}
          renderOption={o => (
            <div>
              <Typography variant="body2">{o.title}</Typography>
              <Typography variant="caption" color="textSecondary">
                {o.ref}
              </Typography>
            </div>
          )}
          onInputChange={(_e, value, reason) => {
            if (reason === 'input') setTerm(value);
          }}
          onChange={(_e, value) => setChoice(value)}
          renderInput={params => (
            <TextField
              {...params}
              label="Catalog entity"
              placeholder="Search by name"
              margin="normal"
              InputProps={{
                ...params.InputProps,
                endAdornment: (
                  <>
                    {loading ? <CircularProgress size={16} /> : null}
                    {params.InputProps.endAdornment}
                  </>
                ),
              }}
            />
          )}
        />
        {error && (
          <Typography color="error" role="alert">
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!choice || saving}
          onClick={submit}
        >
          Link
        </Button>
      </DialogActions>
    </Dialog>
  );
};
