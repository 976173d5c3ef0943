// Vite plugin (Node side only): the sample gallery's manifest, `samples.json`, generated from the
// tarballs in public/examples and public/stress and the "what an auditor should see" table in
// examples/README.md. Served by the dev server and emitted into the static build, so it never drifts.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

export interface SampleEntry {
  file: string;
  name: string;
  description: string;
  bytes: number;
}

/** `| \`name\` | text |` rows of a Markdown table → name → text (Markdown markers removed). */
export function readmeDescriptions(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of markdown.split('\n')) {
    const m = /^\|\s*([^|]+?)\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
    if (!m) continue;
    const text = m[2].replace(/\*\*|`/g, '');
    for (const name of m[1].split(',')) {
      const n = name.replace(/`/g, '').trim();
      if (/^[\w.-]+$/.test(n)) out.set(n, text);
    }
  }
  return out;
}

export function buildManifest(root: string): SampleEntry[] {
  const readme = path.join(root, 'examples', 'README.md');
  const desc = existsSync(readme) ? readmeDescriptions(readFileSync(readme, 'utf8')) : new Map<string, string>();
  const out: SampleEntry[] = [];
  for (const folder of ['examples', 'stress']) {
    const dir = path.join(root, 'public', folder);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!/\.(tar\.gz|tgz|tar)$/.test(f)) continue;
      const name = f.replace(/\.(tar\.gz|tgz|tar)$/, '');
      const description = desc.get(name) ?? (folder === 'stress' ? 'Generated stress package: thousands of steps, to check the DAG stays usable.' : '');
      out.push({ file: `${folder}/${f}`, name, description, bytes: statSync(path.join(dir, f)).size });
    }
  }
  return out;
}

export function samplesPlugin(root: string): Plugin {
  return {
    name: 'sandbuild-samples',
    configureServer(server) {
      server.middlewares.use('/samples.json', (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(buildManifest(root)));
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'samples.json', source: JSON.stringify(buildManifest(root), null, 1) });
    },
  };
}
