/**
 * Server side of the SFTP subsystem over the host's in-memory file system. Failures use the
 * status codes OpenSSH's sftp-server (which ESXi ships) sends: a full disk is a plain
 * SSH_FX_FAILURE "Failure", a missing directory SSH_FX_NO_SUCH_FILE.
 */
import { utils, type Attributes, type SFTPWrapper } from 'ssh2';
import { HostFilesystem } from './host-filesystem';

const { OPEN_MODE, STATUS_CODE } = utils.sftp;

interface OpenHandle {
  path: string;
  directory: boolean;
  listed: boolean;
}

export interface SftpHostSide {
  /** Its free space (which a "no space left" fault shrinks) bounds every write. */
  files: HostFilesystem;
}

function fileAttrs(size: number, mode: number, mtime: number): Attributes {
  const t = Math.floor(mtime / 1000);
  return { mode, size, uid: 0, gid: 0, atime: t, mtime: t };
}

export function serveSftp(sftp: SFTPWrapper, host: SftpHostSide): void {
  const handles = new Map<number, OpenHandle>();
  let nextHandle = 1;
  const fs = host.files;

  const newHandle = (h: OpenHandle): Buffer => {
    const id = nextHandle++;
    handles.set(id, h);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id, 0);
    return b;
  };
  const lookup = (handle: Buffer): [number, OpenHandle | undefined] => {
    const id = handle.length === 4 ? handle.readUInt32BE(0) : -1;
    return [id, handles.get(id)];
  };
  const statPath = (reqid: number, path: string): void => {
    if (fs.isDirectory(path)) {
      sftp.attrs(reqid, fileAttrs(512, 0o40755, Date.now()));
      return;
    }
    const f = fs.file(path);
    if (f) sftp.attrs(reqid, fileAttrs(f.data.length, 0o100000 | f.mode, f.mtime));
    else sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, 'No such file');
  };

  sftp.on('OPEN', (reqid, filename, flags) => {
    const writing = (flags & OPEN_MODE.WRITE) !== 0;
    if (fs.isDirectory(filename)) return sftp.status(reqid, STATUS_CODE.FAILURE, 'Failure');
    if (!writing || !(flags & OPEN_MODE.CREAT)) {
      if (!fs.file(filename)) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, 'No such file');
      if (writing && flags & OPEN_MODE.TRUNC) fs.create(filename, true);
    } else {
      if (flags & OPEN_MODE.EXCL && fs.file(filename)) return sftp.status(reqid, STATUS_CODE.FAILURE, 'Failure');
      if (fs.create(filename, (flags & OPEN_MODE.TRUNC) !== 0) !== 'ok')
        return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, 'No such file');
    }
    sftp.handle(reqid, newHandle({ path: HostFilesystem.normalise(filename), directory: false, listed: false }));
  });

  sftp.on('WRITE', (reqid, handle, offset, data) => {
    const [, h] = lookup(handle);
    if (!h || h.directory) return sftp.status(reqid, STATUS_CODE.FAILURE, 'Failure');
    // ENOSPC included: OpenSSH's sftp-server maps every errno it does not know to FAILURE.
    const outcome = fs.write(h.path, offset, data);
    if (outcome !== 'ok') return sftp.status(reqid, STATUS_CODE.FAILURE, 'Failure');
    sftp.status(reqid, STATUS_CODE.OK);
  });

  sftp.on('READ', (reqid, handle, offset, length) => {
    const [, h] = lookup(handle);
    const f = h && fs.file(h.path);
    if (!f) return sftp.status(reqid, STATUS_CODE.FAILURE, 'Failure');
    if (offset >= f.data.length) return sftp.status(reqid, STATUS_CODE.EOF);
    sftp.data(reqid, f.data.subarray(offset, Math.min(f.data.length, offset + length)));
  });

  sftp.on('FSTAT', (reqid, handle) => {
    const [, h] = lookup(handle);
    if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE, 'Failure');
    statPath(reqid, h.path);
  });
  sftp.on('STAT', (reqid, path) => statPath(reqid, path));
  sftp.on('LSTAT', (reqid, path) => statPath(reqid, path));
  sftp.on('SETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));
  sftp.on('FSETSTAT', (reqid) => sftp.status(reqid, STATUS_CODE.OK));

  sftp.on('CLOSE', (reqid, handle) => {
    const [id, h] = lookup(handle);
    if (!h) return sftp.status(reqid, STATUS_CODE.FAILURE, 'Failure');
    handles.delete(id);
    sftp.status(reqid, STATUS_CODE.OK);
  });

  sftp.on('REALPATH', (reqid, path) => {
    const full = HostFilesystem.normalise(path === '' || path === '.' ? '/' : path);
    sftp.name(reqid, [{ filename: full, longname: full, attrs: fileAttrs(0, 0o40755, Date.now()) }]);
  });

  sftp.on('OPENDIR', (reqid, path) => {
    if (!fs.isDirectory(path)) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE, 'No such file');
    sftp.handle(reqid, newHandle({ path: HostFilesystem.normalise(path), directory: true, listed: false }));
  });

  sftp.on('READDIR', (reqid, handle) => {
    const [, h] = lookup(handle);
    if (!h || !h.directory) return sftp.status(reqid, STATUS_CODE.FAILURE, 'Failure');
    if (h.listed) return sftp.status(reqid, STATUS_CODE.EOF);
    h.listed = true;
    sftp.name(
      reqid,
      fs.listDirectory(h.path).map((e) => {
        const attrs = e.file
          ? fileAttrs(e.file.data.length, 0o100000 | e.file.mode, e.file.mtime)
          : fileAttrs(512, 0o40755, Date.now());
        return {
          filename: e.name,
          longname: `${e.file ? '-rw-r--r--' : 'drwxr-xr-x'}    1 root     root     ${attrs.size} Jan  1 00:00 ${e.name}`,
          attrs,
        };
      }),
    );
  });

  sftp.on('REMOVE', (reqid, path) => sftp.status(reqid, fs.remove(path) ? STATUS_CODE.OK : STATUS_CODE.NO_SUCH_FILE));
  sftp.on('RENAME', (reqid, from, to) =>
    sftp.status(reqid, fs.rename(from, to) ? STATUS_CODE.OK : STATUS_CODE.FAILURE),
  );
  sftp.on('MKDIR', (reqid, path) => sftp.status(reqid, fs.mkdir(path) ? STATUS_CODE.OK : STATUS_CODE.FAILURE));
  sftp.on('RMDIR', (reqid) => sftp.status(reqid, STATUS_CODE.FAILURE, 'Failure'));
  // OpenSSH's scp (SFTP mode) half-closes when done and waits for the server to close the channel.
  sftp.on('end', () => sftp.end());
}
