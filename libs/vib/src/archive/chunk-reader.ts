/**
 * Sequential reads over an async stream of chunks (a file stream, or an inflating zip entry):
 * exact-size reads for headers, and pass-through of large members chunk by chunk, so an archive
 * is parsed without ever holding more than one chunk plus one header in memory.
 */
export class ChunkReader {
  private readonly iterator: AsyncIterator<Buffer>;
  private pending: Buffer = Buffer.alloc(0);
  private finished = false;
  /** Bytes consumed so far. */
  position = 0;

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    if (this.finished) return false;
    const next = await this.iterator.next();
    if (next.done) {
      this.finished = true;
      return false;
    }
    this.pending = this.pending.length === 0 ? next.value : Buffer.concat([this.pending, next.value]);
    return true;
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    while (this.pending.length === 0) if (!(await this.fill())) return true;
    return false;
  }

  /** Exactly `n` bytes, or fewer when the stream ends first (the caller decides if that is truncation). */
  async read(n: number): Promise<Buffer> {
    while (this.pending.length < n) if (!(await this.fill())) break;
    const out = this.pending.subarray(0, Math.min(n, this.pending.length));
    this.pending = this.pending.subarray(out.length);
    this.position += out.length;
    return Buffer.from(out);
  }

  /** Hands the next `n` bytes to `sink` chunk by chunk; returns how many there were (< n when the stream ended). */
  async pass(n: number, sink: (chunk: Buffer) => void | Promise<void>): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.pending.length === 0 && !(await this.fill())) break;
      const chunk = this.pending.subarray(0, Math.min(left, this.pending.length));
      this.pending = this.pending.subarray(chunk.length);
      this.position += chunk.length;
      left -= chunk.length;
      await sink(chunk);
    }
    return n - left;
  }

  /** Consumes everything left, handing it to `sink`; returns the byte count. */
  async drain(sink: (chunk: Buffer) => void = () => undefined): Promise<number> {
    let total = 0;
    for (;;) {
      if (this.pending.length === 0 && !(await this.fill())) return total;
      const chunk = this.pending;
      this.pending = Buffer.alloc(0);
      this.position += chunk.length;
      total += chunk.length;
      sink(chunk);
    }
  }
}
