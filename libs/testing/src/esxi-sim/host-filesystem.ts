/**
 * The part of an ESXi file system that uploads touch: /tmp (a RAM disk, emptied at boot),
 * /scratch and the datastores under /vmfs/volumes. Files live in memory; free space is counted
 * so a full disk can be simulated.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';

export interface SimulatedFile {
  data: Buffer;
  mode: number;
  mtime: number;
}

export type WriteOutcome = 'ok' | 'no-space' | 'no-such-directory';

const BASE_DIRECTORIES = [
  '/',
  '/tmp',
  '/scratch',
  '/vmfs',
  '/vmfs/volumes',
  '/vmfs/volumes/datastore1',
  '/etc',
  '/opt',
  '/var',
  '/var/log',
];

export class HostFilesystem {
  private readonly files = new Map<string, SimulatedFile>();
  /**
   * Room past each file's end, so an upload written in 32 KiB pieces is copied O(log n) times,
   * not once per piece (a 500-host rollout bench otherwise timed the simulator's copying).
   */
  private readonly backing = new WeakMap<SimulatedFile, Buffer>();
  /** Each file's sha-256 once asked for, until the file is written again. */
  private readonly digests = new WeakMap<SimulatedFile, string>();
  private readonly directories = new Set(BASE_DIRECTORIES);
  private used = 0;
  /** Total bytes the disk may hold while a "no space left" fault is active. */
  private faultCapacity: number | undefined;

  constructor(public freeBytes: number) {}

  /** Leaves only `bytes` free from now on (undefined lifts the limit): a disk filling up. */
  limitFreeSpace(bytes: number | undefined): void {
    this.faultCapacity = bytes === undefined ? undefined : this.used + bytes;
  }

  private get capacity(): number {
    return this.faultCapacity ?? this.freeBytes;
  }

  /** What `stat -f` reports as available. */
  get availableBytes(): number {
    return Math.max(0, this.capacity - this.used);
  }

  static normalise(path: string): string {
    return posix.normalize(path.startsWith('/') ? path : `/${path}`).replace(/(.)\/$/, '$1');
  }

  isDirectory(path: string): boolean {
    return this.directories.has(HostFilesystem.normalise(path));
  }

  file(path: string): SimulatedFile | undefined {
    return this.files.get(HostFilesystem.normalise(path));
  }

  /** The file's sha-256 (hex), computed once until it is written again; undefined: no such file. */
  sha256(path: string): string | undefined {
    const f = this.file(path);
    if (!f) return undefined;
    let digest = this.digests.get(f);
    if (digest === undefined) {
      digest = createHash('sha256').update(f.data).digest('hex');
      this.digests.set(f, digest);
    }
    return digest;
  }

  fileNames(): string[] {
    return [...this.files.keys()];
  }

  listDirectory(path: string): Array<{ name: string; file?: SimulatedFile }> {
    const dir = HostFilesystem.normalise(path);
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const out: Array<{ name: string; file?: SimulatedFile }> = [];
    for (const d of this.directories)
      if (d !== dir && d.startsWith(prefix) && !d.slice(prefix.length).includes('/'))
        out.push({ name: d.slice(prefix.length) });
    for (const [p, f] of this.files)
      if (p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
        out.push({ name: p.slice(prefix.length), file: f });
    return out;
  }

  /** Opens (creating or truncating) a file for writing. */
  create(path: string, truncate: boolean): WriteOutcome {
    const p = HostFilesystem.normalise(path);
    if (!this.isDirectory(posix.dirname(p))) return 'no-such-directory';
    const existing = this.files.get(p);
    if (existing && !truncate) return 'ok';
    if (existing) this.used -= existing.data.length;
    this.files.set(p, { data: Buffer.alloc(0), mode: 0o644, mtime: Date.now() });
    return 'ok';
  }

  /** Writes at an offset; with too little space, writes what fits (like a real full disk). */
  write(path: string, offset: number, data: Buffer, spaceLimit = this.capacity): WriteOutcome {
    const f = this.files.get(HostFilesystem.normalise(path));
    if (!f) return 'no-such-directory';
    const newLength = Math.max(f.data.length, offset + data.length);
    const growth = newLength - f.data.length;
    if (this.used + growth > spaceLimit) {
      const room = Math.max(0, spaceLimit - this.used);
      if (room > 0 && offset <= f.data.length)
        this.write(path, offset, data.subarray(0, Math.max(0, room - (offset - f.data.length))), spaceLimit);
      return 'no-space';
    }
    this.digests.delete(f);
    if (newLength > f.data.length) f.data = this.grown(f, newLength);
    data.copy(f.data, offset);
    f.mtime = Date.now();
    this.used += growth;
    return 'ok';
  }

  /** `f.data` lengthened to `length` (zero-filled), in place when its backing buffer has room. */
  private grown(f: SimulatedFile, length: number): Buffer {
    let room = this.backing.get(f);
    if (room === undefined || room.buffer !== f.data.buffer || room.length < length) {
      room = Buffer.alloc(Math.max(length, 2 * f.data.length, 4096));
      f.data.copy(room);
      this.backing.set(f, room);
    }
    return room.subarray(0, length);
  }

  putFile(path: string, data: Buffer): WriteOutcome {
    const outcome = this.create(path, true);
    return outcome === 'ok' ? this.write(path, 0, data) : outcome;
  }

  remove(path: string): boolean {
    const p = HostFilesystem.normalise(path);
    const f = this.files.get(p);
    if (!f) return false;
    this.used -= f.data.length;
    this.files.delete(p);
    return true;
  }

  rename(from: string, to: string): boolean {
    const src = HostFilesystem.normalise(from);
    const f = this.files.get(src);
    if (!f || !this.isDirectory(posix.dirname(HostFilesystem.normalise(to)))) return false;
    this.remove(to);
    this.files.delete(src);
    this.files.set(HostFilesystem.normalise(to), f);
    return true;
  }

  mkdir(path: string): boolean {
    const p = HostFilesystem.normalise(path);
    if (this.directories.has(p) || !this.isDirectory(posix.dirname(p))) return false;
    this.directories.add(p);
    return true;
  }

  get usedBytes(): number {
    return this.used;
  }

  /** /tmp is a RAM disk on ESXi: it does not survive a reboot. */
  clearVolatile(): void {
    for (const p of [...this.files.keys()]) if (p.startsWith('/tmp/')) this.remove(p);
  }
}
