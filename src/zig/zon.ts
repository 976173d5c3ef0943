// A parser for the subset of ZON (Zig Object Notation) that build.zig.zon uses: anonymous struct and
// tuple literals `.{ ... }`, `.field = value` (also `.@"quoted"`), strings (with Zig escapes and `\\`
// multiline literals), numbers, enum literals `.name`, identifiers (`true`, `false`, `null`) and `//`
// comments. Grammar: Zig language reference, "Anonymous Struct Literals". Pure; no Node APIs.

export type ZonValue =
  | { type: 'struct'; fields: Map<string, ZonValue> }
  | { type: 'tuple'; items: ZonValue[] }
  | { type: 'string'; value: string }
  | { type: 'number'; text: string }
  | { type: 'enum'; name: string }
  | { type: 'ident'; name: string };

export class ZonError extends Error {
  override name = 'ZonError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

class Parser {
  i = 0;
  constructor(readonly src: string) {}

  fail(msg: string): never {
    const before = this.src.slice(0, this.i);
    const line = before.split('\n').length;
    const col = this.i - before.lastIndexOf('\n');
    throw new ZonError(`${line}:${col}: ${msg}`, this.i);
  }

  skip(): void {
    for (;;) {
      const c = this.src[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else if (c === '/' && this.src[this.i + 1] === '/') {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
      } else return;
    }
  }

  peek(s: string): boolean {
    this.skip();
    return this.src.startsWith(s, this.i);
  }

  expect(s: string): void {
    if (!this.peek(s)) this.fail(`expected '${s}'`);
    this.i += s.length;
  }

  ident(): string {
    this.skip();
    if (this.src.startsWith('@"', this.i)) {
      this.i++;
      return this.string();
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.i));
    if (!m) this.fail('expected an identifier');
    this.i += m[0].length;
    return m[0];
  }

  string(): string {
    // At the opening quote.
    this.i++;
    let out = '';
    for (;;) {
      const c = this.src[this.i++];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.src[this.i++];
      if (e === 'n') out += '\n';
      else if (e === 'r') out += '\r';
      else if (e === 't') out += '\t';
      else if (e === '\\' || e === '"' || e === "'") out += e;
      else if (e === 'x') {
        const h = this.src.slice(this.i, this.i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) this.fail('bad \\x escape');
        out += String.fromCharCode(parseInt(h, 16));
        this.i += 2;
      } else if (e === 'u') {
        const m = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.src.slice(this.i));
        if (!m) this.fail('bad \\u escape');
        out += String.fromCodePoint(parseInt(m[1], 16));
        this.i += m[0].length;
      } else this.fail(`bad escape '\\${e ?? ''}'`);
    }
  }

  value(): ZonValue {
    this.skip();
    const c = this.src[this.i];
    if (c === '"') return { type: 'string', value: this.string() };
    if (c === '\\' && this.src[this.i + 1] === '\\') {
      const lines: string[] = [];
      while (this.peek('\\\\')) {
        const end = this.src.indexOf('\n', this.i);
        lines.push(this.src.slice(this.i + 2, end < 0 ? this.src.length : end));
        this.i = end < 0 ? this.src.length : end + 1;
      }
      return { type: 'string', value: lines.join('\n') };
    }
    if (c === '.' && this.src[this.i + 1] === '{') return this.literal();
    if (c === '.') {
      this.i++;
      return { type: 'enum', name: this.ident() };
    }
    const num = /^-?(0x[0-9a-fA-F_]+|[0-9][0-9_]*(\.[0-9_]+)?([eE][-+]?[0-9]+)?)/.exec(this.src.slice(this.i));
    if (num) {
      this.i += num[0].length;
      return { type: 'number', text: num[0] };
    }
    return { type: 'ident', name: this.ident() };
  }

  literal(): ZonValue {
    this.expect('.{');
    if (this.peek('}')) {
      this.i++;
      return { type: 'struct', fields: new Map() };
    }
    // `.name =` starts a struct; anything else a tuple. Look ahead, then rewind.
    const save = this.i;
    let isStruct = false;
    if (this.peek('.') && !this.src.startsWith('.{', this.i)) {
      this.i++;
      try {
        this.ident();
        isStruct = this.peek('=') && !this.peek('==');
      } catch (e) {
        if (!(e instanceof ZonError)) throw e;
      }
    }
    this.i = save;
    if (isStruct) {
      const fields = new Map<string, ZonValue>();
      while (!this.peek('}')) {
        this.expect('.');
        const name = this.ident();
        this.expect('=');
        if (fields.has(name)) this.fail(`duplicate field '${name}'`);
        fields.set(name, this.value());
        if (!this.peek(',')) break;
        this.i++;
      }
      this.expect('}');
      return { type: 'struct', fields };
    }
    const items: ZonValue[] = [];
    while (!this.peek('}')) {
      items.push(this.value());
      if (!this.peek(',')) break;
      this.i++;
    }
    this.expect('}');
    return { type: 'tuple', items };
  }
}

/** Parse ZON text into a value tree. Throws ZonError with line:column. */
export function parseZon(src: string): ZonValue {
  const p = new Parser(src);
  const v = p.value();
  p.skip();
  if (p.i !== src.length) p.fail('trailing text after the value');
  return v;
}

export interface ZonDependency {
  name: string;
  path?: string;
  url?: string;
  hash?: string;
  lazy: boolean;
}

export interface ZonManifest {
  name: string;
  version?: string;
  dependencies: ZonDependency[];
}

function str(v: ZonValue | undefined): string | undefined {
  return v?.type === 'string' ? v.value : undefined;
}

/** The fields of build.zig.zon that wiring dependencies needs. */
export function readManifest(src: string): ZonManifest {
  const root = parseZon(src);
  if (root.type !== 'struct') throw new ZonError('build.zig.zon: the top level must be a struct literal', 0);
  const nameV = root.fields.get('name');
  const name = str(nameV) ?? (nameV?.type === 'enum' ? nameV.name : undefined);
  if (!name) throw new ZonError('build.zig.zon: missing .name', 0);
  const deps: ZonDependency[] = [];
  const depsV = root.fields.get('dependencies');
  if (depsV && depsV.type === 'struct') {
    for (const [depName, d] of depsV.fields) {
      if (d.type !== 'struct') throw new ZonError(`build.zig.zon: dependency '${depName}' is not a struct`, 0);
      const lazyV = d.fields.get('lazy');
      deps.push({
        name: depName,
        path: str(d.fields.get('path')),
        url: str(d.fields.get('url')),
        hash: str(d.fields.get('hash')),
        lazy: lazyV?.type === 'ident' && lazyV.name === 'true',
      });
    }
  } else if (depsV && !(depsV.type === 'tuple' && depsV.items.length === 0)) {
    throw new ZonError('build.zig.zon: .dependencies must be a struct literal', 0);
  }
  return { name, version: str(root.fields.get('version')), dependencies: deps };
}
