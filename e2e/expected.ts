// What the audit pipeline itself reports for a package: the e2e tests compare the UI with this, computed
// in the test process from the same tarball (never hard-coded).

import { auditPolicy, loadPackageArchive, runAudit } from '../src/audit/index.ts';
import { interpEngine } from '../src/interp/index.ts';

export interface Expected {
  steps: number;
  edges: number;
  deniedSteps: number;
  blocked: number;
  syscalls: number;
  syscallDenials: number;
  deniedStepNames: string[];
}

export async function expectedFor(tarball: Uint8Array, options: Record<string, string> = {}): Promise<Expected> {
  const fs = await loadPackageArchive(tarball);
  const r = runAudit({ fs, policy: auditPolicy(), engine: interpEngine, options });
  if (!r.graph) throw new Error(`audit produced no graph: ${JSON.stringify(r.outcome)} ${r.graphError?.message ?? ''}`);
  const g = r.graph;
  const denied = [...new Set(r.capDenials.map((d) => d.step))];
  return {
    steps: g.steps.length,
    edges: g.steps.reduce((n, s) => n + new Set(s.deps).size, 0),
    deniedSteps: denied.length,
    blocked: r.blocked.length,
    syscalls: r.traceTotal,
    syscallDenials: r.syscallDenials.length,
    deniedStepNames: denied.map((id) => g.steps[id].name),
  };
}
