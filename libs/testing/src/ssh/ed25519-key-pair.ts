import { utils } from 'ssh2';

export interface Ed25519KeyPair {
  readonly private: string;
  readonly public: string;
}

/**
 * A client or host key pair for tests. ssh2's generateKeyPairSync('ed25519') now and then
 * (about 1 in 400 draws) writes a key that its own parser rejects as malformed, the private half
 * or the public line; a test that drew one would fail for no reason of its own, so draw again
 * until both halves read back.
 */
export function generateEd25519KeyPair(): Ed25519KeyPair {
  for (let attempt = 1; ; attempt += 1) {
    const pair = utils.generateKeyPairSync('ed25519');
    const readsBack =
      !(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error);
    if (readsBack) return pair;
    if (attempt >= 50) throw new Error('ssh2 wrote 50 unreadable ed25519 key pairs in a row');
  }
}
