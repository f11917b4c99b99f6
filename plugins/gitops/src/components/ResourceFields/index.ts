export { SourceLink, RevisionLink, LastSync } from './ResourceFields';
