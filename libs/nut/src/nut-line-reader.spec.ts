import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NutLineTooLongError } from './nut-errors';
import { NutLineReader } from './nut-line-reader';

describe('NutLineReader', () => {
  it('splits on LF, strips a trailing CR, keeps partial lines across chunks', () => {
    const reader = new NutLineReader(100);
    assert.deepEqual(reader.push(Buffer.from('OK\nVAR a b "c"\r\nBEG')), ['OK', 'VAR a b "c"']);
    assert.equal(reader.bufferedBytes, 3);
    assert.deepEqual(reader.push(Buffer.from('IN LIST')), []);
    assert.deepEqual(reader.push(Buffer.from(' UPS\n\n')), ['BEGIN LIST UPS', '']);
    assert.equal(reader.bufferedBytes, 0);
  });

  it('accepts a line of exactly the limit and refuses one byte more', () => {
    assert.deepEqual(new NutLineReader(4).push(Buffer.from('abcd\n')), ['abcd']);
    assert.throws(() => new NutLineReader(4).push(Buffer.from('abcde\n')), NutLineTooLongError);
  });

  it('fails as soon as a line without newline grows past the limit', () => {
    const reader = new NutLineReader(10);
    reader.push(Buffer.from('12345'));
    assert.throws(() => reader.push(Buffer.from('678901')), NutLineTooLongError);
  });

  it('decodes binary bytes without throwing', () => {
    const reader = new NutLineReader(100);
    const [line] = reader.push(Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x0a]));
    assert.equal(line?.length, 4);
  });
});
