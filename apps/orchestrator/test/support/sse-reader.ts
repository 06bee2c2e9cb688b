import assert from 'node:assert/strict';

/** Reads an SSE body into a growing string; a read left pending by a timeout is reused, not lost. */
export function sseReader(body: ReadableStream<Uint8Array> | null): {
  text: () => string;
  until: (pattern: RegExp, ms: number) => Promise<boolean>;
} {
  assert.ok(body);
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let pending: ReturnType<typeof reader.read> | undefined;
  return {
    text: () => text,
    until: async (pattern, ms) => {
      const deadline = Date.now() + ms;
      while (!pattern.test(text)) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        pending ??= reader.read();
        const chunk = await Promise.race([
          pending,
          new Promise<null>((r) => setTimeout(() => r(null), Math.min(left, 500))),
        ]);
        if (chunk === null) continue;
        pending = undefined;
        if (chunk.done) return pattern.test(text);
        text += decoder.decode(chunk.value, { stream: true });
      }
      return true;
    },
  };
}
