import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shellQuote } from './shell-quote';

// What a real /bin/sh makes of the quoted values: shell-quote.integration.spec.ts.
describe('shellQuote', () => {
  it('quotes plain words too, so the rule has no exception', () => {
    assert.equal(shellQuote(['esxcli', 'system', 'version', 'get']), "'esxcli' 'system' 'version' 'get'");
    assert.equal(shellQuote(["it's"]), "'it'\\''s'");
  });

  it('rejects NUL bytes and empty argv', () => {
    assert.throws(() => shellQuote(['a\0b']), TypeError);
    assert.throws(() => shellQuote([]), TypeError);
  });
});
