// Policies the playground offers. The default suits auditing: the build script may read its own package
// and write its build outputs, sees a short list of harmless environment variables (with decoy values,
// see src/worker/audit-adapter.ts), and runs on a fixed clock and seeded random so every run is
// reproducible (same trace, same syscall numbers). Everything else is denied and named by its rule.

import { parsePolicy, type Policy } from '../../../policy/index.ts';

export interface PolicyPreset {
  id: string;
  label: string;
  description: string;
  policy: Policy;
}

const deterministic = { clock: { mode: 'fixed' as const }, random: { mode: 'seeded' as const, seed: 1 } };

export const AUDIT_POLICY: Policy = parsePolicy({
  version: 1,
  mode: 'enforce',
  default: 'deny',
  fs: [
    { id: 'no-secrets', ops: ['read'], paths: ['**/.env', '**/.env.*', '**/.npmrc', '**/.netrc', '**/id_rsa', '**/id_ed25519', '**/.ssh/**', '**/.aws/**'], verdict: 'deny', note: 'credential files, even inside the package' },
    { id: 'package-read', ops: ['read'], paths: ['**'], verdict: 'allow', note: 'the package may read itself' },
    { id: 'build-outputs', ops: ['create', 'write', 'delete'], paths: ['zig-out/**', '.zig-cache/**'], verdict: 'allow', note: 'outputs and cache' },
  ],
  env: { allow: ['PATH', 'ZIG_*'] },
  ...deterministic,
  askFallback: 'deny',
});

export const PRESETS: PolicyPreset[] = [
  { id: 'audit', label: 'Audit (default)', description: 'read the package, write zig-out and .zig-cache, deny the rest', policy: AUDIT_POLICY },
  {
    id: 'read-only',
    label: 'Read-only',
    description: 'read the package, no writes at all',
    policy: parsePolicy({ version: 1, default: 'deny', fs: [{ id: 'package-read', ops: ['read'], paths: ['**'], verdict: 'allow' }], ...deterministic }),
  },
  {
    id: 'permissive',
    label: 'Permissive',
    description: 'allow every file operation and the whole environment (the sandbox boundary still holds)',
    policy: parsePolicy({ version: 1, default: 'allow', env: { allow: ['*'] }, ...deterministic }),
  },
  {
    id: 'learn',
    label: 'Learn',
    description: 'allow everything and record the smallest policy that allows this run',
    policy: parsePolicy({ version: 1, mode: 'learn', default: 'allow', env: { allow: ['*'] }, ...deterministic }),
  },
];
