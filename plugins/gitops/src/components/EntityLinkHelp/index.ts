export { EntityLinkHelp } from './EntityLinkHelp';
