// The sample gallery's manifest, generated from public/examples and examples/README.md by
// src/app/server/samples-plugin.ts (served in dev, emitted into the static build).

export interface Sample {
  /** URL relative to the page, e.g. `examples/c-exfiltrate.tar.gz`. */
  file: string;
  name: string;
  /** What an auditor should see, from examples/README.md (plain text). */
  description: string;
  bytes: number;
}

export const SAMPLES_MANIFEST = 'samples.json';

export async function fetchSamples(): Promise<Sample[]> {
  const res = await fetch(SAMPLES_MANIFEST);
  if (!res.ok) return [];
  const data: unknown = await res.json();
  if (!Array.isArray(data)) return [];
  return data.filter(
    (s): s is Sample => typeof s === 'object' && s !== null && typeof s.file === 'string' && typeof s.name === 'string' && typeof s.description === 'string' && typeof s.bytes === 'number',
  );
}
