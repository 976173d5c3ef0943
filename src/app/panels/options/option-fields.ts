// The options form's fields, generated from the graph's declared options (`b.option(...)` and the
// standard target/optimize options). Pure, so the mapping is tested without a DOM.

import type { GraphOption } from '../../../graph/index.ts';

export type OptionField =
  | { name: string; description: string; control: 'bool'; value: '' | 'true' | 'false' }
  | { name: string; description: string; control: 'choice'; choices: string[]; value: string }
  | { name: string; description: string; control: 'text'; value: string; placeholder: string };

/**
 * One field per option. `set` holds what the user chose (`-Dname=value`); an option not in `set` shows
 * as "default" (empty), since the graph reports the value the build script saw, which for an unset
 * option is null.
 */
export function optionFields(options: readonly GraphOption[], set: Readonly<Record<string, string>>): OptionField[] {
  return options.map((o) => {
    const value = set[o.name] ?? '';
    if (o.type === 'bool') return { name: o.name, description: o.description, control: 'bool', value: value === 'true' || value === 'false' ? value : '' };
    if (o.choices && o.choices.length > 0) return { name: o.name, description: o.description, control: 'choice', choices: [...o.choices], value };
    const placeholder = o.type === 'list' ? 'comma-separated' : o.type;
    return { name: o.name, description: o.description, control: 'text', value, placeholder };
  });
}
