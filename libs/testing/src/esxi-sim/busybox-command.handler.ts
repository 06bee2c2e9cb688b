/**
 * The handful of ESXi shell utilities a deployment touches: sha256sum, rm, ls, stat -f, cat, mkdir,
 * echo, true/false, hostname, vmware -v, esxcfg-advcfg, and plain poweroff/reboot (which,
 * unlike `esxcli system shutdown`, need no maintenance mode).
 */
import { fail, ok, type CommandContext, type CommandHandler, type CommandResult } from './command-result';

function sha256sum(argv: string[], ctx: CommandContext): CommandResult {
  const out: string[] = [];
  const errors: string[] = [];
  for (const path of argv.slice(1).filter((a) => !a.startsWith('-'))) {
    const digest = ctx.state.files.sha256(path);
    if (digest !== undefined) out.push(`${digest}  ${path}`);
    else errors.push(`sha256sum: ${path}: No such file or directory`);
  }
  return {
    stdout: out.map((l) => `${l}\n`).join(''),
    stderr: errors.map((l) => `${l}\n`).join(''),
    code: errors.length ? 1 : 0,
  };
}

function rm(argv: string[], ctx: CommandContext): CommandResult {
  const opts = argv
    .slice(1)
    .filter((a) => /^-[a-zA-Z]+$/.test(a))
    .join('');
  const force = opts.includes('f');
  const errors: string[] = [];
  for (const path of argv.slice(1).filter((a) => !/^-[a-zA-Z]+$/.test(a))) {
    if (!ctx.state.files.remove(path) && !force) errors.push(`rm: can't remove '${path}': No such file or directory`);
  }
  return { stdout: '', stderr: errors.map((l) => `${l}\n`).join(''), code: errors.length ? 1 : 0 };
}

function esxcfgAdvcfg(argv: string[], ctx: CommandContext): CommandResult {
  const args = argv.slice(1);
  const quiet = args.includes('-q');
  const rest = args.filter((a) => a !== '-q');
  const name = (p: string): string => p.split('/').filter(Boolean).pop() ?? p;
  const missing = (p: string): CommandResult => fail(`Option ${name(p)} does not exist.`);
  if (rest[0] === '-g' && rest[1]) {
    const v = ctx.state.settings.get(rest[1]);
    if (v === undefined) return missing(rest[1]);
    return ok(quiet ? `${v}\n` : `Value of ${name(rest[1])} is ${v}\n`);
  }
  if (rest[0] === '-s' && rest[1] !== undefined && rest[2]) {
    const r = ctx.state.settings.setFromText(rest[2], rest[1]);
    if (!r.ok)
      return r.reason === 'not-found'
        ? missing(rest[2])
        : fail(`Unable to set value for ${name(rest[2])}: Invalid value ${rest[1]}`);
    return ok(quiet ? '' : `Value of ${name(rest[2])} is ${rest[1]}\n`);
  }
  if (rest[0] === '-d' && rest[1]) {
    const r = ctx.state.settings.reset(rest[1]);
    return r.ok
      ? ok(quiet ? '' : `Value of ${name(rest[1])} is ${ctx.state.settings.get(rest[1]) ?? ''}\n`)
      : missing(rest[1]);
  }
  if (rest[0] === '-l')
    return ok(
      ctx.state.settings
        .list()
        .map((o) => `${o.path} [${o.type === 'integer' ? 'Integer' : 'String'}] : ${o.description}\n`)
        .join(''),
    );
  return fail('Usage: esxcfg-advcfg <options> [<adv cfg Path>]');
}

const BLOCK_SIZE = 4096;

/**
 * `stat -f [-c FORMAT] PATH`: file system status, as busybox prints it. Formats: %a free blocks
 * for users, %f free blocks, %b total blocks, %S / %s block size. A client reads free space
 * with it after an SFTP "Failure", which is all OpenSSH's sftp-server says on a full disk.
 */
function stat(argv: string[], ctx: CommandContext): CommandResult {
  const args = argv.slice(1);
  const formatAt = args.indexOf('-c');
  const format = formatAt >= 0 ? args[formatAt + 1] : undefined;
  const paths = args.filter((a, i) => !a.startsWith('-') && (formatAt < 0 || i !== formatAt + 1));
  if (!args.includes('-f') || paths.length === 0) return fail('Usage: stat [OPTIONS] FILE...');
  const files = ctx.state.files;
  const free = Math.floor(files.availableBytes / BLOCK_SIZE);
  const total = Math.floor((files.availableBytes + files.usedBytes) / BLOCK_SIZE);
  const out: string[] = [];
  for (const path of paths) {
    if (!files.isDirectory(path) && !files.file(path))
      return fail(`stat: can't read file system information for '${path}': No such file or directory`);
    const fields: Record<string, string> = {
      a: `${free}`,
      f: `${free}`,
      b: `${total}`,
      S: `${BLOCK_SIZE}`,
      s: `${BLOCK_SIZE}`,
      n: path,
    };
    out.push(
      format === undefined
        ? `  File: "${path}"\n    ID: 0        Namelen: 255     Type: visorfs\nBlock size: ${BLOCK_SIZE}\nBlocks: Total: ${total}      Free: ${free}      Available: ${free}`
        : format.replace(/%([a-zA-Z%])/g, (_m, c: string) => (c === '%' ? '%' : (fields[c] ?? '?'))),
    );
  }
  return ok(out.map((l) => `${l}\n`).join(''));
}

function ls(argv: string[], ctx: CommandContext): CommandResult {
  const paths = argv.slice(1).filter((a) => !a.startsWith('-'));
  const out: string[] = [];
  for (const p of paths.length ? paths : ['/']) {
    if (ctx.state.files.isDirectory(p))
      out.push(
        ...ctx.state.files
          .listDirectory(p)
          .map((e) => e.name)
          .sort(),
      );
    else if (ctx.state.files.file(p)) out.push(p);
    else return fail(`ls: ${p}: No such file or directory`);
  }
  return ok(out.map((l) => `${l}\n`).join(''));
}

export const BUSYBOX_COMMANDS: Record<string, CommandHandler> = {
  sha256sum,
  rm,
  ls,
  stat,
  'esxcfg-advcfg': esxcfgAdvcfg,
  echo: (argv) => ok(`${argv.slice(1).join(' ')}\n`),
  true: () => ok(),
  false: () => ({ stdout: '', stderr: '', code: 1 }),
  hostname: (_a, ctx) => ok(`${ctx.state.hostname}\n`),
  cat: (argv, ctx) => {
    const f = ctx.state.files.file(argv[1] ?? '');
    return f ? ok(f.data.toString('utf8')) : fail(`cat: can't open '${argv[1] ?? ''}': No such file or directory`);
  },
  mkdir: (argv, ctx) => {
    const parents = argv.includes('-p');
    for (const p of argv.slice(1).filter((a) => !a.startsWith('-'))) {
      if (parents) {
        let acc = '';
        for (const part of p.split('/').filter(Boolean)) ctx.state.files.mkdir((acc += `/${part}`));
      } else if (!ctx.state.files.mkdir(p)) return fail(`mkdir: can't create directory '${p}': File exists`);
    }
    return ok();
  },
  vmware: (argv, ctx) => {
    const v = ctx.state.esxi;
    if (argv[1] === '-v' || argv[1] === '--version')
      return ok(`${v.product} ${v.version} build-${v.build.replace(/^Releasebuild-/, '')}\n`);
    if (argv[1] === '-l') return ok(`${v.product} ${v.version} Update ${v.update}\n`);
    return fail('Usage: vmware [-v|-l]');
  },
  poweroff: (_a, ctx) => {
    ctx.control.powerOff('poweroff');
    return ok();
  },
  reboot: (_a, ctx) => {
    ctx.control.reboot('reboot');
    return ok();
  },
};
