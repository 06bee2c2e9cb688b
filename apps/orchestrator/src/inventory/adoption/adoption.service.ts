import { Injectable } from '@nestjs/common';

import { isHostFacts, PrismaService } from '@nutfleet/db';
import { type AdoptionHost, type AdoptionProposal, proposeAdoption } from '@nutfleet/vib';

import { type AuditContext } from '../../audit/audit.service';
import { NutServerService } from '../nut-servers/nut-server.service';
import { PowerFeedService } from '../power-feeds/power-feed.service';
import { UpsService } from '../upses/ups.service';
import { type AdoptionResultDto, type ApplyAdoptionDto } from './adoption.dto';

/**
 * Adoption of hosts that already run the NutClient VIB (libs/vib `proposeAdoption`): reads what
 * discovery recorded of their UserVars, proposes the servers, UPSes and feeds they imply, and
 * creates them through the inventory services (validation, secrets, target checks, audit). The
 * proposal is made again when applying, never taken from the client; what exists is reused, so
 * applying twice, or after a partial failure, creates only what is still missing.
 */
@Injectable()
export class AdoptionService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly servers: NutServerService,
    private readonly upses: UpsService,
    private readonly feeds: PowerFeedService,
  ) {}

  public async proposal(): Promise<AdoptionProposal> {
    const [hosts, servers, upses, feeds] = await Promise.all([
      this.prisma.host.findMany({ select: { id: true, name: true, facts: true }, orderBy: { name: 'asc' } }),
      this.prisma.nutServer.findMany({ select: { id: true, name: true, host: true, port: true } }),
      this.prisma.ups.findMany({ select: { id: true, nutServerId: true, name: true } }),
      this.prisma.powerFeed.findMany({ select: { hostId: true, upsId: true } }),
    ]);
    const adoptable: AdoptionHost[] = [];
    for (const host of hosts) {
      const vars = isHostFacts(host.facts) ? host.facts.nutUserVars : null;
      if (vars === null || vars.NutUpsName === undefined) continue; // no VIB (or never discovered)
      const text = (name: string): string | null => {
        const v = vars[name];
        return v !== undefined && v.type === 'string' ? v.value : null;
      };
      adoptable.push({
        hostId: host.id,
        hostName: host.name,
        nutUpsName: text('NutUpsName'),
        nutUser: text('NutUser'),
      });
    }
    return proposeAdoption(adoptable, { servers, upses, feeds });
  }

  public async apply(body: ApplyAdoptionDto, ctx: AuditContext): Promise<AdoptionResultDto> {
    const proposal = await this.proposal();
    const passwords = new Map((body.passwords ?? []).map((p) => [p.serverKey, p.password]));
    const serverIds = new Map<string, string>();
    const serversCreated: string[] = [];
    for (const s of proposal.servers) {
      if (s.existingId !== null) {
        serverIds.set(s.key, s.existingId);
        continue;
      }
      const password = passwords.get(s.key);
      const created = await this.servers.create(
        {
          name: s.name,
          host: s.host,
          port: s.port,
          ...(s.username === null ? {} : { username: s.username }),
          ...(password === undefined ? {} : { password }),
        },
        ctx,
      );
      serverIds.set(s.key, created.id);
      serversCreated.push(created.name);
    }
    const upsIds = new Map<string, string>();
    const upsesCreated: string[] = [];
    for (const u of proposal.upses) {
      const key = `${u.serverKey}/${u.name}`;
      if (u.existingId !== null) {
        upsIds.set(key, u.existingId);
        continue;
      }
      const created = await this.upses.create({ name: u.name, nutServerId: serverIds.get(u.serverKey) ?? '' }, ctx);
      upsIds.set(key, created.id);
      upsesCreated.push(created.address);
    }
    for (const f of proposal.feeds)
      await this.feeds.create({ hostId: f.hostId, upsId: upsIds.get(`${f.serverKey}/${f.upsName}`) ?? '' }, ctx);
    return { serversCreated, upsesCreated, feedsCreated: proposal.feeds.length, hostNames: [...proposal.hostNames] };
  }
}
