/**
 * "Test connection" for the API: connect (with the TLS policy), authenticate, list the UPSes,
 * and prove the credentials with a LOGIN (USERNAME/PASSWORD alone are never checked by upsd).
 */
import { NutClient, type NutCredentials } from './nut-client';
import { type NutConnectOptions } from './nut-options';
import { type NutUpsInfo } from './nut-reply.parser';

export interface NutConnectionTestOptions extends NutConnectOptions {
  credentials?: NutCredentials;
  /** UPS to LOGIN to; defaults to the first listed. Skipped when there are no credentials or no UPS. */
  loginUps?: string;
}

export interface NutConnectionTestResult {
  server: string;
  tls: boolean;
  /** VER banner. */
  serverVersion: string;
  /** PROTVER/NETVER. */
  protocolVersion: string;
  upses: NutUpsInfo[];
  /** The UPS the credentials were verified on with LOGIN, or null when not verified. */
  loggedInTo: string | null;
}

/** Runs the test and always closes the connection. Throws the typed NutError that failed it. */
export async function testNutConnection(options: NutConnectionTestOptions): Promise<NutConnectionTestResult> {
  const client = await NutClient.connect(options);
  try {
    const serverVersion = await client.ver();
    const protocolVersion = await client.protocolVersion();
    const upses = await client.listUps();
    let loggedInTo: string | null = null;
    if (options.credentials !== undefined) {
      await client.authenticate(options.credentials);
      const ups = options.loginUps ?? upses[0]?.name;
      if (ups !== undefined) {
        await client.login(ups);
        loggedInTo = ups;
      }
    }
    return { server: client.server, tls: client.tls, serverVersion, protocolVersion, upses, loggedInTo };
  } finally {
    await client.close();
  }
}
