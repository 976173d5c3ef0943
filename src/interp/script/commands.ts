// The command list of a spec script, in wabt's wast2json JSON shape (wabt docs/wast2json.md).
// Values are strings: integers as unsigned decimal bit patterns, floats as their bits (decimal) or a
// NaN pattern, references as "null" or a number.

export interface JsonValue {
  type: string;
  value?: string | string[];
  lane_type?: string;
}

/** An expected result: a value pattern, or `either` (one of several; relaxed SIMD, unused in 2.0). */
export interface JsonExpected extends JsonValue {
  values?: JsonExpected[];
}

export type Action =
  | { type: 'invoke'; module?: string; field: string; args: JsonValue[] }
  | { type: 'get'; module?: string; field: string };

interface Base {
  line: number;
}
type ModuleRef = { filename: string; module_type?: 'binary' | 'text' };

export type WastCommand =
  | (Base & { type: 'module'; name?: string; filename: string })
  | (Base & { type: 'register'; name?: string; as: string })
  | (Base & { type: 'action'; action: Action; expected?: JsonExpected[] })
  | (Base & { type: 'assert_return'; action: Action; expected: JsonExpected[] })
  | (Base & { type: 'assert_trap'; action: Action; text: string; expected?: JsonExpected[] })
  | (Base & { type: 'assert_exhaustion'; action: Action; text: string; expected?: JsonExpected[] })
  | (Base & ModuleRef & { type: 'assert_malformed'; text: string })
  | (Base & ModuleRef & { type: 'assert_invalid'; text: string })
  | (Base & ModuleRef & { type: 'assert_unlinkable'; text: string })
  | (Base & ModuleRef & { type: 'assert_uninstantiable'; text: string });

export interface Failure {
  line: number;
  message: string;
}

export interface ScriptResult {
  passed: number;
  failed: number;
  skipped: number;
  failures: Failure[];
}
