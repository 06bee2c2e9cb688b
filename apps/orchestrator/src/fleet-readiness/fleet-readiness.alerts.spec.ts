import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readinessDraft } from './fleet-readiness.alerts';
import { type FleetReadinessView } from './fleet-readiness.service';

const at = Date.parse('2026-12-04T10:00:00Z');
const view: FleetReadinessView = {
  score: 70,
  hosts: [
    {
      hostId: 'h1',
      groupId: null,
      score: 45,
      checks: [
        {
          code: 'SSH_AUTH',
          ok: false,
          message: 'the stored credentials were refused: root@10.0.0.5:22',
          checkedAt: at,
        },
        { code: 'WOL_MAC', ok: true, message: 'Wake-on-LAN to 00:50:56:aa:bb:cc', checkedAt: at },
      ],
    },
    { hostId: 'h2', groupId: null, score: 100, checks: [] },
  ],
  groups: [],
  hostNames: new Map([
    ['h1', 'esx-01'],
    ['h2', 'esx-02'],
  ]),
  groupNames: new Map(),
};

describe('readiness notifications', () => {
  it('a host drop names the host, its score and its failing checks only, keyed by the crossing', () => {
    const since = new Date(at);
    const draft = readinessDraft({ subject: 'host:h1', direction: 'dropped', score: 45 }, view, since, 95);
    assert.equal(draft.dedupKey, `readiness:host:h1:${at}:dropped`);
    assert.equal(draft.message.eventType, 'readiness.dropped');
    assert.equal(draft.message.severity, 'WARNING');
    assert.equal(draft.message.title, 'Host esx-01 is not ready for the next outage (readiness 45 %)');
    assert.match(draft.message.text, /SSH_AUTH: the stored credentials were refused/);
    assert.doesNotMatch(draft.message.text, /WOL_MAC/);
    assert.deepEqual(draft.message.refs, { hostId: 'h1' });
  });

  it('a fleet drop lists the hosts below the threshold; a recovery is INFO under its own key', () => {
    const since = new Date(at);
    const fleet = readinessDraft({ subject: 'fleet', direction: 'dropped', score: 70 }, view, since, 95);
    assert.equal(fleet.message.title, 'The fleet is not ready for the next outage (readiness 70 %)');
    assert.match(fleet.message.text, /Hosts below the threshold: esx-01\./);
    assert.doesNotMatch(fleet.message.text, /esx-02/);
    const back = readinessDraft({ subject: 'host:h1', direction: 'recovered', score: 100 }, view, since, 95);
    assert.equal(back.dedupKey, `readiness:host:h1:${at}:recovered`);
    assert.equal(back.message.eventType, 'readiness.recovered');
    assert.equal(back.message.severity, 'INFO');
  });
});
