export { DeliveryPanel, MetricsTable } from './DeliveryPanel';
