/**
 * "Test" of a UPS's power-cycle action, before any outage: reads `LIST CMD` / `LIST RW`, says
 * which of the action's commands and settings this UPS supports, and proves the INSTCMD/SET
 * account (password and `actions = SET`) without changing anything. Nothing is ever sent that
 * would switch the UPS. Like the connection test, anything that is not a NUT server answering
 * gets one generic answer at one time, and no secret ever appears in it.
 */
import { isIP } from 'node:net';

import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type AppConfig, TargetNetworks, TargetNotAllowedError } from '@nutfleet/config';
import { openSecret, PrismaService, SecretDecryptionError } from '@nutfleet/db';
import { upsPowerCycleSettings } from '@nutfleet/plan';
import { formatNutServer, NutClient, NutServerError, nutTlsOptionsOf, probeSetRight } from '@nutfleet/nut';
import {
  instantCommandsFor,
  planPowerCycleCommands,
  POWER_CYCLE_ACTIONS,
  type PowerCycleAction,
} from '@nutfleet/power';

import { ApiError } from '../http/api-error';
import { nutServerCommandPasswordContext } from '../inventory/nut-servers/nut-server.service';
import { nutServerAnswered } from '../power-monitor/nut-connection-test.service';
import { type PowerCycleTestDto } from './power-cycle.dto';

function failure(base: Omit<PowerCycleTestDto, 'ok' | 'error'>, code: string, message: string): PowerCycleTestDto {
  return { ok: false, ...base, error: { code, message } };
}

@Injectable()
export class PowerCycleTestService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly targets: TargetNetworks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  public async test(upsId: string, timeoutMs = 3000): Promise<PowerCycleTestDto> {
    const ups = await this.prisma.ups.findUnique({ where: { id: upsId }, include: { nutServer: true } });
    if (ups === null) throw ApiError.notFound('ups', upsId);
    const server = ups.nutServer;
    const settings = upsPowerCycleSettings(ups);
    const base = {
      ups: `${ups.name}@${formatNutServer(server.host, server.port)}`,
      action: settings.action,
      notes: [],
    };

    let password: string | null = null;
    try {
      password =
        server.commandPasswordEnc === null
          ? null
          : openSecret(server.commandPasswordEnc, [this.config.secretKey], nutServerCommandPasswordContext(server.id));
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      return failure(base, 'SECRET', `${error.message}: store the command password again`);
    }
    let connectTo: string;
    try {
      connectTo = await this.targets.resolveAllowed(server.host);
    } catch (error) {
      if (!(error instanceof TargetNotAllowedError)) throw error;
      return failure(base, 'NOT-ALLOWED', error.message);
    }
    const tls = nutTlsOptionsOf(server);
    const started = Date.now();
    let client: NutClient | undefined;
    try {
      client = await NutClient.connect({
        host: connectTo,
        port: server.port,
        timeoutMs,
        tls: connectTo !== server.host && isIP(server.host) === 0 ? { ...tls, servername: server.host } : tls,
      });
      const commands = await client.listCommands(ups.name);
      const writable = Object.keys(await client.listRw(ups.name)).sort();
      const offered = new Set(commands);
      const supportedActions = POWER_CYCLE_ACTIONS.filter(
        (action: PowerCycleAction) => action !== 'none' && instantCommandsFor(action).every((c) => offered.has(c)),
      );
      const plan = planPowerCycleCommands(settings, { commands, writable });
      const read = {
        ...base,
        commands,
        writable,
        supportedActions,
        missingCommands: [...plan.missingCommands],
        requests: plan.commands.map((request) => ({ ...request })),
        skippedSettings: [...plan.skippedSettings],
        notes: [
          ...plan.skippedSettings.map((s) => `${s.reason}: the UPS keeps its own value`),
          ...(supportedActions.length === 0
            ? [
                'this UPS offers none of the power-cycle commands (shutdown.return, shutdown.stayoff, load.off.delay+load.on.delay)',
              ]
            : []),
        ],
      };
      if (settings.action === 'none')
        return failure(read, 'NOT-CONFIGURED', `no power-cycle action is configured for ${base.ups}`);
      if (plan.missingCommands.length > 0) {
        return failure(
          read,
          'CMD-NOT-SUPPORTED',
          `${base.ups} does not offer ${plan.missingCommands.join(', ')} (it offers: ${commands.join(', ') || 'no instant command'})` +
            (supportedActions.length > 0 ? `; it supports ${supportedActions.join(', ')}` : ''),
        );
      }
      if (server.commandUsername === null || password === null) {
        return failure(
          read,
          'NO-COMMAND-ACCOUNT',
          `the NUT server has no INSTCMD/SET account: set commandUsername and commandPassword (admin) for ${formatNutServer(server.host, server.port)}`,
        );
      }
      await client.authenticate({ username: server.commandUsername, password });
      if (!(await probeSetRight(client, ups.name))) {
        return failure(
          { ...read, accountVerified: false },
          'ACCESS-DENIED',
          `upsd refused the account ${server.commandUsername}: wrong password, or upsd.users lacks "actions = SET" for it`,
        );
      }
      return {
        ok: true,
        ...read,
        accountVerified: true,
        notes: [
          ...read.notes,
          `upsd.users must give ${server.commandUsername} "instcmds = ${instantCommandsFor(settings.action).join(', ')}" (or ALL): upsd shows that right only when the command is sent`,
        ],
      };
    } catch (error) {
      if (nutServerAnswered(error)) {
        const code = error instanceof NutServerError ? error.code : 'TLS';
        return failure(base, code, error instanceof Error ? error.message : String(error));
      }
      const answerAt = started + timeoutMs * 2 + 500;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, answerAt - Date.now())));
      return failure(
        base,
        'NO-NUT-SERVER',
        `no NUT server answered at ${formatNutServer(server.host, server.port)}: nothing listens there, it did not answer in time, or it is not a NUT server`,
      );
    } finally {
      await client?.close();
    }
  }
}
