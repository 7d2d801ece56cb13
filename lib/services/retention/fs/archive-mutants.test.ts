/**
 * fs/archive.ts where StrykerJS found the act tests blind (issue #12): the tar framing byte for
 * byte (padding of every size class), a source shorter or longer than its size, a write that
 * fails, a header whose checksum is wrong (strict parsing), and the errors fsyncDirFd tolerates.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fsyncDirFd, readArchive, SourceChangedError, verifyArchiveFd, writeTarGz } from './archive';

let dir: string;
const fds: number[] = [];
const open = (p: string, flags: string | number) => {
  const fd = fs.openSync(p, flags);
  fds.push(fd);
  return fd;
};
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'steward-archm-')));
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const fd of fds.splice(0)) fs.closeSync(fd);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function archiveOf(content: Buffer, size = content.length): Promise<{ file: string; sha: string }> {
  const src = path.join(dir, 'src');
  fs.writeFileSync(src, content);
  const file = path.join(dir, `out-${crypto.randomUUID()}.tar.gz`);
  const sha = await writeTarGz(open(src, 'r'), open(file, 'w'), 'src', 0o640, size, 1_700_000_000_500);
  return { file, sha };
}

describe('writeTarGz framing', () => {
  it.each([0, 1, 511, 512, 513, 1024, 2000])('%i bytes: header, content padded to 512, two zero blocks', async (size) => {
    const content = crypto.randomBytes(size);
    const { file, sha } = await archiveOf(content);
    expect(sha).toBe(crypto.createHash('sha256').update(content).digest('hex'));
    const tarBytes = zlib.gunzipSync(fs.readFileSync(file));
    expect(tarBytes.length).toBe(512 + Math.ceil(size / 512) * 512 + 1024);
    expect(tarBytes.subarray(512, 512 + size).equals(content)).toBe(true);
    expect(tarBytes.subarray(512 + size).every((b) => b === 0)).toBe(true);
    const members = await readArchive(open(file, 'r'));
    expect(members).toEqual([{ path: 'src', type: 'File', size, mtimeMs: 1_700_000_000_000, sha256: sha }]);
  });

  it('a source shorter than its size fails with both counts', async () => {
    await expect(archiveOf(Buffer.from('ten bytes!'), 20)).rejects.toThrow(new SourceChangedError(10, 20));
    expect(new SourceChangedError(10, 20)).toMatchObject({ name: 'SourceChangedError', message: 'the file changed while it was read (10 bytes read, 20 expected)' });
  });

  it('a source longer than its size fails at the first chunk past it', async () => {
    await expect(archiveOf(Buffer.alloc(2_000_000, 1), 1000)).rejects.toThrow(new SourceChangedError(256 * 1024, 1000));
  });

  it('an output that cannot be written fails the write', async () => {
    const src = path.join(dir, 'src');
    fs.writeFileSync(src, 'content');
    fs.writeFileSync(path.join(dir, 'ro'), '');
    await expect(writeTarGz(open(src, 'r'), open(path.join(dir, 'ro'), 'r'), 'src', 0o644, 7, 0)).rejects.toMatchObject({ code: 'EBADF' });
  });
});

describe('readArchive / verifyArchiveFd', () => {
  it('a header with a wrong checksum is an error (strict), not a skipped member', async () => {
    const { file } = await archiveOf(Buffer.from('payload'));
    const tarBytes = zlib.gunzipSync(fs.readFileSync(file));
    tarBytes[0] = 'X'.charCodeAt(0); // the name's first byte: the header checksum no longer matches
    const bad = path.join(dir, 'bad.tar.gz');
    fs.writeFileSync(bad, zlib.gzipSync(tarBytes));
    const r = await verifyArchiveFd(open(bad, 'r'), { name: 'src', size: 7, mtimeMs: 0, sha256: '' });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(/^cannot be read back \(/);
  });
});

describe('fsyncDirFd', () => {
  it('syncs a directory; tolerates EINVAL (a FIFO), EISDIR and ENOTSUP; throws anything else', () => {
    fsyncDirFd(open(dir, 'r'));
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => fsyncDirFd(open(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK))).not.toThrow();
    const closed = fs.openSync(dir, 'r');
    fs.closeSync(closed);
    expect(() => fsyncDirFd(closed)).toThrow(/EBADF/);
    const spy = vi.spyOn(fs, 'fsyncSync');
    for (const code of ['EISDIR', 'ENOTSUP']) {
      spy.mockImplementationOnce(() => {
        throw Object.assign(new Error(code), { code });
      });
      expect(() => fsyncDirFd(0)).not.toThrow();
    }
    spy.mockImplementationOnce(() => {
      throw Object.assign(new Error('EIO'), { code: 'EIO' });
    });
    expect(() => fsyncDirFd(0)).toThrow('EIO');
    spy.mockImplementationOnce(() => undefined);
    fsyncDirFd(0);
    expect(spy).toHaveBeenCalledTimes(4);
  });
});
