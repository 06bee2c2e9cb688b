import assert from 'node:assert/strict';
import { test } from 'node:test';

import { maskArgv, maskSecrets } from './secret-mask';
import { shellQuote } from './shell-quote';

test('secret arguments are masked whole, or where they appear inside an argument', () => {
  const argv = ['esxcli', 'system', 'settings', 'advanced', 'set', '-o', '/UserVars/NutPassword', '-s', "it's-s3cret"];
  assert.equal(
    shellQuote(maskArgv(argv, ["it's-s3cret"])),
    "'esxcli' 'system' 'settings' 'advanced' 'set' '-o' '/UserVars/NutPassword' '-s' '***'",
  );
  assert.deepEqual(maskArgv(['--password=hunter22'], ['hunter22']), ['--password=***']);
  assert.deepEqual(maskArgv(['a', 'b'], undefined), ['a', 'b']);
});

test('free text: every occurrence masked; secrets under 4 characters only masked as whole arguments', () => {
  assert.equal(maskSecrets('x hunter22 y hunter22', ['hunter22']), 'x *** y ***');
  assert.equal(maskSecrets('a bc abc', ['bc']), 'a bc abc');
  assert.deepEqual(maskArgv(['-s', 'bc'], ['bc']), ['-s', '***']);
  assert.equal(maskSecrets('untouched', []), 'untouched');
});
