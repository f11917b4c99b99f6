import { configApiRef, useApi } from '@backstage/core-plugin-api';
import {
  ALLOW_COMMANDS_ON_NAME_MATCH_KEY,
  type CommandLinkPolicy,
} from '@shoehorn/plugin-gitops-common';

/** The backend's allowOnNameMatch setting (frontend-visible config), so the buttons say what the backend decides. */
export function useCommandLinkPolicy(): CommandLinkPolicy {
  const config = useApi(configApiRef);
  return {
    allowOnNameMatch:
      config.getOptionalBoolean(ALLOW_COMMANDS_ON_NAME_MATCH_KEY) ?? false,
  };
}
