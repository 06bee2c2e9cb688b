/**
 * Splits the byte stream from upsd into LF-terminated lines, with a hard cap on how many bytes
 * may wait for a newline: a server streaming an endless line must fail fast, not eat memory.
 */
import { NutLineTooLongError } from './nut-errors';

const LF = 0x0a;

export class NutLineReader {
  private pending: Buffer[] = [];
  private pendingLength = 0;

  constructor(private readonly maxLineLength: number) {}

  /** Bytes received but not yet ended by a newline. */
  get bufferedBytes(): number {
    return this.pendingLength;
  }

  /**
   * Feeds a chunk and returns every line it completes (without LF and trailing CR).
   * Throws NutLineTooLongError once a line exceeds the cap; the reader is then unusable.
   */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(LF, start);
      if (newline === -1) break;
      const piece = chunk.subarray(start, newline);
      this.checkLength(this.pendingLength + piece.length);
      const bytes = this.pendingLength === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingLength = 0;
      lines.push(decodeLine(bytes));
      start = newline + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.checkLength(this.pendingLength + rest.length);
      // Copy: the socket may reuse the chunk's memory.
      this.pending.push(Buffer.from(rest));
      this.pendingLength += rest.length;
    }
    return lines;
  }

  private checkLength(length: number): void {
    if (length > this.maxLineLength) {
      this.pending = [];
      this.pendingLength = 0;
      throw new NutLineTooLongError(this.maxLineLength);
    }
  }
}

// latin1 maps every byte to one char, so binary garbage never throws; upsd itself only sends ASCII.
function decodeLine(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
