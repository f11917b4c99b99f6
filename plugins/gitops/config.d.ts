export interface Config {
  gitops?: {
    commands?: {
      /**
       * Whether Sync and Refresh run on a resource linked only by name; the backend's
       * setting of the same key (see the gitops-backend README), read here so the buttons
       * are disabled with the reason the backend would give. Default: false.
       * @visibility frontend
       */
      allowOnNameMatch?: boolean;
    };
  };
}
