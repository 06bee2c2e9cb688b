import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutputParseError } from '../parsing/output-parse-error';
import { parseGetAllVms, VmListParseError } from './vim-cmd-getallvms.parser';

const HEADER = 'Vmid      Name                 File                            Guest OS          Version   Annotation';

/** Rows as vimsh pads them: the id in 7 columns, the name and the file padded, the rest as is. */
function row(id: number, name: string, file: string, guest = 'otherGuest', version = 'vmx-19', note = ''): string {
  return `${String(id).padEnd(7)}${name.padEnd(24)}${file.padEnd(40)}${guest.padEnd(24)}${version.padEnd(10)}${note}`;
}

const names = (text: string): Array<[number, string]> => parseGetAllVms(text).vms.map((vm) => [vm.id, vm.name]);

describe('parseGetAllVms: hostile but valid names', () => {
  it('a name with a line break is one VM, whose row spans two lines', () => {
    const text = [
      HEADER,
      row(1, 'nutsrv', '[datastore1] nutsrv/nutsrv.vmx', 'debian11_64Guest'),
      row(2, 'web\nfront', '[datastore1] web/web.vmx', 'ubuntu64Guest', 'vmx-17', 'owner: ops'),
      row(3, 'db', '[datastore1] db/db.vmx'),
      '',
    ].join('\n');
    const { vms } = parseGetAllVms(text);
    assert.deepEqual(
      vms.map((vm) => [vm.id, vm.name, vm.file, vm.guestOs, vm.version, vm.annotation]),
      [
        [1, 'nutsrv', '[datastore1] nutsrv/nutsrv.vmx', 'debian11_64Guest', 'vmx-19', ''],
        [2, 'web\nfront', '[datastore1] web/web.vmx', 'ubuntu64Guest', 'vmx-17', 'owner: ops'],
        [3, 'db', '[datastore1] db/db.vmx', 'otherGuest', 'vmx-19', ''],
      ],
    );
  });

  it('several line breaks, a first VM with one, and a name ending with one', () => {
    const text = [
      HEADER,
      row(4, 'a\nb\nc', '[ds1] a/a.vmx'),
      row(5, 'tail\n', '[ds1] t/t.vmx'),
      row(6, '\nlead', '[ds1] l/l.vmx'),
    ].join('\n');
    assert.deepEqual(names(text), [
      [4, 'a\nb\nc'],
      [5, 'tail'],
      [6, 'lead'],
    ]);
  });

  it('quotes, shell characters, brackets, unicode and spaces in names', () => {
    const hostile = [`it's "quoted"`, '$(poweroff); `id`', '[prod] web', 'web [prod]', 'ünïcødé ✓ 日本語 🔋', 'a  b'];
    const text = [HEADER, ...hostile.map((name, i) => row(10 + i, name, `[datastore 2] vm${i}/vm${i}.vmx`))].join('\n');
    assert.deepEqual(
      names(text),
      hostile.map((name, i) => [10 + i, name]),
    );
    assert.equal(parseGetAllVms(text).vms[3]?.datastore, 'datastore 2');
  });

  it('annotations over several lines, one starting with a number, stay annotations', () => {
    const text = [
      HEADER,
      row(1, 'vCenter', '[SSD] vCenter/vCenter.vmx', 'vmwarePhoton64Guest', 'vmx-10', 'VMware vCenter'),
      '2 vCPU, 12 GB',
      '',
      '42 is the answer',
      row(11, 'db01', '[SSD] db01/db01.vmx', 'rhel8_64Guest', 'vmx-14'),
    ].join('\n');
    const { vms } = parseGetAllVms(text);
    assert.deepEqual(
      vms.map((vm) => vm.id),
      [1, 11],
    );
    assert.equal(vms[0]?.annotation, 'VMware vCenter\n2 vCPU, 12 GB\n\n42 is the answer');
  });

  it('ids of several widths share the name column', () => {
    const text = [HEADER, row(7, 'a', '[ds] a/a.vmx'), row(1234, 'b', '[ds] b/b.vmx'), row(98765, 'c', '[ds] c/c.vmx')];
    assert.deepEqual(names(text.join('\n')), [
      [7, 'a'],
      [1234, 'b'],
      [98765, 'c'],
    ]);
  });
});

describe('parseGetAllVms: refuses what it cannot read, never a shorter list', () => {
  const refuses = (text: string, pattern: RegExp): void => {
    assert.throws(
      () => parseGetAllVms(text),
      (err: unknown) => err instanceof VmListParseError && err instanceof OutputParseError && pattern.test(err.message),
    );
  };

  it('a name whose second line starts like a row (id in the name column)', () => {
    refuses(
      [HEADER, row(1, 'a', '[ds] a/a.vmx'), row(2, 'evil\n3      more', '[ds] e/e.vmx')].join('\n'),
      /VM 2: no "\[datastore\] path.vmx {2}guest {2}vmx-NN" part.*line 3/,
    );
  });

  it('a row in a format it does not know (hardware version not vmx-NN)', () => {
    refuses(
      [HEADER, row(1, 'a', '[ds] a/a.vmx'), row(2, 'b', '[ds] b/b.vmx', 'otherGuest', 'hw19')].join('\n'),
      /VM 2: no/,
    );
    // Even when it is the last row, which a lenient reader would take for annotation text.
    refuses([HEADER, row(2, 'b', '[ds] b/b.vmx', 'otherGuest', '19')].join('\n'), /VM 2/);
  });

  it('a path cut by a line break (a VM created with such a name)', () => {
    refuses([HEADER, row(1, 'a', '[ds] a/a.vmx'), row(2, 'x\ny', '[ds] x\ny/x\ny.vmx')].join('\n'), /VM 2/);
  });

  it('a name holding a whole "[ds] path.vmx guest vmx-NN" part: two readings', () => {
    refuses(
      [HEADER, `1      x [a] b.vmx otherGuest vmx-1 [ds] y/y.vmx otherGuest vmx-19`].join('\n'),
      /can be read 2 ways/,
    );
  });

  it('the same id twice, and text before the first VM', () => {
    refuses([HEADER, row(1, 'a', '[ds] a/a.vmx'), row(1, 'b', '[ds] b/b.vmx')].join('\n'), /listed twice/);
    refuses([HEADER, 'garbage', row(1, 'a', '[ds] a/a.vmx')].join('\n'), /before the first VM/);
  });

  it('no header at all is an output error; an empty inventory is no VM', () => {
    assert.throws(() => parseGetAllVms('sh: vim-cmd: not found\n'), OutputParseError);
    assert.deepEqual(parseGetAllVms(`${HEADER}\n`), { vms: [], invalidVmIds: [] });
    assert.deepEqual(parseGetAllVms("Skipping invalid VM '8'\n"), { vms: [], invalidVmIds: [8] });
  });
});
