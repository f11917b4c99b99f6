export { RevisionSummary } from './RevisionSummary';
