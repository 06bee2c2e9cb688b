/** Deterministic generator of hostile NUT server replies for the fuzz tests. */

/** mulberry32: small, fast, seeded PRNG, so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzRandom {
  next(): number;
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function fuzzRandom(seed: number): FuzzRandom {
  const next = seededRandom(seed);
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
}

/** Well-formed replies, as starting points for mutation. */
export const VALID_REPLIES: readonly string[] = [
  'OK\n',
  'OK TRACKING 1234-abcd\n',
  '1.3\n',
  'VAR u v "OL"\n',
  'VAR u v "OB LB"\n',
  'UPSDESC u "Rack \\"A\\" \\# 1"\n',
  'NUMLOGINS u 2\n',
  'TYPE u v RW STRING:32\n',
  'PENDING\n',
  'ERR ACCESS-DENIED\n',
  'ERR UNKNOWN-UPS\n',
  'BEGIN LIST VAR u\nVAR u a "1"\nVAR u b "two words"\nEND LIST VAR u\n',
  'BEGIN LIST UPS\nUPS u "desc"\nEND LIST UPS\n',
  'BEGIN LIST CMD u\nCMD u load.off\nEND LIST CMD u\n',
  'BEGIN LIST RANGE u v\nRANGE u v "1" "9"\nEND LIST RANGE u v\n',
  'BEGIN LIST VAR u\nEND LIST VAR u\n',
];

const SPECIALS = ['"', '\\', '#', ' ', '\t', '\r', '\n', '\0', '\xff', 'ERR', 'BEGIN LIST', 'END LIST', '""'];

function randomPrintable(random: FuzzRandom, length: number): string {
  let text = '';
  for (let i = 0; i < length; i += 1) text += String.fromCharCode(0x20 + random.int(95));
  return text;
}

function mutate(random: FuzzRandom, text: string): string {
  let out = text;
  const edits = 1 + random.int(4);
  for (let i = 0; i < edits; i += 1) {
    const at = random.int(out.length + 1);
    switch (random.int(4)) {
      case 0:
        out = out.slice(0, at) + random.pick(SPECIALS) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + 1 + random.int(3));
        break;
      case 2:
        out = out.slice(0, at) + String.fromCharCode(random.int(256)) + out.slice(at + 1);
        break;
      default:
        out = out.slice(0, at) + out.slice(at).toLowerCase();
    }
  }
  return out;
}

export type FuzzKind =
  | 'valid'
  | 'mutated'
  | 'truncated'
  | 'garbage'
  | 'binary'
  | 'oversized'
  | 'misquoted'
  | 'err'
  | 'list-flood'
  | 'extra-lines';

export interface FuzzReply {
  kind: FuzzKind;
  bytes: Buffer;
  /** Close the connection after sending (otherwise the client must finish on its own or time out). */
  close: boolean;
}

/** One hostile reply. `maxLineLength` lets oversized cases go just past the client's limit. */
export function generateFuzzReply(random: FuzzRandom, maxLineLength: number): FuzzReply {
  const kind = random.pick<FuzzKind>([
    'valid',
    'mutated',
    'mutated',
    'truncated',
    'garbage',
    'binary',
    'oversized',
    'misquoted',
    'err',
    'list-flood',
    'extra-lines',
  ]);
  const base = random.pick(VALID_REPLIES);
  let text: string;
  let close = random.next() < 0.5;
  switch (kind) {
    case 'valid':
      text = base;
      break;
    case 'mutated':
      text = mutate(random, base);
      break;
    case 'truncated':
      text = base.slice(0, random.int(base.length));
      close = true;
      break;
    case 'garbage': {
      const lines = 1 + random.int(5);
      text = '';
      for (let i = 0; i < lines; i += 1) text += `${randomPrintable(random, random.int(80))}\n`;
      break;
    }
    case 'binary': {
      const bytes = Buffer.alloc(1 + random.int(600));
      for (let i = 0; i < bytes.length; i += 1) bytes[i] = random.next() < 0.05 ? 0x0a : random.int(256);
      return { kind, bytes, close };
    }
    case 'oversized':
      text = `VAR u v "${'x'.repeat(maxLineLength + random.int(3 * maxLineLength))}"${random.next() < 0.5 ? '\n' : ''}`;
      break;
    case 'misquoted':
      text = random.pick([
        'VAR u v "OL\n',
        'VAR u v OL"\n',
        'UPS u "a\\"\n',
        'VAR u v "a" "\n',
        'BEGIN LIST VAR "u\n',
        'VAR u v \\\n',
      ]);
      break;
    case 'err':
      text = `ERR ${random.pick(['ACCESS-DENIED', 'DATA-STALE', 'NEW-CODE', '', '"quoted"', 'UNKNOWN'])}${random.next() < 0.3 ? ` ${randomPrintable(random, 20)}` : ''}\n`;
      break;
    case 'list-flood':
      text = `BEGIN LIST VAR u\n${`VAR u v "${'y'.repeat(random.int(200))}"\n`.repeat(50 + random.int(400))}`;
      break;
    default:
      text = `${base}${randomPrintable(random, random.int(40))}\n`;
  }
  return { kind, bytes: Buffer.from(text, 'latin1'), close };
}
