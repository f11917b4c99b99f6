import { useState } from 'react';
import { Box, Button, Tooltip, Typography } from '@material-ui/core';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useLinkPermission } from '../../hooks/useCommandPermission';
import { GitOpsResourceView, LinkStatus } from '@shoehorn/plugin-gitops-common';
import { gitopsApiRef } from '../../api/GitOpsApi';
import { errorMessage } from '../../lib/errors';
import { LinkEntityDialog } from './LinkEntityDialog';

const HOW: Record<LinkStatus, string> = {
  annotation: 'by annotation',
  name: 'by name',
  manual: 'manually',
  unlinked: 'unlinked',
  ambiguous: 'ambiguous',
};

/** The linked entity, or a way to link one; manual links can be removed. */
export const EntityLinkCell = (props: {
  resource: GitOpsResourceView;
  onChanged: (resource: GitOpsResourceView) => void;
}) => {
  const { resource, onChanged } = props;
  const api = useApi(gitopsApiRef);
  const { allowed } = useLinkPermission(resource.link);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const { link } = resource;

  const unlink = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await api.unlinkResource(resource.id));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box display="flex" flexDirection="column" alignItems="flex-start">
      {link.entityRef ? (
        <>
          <EntityRefLink entityRef={link.entityRef} />
          <Typography variant="caption" color="textSecondary">
            {HOW[link.status]}
          </Typography>
        </>
      ) : (
        <Tooltip
          title={
            link.status === 'ambiguous'
              ? `Several entities match: ${link.candidates.join(', ')}`
              : 'No entity matches by annotation or name'
          }
        >
          <Typography variant="body2" color="textSecondary">
            {HOW[link.status]}
          </Typography>
        </Tooltip>
      )}
      {allowed && link.status === 'manual' && (
        <Button
          size="small"
          onClick={unlink}
          disabled={busy}
          aria-label={`Unlink ${resource.name}`}
        >
          Unlink
        </Button>
      )}
      {allowed && link.status !== 'manual' && (
        <Button
          size="small"
          onClick={() => setOpen(true)}
          aria-label={`Link ${resource.name}`}
        >
          {link.entityRef ? 'Change…' : 'Link…'}
        </Button>
      )}
      {error && (
        <Typography variant="caption" color="error" role="alert">
          {error}
        </Typography>
      )}
      {open && (
        <LinkEntityDialog
          resource={resource}
          open={open}
          onClose={() => setOpen(false)}
          onLinked={onChanged}
        />
      )}
    </Box>
  );
};
