// Shared by the session tests (not exported from index.ts).
import { fingerprint, fingerprintBytes } from './fingerprint.ts';
import type { SessionState } from './session.ts';

/** Everything a paused state shows: trace prefix, fuel, the call, stack, question and the memory it touches. */
export function stateKey(s: SessionState): string {
  return fingerprint(
    JSON.stringify({
      status: s.status,
      seq: s.seq,
      trace: s.traceHash,
      total: s.traceTotal,
      fuel: s.fuelUsed,
      call: s.call && { fn: s.call.fn, raw: s.call.raw.map(String), record: s.call.record, result: s.call.result },
      stack: s.stack,
      question: s.question,
      memory: s.memory.map((m) => [m.label, m.addr, m.len, fingerprintBytes(m.bytes)]),
    }),
  );
}
