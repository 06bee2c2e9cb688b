import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NutTestbed } from '@nutfleet/testing';
import {
  NutClient,
  NutTlsCertificateError,
  NutTlsUnavailableError,
  testNutConnection,
  type NutTlsOptions,
} from '../src';
import { createSelfSignedCertificate, type SelfSignedCertificate } from './tls-fixtures';

describe('STARTTLS against Debian upsd (NSS certificate)', () => {
  let tlsBed: NutTestbed;
  let plainBed: NutTestbed;
  let stranger: SelfSignedCertificate;
  let tls: NonNullable<NutTestbed['tls']>;
  before(async () => {
    [tlsBed, plainBed] = await Promise.all([NutTestbed.start({ upses: 1, tls: true }), NutTestbed.start({ upses: 1 })]);
    assert.ok(tlsBed.tls !== null);
    tls = tlsBed.tls;
    stranger = createSelfSignedCertificate();
  });
  after(() => Promise.all([tlsBed.stop(), plainBed.stop()]));

  async function connectAndRead(bed: NutTestbed, options: NutTlsOptions): Promise<boolean> {
    const client = await NutClient.connect(bed.connectOptions({ tls: options }));
    try {
      assert.equal(await client.getVar('ups1', 'ups.status'), 'OL');
      assert.equal(await client.protocolVersion(), '1.3');
      return client.tls;
    } finally {
      await client.close();
    }
  }

  it('opportunistic upgrades when the server offers TLS', async () => {
    assert.equal(await connectAndRead(tlsBed, { mode: 'opportunistic' }), true);
  });

  it('opportunistic stays in plaintext when the server does not offer TLS', async () => {
    assert.equal(await connectAndRead(plainBed, { mode: 'opportunistic' }), false);
  });

  it('off never sends STARTTLS', async () => {
    assert.equal(await connectAndRead(tlsBed, { mode: 'off' }), false);
  });

  it('required accepts the right CA', async () => {
    assert.equal(await connectAndRead(tlsBed, { mode: 'required', ca: tls.caPem, servername: tls.servername }), true);
  });

  it('required accepts the right pinned fingerprint (any format)', async () => {
    assert.equal(await connectAndRead(tlsBed, { mode: 'required', fingerprint256: tls.fingerprint256 }), true);
    assert.equal(
      await connectAndRead(tlsBed, {
        mode: 'required',
        fingerprint256: tls.fingerprint256.replace(/:/g, '').toLowerCase(),
      }),
      true,
    );
  });

  it('required refuses a server without TLS', async () => {
    await assert.rejects(
      NutClient.connect(plainBed.connectOptions({ tls: { mode: 'required', ca: tls.caPem } })),
      (error: unknown) => {
        assert.ok(error instanceof NutTlsUnavailableError);
        assert.match(error.message, /FEATURE-NOT-CONFIGURED/);
        return true;
      },
    );
  });

  it('required refuses a certificate from another CA', async () => {
    await assert.rejects(
      NutClient.connect(
        tlsBed.connectOptions({ tls: { mode: 'required', ca: stranger.certPem, servername: 'localhost' } }),
      ),
      NutTlsCertificateError,
    );
  });

  it('required refuses the right CA under the wrong name', async () => {
    await assert.rejects(
      NutClient.connect(
        tlsBed.connectOptions({ tls: { mode: 'required', ca: tls.caPem, servername: 'ups.example.org' } }),
      ),
      NutTlsCertificateError,
    );
  });

  it('required refuses a wrong pin', async () => {
    await assert.rejects(
      NutClient.connect(tlsBed.connectOptions({ tls: { mode: 'required', fingerprint256: stranger.fingerprint256 } })),
      NutTlsCertificateError,
    );
  });

  it('required without a CA or pin refuses a self-signed certificate (system CAs)', async () => {
    await assert.rejects(
      NutClient.connect(tlsBed.connectOptions({ tls: { mode: 'required', servername: 'localhost' } })),
      NutTlsCertificateError,
    );
  });

  it('opportunistic with a configured CA still refuses a wrong certificate', async () => {
    await assert.rejects(
      NutClient.connect(
        tlsBed.connectOptions({ tls: { mode: 'opportunistic', ca: stranger.certPem, servername: 'localhost' } }),
      ),
      NutTlsCertificateError,
    );
  });

  it('logs in over TLS, and upsd keeps serving other clients after refused handshakes', async () => {
    const result = await testNutConnection({
      ...tlsBed.connectOptions({ tls: { mode: 'required', fingerprint256: tls.fingerprint256 } }),
      credentials: tlsBed.monitor,
    });
    assert.equal(result.tls, true);
    assert.equal(result.loggedInTo, 'ups1');
  });
});
