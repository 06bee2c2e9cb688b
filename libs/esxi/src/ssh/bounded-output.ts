/** Collects a stream's chunks up to a byte limit; reports when the limit is crossed. */
export class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limitBytes: number) {}

  /** Returns false once the total exceeds the limit (the chunk is then dropped). */
  push(chunk: Buffer): boolean {
    if (this.size + chunk.length > this.limitBytes) return false;
    this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
