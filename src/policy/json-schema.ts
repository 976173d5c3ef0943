// The policy as a JSON Schema (draft-07), for editors: the playground's Monaco policy pane validates and
// completes with it. It is generated from the valibot `PolicySchema` (the one source of truth), so the two
// cannot drift; descriptions are added here because they only matter to a human typing the JSON.
// Not re-exported from index.ts: the converter would otherwise ride along into every bundle that parses
// a policy (the worker, the first paint), while only the lazily loaded editor needs it.
//
// One difference by construction: valibot objects drop unknown keys, and so does the schema (it does not
// set additionalProperties), so a typo in an optional key is neither an editor warning nor a parse error.

import { toJsonSchema, type JsonSchema } from '@valibot/to-json-schema';
import { PolicySchema } from './schema.ts';

/** A stable id for the schema (Monaco's JSON service keys schemas by URI; nothing is fetched from it). */
export const POLICY_SCHEMA_URI = 'sandbuild://schemas/policy.json';

/** Descriptions by property path (`.` between keys, `[]` for array items). */
const DESCRIPTIONS: Record<string, string> = {
  '': 'A sandbuild capability policy: which file operations, environment variables and graph capabilities a build script may use.',
  version: 'Always 1.',
  mode: 'enforce: rules decide. learn: everything is allowed and the smallest policy that allows the run is recorded.',
  default: 'The verdict when no fs rule matches (rule name "default").',
  fs: 'File-system rules, first match wins. Paths are relative to the package root; globs: * ? ** {a,b}.',
  'fs[].id': 'A name for the rule, shown with every decision it makes (else fs[i]).',
  'fs[].ops': 'read (open, readdir, stat, readlink), write, create, delete.',
  'fs[].paths': 'Globs relative to the package root; ** crosses directories.',
  'fs[].where': 'inside: only paths in the package; outside: only paths whose first component the package does not have (absolute host paths such as /root/.ssh/id_rsa).',
  'fs[].verdict': 'allow, deny, or ask (pauses the guest on the interp engine; askFallback elsewhere).',
  env: 'Environment variables the guest sees; the others are absent.',
  'env.allow': 'Variable names or * patterns.',
  clock: 'real, or fixed (starts at epochNs, advances stepNs per read) for reproducible runs.',
  random: 'real (crypto), or seeded (xoshiro128**) for reproducible runs.',
  askFallback: 'What ask becomes where the engine cannot pause (native) and for graph capabilities.',
  capabilities: 'Decisions on the build graph\'s capability requests (exec, net, host libraries, host paths, writes outside the prefix, custom make code).',
  'capabilities.default': 'No capability rule matched (absent: the policy default).',
  'capabilities.rules': 'Capability rules, first match wins.',
  'capabilities.rules[].kinds': 'exec, net, host-lib, pkg-config, host-path, write, custom-make.',
  'capabilities.rules[].targets': 'Globs over the request target (argv[0], URL, library, path); default ["**"].',
  'capabilities.rules[].details': 'Match the request detail too (e.g. exec artifact vs system); absent = any.',
  'capabilities.rules[].packages': 'Dependency packages the rule is about ("" = the root package); absent = all.',
};

type Json = Record<string, unknown>;

function annotate(node: Json, path: string, describe = true): void {
  const text = DESCRIPTIONS[path];
  if (describe && text !== undefined && node.description === undefined) node.description = text;
  const props = node.properties as Record<string, Json> | undefined;
  if (props) for (const [k, child] of Object.entries(props)) annotate(child, path ? `${path}.${k}` : k);
  const items = node.items as Json | undefined;
  if (items && typeof items === 'object' && !Array.isArray(items)) annotate(items, `${path}[]`);
  // Variants (clock, random) share their parent's description; only their properties get their own.
  for (const alt of (node.oneOf ?? node.anyOf ?? []) as Json[]) annotate(alt, path, false);
}

/** The policy's JSON Schema (draft-07), with descriptions. A fresh object on every call. */
export function policyJsonSchema(): JsonSchema {
  // errorMode 'throw': a valibot construct the converter cannot express must fail here (and in the unit
  // test), never silently become an empty schema that accepts anything.
  const schema = toJsonSchema(PolicySchema, { errorMode: 'throw' }) as Json;
  annotate(schema, '');
  schema.$id = POLICY_SCHEMA_URI;
  schema.title = 'sandbuild policy';
  return schema as JsonSchema;
}
