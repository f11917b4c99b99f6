export { LinkEntityDialog } from './LinkEntityDialog';
export { EntityLinkCell } from './EntityLinkCell';
