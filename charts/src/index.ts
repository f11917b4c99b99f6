/** Test support for the agent's Helm chart and Terraform module. */
export * from './helm';
export * from './manifests';
export * from './tofu';
