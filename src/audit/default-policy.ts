// The auditing default policy (default-policy.json), used by the CLI and the app when the user gives none:
// the package may read its own files and nothing else (a read of a path the package does not have at its
// top, such as the guest's /root/.ssh/id_rsa, is denied by rule `deny-host-paths`: see README); no
// environment; fixed clock and seeded random (so a run is reproducible, a permalink replays it); no writes;
// and of the graph's capability requests only running programs built from the package itself is granted
// (no system commands, network, host libraries, host paths, writes outside the prefix or custom make() code).

import { parsePolicy, type Policy } from '../policy/schema.ts';
import json from './default-policy.json' with { type: 'json' };

/** A fresh copy each call, so a caller may edit it (the app's policy editor) without sharing state. */
export function auditPolicy(): Policy {
  return parsePolicy(structuredClone(json));
}

/** The same policy in learn mode: allow everything and record the smallest policy the run needs. */
export function learnPolicy(): Policy {
  return parsePolicy({ ...structuredClone(json), mode: 'learn' });
}
