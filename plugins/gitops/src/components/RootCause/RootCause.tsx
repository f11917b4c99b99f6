import { Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  BLOCKED_BY_LABEL,
  describeRootCause,
  type RootCause,
} from '@shoehorn/plugin-gitops-common';

/** The one line at the top of a resource that says what keeps it from syncing. */
export const RootCauseBanner = ({ cause }: { cause: RootCause | null }) =>
  cause ? (
    <Alert severity="error" role="status" aria-label="Root cause">
      <strong>{BLOCKED_BY_LABEL}:</strong> {describeRootCause(cause)}
    </Alert>
  ) : null;

/** The same line, short, under a status in the fleet table; the full text on hover. */
export const RootCauseHint = ({ cause }: { cause: RootCause | null }) => {
  if (!cause) {
    return null;
  }
  const text = `${BLOCKED_BY_LABEL}: ${describeRootCause(cause)}`;
  return (
    <Typography
      variant="caption"
      color="error"
      display="block"
      title={text}
      aria-label={text}
    >
      {BLOCKED_BY_LABEL}: {cause.kind} {cause.namespace}/{cause.name}
    </Typography>
  );
};
