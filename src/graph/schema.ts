// The build graph the guest runner prints (guest/emit.zig), as a valibot schema. The guest is a build
// script we do not trust, so its stdout is hostile input: sizes are capped, ids are checked to be the
// step's own index, every reference must name an existing step, and unknown keys are dropped. A failure
// is a GraphError whose message names the offending JSON path (e.g. `$.steps[3].deps[0]`).

import * as v from 'valibot';

export const GRAPH_FORMAT_VERSION = 1;

/** Caps on hostile output (far above what real build scripts produce). */
export const LIMITS = {
  maxTextBytes: 64 << 20,
  maxSteps: 100_000,
  maxString: 1 << 20,
  maxArray: 100_000,
} as const;

const Str = v.pipe(v.string(), v.maxLength(LIMITS.maxString, 'string too long'));
const Id = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.maxSteps - 1));
const arr = <T extends v.GenericSchema>(item: T) => v.pipe(v.array(item), v.maxLength(LIMITS.maxArray, 'array too long'));

export const STEP_KINDS = [
  'top_level', 'compile', 'install_artifact', 'install_file', 'install_dir', 'remove_dir', 'fail', 'fmt',
  'translate_c', 'write_file', 'update_source_files', 'run', 'check_file', 'check_object', 'config_header',
  'objcopy', 'options', 'custom',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const CAP_KINDS = ['exec', 'net', 'host-lib', 'pkg-config', 'host-path', 'write', 'custom-make'] as const;
export type CapKind = (typeof CAP_KINDS)[number];

/** A path as the guest saw it: in the package (`src`), on the host (`host`), or made by a step. */
export const LazyPathSchema = v.union([
  v.strictObject({ src: Str }),
  v.strictObject({ host: Str }),
  v.strictObject({ generated_by: v.nullable(Id), up: v.pipe(v.number(), v.integer(), v.minValue(0)), sub_path: Str }),
]);

export const CapabilitySchema = v.object({
  kind: v.picklist(CAP_KINDS),
  target: Str,
  detail: v.optional(Str),
});

const RunArgSchema = v.union([
  v.strictObject({ text: Str }),
  v.strictObject({ prefix: Str, artifact: v.nullable(Id) }),
  v.strictObject({ prefix: Str, path: LazyPathSchema }),
  v.strictObject({ prefix: Str, dir: LazyPathSchema }),
  v.strictObject({ prefix: Str, output_file: Str }),
  v.strictObject({ prefix: Str, output_dir: Str }),
]);

const Empty = v.object({});

const DATA = {
  top_level: v.object({ description: Str }),
  run: v.object({
    command: v.picklist(['system', 'artifact', 'path', 'none']),
    argv: arr(RunArgSchema),
    cwd: v.nullable(LazyPathSchema),
    env: arr(v.object({ name: Str, value: v.nullable(Str) })),
    stdio: Str,
    has_side_effects: v.boolean(),
  }),
  compile: v.object({
    name: Str,
    compile_kind: v.picklist(['exe', 'lib', 'obj', 'test']),
    root_source: v.nullable(LazyPathSchema),
    target: v.nullable(Str),
    target_query: v.optional(Str),
    cpu: v.optional(Str),
    optimize: v.nullable(Str),
    linkage: v.nullable(v.picklist(['static', 'dynamic'])),
    link_libc: v.boolean(),
    system_libs: arr(v.object({ name: Str, pkg_config: v.picklist(['no', 'yes', 'force']) })),
    c_sources: arr(LazyPathSchema),
    include_dirs: arr(v.union([LazyPathSchema, v.nullable(Id)])),
    lib_paths: arr(LazyPathSchema),
    modules: arr(v.nullable(LazyPathSchema)),
  }),
  install_artifact: v.object({ artifact: v.nullable(Id), dest: v.nullable(Str) }),
  install_file: v.object({ source: LazyPathSchema, dest: Str }),
  install_dir: v.object({ source: LazyPathSchema, dest: Str }),
  write_file: v.object({
    files: arr(v.union([v.strictObject({ path: Str, size: v.pipe(v.number(), v.integer(), v.minValue(0)) }), v.strictObject({ path: Str, copy_of: LazyPathSchema })])),
    directories: arr(v.object({ path: Str, source: LazyPathSchema })),
  }),
  update_source_files: v.object({ files: arr(Str) }),
  options: v.object({ names: arr(Str) }),
  remove_dir: v.object({ path: LazyPathSchema }),
  fail: v.object({ message: Str }),
  translate_c: v.object({ source: LazyPathSchema }),
  config_header: v.object({ include_path: Str, values: arr(Str) }),
  check_file: Empty,
  check_object: Empty,
  fmt: Empty,
  objcopy: Empty,
  /** make_fn: symbol name of the step's make function (its type's name, e.g. build.ValidateIcons.make), null if unresolved. */
  custom: v.object({ make_fn: v.optional(v.nullable(Str)) }),
} satisfies Record<StepKind, v.GenericSchema>;

const stepOf = <K extends StepKind>(kind: K) =>
  v.object({
    id: Id,
    name: Str,
    kind: v.literal(kind),
    /** "" for the root package, else the dependency path (`dep` or `dep.subdep`). */
    package: Str,
    deps: arr(Id),
    data: DATA[kind] as (typeof DATA)[K],
    caps: arr(CapabilitySchema),
  });

export const StepSchema = v.variant('kind', [
  stepOf('top_level'), stepOf('compile'), stepOf('install_artifact'), stepOf('install_file'), stepOf('install_dir'),
  stepOf('remove_dir'), stepOf('fail'), stepOf('fmt'), stepOf('translate_c'), stepOf('write_file'),
  stepOf('update_source_files'), stepOf('run'), stepOf('check_file'), stepOf('check_object'), stepOf('config_header'),
  stepOf('objcopy'), stepOf('options'), stepOf('custom'),
]);

const OptionValue = v.union([v.null(), v.boolean(), Str, arr(Str)]);

export const GraphSchema = v.object({
  version: v.literal(GRAPH_FORMAT_VERSION),
  zig_version: Str,
  host: Str,
  install_prefix: Str,
  default_step: v.nullable(Id),
  options: arr(v.object({ name: Str, type: Str, description: Str, choices: v.optional(arr(Str)), value: OptionValue })),
  top_level_steps: arr(v.object({ name: Str, description: Str, step: Id })),
  missing_lazy_dependencies: arr(Str),
  steps: v.pipe(v.array(v.unknown()), v.maxLength(LIMITS.maxSteps, 'too many steps'), v.array(StepSchema)),
});

export type LazyPath = v.InferOutput<typeof LazyPathSchema>;
export type Capability = v.InferOutput<typeof CapabilitySchema>;
export type RunArg = v.InferOutput<typeof RunArgSchema>;
export type Step = v.InferOutput<typeof StepSchema>;
export type Graph = v.InferOutput<typeof GraphSchema>;
export type GraphOption = Graph['options'][number];
/** The step of one kind, with its typed `data`. */
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;
