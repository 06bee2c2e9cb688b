/**
 * @nutfleet/nut — strict NUT (Network UPS Tools) protocol client and UPS status model.
 *
 * Typical monitor use:
 * ```ts
 * const session = new NutSession({ host, port, credentials, tls: { mode: 'opportunistic' } });
 * session.on('connected', (info) => …).on('disconnected', ({ reason }) => …);
 * session.start();
 * const snapshot = parseUpsSnapshot(await session.listVars('ups1', { timeoutMs: 1000 }));
 * ```
 */
export * from './nut-errors';
export * from './nut-options';
export {
  encodeNutArgument,
  encodeNutCommand,
  describeNutCommand,
  tokenizeNutLine,
  type NutCommand,
} from './nut-quoting';
export { NutLineReader } from './nut-line-reader';
export {
  type NutCommandAck,
  type NutRange,
  type NutTrackingStatus,
  type NutUpsInfo,
  type NutVarType,
  parseErrReply,
  parseTypeReply,
  parseTrackingStatusReply,
  parseCommandAck,
} from './nut-reply.parser';
export { normalizeFingerprint } from './nut-tls';
export { type NutRequestOptions } from './nut-connection';
export {
  NutClient,
  type NutCredentials,
  type NutTrackingWaitOptions,
  type NutVariables,
  type NutVarsReply,
} from './nut-client';
export * from './nut-session';
export * from './nut-connection-check';
export * from './ups-status.parser';
export * from './ups-snapshot.parser';
export * from './nut-write-sequence';
export * from './nut-server-presets';
export * from './nut-tls-policy';
