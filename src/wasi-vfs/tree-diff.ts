// Snapshot a MemFS tree and diff two snapshots: what a run created, modified and deleted. Uses node
// identity and the `version` counter, so it costs no content comparison.

import type { DirNode, Node } from './fs.ts';

export interface TreeEntry {
  kind: Node['kind'];
  node: Node;
  version: number;
}

export type TreeSnapshot = Map<string, TreeEntry>;

export interface TreeChange {
  path: string;
  change: 'created' | 'modified' | 'deleted';
  kind: Node['kind'];
}

export function snapshotTree(root: DirNode): TreeSnapshot {
  const out: TreeSnapshot = new Map();
  const walk = (dir: DirNode, prefix: string): void => {
    for (const [name, node] of dir.entries) {
      const p = prefix ? `${prefix}/${name}` : name;
      out.set(p, { kind: node.kind, node, version: node.version });
      if (node.kind === 'dir') walk(node, p);
    }
  };
  walk(root, '');
  return out;
}

/** Changes from `before` to `after`, sorted by path. Directory mtime changes alone are not reported. */
export function diffTrees(before: TreeSnapshot, after: TreeSnapshot): TreeChange[] {
  const changes: TreeChange[] = [];
  for (const [path, a] of after) {
    const b = before.get(path);
    if (!b || b.node !== a.node) changes.push({ path, change: b ? 'modified' : 'created', kind: a.kind });
    else if (a.kind !== 'dir' && b.version !== a.version) changes.push({ path, change: 'modified', kind: a.kind });
  }
  for (const [path, b] of before) if (!after.has(path)) changes.push({ path, change: 'deleted', kind: b.kind });
  return changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
