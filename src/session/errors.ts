// One error class for the step-through session. `phase` and `kind` are what the worker API reports
// ({ phase, kind, message }); engine, WASI and audit errors pass through unchanged.

export type SessionErrorKind =
  /** A replay produced a different record than the first run did at the same seq (clock or random not fixed). */
  | 'nondeterministic'
  /** answer() without a pending question, or a question answered twice. */
  | 'no-question'
  /** A method's argument is out of range (a negative or non-integer seq...). */
  | 'bad-argument'
  /** The module is not a WASI command, or something suspended that this session did not start. */
  | 'bad-module';

export class SessionError extends Error {
  override name = 'SessionError';
  readonly phase = 'session';
  constructor(
    readonly kind: SessionErrorKind,
    message: string,
  ) {
    super(message);
  }
}
