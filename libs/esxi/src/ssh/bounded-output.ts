/** Collects a stream's chunks up to a byte limit; reports when the limit is crossed. */
export class BoundedOutput {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limitBytes: number) {}

  /** Returns false once the total exceeds the limit (the chunk is then dropped). */
  push(chunk: Buffer): boolean {
    if (this.size + chunk.length > this.limitBytes) return false;
    this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  /** The last `bytes` bytes (fewer if less was collected), one character per byte (latin1). */
  tail(bytes: number): string {
    const parts: Buffer[] = [];
    let needed = bytes;
    for (let i = this.chunks.length - 1; i >= 0 && needed > 0; i -= 1) {
      const chunk = this.chunks[i] as Buffer;
      const part = chunk.length > needed ? chunk.subarray(chunk.length - needed) : chunk;
      parts.unshift(part);
      needed -= part.length;
    }
    return Buffer.concat(parts).toString('latin1');
  }

  /** The first `bytes` bytes (fewer if less was collected), one character per byte (latin1). */
  head(bytes: number): string {
    return Buffer.concat(this.chunks).subarray(0, bytes).toString('latin1');
  }

  /** Forgets the first `bytes` bytes collected. */
  dropFirst(bytes: number): void {
    this.chunks = [Buffer.concat(this.chunks).subarray(Math.min(bytes, this.size))];
    this.size = Math.max(0, this.size - bytes);
  }

  /** Forgets the last `bytes` bytes collected. */
  dropLast(bytes: number): void {
    const keep = Math.max(0, this.size - bytes);
    this.chunks = [Buffer.concat(this.chunks).subarray(0, keep)];
    this.size = keep;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
