export { ResourceTable } from './ResourceTable';
