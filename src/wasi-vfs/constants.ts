// wasi_snapshot_preview1 numeric constants with their names, from the witx in WebAssembly/WASI
// (legacy/preview1/witx/typenames.witx). Names are kept so the trace can print flags as words.

export const ERRNO_NAMES = [
  'success', '2big', 'acces', 'addrinuse', 'addrnotavail', 'afnosupport', 'again', 'already', 'badf', 'badmsg',
  'busy', 'canceled', 'child', 'connaborted', 'connrefused', 'connreset', 'deadlk', 'destaddrreq', 'dom', 'dquot',
  'exist', 'fault', 'fbig', 'hostunreach', 'idrm', 'ilseq', 'inprogress', 'intr', 'inval', 'io',
  'isconn', 'isdir', 'loop', 'mfile', 'mlink', 'msgsize', 'multihop', 'nametoolong', 'netdown', 'netreset',
  'netunreach', 'nfile', 'nobufs', 'nodev', 'noent', 'noexec', 'nolck', 'nolink', 'nomem', 'nomsg',
  'noprotoopt', 'nospc', 'nosys', 'notconn', 'notdir', 'notempty', 'notrecoverable', 'notsock', 'notsup', 'notty',
  'nxio', 'overflow', 'ownerdead', 'perm', 'pipe', 'proto', 'protonosupport', 'prototype', 'range', 'rofs',
  'spipe', 'srch', 'stale', 'timedout', 'txtbsy', 'xdev', 'notcapable',
] as const;

export type ErrnoName = (typeof ERRNO_NAMES)[number];

/** Errno values by name; `E.noent === 44`. */
export const E = Object.fromEntries(ERRNO_NAMES.map((n, i) => [n, i])) as { readonly [K in ErrnoName]: number };

export function errnoName(e: number): string {
  return ERRNO_NAMES[e] ?? `errno(${e})`;
}

/** An errno raised inside helpers and caught by the dispatcher, so deep code can bail out without threading codes. */
export class WasiErrno extends Error {
  constructor(readonly errno: number) {
    super(`wasi errno ${errnoName(errno)}`);
    this.name = 'WasiErrno';
  }
}

export const RIGHT_NAMES = [
  'fd_datasync', 'fd_read', 'fd_seek', 'fd_fdstat_set_flags', 'fd_sync', 'fd_tell', 'fd_write', 'fd_advise',
  'fd_allocate', 'path_create_directory', 'path_create_file', 'path_link_source', 'path_link_target', 'path_open',
  'fd_readdir', 'path_readlink', 'path_rename_source', 'path_rename_target', 'path_filestat_get',
  'path_filestat_set_size', 'path_filestat_set_times', 'fd_filestat_get', 'fd_filestat_set_size',
  'fd_filestat_set_times', 'path_symlink', 'path_remove_directory', 'path_unlink_file', 'poll_fd_readwrite',
  'sock_shutdown', 'sock_accept',
] as const;

export type RightName = (typeof RIGHT_NAMES)[number];
export const R = Object.fromEntries(RIGHT_NAMES.map((n, i) => [n, 1n << BigInt(i)])) as { readonly [K in RightName]: bigint };
export const ALL_RIGHTS = (1n << BigInt(RIGHT_NAMES.length)) - 1n;

/** Rights meaningful on a regular file (what an fd to a file can ever hold). */
export const FILE_RIGHTS =
  R.fd_datasync | R.fd_read | R.fd_seek | R.fd_fdstat_set_flags | R.fd_sync | R.fd_tell | R.fd_write | R.fd_advise |
  R.fd_allocate | R.fd_filestat_get | R.fd_filestat_set_size | R.fd_filestat_set_times | R.poll_fd_readwrite;

/** Rights meaningful on a directory. */
export const DIR_RIGHTS =
  R.fd_fdstat_set_flags | R.fd_sync | R.fd_datasync | R.fd_advise | R.path_create_directory | R.path_create_file |
  R.path_link_source | R.path_link_target | R.path_open | R.fd_readdir | R.path_readlink | R.path_rename_source |
  R.path_rename_target | R.path_filestat_get | R.path_filestat_set_size | R.path_filestat_set_times |
  R.fd_filestat_get | R.fd_filestat_set_times | R.path_symlink | R.path_remove_directory | R.path_unlink_file;

/** Rights of the stdio character devices. */
export const TTY_RIGHTS =
  R.fd_read | R.fd_write | R.fd_fdstat_set_flags | R.fd_filestat_get | R.poll_fd_readwrite | R.fd_sync | R.fd_datasync;

export const FILETYPE = {
  unknown: 0, block_device: 1, character_device: 2, directory: 3, regular_file: 4, socket_dgram: 5,
  socket_stream: 6, symbolic_link: 7,
} as const;

export const FDFLAGS = { append: 1, dsync: 2, nonblock: 4, rsync: 8, sync: 16 } as const;
export const OFLAGS = { creat: 1, directory: 2, excl: 4, trunc: 8 } as const;
export const LOOKUP_SYMLINK_FOLLOW = 1;
export const FSTFLAGS = { atim: 1, atim_now: 2, mtim: 4, mtim_now: 8 } as const;
export const WHENCE = { set: 0, cur: 1, end: 2 } as const;
export const WHENCE_NAMES = ['set', 'cur', 'end'];
export const CLOCKID = { realtime: 0, monotonic: 1, process_cputime_id: 2, thread_cputime_id: 3 } as const;
export const CLOCK_NAMES = ['realtime', 'monotonic', 'process_cputime_id', 'thread_cputime_id'];
export const EVENTTYPE = { clock: 0, fd_read: 1, fd_write: 2 } as const;
export const SUBCLOCK_ABSTIME = 1;
export const ADVICE_MAX = 5;
export const PREOPENTYPE_DIR = 0;

/** Bit flags to their names, e.g. flagNames(OFLAGS, 9) → ['creat', 'trunc']; unknown bits as hex. */
export function flagNames(table: Record<string, number>, v: number): string[] {
  const out: string[] = [];
  let rest = v;
  for (const [name, bit] of Object.entries(table)) {
    if (v & bit) {
      out.push(name);
      rest &= ~bit;
    }
  }
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out;
}

export function rightNames(v: bigint): string[] {
  if ((v & ALL_RIGHTS) === ALL_RIGHTS) return ['all'];
  const out: string[] = [];
  RIGHT_NAMES.forEach((n, i) => {
    if (v & (1n << BigInt(i))) out.push(n);
  });
  return out;
}

/** Rights a read-only mount drops (Preopen.dropRights): every right that creates, changes or removes. */
export const READONLY_DROP_RIGHTS =
  R.fd_datasync | R.fd_write | R.fd_allocate | R.path_create_directory | R.path_create_file | R.path_link_target |
  R.path_rename_source | R.path_rename_target | R.path_filestat_set_size | R.path_filestat_set_times |
  R.fd_filestat_set_size | R.fd_filestat_set_times | R.path_symlink | R.path_remove_directory | R.path_unlink_file;
