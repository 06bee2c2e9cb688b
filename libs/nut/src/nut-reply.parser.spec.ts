import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NutProtocolError } from './nut-errors';
import {
  listRowValues,
  parseCommandAck,
  parseErrReply,
  parseNamedValueReply,
  parseNutInteger,
  parseOkReply,
  parseOnOffReply,
  parseRangeRow,
  parseTrackingStatusReply,
  parseTypeReply,
  parseUpsRow,
  parseUpsValueReply,
  parseVersionReply,
} from './nut-reply.parser';

describe('reply parsers', () => {
  it('parseErrReply', () => {
    assert.deepEqual(parseErrReply('ERR ACCESS-DENIED'), { code: 'ACCESS-DENIED', extra: [] });
    assert.deepEqual(parseErrReply('ERR ACCESS-DENIED "SSL handshake failed"'), {
      code: 'ACCESS-DENIED',
      extra: ['SSL handshake failed'],
    });
    assert.deepEqual(parseErrReply('ERR X "broken'), { code: 'X', extra: ['"broken'] });
    assert.equal(parseErrReply('OK'), undefined);
    assert.equal(parseErrReply('ERRATIC'), undefined);
    assert.throws(() => parseErrReply('ERR'), NutProtocolError);
  });

  it('parseOkReply and parseCommandAck', () => {
    assert.deepEqual(parseOkReply('OK'), []);
    assert.deepEqual(parseOkReply('OK MASTER-GRANTED'), ['MASTER-GRANTED']);
    assert.throws(() => parseOkReply('KO'), NutProtocolError);
    assert.deepEqual(parseCommandAck('OK'), { trackingId: null });
    assert.deepEqual(parseCommandAck('OK TRACKING 1bd3-42'), { trackingId: '1bd3-42' });
    assert.throws(() => parseCommandAck('OK TRACKING'), NutProtocolError);
    assert.throws(() => parseCommandAck('OK SOMETHING ELSE'), NutProtocolError);
  });

  it('parseNamedValueReply checks the echo (case-insensitively) and the arity', () => {
    assert.equal(parseNamedValueReply('VAR ups1 ups.status "OB LB"', 'VAR', 'ups1', 'ups.status'), 'OB LB');
    assert.equal(parseNamedValueReply('VAR UPS1 ups.status "OL"', 'VAR', 'ups1', 'ups.status'), 'OL');
    assert.throws(
      () => parseNamedValueReply('VAR ups2 ups.status "OL"', 'VAR', 'ups1', 'ups.status'),
      NutProtocolError,
    );
    assert.throws(
      () => parseNamedValueReply('VAR ups1 battery.charge "1"', 'VAR', 'ups1', 'ups.status'),
      NutProtocolError,
    );
    assert.throws(() => parseNamedValueReply('VAR ups1 ups.status', 'VAR', 'ups1', 'ups.status'), NutProtocolError);
    assert.throws(
      () => parseNamedValueReply('VAR ups1 ups.status "a" "b"', 'VAR', 'ups1', 'ups.status'),
      NutProtocolError,
    );
    assert.throws(
      () => parseNamedValueReply('DESC ups1 ups.status "a"', 'VAR', 'ups1', 'ups.status'),
      NutProtocolError,
    );
  });

  it('parseUpsValueReply and parseNutInteger', () => {
    assert.equal(parseUpsValueReply('UPSDESC ups1 "Rack A"', 'UPSDESC', 'ups1'), 'Rack A');
    assert.equal(parseNutInteger(parseUpsValueReply('NUMLOGINS ups1 3', 'NUMLOGINS', 'ups1'), ''), 3);
    assert.throws(() => parseNutInteger('-1', 'x'), NutProtocolError);
    assert.throws(() => parseNutInteger('1e3', 'x'), NutProtocolError);
  });

  it('parseTypeReply', () => {
    assert.deepEqual(parseTypeReply('TYPE u v RW STRING:32', 'u', 'v'), {
      rw: true,
      enum: false,
      range: false,
      kind: 'STRING',
      maxLength: 32,
      words: ['RW', 'STRING:32'],
    });
    assert.deepEqual(parseTypeReply('TYPE u v RW ENUM NUMBER', 'u', 'v'), {
      rw: true,
      enum: true,
      range: false,
      kind: 'NUMBER',
      maxLength: null,
      words: ['RW', 'ENUM', 'NUMBER'],
    });
    assert.equal(parseTypeReply('TYPE u v RANGE NUMBER', 'u', 'v').range, true);
    assert.equal(parseTypeReply('TYPE u v FUTURE', 'u', 'v').kind, 'UNKNOWN');
    assert.throws(() => parseTypeReply('TYPE u v', 'u', 'v'), NutProtocolError);
  });

  it('tracking replies', () => {
    assert.equal(parseTrackingStatusReply('PENDING'), 'PENDING');
    assert.equal(parseTrackingStatusReply('SUCCESS'), 'SUCCESS');
    assert.equal(parseTrackingStatusReply('ERR UNKNOWN'), 'UNKNOWN');
    assert.equal(parseTrackingStatusReply('ERR FAILED'), 'FAILED');
    assert.equal(parseTrackingStatusReply('ERR INVALID-ARGUMENT'), 'INVALID-ARGUMENT');
    assert.throws(() => parseTrackingStatusReply('MAYBE'), NutProtocolError);
    assert.equal(parseOnOffReply('ON'), true);
    assert.equal(parseOnOffReply('OFF'), false);
    assert.throws(() => parseOnOffReply('on'), NutProtocolError);
  });

  it('parseVersionReply', () => {
    assert.equal(parseVersionReply('1.3'), '1.3');
    assert.throws(() => parseVersionReply('Network UPS Tools'), NutProtocolError);
  });

  it('LIST rows', () => {
    assert.deepEqual(parseUpsRow(['UPS', 'ups1', 'Rack A']), { name: 'ups1', description: 'Rack A' });
    assert.throws(() => parseUpsRow(['UPS', 'ups1']), NutProtocolError);
    assert.throws(() => parseUpsRow(['VAR', 'ups1', 'x']), NutProtocolError);
    assert.deepEqual(listRowValues(['VAR', 'ups1', 'a.b', '1'], 'VAR', ['ups1'], 2), ['a.b', '1']);
    assert.throws(() => listRowValues(['VAR', 'ups2', 'a.b', '1'], 'VAR', ['ups1'], 2), NutProtocolError);
    assert.deepEqual(parseRangeRow(['RANGE', 'u', 'v', '10', '20'], 'u', 'v'), { min: 10, max: 20 });
    assert.throws(() => parseRangeRow(['RANGE', 'u', 'v', 'x', '20'], 'u', 'v'), NutProtocolError);
  });
});
