// `sandbuild run | compile | audit | diff`: each subcommand lives in its own module and returns an exit code.

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  run: { summary: 'run a wasm32-wasi program in the sandbox', load: async () => (await import('./run.ts')).runCommand },
  compile: { summary: "compile a package's build.zig to .sandbuild/build.wasm", load: async () => (await import('./compile.ts')).compileCommand },
  audit: { summary: "run a package's build logic under a policy and report denials", load: async () => (await import('./audit.ts')).auditCommand },
  diff: { summary: 'compare the graphs and syscalls of two package versions', load: async () => (await import('./diff.ts')).diffCommand },
};

export function usage(): string {
  const lines = ['usage: sandbuild <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(8)} ${c.summary}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`sandbuild: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  let run: Command;
  try {
    run = await cmd.load();
  } catch {
    console.error(`sandbuild: '${name}' is not available in this build yet`);
    return 2;
  }
  return run(rest);
}
