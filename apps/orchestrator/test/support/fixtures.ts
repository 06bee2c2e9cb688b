/** Credentials the tests create, searched for in every response and log line afterwards. */
export const SECRETS = {
  nutPassword: 'nut-S3cret-pa55word-7781',
  hostPassword: 'root-S3cret-pa55word-4412',
  privateKey:
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACBzZWNyZXQta2V5LW1hdGVyaWFsLWZvci10ZXN0cy0xMjM0NTY3OAAAAJg=\n-----END OPENSSH PRIVATE KEY-----\n',
};

/** The distinctive middle of the private key: found even if only a line of it leaked. */
export const PRIVATE_KEY_MARKER = 'c2VjcmV0LWtleS1tYXRlcmlhbC1mb3ItdGVzdHMtMTIzNDU2Nzg';

export function fingerprint(seed: number): string {
  return 'SHA256:' + Buffer.alloc(32, seed).toString('base64').replace(/=+$/, '');
}
