/**
 * @nutfleet/vib — NutClient-ESXi artifacts, desired host configuration and the per-host deploy engine.
 *
 *   const artifact = await parseArtifactFile('/uploads/upsmon-2.8.5-2.7.3.x86_64.vib');
 *   const desired = buildDesiredUserVars({ vibVersion: artifact.descriptor.version, host, ... });
 *   await new HostDeployer(host, { action: 'install', artifact: {...}, userVars, journal }).run();
 */
export * from './artifact/artifact.errors';
export { type ArtifactLimits, DEFAULT_ARTIFACT_LIMITS } from './artifact/artifact-limits';
export { parseArtifactFile, type ParsedArtifact } from './artifact/artifact-file.parser';
export { type BundleBulletin, type BundleVib } from './artifact/offline-bundle.parser';
export { parseVibStream, type ParsedVib } from './artifact/vib-stream.parser';
export { parseVibDescriptor, MAX_DESCRIPTOR_BYTES } from './descriptor/vib-descriptor.parser';
export * from './descriptor/vib-descriptor.types';
export { readXml, XmlSyntaxError, type XmlElement, type XmlReadLimits } from './xml/strict-xml.reader';

// Desired configuration (pure)
export * from './config/nut-user-var.definitions';
export { checkStringValue, STRING_VALUE_RULES, type ValueRule } from './config/user-var-value.rules';
export {
  assertValidUserVars,
  InvalidUserVarsError,
  type UserVarProblem,
  type UserVarProblemCode,
  validateUserVars,
} from './config/user-vars.validator';
export {
  type AdoptedFallbackTiming,
  type AdoptedTimingVerdicts,
  type AdoptedValueVerdict,
  computeFallbackTiming,
  DEFAULT_FALLBACK_MARGIN_SECONDS,
  type FallbackTiming,
  type FallbackTimingInput,
  standaloneOnBatterySeconds,
} from './config/fallback-timing';
export {
  buildDesiredUserVars,
  type DesiredUserVarsInput,
  type DesiredUserVarsResult,
  type HostPowerFeed,
  type MailSettings,
  NUT_DEFAULT_PORT,
  type NutServerCredentials,
  upsSpec,
  type UserVarReasons,
} from './config/desired-uservars.builder';
export {
  boundedShutdownDeadlines,
  type DeadlineHost,
  describeShutdownDeadline,
  type EarlierStage,
  type HostShutdownDeadline,
} from './config/shutdown-deadline';
export { type ObservedNutUserVar, observeNutUserVars, SECRET_USER_VAR_NAMES } from './config/observed-user-vars';
export {
  diffUserVars,
  redactDiff,
  type UserVarChange,
  type UserVarsDiff,
  userVarsFromAdvancedOptions,
} from './config/uservars.diff';

// Deploy engine
export * from './deploy/deploy.errors';
export {
  type DeployAction,
  type DeployArtifact,
  type DeployJournal,
  type DeployObservation,
  type DeployReport,
  DEPLOY_STEPS,
  type DeployStepName,
  type DeployStepResult,
  type DeployTarget,
  type HostDeployOptions,
  type JsonValue,
  MemoryDeployJournal,
} from './deploy/deploy.types';
export { HostDeployer } from './deploy/host-deployer';
export { remoteArtifactPath } from './deploy/package.steps';
export { SECURE_BOOT_PROBE } from './deploy/preflight.step';
export { UPSC_PATH } from './deploy/service-config.steps';

// Rollout step contract (orchestrator writes, worker reads)
export {
  readRolloutStepDetail,
  type RolloutRequestedAction,
  type RolloutStepDetail,
} from './rollout/rollout-step.detail';
export * from './config/adoption.proposal';
