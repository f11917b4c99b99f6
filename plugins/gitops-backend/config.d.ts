export interface Config {
  /** Configuration of the GitOps backend plugin. */
  gitops?: {
    /** Maps each agent credential subject to the one tenant and cluster it may write. */
    agents?: Array<{
      /** Subject of the externalAccess credential, as configured there. */
      subject: string;
      /** Tenant the agent writes; `default` for single-tenant installs. */
      tenant?: string;
      /** Name of the cluster the agent writes. */
      cluster: string;
    }>;
  };
}
