export { ResourceFilters } from './ResourceFilters';
