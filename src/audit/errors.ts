// One error class for the audit layer (the engines and the WASI host keep their own typed errors, which
// pass through unchanged). `phase` and `kind` are what the worker API reports ({ phase, kind, message }).

export type AuditErrorKind =
  /** The package has no .sandbuild/build.wasm (it was never compiled). */
  | 'no-wasm'
  /** The archive or directory holds no package (no build.zig and no .sandbuild/ at its root). */
  | 'no-package'
  /** An option name or value the graph runner cannot take. */
  | 'bad-option';

export class AuditError extends Error {
  override name = 'AuditError';
  readonly phase = 'audit';
  constructor(
    readonly kind: AuditErrorKind,
    message: string,
  ) {
    super(message);
  }
}
