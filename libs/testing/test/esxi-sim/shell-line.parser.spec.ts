import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShellLine } from '../../src/esxi-sim';

describe('parseShellLine', () => {
  it('splits words and honours single quotes, double quotes and backslashes', () => {
    const p = parseShellLine(`esxcli a 'b c' "d e" f\\ g 'it'\\''s' "x\\"y" ''`);
    assert.deepEqual(p.commands[0]?.argv, ['esxcli', 'a', 'b c', 'd e', 'f g', "it's", 'x"y', '']);
    assert.deepEqual(p.expansions, []);
  });

  it('keeps $(), backticks, ;, |, newlines and non-ASCII literal inside single quotes', () => {
    const value = 'p$(reboot)`id`;|&&\n"é€😀\\';
    const p = parseShellLine(`echo '${value}'`);
    assert.deepEqual(p.commands, [{ argv: ['echo', value], redirections: [] }]);
    assert.deepEqual(p.expansions, []);
  });

  it('reports expansions a shell would perform, unquoted or in double quotes', () => {
    const p = parseShellLine('echo $(reboot) "a`id`b" $HOME ${X}');
    assert.deepEqual(p.expansions, ['$(reboot)', '`id`', '$HOME', '${X}']);
    assert.deepEqual(p.commands[0]?.argv, ['echo', 'ab']);
  });

  it('splits command lists and parses redirections', () => {
    const p = parseShellLine('a 2>&1; b && c || d | e >/dev/null');
    assert.deepEqual(
      p.commands.map((c) => [c.argv[0], c.next]),
      [
        ['a', ';'],
        ['b', '&&'],
        ['c', '||'],
        ['d', '|'],
        ['e', undefined],
      ],
    );
    assert.deepEqual(p.commands[0]?.redirections, [{ fd: 2, target: '&1', append: false }]);
    assert.deepEqual(p.commands[4]?.redirections, [{ fd: 1, target: '/dev/null', append: false }]);
  });

  it('flags an unterminated quote as a syntax error', () => {
    assert.equal(parseShellLine("echo 'open").syntaxError, 'Unterminated quoted string');
  });
});
