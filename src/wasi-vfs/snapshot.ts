// Host state snapshots (issue #6, time travel from checkpoints): everything a WASI host keeps between two
// syscalls, so a later restore() into this host, or into a fresh host built with the same options, makes
// the next syscalls behave exactly as they did. That is the MemFS tree and counters, the fd table, the
// "ask" answers, the clock and random state, the stdin position, and the trace.
//
// The tree is copied node by node (entry order, inode numbers, times, versions, link counts and hard-link
// identity kept, plus nodes only an fd still reaches: an unlinked open file, a removed directory), but file
// bytes are shared copy-on-write (FileData.fork), so a snapshot costs O(nodes), not O(bytes). A snapshot
// owns its copy and is never changed: restore() copies it again.
//
// Not covered: a learn-mode policy's memory of what it allowed (PolicyEngine keeps it privately), so
// WasiHost.snapshot() refuses learn mode; and real clocks or random, which no snapshot can make repeat.

import type { FdEntry } from './context.ts';
import type { DirNode, MemFS, Node } from './fs.ts';
import type { TraceSnapshot } from './trace.ts';

export interface HostSnapshot {
  readonly root: DirNode;
  readonly fsCounters: ReturnType<MemFS['counters']>;
  readonly fds: [number, FdEntry][];
  readonly fdHint: number;
  readonly askAnswers: [string, 'allow' | 'deny'][];
  readonly clock: bigint | undefined;
  readonly random: Uint32Array | undefined;
  readonly stdinPos: number;
  readonly trace: TraceSnapshot | undefined;
  /** Nodes copied (for a memory estimate). */
  readonly nodes: number;
}

/**
 * Copy every node reachable from `starts` (entries and parent links), iteratively so a deep tree cannot
 * overflow the JS stack. `memo` maps each original to its copy.
 */
export function copyNodes(starts: Node[], memo: Map<Node, Node>): void {
  const dirs: DirNode[] = [];
  const get = (n: Node): Node => {
    let c = memo.get(n);
    if (c) return c;
    if (n.kind === 'file') c = { ...n, data: n.data.fork() };
    else if (n.kind === 'symlink') c = { ...n };
    else {
      c = { ...n, entries: new Map(), parent: null };
      dirs.push(n);
    }
    memo.set(n, c);
    return c;
  };
  for (const s of starts) get(s);
  for (let d = dirs.pop(); d; d = dirs.pop()) {
    const c = memo.get(d) as DirNode;
    for (const [name, child] of d.entries) c.entries.set(name, get(child));
    c.parent = d.parent ? (get(d.parent) as DirNode) : null;
  }
}

/** The fd table with nodes mapped through `memo` (after copyNodes over the fds' nodes). */
export function mapFds(fds: Iterable<[number, FdEntry]>, memo: Map<Node, Node>): [number, FdEntry][] {
  const out: [number, FdEntry][] = [];
  for (const [fd, e] of fds) {
    const c: FdEntry = { ...e };
    if (e.node) c.node = memo.get(e.node);
    if (e.root) c.root = memo.get(e.root) as DirNode;
    out.push([fd, c]);
  }
  return out;
}

/** Nodes an fd table holds (opened files and dirs, and the preopens they stay under). */
export function fdNodes(fds: Iterable<[number, FdEntry]>): Node[] {
  const out: Node[] = [];
  for (const [, e] of fds) {
    if (e.node) out.push(e.node);
    if (e.root) out.push(e.root);
  }
  return out;
}

/** Distinct file byte buffers under a snapshot's tree (shared ones count once when a caller dedupes). */
export function snapshotBuffers(s: HostSnapshot): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<Node>();
  const todo: Node[] = [s.root, ...fdNodes(s.fds)];
  for (let n = todo.pop(); n; n = todo.pop()) {
    if (seen.has(n)) continue;
    seen.add(n);
    if (n.kind === 'file') out.push(n.data.backing);
    else if (n.kind === 'dir') for (const c of n.entries.values()) todo.push(c);
  }
  return out;
}
