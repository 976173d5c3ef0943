// Shared by the worker tests (not shipped): what may cross the worker boundary and go into a permalink.

/** Throws unless `v` is made of plain objects, arrays, strings, finite numbers, booleans and null. */
export function assertPlain(v: unknown, at = '$'): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || v === undefined) return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${at}: non-finite number`);
    return;
  }
  if (Array.isArray(v)) return v.forEach((x, i) => assertPlain(x, `${at}[${i}]`));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v)) assertPlain(x, `${at}.${k}`);
    return;
  }
  throw new Error(`${at}: not plain data (${typeof v === 'object' ? Object.prototype.toString.call(v) : typeof v})`);
}
