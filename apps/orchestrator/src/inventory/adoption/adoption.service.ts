import { Injectable } from '@nestjs/common';

import { isHostFacts, PrismaService } from '@nutfleet/db';
import {
  type AdoptedValueVerdict,
  adoptedMailProblem,
  type AdoptionHost,
  type HandSetMail,
  type AdoptionProposal,
  computeFallbackTiming,
  proposeAdoption,
} from '@nutfleet/vib';

import { type AuditContext, AuditService } from '../../audit/audit.service';
import { DesiredConfigService } from '../../rollouts/desired-config.service';
import { VibMailSettingsService } from '../../vib-mail/vib-mail.service';
import { NutServerService } from '../nut-servers/nut-server.service';
import { PowerFeedService } from '../power-feeds/power-feed.service';
import { UpsService } from '../upses/ups.service';
import { type AdoptionResultDto, type ApplyAdoptionDto } from './adoption.dto';

/** How an adopted host's hand-set timings fare against nutfleet's plan (see libs/vib fallback-timing). */
export interface AdoptedTimingView {
  readonly hostId: string;
  readonly hostName: string;
  readonly finalDelay: AdoptedValueVerdict | null;
  readonly onBatteryDelay: AdoptedValueVerdict | null;
  /** What the host's desired values will be after adoption. */
  readonly desiredFinalDelaySeconds: number;
  readonly desiredOnBatteryDelaySeconds: number;
  /** The host's power-off deadline in nutfleet's plan, with the proposed feeds, and why. */
  readonly deadline: string;
}

export type AdoptionProposalView = AdoptionProposal & { readonly timings: readonly AdoptedTimingView[] };

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
    private readonly desired: DesiredConfigService,
    private readonly audit: AuditService,
    private readonly mail: VibMailSettingsService,
  ) {}

  public async proposal(): Promise<AdoptionProposalView> {
    const [hosts, servers, upses, feeds] = await Promise.all([
      this.prisma.host.findMany({
        select: { id: true, name: true, facts: true, minSupplies: true, groupId: true },
        orderBy: { name: 'asc' },
      }),
      this.prisma.nutServer.findMany({ select: { id: true, name: true, host: true, port: true } }),
      this.prisma.ups.findMany({ select: { id: true, nutServerId: true, name: true } }),
      this.prisma.powerFeed.findMany({ select: { hostId: true, upsId: true } }),
    ]);
    const adoptable: AdoptionHost[] = [];
    const handMail = new Map<string, HandSetMail>();
    for (const host of hosts) {
      const vars = isHostFacts(host.facts) ? host.facts.nutUserVars : null;
      if (vars === null || vars.NutUpsName === undefined) continue; // no VIB (or never discovered)
      const text = (name: string): string | null => {
        const v = vars[name];
        return v !== undefined && v.type === 'string' ? v.value : null;
      };
      const integer = (name: string): number | null => {
        const v = vars[name];
        return v !== undefined && v.type === 'integer' ? v.value : null;
      };
      adoptable.push({
        hostId: host.id,
        hostName: host.name,
        nutUpsName: text('NutUpsName'),
        nutUser: text('NutUser'),
        nutMinSupplies: integer('NutMinSupplies'),
        nutFinalDelay: integer('NutFinalDelay'),
        nutOnBatteryDelay: integer('NutOnBatteryDelay'),
        minSupplies: host.minSupplies,
      });
      handMail.set(host.id, {
        sendMail: integer('NutSendMail'),
        mailTo: text('NutMailTo'),
        smtpRelay: text('NutSmtpRelay'),
      });
    }
    const proposal = proposeAdoption(adoptable, { servers, upses, feeds });
    const timings = await this.judgeTimings(proposal);
    const refused = timings.flatMap((t) =>
      (
        [
          ['NutFinalDelay', t.finalDelay],
          ['NutOnBatteryDelay', t.onBatteryDelay],
        ] as const
      ).flatMap(([name, v]) =>
        v !== null && !v.kept ? [{ hostName: t.hostName, message: `${name} (unsafe, will drift): ${v.why}` }] : [],
      ),
    );
    const adopting = adoptedNow(proposal);
    const mailSettings = await this.mail.forHosts(
      hosts.filter((h) => adopting.some((a) => a.hostId === h.id)).map((h) => ({ id: h.id, groupId: h.groupId })),
    );
    const mail = adopting.flatMap((h) => {
      const hand = handMail.get(h.hostId);
      const wanted = mailSettings.get(h.hostId);
      const message = hand === undefined ? null : adoptedMailProblem(hand, wanted?.mail, wanted?.offWhy);
      return message === null ? [] : [{ hostName: h.hostName, message }];
    });
    return { ...proposal, problems: [...proposal.problems, ...refused, ...mail], timings };
  }

  /**
   * Each adopted host's hand-set NutFinalDelay / NutOnBatteryDelay against the deadline it will
   * have in nutfleet's plan once the proposed feeds exist (UPSes not created yet are named by key).
   */
  private async judgeTimings(proposal: AdoptionProposal): Promise<AdoptedTimingView[]> {
    const upsIdOf = new Map(proposal.upses.map((u) => [`${u.serverKey}/${u.name}`, u.existingId]));
    const serverName = new Map(proposal.servers.map((s) => [s.key, s.name]));
    // A UPS not created yet is named as it will be (ups@server name), so the deadline's explanation reads right.
    const extraFeeds = proposal.feeds.map((f) => ({
      hostId: f.hostId,
      upsKey:
        upsIdOf.get(`${f.serverKey}/${f.upsName}`) ?? `${f.upsName}@${serverName.get(f.serverKey) ?? f.serverKey}`,
    }));
    const settings = adoptedNow(proposal);
    const deadlines = await this.desired.deadlinesWith(
      settings.map((h) => h.hostId),
      extraFeeds,
    );
    const out: AdoptedTimingView[] = [];
    for (const h of settings) {
      const d = deadlines.get(h.hostId);
      if (d === undefined) continue;
      const timing = computeFallbackTiming({
        policy: d.policy,
        plannedShutdownDeadlineSeconds: d.deadlineSeconds,
        adopted: { finalDelaySeconds: h.finalDelaySeconds, onBatteryDelaySeconds: h.onBatteryDelaySeconds },
      });
      out.push({
        hostId: h.hostId,
        hostName: h.hostName,
        finalDelay: timing.adopted?.finalDelay ?? null,
        onBatteryDelay: timing.adopted?.onBatteryDelay ?? null,
        desiredFinalDelaySeconds: timing.finalDelaySeconds,
        desiredOnBatteryDelaySeconds: timing.onBatteryDelaySeconds,
        deadline: d.explanation,
      });
    }
    return out;
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
    const hostsUpdated = await this.keepHandSettings(proposal, ctx);
    return {
      serversCreated,
      upsesCreated,
      feedsCreated: proposal.feeds.length,
      hostNames: [...proposal.hostNames],
      hostsUpdated,
    };
  }

  /**
   * Every hand-set timing is stored, safe or not: the desired values keep the safe ones and, for
   * the others, say why they are replaced, now and whenever the host's deadline moves later.
   */
  private async keepHandSettings(proposal: AdoptionProposal, ctx: AuditContext): Promise<string[]> {
    const updated: string[] = [];
    for (const h of adoptedNow(proposal)) {
      const data = {
        adoptedFinalDelaySeconds: h.finalDelaySeconds,
        adoptedOnBatteryDelaySeconds: h.onBatteryDelaySeconds,
        ...(h.minSupplies === null ? {} : { minSupplies: h.minSupplies }),
      };
      await this.prisma.$transaction(async (tx) => {
        const before = await tx.host.findUniqueOrThrow({
          where: { id: h.hostId },
          select: { minSupplies: true, adoptedFinalDelaySeconds: true, adoptedOnBatteryDelaySeconds: true },
        });
        await tx.host.update({ where: { id: h.hostId }, data });
        await this.audit.record(tx, ctx, {
          action: 'host.adopt-settings',
          resourceType: 'host',
          resourceId: h.hostId,
          before,
          after: data,
        });
      });
      updated.push(h.hostName);
    }
    return updated;
  }
}

/**
 * The hosts being adopted now: those whose first feeds the proposal creates. A host adopted before
 * runs what nutfleet configured since, which is not the administrator's hand-set choice any more.
 */
function adoptedNow(proposal: AdoptionProposal): AdoptionProposal['hostSettings'] {
  const gettingFeeds = new Set(proposal.feeds.map((f) => f.hostId));
  return proposal.hostSettings.filter((h) => gettingFeeds.has(h.hostId));
}
