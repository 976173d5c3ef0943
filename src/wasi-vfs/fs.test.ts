import { describe, expect, it } from 'vitest';
import { E, WasiErrno } from './constants.ts';
import { FileData } from './file-data.ts';
import { MemFS } from './fs.ts';
import { snapshotTree, diffTrees } from './tree-diff.ts';

describe('FileData', () => {
  it('appends grow capacity geometrically (amortised O(1) per byte, not O(n²))', () => {
    const f = new FileData();
    const chunk = new Uint8Array(10).fill(7);
    let reallocations = 0;
    let cap = f.capacity;
    for (let i = 0; i < 100_000; i++) {
      f.write(f.size, chunk);
      if (f.capacity !== cap) {
        reallocations++;
        cap = f.capacity;
      }
    }
    expect(f.size).toBe(1_000_000);
    expect(reallocations).toBeLessThanOrEqual(Math.ceil(Math.log2(1_000_000 / 64)) + 1);
    expect(f.capacity).toBeLessThan(2 * f.size + 64);
  });

  it('writes past the end zero-fill the gap; resize shrinks and grows', () => {
    const f = new FileData(new Uint8Array([1, 2]));
    f.write(5, new Uint8Array([9]));
    expect([...f.view()]).toEqual([1, 2, 0, 0, 0, 9]);
    f.resize(1);
    f.resize(3);
    expect([...f.view()]).toEqual([1, 0, 0]);
  });

  it('reads a large file in big slices without copying the whole file each time', () => {
    const big = new Uint8Array(64 << 20);
    big[big.length - 1] = 42;
    const f = new FileData(big);
    const dst = new Uint8Array(1 << 20);
    let total = 0;
    for (let off = 0; off < f.size; off += dst.length) total += f.readInto(off, dst);
    expect(total).toBe(big.length);
    expect(dst[dst.length - 1]).toBe(42);
  });
});

describe('MemFS', () => {
  it('hands out sequential inode numbers and uses the given clock', () => {
    const fs = new MemFS({ now: () => 5n, firstIno: 10 });
    const d = fs.mkdir(fs.root, 'd');
    const f = fs.createFile(d, 'f');
    expect([fs.root.ino, d.ino, f.ino]).toEqual([10, 11, 12]);
    expect(f.mtim).toBe(5n);
  });

  it('enforces the file size cap with fbig', () => {
    const fs = new MemFS({ maxFileSize: 100 });
    const f = fs.createFile(fs.root, 'f');
    expect(() => fs.writeFile(f, 90, new Uint8Array(20))).toThrow(WasiErrno);
    try {
      fs.truncate(f, 101);
    } catch (e) {
      expect((e as WasiErrno).errno).toBe(E.fbig);
    }
  });

  it('caps the total bytes of all files with nospc, and frees the bytes of unlinked files', () => {
    const fs = new MemFS({ maxTotalBytes: 100 });
    const a = fs.createFile(fs.root, 'a');
    fs.writeFile(a, 0, new Uint8Array(60));
    const b = fs.createFile(fs.root, 'b');
    expect(() => fs.writeFile(b, 0, new Uint8Array(50))).toThrow(WasiErrno);
    fs.unlink(fs.root, 'a');
    fs.writeFile(b, 0, new Uint8Array(50));
    expect(fs.usedBytes).toBe(50);
    fs.truncate(b, 10);
    expect(fs.usedBytes).toBe(10);
  });

  it('rename follows rename(2): replacing files, refusing non-empty directories and cycles', () => {
    const fs = new MemFS();
    const a = fs.mkdir(fs.root, 'a');
    fs.mkdir(a, 'inner');
    fs.mkdir(fs.root, 'b');
    fs.createFile(fs.root, 'x');
    fs.createFile(fs.root, 'y');
    fs.rename(fs.root, 'x', fs.root, 'y');
    expect([...fs.root.entries.keys()].sort()).toEqual(['a', 'b', 'y']);
    expect(() => fs.rename(fs.root, 'b', fs.root, 'a')).toThrow(WasiErrno);
    expect(() => fs.rename(fs.root, 'a', a, 'self')).toThrow(WasiErrno);
    expect(() => fs.rename(fs.root, 'y', fs.root, 'b')).toThrow(WasiErrno);
  });

  it('diffs trees: created, modified, deleted', () => {
    const fs = new MemFS();
    fs.createFile(fs.root, 'keep');
    const mod = fs.createFile(fs.root, 'mod');
    fs.createFile(fs.root, 'gone');
    const before = snapshotTree(fs.root);
    fs.writeFile(mod, 0, new Uint8Array([1]));
    fs.unlink(fs.root, 'gone');
    fs.mkdir(fs.root, 'out');
    expect(diffTrees(before, snapshotTree(fs.root))).toEqual([
      { path: 'gone', change: 'deleted', kind: 'file' },
      { path: 'mod', change: 'modified', kind: 'file' },
      { path: 'out', change: 'created', kind: 'dir' },
    ]);
  });
});
