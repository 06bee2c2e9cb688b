import { type NutTlsOptions } from './nut-options';

/** A NUT server's stored TLS policy (the inventory row's columns). */
export interface StoredNutTlsPolicy {
  readonly tlsMode: 'OFF' | 'OPPORTUNISTIC' | 'REQUIRED';
  readonly tlsCaPem: string | null;
  readonly tlsFingerprint: string | null;
}

/**
 * The server row's TLS policy as the NUT client takes it: one mapping for every connection to a
 * server (the monitor, the connection and power-cycle tests, the worker's power-cycle commands).
 */
export function nutTlsOptionsOf(server: StoredNutTlsPolicy): NutTlsOptions {
  if (server.tlsMode === 'OFF') return { mode: 'off' };
  return {
    mode: server.tlsMode === 'REQUIRED' ? 'required' : 'opportunistic',
    ...(server.tlsCaPem === null ? {} : { ca: server.tlsCaPem }),
    ...(server.tlsFingerprint === null ? {} : { fingerprint256: server.tlsFingerprint }),
  };
}
