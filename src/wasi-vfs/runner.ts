// Run a wasm32-wasi command module to an exit code on any Engine: compile, instantiate with the WASI host,
// run `_start`, and map the outcome. proc_exit arrives as a ProcExit exception through the engine; a
// normal return from _start is exit code 0 (WASI "command" convention).

import type { Engine, EngineLimits, Instance, RunResult } from '../interp/api.ts';
import { Trap } from '../interp/errors.ts';
import { ProcExit, WasiConfigError } from './errors.ts';
import { traceFrames } from './trace.ts';
import { WasiHost, type PolicyAskToken, type WasiOptions } from './host.ts';

export interface RunWasiOptions extends WasiOptions {
  /** Instruction budget (interp only). Default unmetered. */
  fuel?: number;
  limits?: EngineLimits;
  /** Record the guest call stack in each trace record (interp only; the native engine has none). */
  captureStack?: boolean;
  /** Answer a policy "ask" (interp only). Without it the policy's askFallback applies. */
  onAsk?: (q: PolicyAskToken) => 'allow' | 'deny';
  /** Called once the instance exists, before it runs (e.g. to report its fuelUsed as progress). */
  onInstance?: (instance: Instance) => void;
}

export type RunOutcome =
  | { status: 'exit'; code: number }
  | { status: 'trap'; trap: Trap }
  | { status: 'out-of-fuel' };

export interface RunWasiResult {
  outcome: RunOutcome;
  /** The exit code a CLI should return: the guest's, or 1 for a trap / running out of fuel. */
  exitCode: number;
  host: WasiHost;
  instance: Instance;
}

/** Compile and instantiate a WASI command with a fresh WasiHost, without running it. */
function instantiateWasi(engine: Engine, bytes: Uint8Array, opts: RunWasiOptions): { host: WasiHost; instance: Instance } {
  const mod = engine.compile(bytes);
  // A WASI command exports `_start` and `memory` (WASI application ABI, "Current Unstable ABI").
  if (!mod.exports.some((e) => e.name === '_start' && e.kind === 'func')) {
    throw new WasiConfigError('no-start', 'the module is not a WASI command: it exports no _start function');
  }
  const host = new WasiHost(opts);
  host.canSuspend = engine.name === 'interp';
  const instance = engine.instantiate(mod, host.imports(), opts.limits);
  host.bind(instance);
  if (opts.captureStack && host.trace && engine.name === 'interp') {
    host.trace.stackProvider = () => traceFrames(instance);
  }
  return { host, instance };
}

export function runWasi(engine: Engine, bytes: Uint8Array, opts: RunWasiOptions): RunWasiResult {
  const { host, instance } = instantiateWasi(engine, bytes, opts);
  opts.onInstance?.(instance);
  const fuel = opts.fuel;
  let outcome: RunOutcome;
  try {
    let r: RunResult = instance.run('_start', [], { fuel });
    while (r.status === 'suspended') {
      const token = r.call.token as PolicyAskToken | undefined;
      if (token?.kind !== 'policy-ask') throw new WasiConfigError('unexpected-suspend', `unexpected suspension at ${r.call.module}.${r.call.name}`);
      const verdict = opts.onAsk ? opts.onAsk(token) : host.policyEngine.policy.askFallback;
      r = instance.resume([token.answer(verdict)], { fuel });
    }
    if (r.status === 'done') outcome = { status: 'exit', code: 0 };
    else if (r.status === 'trap') outcome = { status: 'trap', trap: r.trap };
    else outcome = { status: 'out-of-fuel' };
  } catch (e) {
    if (e instanceof ProcExit) outcome = { status: 'exit', code: e.code };
    else throw e;
  }
  const exitCode = outcome.status === 'exit' ? outcome.code : 1;
  return { outcome, exitCode, host, instance };
}
