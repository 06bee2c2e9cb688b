import {
  BadGatewayException,
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';

import { TargetNotAllowedError } from '@nutfleet/config';
import { PrismaService } from '@nutfleet/db';
import { fingerprintsEqual, normaliseFingerprint } from '@nutfleet/esxi';

import { type AuditContext, AuditService } from '../audit/audit.service';
import { HostKeyScanError, HostKeyScanner } from './host-key-scanner';
import { type HostEventDto, type HostKeyFetchedDto, type HostTrustDto } from './host-trust.dto';

/** How long a fetched key may stand in for the live one when the host cannot be reached at accept. */
export const FETCHED_KEY_VALID_MS = 60 * 60_000;

/**
 * SSH trust of a host: fetch the key it presents (never trusting it), then pin a fingerprint an
 * operator accepted — only if it is the key the host presents now (or, if the host cannot be
 * reached at that moment, the one fetched within the last hour). Accepting a new key is also how
 * a host blocked by a key MISMATCH is released. Every pin is recorded as a HostEvent.
 */
@Injectable()
export class HostTrustService {
  public constructor(
    private readonly prisma: PrismaService,
    private readonly scanner: HostKeyScanner,
    private readonly audit: AuditService,
  ) {}

  public async fetch(hostId: string): Promise<HostKeyFetchedDto> {
    const host = await this.findHost(hostId);
    const presented = await this.scan(host);
    const fetchedAt = new Date();
    await this.prisma.host.update({
      where: { id: hostId },
      data: { presentedHostKeyFingerprint: presented, presentedHostKeyAt: fetchedAt },
    });
    return {
      hostId,
      presentedFingerprint: presented,
      fetchedAt: fetchedAt.toISOString(),
      pinnedFingerprint: host.hostKeyFingerprint,
      trustState: host.trustState,
      matchesPinned: host.hostKeyFingerprint !== null && samePrint(host.hostKeyFingerprint, presented),
    };
  }

  public async accept(hostId: string, fingerprintInput: string, audit: AuditContext): Promise<HostTrustDto> {
    let fingerprint: string;
    try {
      fingerprint = normaliseFingerprint(fingerprintInput);
    } catch {
      throw new BadRequestException(
        'fingerprint: must be an OpenSSH SHA256 host key fingerprint such as SHA256:<43 base64 characters>',
      );
    }
    const host = await this.findHost(hostId);
    const reference = await this.referenceFingerprint(host);
    if (!fingerprintsEqual(fingerprint, reference.fingerprint)) {
      throw new ConflictException(
        `fingerprint: ${fingerprint} is not the key host ${host.name} ${reference.source} (${reference.fingerprint}); ` +
          'nothing was trusted. Check the key on the host console.',
      );
    }
    const previous = host.hostKeyFingerprint;
    await this.prisma.$transaction(async (tx) => {
      await tx.host.update({
        where: { id: hostId },
        data: {
          hostKeyFingerprint: fingerprint,
          trustState: 'TRUSTED',
          // The mismatch explained lastError; it no longer applies.
          ...(host.trustState === 'MISMATCH' ? { lastError: null } : {}),
        },
      });
      await tx.hostEvent.create({
        data: {
          hostId,
          type: 'HOST_KEY_TRUSTED',
          message: `Host key ${fingerprint} of ${host.name} was accepted by ${audit.actor} (was ${host.trustState.toLowerCase()}).`,
          data: { fingerprint, previousFingerprint: previous, previousState: host.trustState, actor: audit.actor },
        },
      });
      await this.audit.record(tx, audit, {
        action: 'host.trust.accept',
        resourceType: 'host',
        resourceId: hostId,
        before: { hostKeyFingerprint: previous, trustState: host.trustState },
        after: { hostKeyFingerprint: fingerprint, trustState: 'TRUSTED' },
      });
    });
    return {
      hostId,
      trustState: 'TRUSTED',
      fingerprint,
      previousFingerprint: previous !== null && samePrint(previous, fingerprint) ? null : previous,
    };
  }

  public async events(hostId: string, limit: number): Promise<HostEventDto[]> {
    await this.findHost(hostId);
    const rows = await this.prisma.hostEvent.findMany({
      where: { hostId },
      orderBy: { id: 'desc' },
      take: limit,
    });
    return rows.map((e) => ({
      id: e.id.toString(),
      type: e.type,
      message: e.message,
      data: e.data,
      at: e.at.toISOString(),
    }));
  }

  private async findHost(hostId: string) {
    const host = await this.prisma.host.findUnique({
      where: { id: hostId },
      select: {
        id: true,
        name: true,
        address: true,
        sshPort: true,
        hostKeyFingerprint: true,
        trustState: true,
        presentedHostKeyFingerprint: true,
        presentedHostKeyAt: true,
      },
    });
    if (host === null) throw new NotFoundException(`host ${hostId} does not exist`);
    return host;
  }

  private async scan(host: { name: string; address: string; sshPort: number }): Promise<string> {
    try {
      return await this.scanner.presentedFingerprint({ name: host.name, address: host.address, port: host.sshPort });
    } catch (error) {
      if (error instanceof HostKeyScanError) throw new BadGatewayException(error.message);
      if (error instanceof TargetNotAllowedError) throw new UnprocessableEntityException(`address: ${error.message}`);
      throw error;
    }
  }

  /** The live key; if the host cannot be reached, a key fetched recently enough. */
  private async referenceFingerprint(host: {
    name: string;
    address: string;
    sshPort: number;
    presentedHostKeyFingerprint: string | null;
    presentedHostKeyAt: Date | null;
  }): Promise<{ fingerprint: string; source: string }> {
    try {
      return { fingerprint: await this.scan(host), source: 'presents now' };
    } catch (error) {
      const fetched = host.presentedHostKeyFingerprint;
      const fresh =
        host.presentedHostKeyAt !== null && Date.now() - host.presentedHostKeyAt.getTime() < FETCHED_KEY_VALID_MS;
      if (fetched !== null && fresh) return { fingerprint: fetched, source: 'presented when fetched' };
      throw error;
    }
  }
}

function samePrint(a: string, b: string): boolean {
  try {
    return fingerprintsEqual(normaliseFingerprint(a), normaliseFingerprint(b));
  } catch {
    return false;
  }
}
