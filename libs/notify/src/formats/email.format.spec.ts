import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { sampleMessage } from '../../test/sample-message';
import { renderEmail } from './email.format';

describe('renderEmail', () => {
  test('severity-tagged one-line subject (no header injection), aligned fields in the body', () => {
    const mail = renderEmail(sampleMessage);
    assert.equal(mail.subject, '[nutfleet WARNING] UPS ups1@nut:3493 is on battery Bcc: evil@example.com');
    assert.match(mail.text, /^Mains failed/);
    assert.match(mail.text, /Battery charge: 80 %/);
    assert.match(mail.text, /UPS:\s+ups1@nut:3493/);
    assert.match(mail.text, /Event:\s+ups\.on-battery \(WARNING\)/);
    assert.match(mail.text, /-- nutfleet\n$/);
  });
});
