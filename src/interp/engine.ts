// The interpreter engine: decode → validate → instantiate → execute, behind the shared Engine interface.

import type { CompiledModule, Engine, EngineLimits, Extern, GlobalSnapshot, Imports, Instance, RunOptions, RunResult, StackFrame, Value } from './api.ts';
import { ExhaustionError, InternalError, LinkError, Trap } from './errors.ts';
import { decode } from './binary/index.ts';
import { validate } from './valid/index.ts';
import type { Module } from './syntax/types.ts';
import { DEFAULT_LIMITS, instantiateModule } from './runtime/instantiate.ts';
import type { ModuleInst } from './runtime/module-inst.ts';
import { FuncInst } from './runtime/store.ts';
import { execute } from './exec/machine.ts';
import { callHost, ensureCompiled, readSlots, writeSlots } from './exec/calls.ts';
import { offsetAt } from './exec/ir.ts';
import { Thread, UNMETERED } from './exec/thread.ts';
import { restoreInstance, snapshotInstance, type InstanceSnapshot } from './exec/snapshot.ts';

class InterpModule implements CompiledModule {
  constructor(readonly module: Module) {}
  get imports(): { module: string; name: string; kind: string }[] {
    return this.module.imports.map((i) => ({ module: i.module, name: i.name, kind: i.desc.kind }));
  }
  get exports(): { name: string; kind: string }[] {
    return this.module.exports.map((e) => ({ name: e.name, kind: e.kind }));
  }
}

function fuelOf(opts?: RunOptions): number {
  const f = opts?.fuel;
  if (f === undefined || !Number.isFinite(f)) return UNMETERED;
  return Math.max(0, Math.floor(f));
}

export class InterpInstance implements Instance {
  readonly exports: Record<string, Extern>;
  private readonly th: Thread;

  constructor(
    exports: Record<string, Extern>,
    limits: Required<EngineLimits>,
    private readonly home: ModuleInst,
  ) {
    this.exports = exports;
    this.th = new Thread(limits.maxStackSlots, limits.maxCallDepth);
  }

  get paused(): boolean {
    return this.th.state === 'suspended' || this.th.state === 'out-of-fuel';
  }
  get fuelUsed(): number {
    return this.th.fuelUsed;
  }

  run(entry: string, args: Value[] = [], opts?: RunOptions): RunResult {
    const fn = this.exports[entry];
    if (!(fn instanceof FuncInst)) throw new LinkError('unknown-export', `no exported function '${entry}'`);
    return this.call(fn, args, opts);
  }

  /** Call any function of this engine (used for start functions and funcref values). */
  call(fn: FuncInst, args: Value[], opts?: RunOptions): RunResult {
    const th = this.th;
    if (th.state !== 'idle') throw new InternalError('busy', 'instance is already running or paused; resume it first');
    th.reset();
    th.exact = opts?.exactFloats ?? false;
    th.fuel = fuelOf(opts);
    th.entry = fn;
    const nParams = fn.type.params.length;
    if (args.length !== nParams) throw new LinkError('arity', `expected ${nParams} arguments, got ${args.length}`);
    writeSlots(th, fn.type.params, 0, args);
    if (fn.host) {
      th.ensure(2 * Math.max(nParams, fn.type.results.length));
      const s = callHost(th, fn, 0);
      if (s) throw new InternalError('host-suspend', 'a host function called directly cannot suspend');
      return this.finish();
    }
    const cf = fn.code ?? ensureCompiled(fn);
    th.ensure(cf.frameSlots * 2);
    th.I32.fill(0, cf.numParams * 2, cf.numLocalSlots * 2);
    th.I32.set(cf.constInit, cf.numLocalSlots * 2);
    for (let k = 0; k < cf.refLocals.length; k++) th.refs[cf.refLocals[k]] = null;
    th.cur = fn;
    th.pc = 0;
    th.fp = 0;
    th.state = 'running';
    return this.loop();
  }

  resume(results: Value[] = [], opts?: RunOptions): RunResult {
    const th = this.th;
    if (th.state === 'suspended') {
      const types = th.pendingHost!.type.results;
      if (results.length !== types.length) {
        throw new InternalError('resume-arity', `resume() needs ${types.length} results for the pending host call, got ${results.length}`);
      }
      writeSlots(th, types, th.pendingFp, results);
      th.pendingHost = undefined;
    } else if (th.state !== 'out-of-fuel') {
      throw new InternalError('not-paused', 'resume() needs a suspended or out-of-fuel run');
    }
    th.state = 'running';
    th.fuel = fuelOf(opts);
    if (opts?.exactFloats !== undefined) th.exact = opts.exactFloats;
    return this.loop();
  }

  private loop(): RunResult {
    const th = this.th;
    let outcome;
    try {
      do outcome = execute(th);
      while (outcome === 'slice');
    } catch (e) {
      const offset = th.cur?.code ? offsetAt(th.cur.code, th.pc) : -1;
      th.reset();
      if (e instanceof Trap) return { status: 'trap', trap: e.offset >= 0 || offset < 0 ? e : new Trap(e.kind as never, e.message, offset) };
      if (e instanceof ExhaustionError && e.offset < 0 && offset >= 0) throw new ExhaustionError(e.kind as never, e.message, offset);
      throw e;
    }
    if (outcome === 'suspended') {
      th.state = 'suspended';
      const h = th.pendingHost!;
      return { status: 'suspended', call: { module: h.hostModule, name: h.hostName, args: th.pendingArgs, token: th.pendingToken } };
    }
    if (outcome === 'out-of-fuel') {
      th.state = 'out-of-fuel';
      return { status: 'out-of-fuel' };
    }
    return this.finish();
  }

  private finish(): RunResult {
    const th = this.th;
    const results = readSlots(th, th.entry!.type.results, 0);
    th.reset();
    return { status: 'done', results };
  }

  stack(): StackFrame[] {
    const th = this.th;
    if (th.state === 'idle' || !th.cur) return [];
    const frames: StackFrame[] = [];
    const frame = (fn: FuncInst, pc: number): StackFrame => ({
      funcIndex: fn.index,
      name: fn.inst?.module.names.funcs.get(fn.index),
      offset: fn.code ? offsetAt(fn.code, pc) : -1,
    });
    for (let i = 0; i < th.depth; i++) frames.push(frame(th.fFunc[i], th.fPc[i] - 1));
    frames.push(frame(th.cur, th.pc));
    return frames;
  }

  /** The instance whose code is running (at a pause), or whose exports these are. */
  private context(): ModuleInst {
    return this.th.cur?.inst ?? this.home;
  }

  memory(): Uint8Array | undefined {
    const mem = this.context().mems[0];
    return mem ? mem.u8 : undefined;
  }

  /**
   * Capture this instance between two resumes (idle, suspended or out of fuel): memories, globals, tables,
   * dropped segments and the paused thread. `prev`, an earlier snapshot, lets unchanged memory pages be
   * shared. Interp only; see exec/snapshot.ts.
   */
  snapshot(prev?: InstanceSnapshot): InstanceSnapshot {
    return snapshotInstance(this.home, this.th, prev);
  }

  /** Go back (or forwards) to `snap`, from this instance or another instance of the same module. */
  restore(snap: InstanceSnapshot): void {
    restoreInstance(this.home, this.th, snap);
  }

  globals(): GlobalSnapshot[] {
    const inst = this.context();
    return inst.globals.map((g, index) => ({
      index,
      name: inst.module.names.globals?.get(index),
      type: g.type,
      value: g.get({ exactFloats: true }),
    }));
  }
}

export const interpEngine: Engine = {
  name: 'interp',
  compile(bytes: Uint8Array): CompiledModule {
    const m = decode(bytes);
    validate(m);
    return new InterpModule(m);
  },
  instantiate(mod: CompiledModule, imports: Imports, limits?: EngineLimits): Instance {
    if (!(mod instanceof InterpModule)) throw new LinkError('foreign-module', 'module was compiled by another engine');
    const lim = { ...DEFAULT_LIMITS, ...limits };
    const { exports, inst } = instantiateModule(mod.module, imports, lim, (start, inst) => {
      // On a thread of its own, so the start function's fuel is not counted in the instance's fuelUsed.
      const res = new InterpInstance({}, lim, inst).call(start, []);
      if (res.status === 'trap') throw res.trap;
      if (res.status !== 'done') throw new InternalError('start-paused', 'the start function cannot suspend or run out of fuel');
    });
    return new InterpInstance(exports, lim, inst);
  },
};
