// One error class for permalinks: what the app shows when a link cannot be opened. `phase` and `kind`
// follow the worker API's error shape ({ phase, kind, message }).

export type PermalinkErrorKind =
  /** `v` is missing or a version this build does not know. */
  | 'unknown-version'
  /** Not `key=value&...`, a duplicate or unknown key, or a required key missing. */
  | 'malformed'
  /** A field that should be base64url is not. */
  | 'bad-base64'
  /** Compressed data that does not inflate. */
  | 'bad-deflate'
  /** Past a size cap (the link, the inline package, or what it inflates to). */
  | 'too-large'
  /** The package bytes do not have the sha256 the link names (tampered, or the URL now serves other bytes). */
  | 'hash-mismatch'
  /** A field with the right encoding but invalid content (options, policy, engine, selection, URL). */
  | 'bad-field'
  /** No WebCrypto in this environment. */
  | 'no-crypto'
  /** The app could not download a URL package (network, HTTP status). */
  | 'fetch-failed';

export class PermalinkError extends Error {
  override name = 'PermalinkError';
  readonly phase = 'permalink';
  constructor(
    readonly kind: PermalinkErrorKind,
    message: string,
  ) {
    super(message);
  }
}
