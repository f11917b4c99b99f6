export { EntityResourceTable } from './EntityResourceTable';
