// Permalinks (issue #6): encode a run (package by https URL or page-relative path + sha256, or inline
// deflate-base64url; options; policy; engine; selection) into a URL fragment, decode and validate one, and verify downloaded package
// bytes. Pure TypeScript: fflate, valibot and WebCrypto, no DOM and no Node-only APIs.
export { encodePermalink, decodePermalink, verifyPackage, withSelection, resolvePackageUrl, isRelativePackagePath, PERMALINK_VERSION, PERMALINK_LIMITS } from './permalink.ts';
export type { PermalinkInput, PermalinkState, PermalinkLimits, PackageRef, Selection, EngineName } from './permalink.ts';
export { PermalinkError } from './errors.ts';
export type { PermalinkErrorKind } from './errors.ts';
export { base64urlEncode, base64urlDecode, sha256Hex } from './codec.ts';
