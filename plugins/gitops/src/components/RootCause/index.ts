export { RootCauseBanner, RootCauseHint } from './RootCause';
