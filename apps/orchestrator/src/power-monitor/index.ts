/** What other orchestrator modules may use from the power monitor. */
export { UpsLiveFieldsDto } from './power-monitor.dto';
export { upsLiveFields, type UpsLiveFields } from './ups-live.view';
