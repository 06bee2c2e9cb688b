export * from './esxi-errors';
export { shellQuote } from './shell-quote';
export { hostKeyFingerprint, normaliseFingerprint } from './host-key-fingerprint';
export { type EsxiAuth, type EsxiHostTarget, type ConnectionSettings, DEFAULT_CONNECTION_SETTINGS } from './ssh/esxi-host-target';
export { type ExecOptions, type ExecResult } from './ssh/ssh-connection';
export { EsxiHost, type CommandResult, type HostKeyInfo, type EsxiHostHooks } from './ssh/esxi-host';
export { EsxiHostPool } from './ssh/esxi-host-pool';
export { type UploadOptions, type UploadResult } from './ssh/sftp-upload';
