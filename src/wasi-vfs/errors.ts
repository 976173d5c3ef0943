// Typed errors of the WASI layer. Guest-visible failures are errnos (constants.ts, WasiErrno); these are
// the embedder-visible ones: a hostile or broken package, bad host configuration, and the guest's exit.

export type ArchiveErrorKind =
  | 'corrupt'
  | 'truncated'
  | 'absolute-path'
  | 'dotdot'
  | 'bad-name'
  | 'non-utf8-name'
  | 'duplicate-entry'
  | 'entry-too-large'
  | 'too-many-entries'
  | 'bomb-size'
  | 'bomb-ratio'
  | 'link-outside'
  | 'link-target-missing'
  | 'path-through-symlink'
  | 'not-a-directory'
  | 'unsupported-type';

/** A package archive that cannot be loaded safely. Nothing from it has been exposed to a guest. */
export class ArchiveError extends Error {
  constructor(
    readonly kind: ArchiveErrorKind,
    message: string,
    /** The entry name involved, when there is one. */
    readonly entry?: string,
  ) {
    super(entry !== undefined ? `${message} (entry ${JSON.stringify(entry)})` : message);
    this.name = 'ArchiveError';
  }
}

/** Invalid options given to the WASI host (preopens, args with NUL, an invalid policy...). */
export class WasiConfigError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'WasiConfigError';
  }
}

/** Thrown by proc_exit through the engine; the runner turns it into the exit code. */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
    this.name = 'ProcExit';
  }
}
