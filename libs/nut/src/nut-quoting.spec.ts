import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NutArgumentError, NutProtocolError } from './nut-errors';
import { describeNutCommand, encodeNutArgument, encodeNutCommand, tokenizeNutLine } from './nut-quoting';

describe('encodeNutArgument', () => {
  it('always quotes and escapes backslash, quote and hash', () => {
    assert.equal(encodeNutArgument('ups1'), '"ups1"');
    assert.equal(encodeNutArgument(''), '""');
    assert.equal(encodeNutArgument('a b'), '"a b"');
    assert.equal(encodeNutArgument('say "hi"'), '"say \\"hi\\""');
    assert.equal(encodeNutArgument('C:\\path'), '"C:\\\\path"');
    assert.equal(encodeNutArgument('#1'), '"\\#1"');
    assert.equal(encodeNutArgument('a=b'), '"a=b"');
  });

  it('refuses characters upsd would silently drop', () => {
    for (const bad of ['a\nb', 'tab\there', 'nul\0', 'caf\u00e9', '\u20ac', '\x7f']) {
      assert.throws(() => encodeNutArgument(bad), NutArgumentError, JSON.stringify(bad));
    }
  });
});

describe('encodeNutCommand / describeNutCommand', () => {
  it('sends keywords bare and arguments quoted, newline-terminated', () => {
    assert.equal(
      encodeNutCommand({ keywords: ['GET', 'VAR'], args: ['ups1', 'ups.status'] }),
      'GET VAR "ups1" "ups.status"\n',
    );
    assert.equal(encodeNutCommand({ keywords: ['LIST', 'UPS'] }), 'LIST UPS\n');
  });

  it('refuses a keyword that is not a bare word', () => {
    assert.throws(() => encodeNutCommand({ keywords: ['GET VAR'] }), NutArgumentError);
    assert.throws(() => encodeNutCommand({ keywords: ['get'] }), NutArgumentError);
  });

  it('redacts secret arguments', () => {
    assert.equal(describeNutCommand({ keywords: ['PASSWORD'], args: ['s3cret'], secretArgs: [0] }), 'PASSWORD "***"');
    assert.equal(describeNutCommand({ keywords: ['SET', 'VAR'], args: ['u', 'v', 'x'] }), 'SET VAR "u" "v" "x"');
  });
});

describe('tokenizeNutLine', () => {
  const cases: [string, string[]][] = [
    ['VAR ups1 ups.status "OL"', ['VAR', 'ups1', 'ups.status', 'OL']],
    ['VAR ups1 ups.status "OB LB"', ['VAR', 'ups1', 'ups.status', 'OB LB']],
    ['UPS dummy "Test \\"quoted\\" UPS \\# hash"', ['UPS', 'dummy', 'Test "quoted" UPS # hash']],
    ['VAR u v ""', ['VAR', 'u', 'v', '']],
    ['VAR u v "a\\\\b"', ['VAR', 'u', 'v', 'a\\b']],
    ['  spaced\t\tout  ', ['spaced', 'out']],
    ['OK', ['OK']],
    ['', []],
    ['word # comment "unbalanced', ['word']],
    ['esc\\ aped', ['esc aped']],
    ['ab"cd ef"gh', ['abcd efgh']],
    ['trailing\r', ['trailing']],
    ['inner "quoted # hash"', ['inner', 'quoted # hash']],
  ];
  for (const [line, words] of cases) {
    it(`splits ${JSON.stringify(line)}`, () => assert.deepEqual(tokenizeNutLine(line), words));
  }

  it('rejects an unterminated quote and a dangling backslash', () => {
    assert.throws(() => tokenizeNutLine('VAR u v "OL'), NutProtocolError);
    assert.throws(() => tokenizeNutLine('VAR u v OL\\'), NutProtocolError);
  });

  it('round-trips every printable ASCII string through encode + tokenize', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 2000; n += 1) {
      const length = Math.floor(random() * 20);
      let value = '';
      for (let i = 0; i < length; i += 1) value += String.fromCharCode(0x20 + Math.floor(random() * 95));
      assert.deepEqual(tokenizeNutLine(`X ${encodeNutArgument(value)}`), ['X', value]);
    }
  });
});
