// Path globs for policy rules, relative to the package root with '/' separators:
//   `*` any run of characters inside one component, `?` one character, `**` any number of whole
//   components (including none), `{a,b}` alternatives. The package root itself is the path '.'.
// Globs compile to anchored regexes; the compiled form is cached.

const cache = new Map<string, RegExp>();

function escape(ch: string): string {
  return /[.+^${}()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
}

function compileBody(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` matches zero or more leading components; a final `**` matches everything below.
          if (i + 2 < glob.length) {
            re += '(?:[^/]+/)*';
            i += 2;
          } else {
            re += '.*';
            i += 1;
          }
          continue;
        }
      }
      re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) {
        re += '\\{';
        continue;
      }
      const alts = glob.slice(i + 1, close).split(',');
      re += `(?:${alts.map(compileBody).join('|')})`;
      i = close;
    } else re += escape(ch);
  }
  return re;
}

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = compileBody(glob.replace(/^\.\//, ''));
    // `**` alone also matches the root '.'.
    re = new RegExp(glob === '**' ? `^(?:\\.|${body})$` : `^${body}$`, 's');
    cache.set(glob, re);
  }
  return re;
}

export function globMatch(glob: string, path: string): boolean {
  return globToRegExp(glob).test(path);
}

/** Env-name patterns: `*` matches any run of characters, everything else literal. */
export function namePatternMatch(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return re.test(name);
}
