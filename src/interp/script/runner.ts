// Runs a parsed spec script against any Engine (spec interpreter script/run.ml, and wast2json's command
// set). Each assertion maps to exactly one error phase:
//   assert_malformed → DecodeError      assert_invalid → ValidationError
//   assert_unlinkable → LinkError       assert_uninstantiable → Trap during instantiation
//   assert_trap → Trap result           assert_exhaustion → ExhaustionError
// Counting: every command except `register` is one check (a module command checks that the module loads).

import type { CompiledModule, Engine, Extern, GlobalHandle, Instance, Value } from '../api.ts';
import { DecodeError, ExhaustionError, LinkError, Trap, ValidationError } from '../errors.ts';
import type { Action, Failure, ScriptResult, WastCommand } from './commands.ts';
import { withDataCount } from './data-count.ts';
import { spectestExports } from './spectest.ts';
import { argValue, ExternRefs, matches, showExpected, showValue, UnsupportedValue } from './values.ts';
import type { ParsedScript } from './wast.ts';
import { watToBinary } from './wast.ts';

/** A check that does not apply (the runner or wabt cannot express it); counted as skipped. */
class Skip extends Error {}
/** A check that failed; the message says how. */
class Fail extends Error {}

type ErrorClass = typeof DecodeError | typeof ValidationError | typeof LinkError | typeof Trap | typeof ExhaustionError;

export interface RunScriptOptions {
  /** Called for each failure as it happens (for streaming output). */
  onFailure?: (f: Failure) => void;
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message.split('\n')[0]}`;
  return String(e);
}

class ScriptState {
  readonly externs = new ExternRefs();
  readonly registry = new Map<string, Record<string, Extern>>();
  readonly named = new Map<string, Instance>();
  current: Instance | undefined;

  constructor(
    readonly engine: Engine,
    readonly script: ParsedScript,
  ) {}

  imports(): Record<string, Record<string, Extern>> {
    return Object.fromEntries(this.registry);
  }

  file(name: string): Uint8Array {
    const b = this.script.files.get(name);
    if (!b) throw new Fail(`module file ${name} missing from the parsed script`);
    return b;
  }

  instance(name: string | undefined): Instance {
    const i = name === undefined ? this.current : this.named.get(name);
    if (!i) throw new Fail(name === undefined ? 'no current module (an earlier module failed to load?)' : `no module ${name}`);
    return i;
  }

  compile(bytes: Uint8Array): CompiledModule {
    return this.engine.compile(bytes);
  }
}

/** Runs `fn` expecting it to throw an error of class `want`; anything else fails the check. */
function expectThrow(want: ErrorClass, what: string, fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof want) return;
    throw new Fail(`expected ${want.name} (${what}), got ${describeError(e)}`);
  }
  throw new Fail(`expected ${want.name} (${what}), but it succeeded`);
}

function runAction(st: ScriptState, a: Action): ReturnType<Instance['run']> {
  const inst = st.instance(a.module);
  if (a.type === 'get') {
    const g = inst.exports[a.field];
    if (!g || g.kind !== 'global') throw new Fail(`no exported global "${a.field}"`);
    return { status: 'done', results: [(g as GlobalHandle).get({ exactFloats: true })] };
  }
  const args: Value[] = a.args.map((v) => argValue(v, st.externs));
  return inst.run(a.field, args, { exactFloats: true });
}

function actionName(a: Action): string {
  return `${a.type} "${a.field}"`;
}

/** Bytes of a module given as a binary or a text (quote) file; 'rejected' when wabt rejects the text. */
async function moduleBytes(st: ScriptState, cmd: { filename: string; module_type?: string }): Promise<Uint8Array | 'rejected'> {
  const b = st.file(cmd.filename);
  if (cmd.module_type !== 'text') return b;
  try {
    return await watToBinary(b, cmd.filename);
  } catch {
    return 'rejected';
  }
}

async function runCommand(st: ScriptState, cmd: WastCommand): Promise<'pass' | 'none'> {
  switch (cmd.type) {
    case 'module': {
      st.current = undefined;
      let inst: Instance;
      try {
        inst = st.engine.instantiate(st.compile(st.file(cmd.filename)), st.imports());
      } catch (e) {
        if (e instanceof Fail) throw e;
        throw new Fail(`module failed to load: ${describeError(e)}`);
      }
      st.current = inst;
      if (cmd.name) st.named.set(cmd.name, inst);
      return 'pass';
    }
    case 'register': {
      st.registry.set(cmd.as, st.instance(cmd.name).exports);
      return 'none';
    }
    case 'action': {
      const r = runAction(st, cmd.action);
      if (r.status !== 'done') throw new Fail(`${actionName(cmd.action)}: ${r.status === 'trap' ? describeError(r.trap) : r.status}`);
      return 'pass';
    }
    case 'assert_return': {
      const r = runAction(st, cmd.action);
      if (r.status !== 'done') throw new Fail(`${actionName(cmd.action)}: ${r.status === 'trap' ? describeError(r.trap) : r.status}`);
      const ok = r.results.length === cmd.expected.length && cmd.expected.every((e, i) => matches(r.results[i], e, st.externs));
      if (!ok) {
        throw new Fail(`${actionName(cmd.action)}: got [${r.results.map(showValue).join(', ')}], ` +
          `expected [${cmd.expected.map(showExpected).join(', ')}]`);
      }
      return 'pass';
    }
    case 'assert_trap': {
      // Older wast2json writes a trapping module as assert_trap with a filename: same as uninstantiable.
      if (!('action' in cmd) && 'filename' in cmd) {
        return runCommand(st, { ...(cmd as object), type: 'assert_uninstantiable' } as WastCommand);
      }
      let r: ReturnType<Instance['run']>;
      try {
        r = runAction(st, cmd.action);
      } catch (e) {
        if (e instanceof Fail || e instanceof UnsupportedValue) throw e;
        throw new Fail(`${actionName(cmd.action)}: expected trap "${cmd.text}", got ${describeError(e)}`);
      }
      if (r.status !== 'trap') throw new Fail(`${actionName(cmd.action)}: expected trap "${cmd.text}", got ${r.status}`);
      return 'pass';
    }
    case 'assert_exhaustion': {
      expectThrow(ExhaustionError, cmd.text, () => runAction(st, cmd.action));
      return 'pass';
    }
    case 'assert_malformed': {
      const bytes = await moduleBytes(st, cmd);
      // Malformed text that wabt rejects is caught before any engine sees it: that is the expected outcome.
      if (bytes === 'rejected') return 'pass';
      // Text-level malformation that wabt accepts leaves a well-formed binary: no engine can see it.
      if (cmd.module_type === 'text') {
        try {
          st.compile(bytes);
        } catch (e) {
          if (e instanceof DecodeError) return 'pass';
        }
        throw new Skip('wabt accepted malformed text');
      }
      expectThrow(DecodeError, cmd.text, () => st.compile(bytes));
      return 'pass';
    }
    case 'assert_invalid': {
      const bytes = await moduleBytes(st, cmd);
      if (bytes === 'rejected') throw new Skip('wabt rejected the text of an invalid module');
      const fixed = withDataCount(bytes);
      expectThrow(ValidationError, cmd.text, () => st.compile(fixed));
      return 'pass';
    }
    case 'assert_unlinkable':
    case 'assert_uninstantiable': {
      const bytes = await moduleBytes(st, cmd);
      if (bytes === 'rejected') throw new Skip('wabt rejected the module text');
      let mod: CompiledModule;
      try {
        mod = st.compile(bytes);
      } catch (e) {
        throw new Fail(`module should compile, got ${describeError(e)}`);
      }
      const want = cmd.type === 'assert_unlinkable' ? LinkError : Trap;
      expectThrow(want, cmd.text, () => st.engine.instantiate(mod, st.imports()));
      return 'pass';
    }
    default:
      throw new Skip(`unknown command ${(cmd as { type: string }).type}`);
  }
}

/** Run every command of `script` on `engine`. Never throws for guest behaviour; counts instead. */
export async function runScript(script: ParsedScript, engine: Engine, opts: RunScriptOptions = {}): Promise<ScriptResult> {
  const res: ScriptResult = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const st = new ScriptState(engine, script);
  const fail = (line: number, message: string) => {
    const f = { line, message };
    res.failed++;
    res.failures.push(f);
    opts.onFailure?.(f);
  };
  try {
    st.registry.set('spectest', await spectestExports(engine));
  } catch (e) {
    fail(0, `spectest module failed to load: ${describeError(e)}`);
    return res;
  }
  for (const cmd of script.commands) {
    try {
      if ((await runCommand(st, cmd)) === 'pass') res.passed++;
    } catch (e) {
      if (e instanceof Skip || e instanceof UnsupportedValue) res.skipped++;
      else if (e instanceof Fail) fail(cmd.line, e.message);
      else fail(cmd.line, `unexpected ${describeError(e)}`);
    }
  }
  return res;
}
