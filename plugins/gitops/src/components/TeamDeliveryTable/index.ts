export { TeamDeliveryTable } from './TeamDeliveryTable';
