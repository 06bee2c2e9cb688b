import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { parseVmToolsState } from './vm-tools-state.parser';

const guest = (fields: string): string =>
  `(vim.vm.GuestInfo) {\n   ${fields}\n   guestId = "debian11_64Guest",\n   net = (vim.vm.GuestInfo.NicInfo) [\n   ],\n}`;

describe('parseVmToolsState', () => {
  test('running, also while executing scripts', () => {
    assert.equal(
      parseVmToolsState(guest('toolsStatus = "toolsOk",\n   toolsRunningStatus = "guestToolsRunning",')),
      'running',
    );
    assert.equal(parseVmToolsState(guest('toolsRunningStatus = "guestToolsExecutingScripts",')), 'running');
  });

  test('not running, and not installed (which wins over the running status)', () => {
    assert.equal(
      parseVmToolsState(guest('toolsStatus = "toolsNotRunning",\n   toolsRunningStatus = "guestToolsNotRunning",')),
      'notRunning',
    );
    assert.equal(
      parseVmToolsState(guest('toolsStatus = "toolsNotInstalled",\n   toolsRunningStatus = "guestToolsNotRunning",')),
      'notInstalled',
    );
  });

  test('older builds report only toolsStatus; anything else is unknown', () => {
    assert.equal(parseVmToolsState(guest('toolsStatus = "toolsOld",')), 'running');
    assert.equal(parseVmToolsState(guest('toolsStatus = "toolsNotRunning",')), 'notRunning');
    assert.equal(parseVmToolsState(guest('toolsStatus = <unset>,')), 'unknown');
    assert.equal(parseVmToolsState(''), 'unknown');
  });
});
