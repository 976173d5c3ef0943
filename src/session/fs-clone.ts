// A deep copy of a MemFS, so every replay of a session starts from the same package tree (a run may
// write to its FS when the policy allows it). The copy keeps entry order, times and hard-link identity;
// inode numbers are handed out again in the same walk order, so every copy numbers alike (the guest
// can see inode numbers, and replays must be identical).

import type { DirNode, Node } from '../wasi-vfs/fs.ts';
import { MemFS } from '../wasi-vfs/fs.ts';

export function cloneFs(src: MemFS): MemFS {
  const dst = new MemFS({ now: () => 0n, maxFileSize: src.maxFileSize, maxTotalBytes: src.maxTotalBytes, firstIno: src.root.ino });
  const seen = new Map<Node, Node>();
  const times = (from: Node, to: Node) => {
    to.atim = from.atim;
    to.mtim = from.mtim;
    to.ctim = from.ctim;
    to.version = from.version;
  };
  const walk = (from: DirNode, to: DirNode) => {
    for (const [name, node] of from.entries) {
      const linked = seen.get(node);
      if (linked) {
        dst.link(linked, to, name);
        continue;
      }
      let copy: Node;
      if (node.kind === 'dir') {
        copy = dst.mkdir(to, name);
        walk(node, copy);
      } else if (node.kind === 'file') {
        copy = dst.createFile(to, name, node.data.view());
      } else {
        copy = dst.symlink(to, name, node.target);
      }
      seen.set(node, copy);
    }
  };
  walk(src.root, dst.root);
  // Times last: creating entries touches their directory, and link() touches the node.
  times(src.root, dst.root);
  for (const [from, to] of seen) {
    times(from, to);
    // Exact link counts (a name outside the tree, e.g. an unlinked open file, is not copied).
    if (from.kind !== 'dir' && to.kind !== 'dir') to.nlink = from.nlink;
  }
  dst.now = src.now;
  return dst;
}
