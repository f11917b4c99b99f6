/** Test harnesses shared by the agent, chart and benchmark tests; never shipped. */
export * from './ArgoCdApiServer';
export * from './FaultProxy';
export * from './PushReceiver';
export * from './clusterObjects';
export * from './controlPlane';
export * from './records';
