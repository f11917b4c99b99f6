export { GitOpsErrorPanel } from './GitOpsErrorPanel';
