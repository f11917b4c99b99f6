import {
  CodeSnippet,
  EmptyState,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import {
  BACKEND_INSTALL_LINE,
  GitOpsBackendMissingError,
} from '../../lib/errors';

/** The backend's error, or, when no gitops backend answers, what the admin adds to fix it. */
export const GitOpsErrorPanel = ({ error }: { error: Error }) => {
  if (!GitOpsBackendMissingError.is(error)) {
    return <ResponseErrorPanel error={error} />;
  }
  return (
    <EmptyState
      missing="info"
      title="The GitOps backend plugin is not installed"
      description={`This page needs @shoehorn/plugin-gitops-backend, but nothing answers at ${error.url}.`}
      action={
        <Box maxWidth={720}>
          <Typography variant="subtitle2">
            Add it to packages/backend/src/index.ts and restart the backend:
          </Typography>
          <CodeSnippet
            language="typescript"
            text={BACKEND_INSTALL_LINE}
            showCopyCodeButton
          />
          <Typography variant="body2" style={{ marginTop: 16 }}>
            Install the package first: yarn --cwd packages/backend add
            @shoehorn/plugin-gitops-backend
          </Typography>
        </Box>
      }
    />
  );
};
