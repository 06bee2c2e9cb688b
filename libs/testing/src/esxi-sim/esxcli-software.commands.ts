/** `esxcli software vib …` and `esxcli software acceptance …`. */
import type { CommandContext } from './command-result';
import { single, type ParsedEsxcliOptions } from './esxcli-arguments.parser';
import type { EsxcliCommand, EsxcliReply } from './esxcli-command.types';
import { bool, str, strList, type EsxcliField, type EsxcliStructure } from './esxcli-output.formatter';
import { VIB_LEVEL_TO_HOST, type InstalledVib } from './host-state';
import type { HostAcceptanceLevel } from './host-profile';
import { vibId } from './vib-descriptor';
import { DepotFormatError, readOfflineBundle, readVibFile, VibFormatError, type LoadedVib } from './vib-file.reader';
import {
  applyVibInstall,
  applyVibRemoval,
  changeAcceptanceLevel,
  formatVibError,
  HOST_ACCEPTANCE_LEVELS,
  planVibRemoval,
  planVibTransaction,
  type VibChange,
  type VibError,
} from './vib-install.rules';

const isVibError = (x: VibChange | VibError): x is VibError => 'errorClass' in x;
const vibFailure = (e: VibError): EsxcliReply => ({ error: formatVibError(e) });

function vibSummary(v: InstalledVib, withPlatforms: boolean): EsxcliStructure {
  const d = v.descriptor;
  const fields: EsxcliField[] = [
    str('Name', d.name),
    str('Version', d.version),
    str('Vendor', d.vendor),
    str('Acceptance Level', VIB_LEVEL_TO_HOST[d.acceptanceLevel]),
    str('Install Date', v.installDate),
  ];
  if (withPlatforms) fields.push(str('Platforms', 'host'));
  return { typeName: 'VIBSummary', fields };
}

function vibDetails(v: InstalledVib): EsxcliStructure {
  const d = v.descriptor;
  return {
    typeName: 'VIB',
    heading: vibId(d),
    fields: [
      { ...str('ID', vibId(d)), machineOnly: true },
      str('Name', d.name),
      str('Version', d.version),
      str('Type', d.type),
      str('Vendor', d.vendor),
      str('Acceptance Level', VIB_LEVEL_TO_HOST[d.acceptanceLevel]),
      str('Summary', d.summary),
      str('Description', d.description),
      strList(
        'ReferenceURLs',
        d.urls.map((u) => `${u.key}|${u.url}`),
      ),
      str('Creation Date', d.releaseDate.slice(0, 10)),
      strList('Depends', []),
      strList('Conflicts', []),
      strList('Replaces', []),
      strList('Provides', []),
      pyBool('Maintenance Mode Required', d.maintenanceModeRequired),
      strList('Hardware Platforms Required', []),
      pyBool('Live Install Allowed', d.liveInstallAllowed),
      pyBool('Live Remove Allowed', d.liveRemoveAllowed),
      pyBool('Stateless Ready', d.statelessReady),
      pyBool('Overlay', d.overlay),
      strList('Tags', d.tags),
      strList(
        'Payloads',
        d.payloads.map((p) => p.name),
      ),
    ],
  };
}

/** vib get prints Python-style booleans (`True`) in text output. */
const pyBool = (name: string, value: boolean): EsxcliField => ({
  ...bool(name, value),
  display: value ? 'True' : 'False',
});

function resultBlock(ctx: CommandContext, heading: string, message: string, change: VibChange): EsxcliReply {
  const reboot = str('Reboot Required', 'false');
  const lists = [
    strList('VIBs Installed', change.installed),
    strList('VIBs Removed', change.removed),
    strList('VIBs Skipped', change.skipped),
  ];
  const fields = ctx.state.esxi.dpuResults
    ? [str('Message', message), ...lists, reboot, strList('DPU Results', [])]
    : [str('Message', message), reboot, ...lists];
  return { output: { kind: 'structure', value: { typeName: heading.replace(/ /g, ''), heading, fields } } };
}

/** An uploaded file esxcli was pointed at, and where it is. */
interface LoadedFile {
  readonly data: Buffer;
  readonly path: string;
}

function loadFile(ctx: CommandContext, url: string, what: 'vib' | 'depot'): LoadedFile | VibError {
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  if (/^(https?|ftp):\/\//.test(url)) {
    return {
      errorClass: what === 'vib' ? 'VibDownloadError' : 'MetadataDownloadError',
      lines: [`('${url}', '', '<urlopen error [Errno -2] Name or service not known>')`, `url = ${url}`],
    };
  }
  if (!path.startsWith('/')) {
    return what === 'vib'
      ? { errorClass: 'VibDownloadError', lines: [`('${url}', '', "unknown url type: '${url}'")`, `url = ${url}`] }
      : {
          errorClass: 'MetadataDownloadError',
          lines: [
            `Could not download from depot at ${url}, skipping (('${url}', '', "unknown url type: '${url}'"))`,
            `url = ${url}`,
          ],
        };
  }
  const file = ctx.state.files.file(path);
  if (!file) {
    return what === 'vib'
      ? {
          errorClass: 'VibDownloadError',
          lines: [`('${url}', '', "[Errno 2] No such file or directory: '${path}'")`, `url = ${url}`],
        }
      : {
          errorClass: 'MetadataDownloadError',
          lines: [
            `Could not download from depot at zip:${path}?index.xml, skipping (('zip:${path}?index.xml', '', "Error extracting index.xml from ${path}: [Errno 2] No such file or directory: '${path}'"))`,
            `url = zip:${path}?index.xml`,
          ],
        };
  }
  return { data: file.data, path };
}

function collectVibs(o: ParsedEsxcliOptions, ctx: CommandContext): LoadedVib[] | VibError {
  const vibUrls = o.values.get('viburl') ?? [];
  const depots = o.values.get('depot') ?? [];
  if (vibUrls.length === 0 && depots.length === 0)
    return { errorClass: 'ValueError', lines: ['Either a VIB URL or a depot URL must be specified.'] };
  const vibs: LoadedVib[] = [];
  try {
    for (const url of vibUrls) {
      const file = loadFile(ctx, url, 'vib');
      if ('errorClass' in file) return file;
      vibs.push(readVibFile(file.data, ctx.state.files.sha256(file.path)));
    }
    const names = o.values.get('vibname');
    for (const url of depots) {
      const file = loadFile(ctx, url, 'depot');
      if ('errorClass' in file) return file;
      vibs.push(...readOfflineBundle(file.data).filter((v) => !names || names.includes(v.descriptor.name)));
    }
  } catch (e) {
    if (e instanceof VibFormatError) return { errorClass: 'VibFormatError', lines: [e.message] };
    if (e instanceof DepotFormatError)
      return { errorClass: 'MetadataDownloadError', lines: [`Could not download from depot: ${e.message}`] };
    throw e;
  }
  return vibs;
}

function installOrUpdate(kind: 'install' | 'update'): EsxcliCommand['run'] {
  return (o, ctx) => {
    const vibs = collectVibs(o, ctx);
    if (!Array.isArray(vibs)) return vibFailure(vibs);
    const dryRun = o.flags.has('dry-run');
    const plan = planVibTransaction(ctx.state, vibs, {
      kind,
      force: o.flags.has('force'),
      dryRun,
      maintenanceModeFlag: o.flags.has('maintenance-mode'),
    });
    if (isVibError(plan)) return vibFailure(plan);
    if (dryRun)
      return resultBlock(
        ctx,
        'Installation Result',
        'Dryrun only, host not changed. The following installers will be applied: [BootBankInstaller]',
        plan,
      );
    applyVibInstall(ctx.state, vibs, plan);
    return resultBlock(
      ctx,
      'Installation Result',
      plan.installed.length > 0 ? 'Operation finished successfully.' : 'Host is not changed.',
      plan,
    );
  };
}

const INSTALL_OPTIONS = [
  { long: 'viburl', short: 'v', kind: 'multi' },
  { long: 'depot', short: 'd', kind: 'multi' },
  { long: 'vibname', short: 'n', kind: 'multi' },
  { long: 'no-sig-check', kind: 'flag' },
  { long: 'force', short: 'f', kind: 'flag' },
  { long: 'dry-run', kind: 'flag' },
  { long: 'maintenance-mode', kind: 'flag' },
  { long: 'no-live-install', kind: 'flag' },
  { long: 'proxy', short: 'p', kind: 'value' },
] as const;

export const ESXCLI_SOFTWARE_COMMANDS: EsxcliCommand[] = [
  {
    path: 'software vib list',
    options: [{ long: 'rebooting-image', kind: 'flag' }],
    run: (_o, ctx) => ({
      output: {
        kind: 'list',
        typeName: 'VIBSummary',
        table: true,
        items: [...ctx.state.vibs.values()].map((v) => vibSummary(v, ctx.state.esxi.dpuResults)),
      },
    }),
  },
  {
    path: 'software vib get',
    options: [
      { long: 'vibname', short: 'n', kind: 'multi' },
      { long: 'rebooting-image', kind: 'flag' },
    ],
    run: (o, ctx) => {
      const all = [...ctx.state.vibs.values()];
      const specs = o.values.get('vibname');
      if (!specs)
        return { output: { kind: 'list', typeName: 'VIB', table: false, items: all.map((v) => vibDetails(v)) } };
      const items: EsxcliStructure[] = [];
      for (const spec of specs) {
        const found = all.find((v) => v.descriptor.name === spec || vibId(v.descriptor) === spec);
        if (!found)
          return vibFailure({
            errorClass: 'NoMatchError',
            lines: [`No VIB matching VIB search specification '${spec}'.`],
          });
        items.push(vibDetails(found));
      }
      return { output: { kind: 'list', typeName: 'VIB', table: false, items } };
    },
  },
  { path: 'software vib install', options: [...INSTALL_OPTIONS], run: installOrUpdate('install') },
  { path: 'software vib update', options: [...INSTALL_OPTIONS], run: installOrUpdate('update') },
  {
    path: 'software vib remove',
    options: [
      { long: 'vibname', short: 'n', kind: 'multi', required: true },
      { long: 'force', short: 'f', kind: 'flag' },
      { long: 'dry-run', kind: 'flag' },
      { long: 'maintenance-mode', kind: 'flag' },
      { long: 'no-live-install', kind: 'flag' },
    ],
    run: (o, ctx) => {
      const plan = planVibRemoval(ctx.state, o.values.get('vibname') ?? []);
      if (isVibError(plan)) return vibFailure(plan);
      if (o.flags.has('dry-run'))
        return resultBlock(
          ctx,
          'Removal Result',
          'Dryrun only, host not changed. The following installers will be applied: [BootBankInstaller]',
          plan,
        );
      applyVibRemoval(ctx.state, plan);
      return resultBlock(ctx, 'Removal Result', 'Operation finished successfully.', plan);
    },
  },
  {
    path: 'software acceptance get',
    options: [],
    run: (_o, ctx) => ({ output: { kind: 'string', value: ctx.state.acceptanceLevel } }),
  },
  {
    path: 'software acceptance set',
    options: [{ long: 'level', kind: 'value', required: true }],
    run: (o, ctx) => {
      const text = single(o, 'level') ?? '';
      const level = HOST_ACCEPTANCE_LEVELS.find((l) => l.toLowerCase() === text.toLowerCase());
      if (!level)
        return {
          error: `Error: Invalid acceptance level '${text}'. Valid levels are: ${HOST_ACCEPTANCE_LEVELS.join(', ')}\n`,
        };
      const error = changeAcceptanceLevel(ctx.state, level as HostAcceptanceLevel);
      if (error) return vibFailure(error);
      return { output: { kind: 'string', value: `Host acceptance level changed to '${level}'.` } };
    },
  },
];
