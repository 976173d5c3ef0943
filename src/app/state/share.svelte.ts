// Permalinks (copy link, open a link) and exports (graph SVG/PNG, trace JSONL).
//
// A link carries the package (inline when small, else the URL it was fetched from: the gallery's
// page-relative path or an https URL the user gives), its SHA-256, the options, the policy, the engine and
// the selection (src/permalink). Opening one downloads and verifies the package, loads it with the link's
// options, policy and engine, runs it, then selects the syscall or step.
//
// The address bar: after a link was copied or opened, it follows the run (every selection or setting
// change rewrites the fragment with history.replaceState, so the address bar is always a working link);
// before that the page's URL stays clean. Our own rewrites fire no hashchange; a link pasted into the
// address bar does, and is opened.

import type { Core } from 'cytoscape';
import { decodePermalink, encodePermalink, PERMALINK_LIMITS, PermalinkError, resolvePackageUrl, sha256Hex, verifyPackage, type PermalinkInput, type PermalinkState, type Selection } from '../../permalink/index.ts';
import { exportFileName, traceJsonl, type ExportKind } from '../panels/share/export-files.ts';
import { drawingOf, pngOf } from '../panels/share/graph-export.ts';
import { isLinkFragment, linkableSource, nameFromUrl } from '../panels/share/link-helpers.ts';
import { graphSvg } from '../panels/share/graph-svg.ts';
import { PRESETS } from '../panels/policy/presets.ts';
import type { AppState } from './app.svelte.ts';

/** Largest package a link may make the page download (the worker holds it whole in memory). */
export const MAX_LINKED_PACKAGE_BYTES = 256 << 20;

export interface ShareNotice {
  tone: 'ok' | 'warn';
  text: string;
}

const KIB = (n: number) => `${Math.ceil(n / 1024)} KiB`;

/** What a link is made from, read from the app state at one moment. */
interface LinkInput {
  bytes: Uint8Array | null;
  /** Where the package was fetched from (gallery path, link URL), if anywhere. */
  source: string | null;
  /** An https URL the user gave for a package too large to inline. */
  host: string;
  rest: Omit<PermalinkInput, 'pkg'>;
}

/** Too big to inline and fetched from nowhere a link can name: the user must publish it somewhere. */
function needsHost(i: LinkInput): boolean {
  return i.bytes !== null && i.bytes.length > PERMALINK_LIMITS.maxInlineBytes && !linkableSource(i.source);
}

export class ShareState {
  /** The link last made or followed (a full URL), shown read-only to copy from. */
  link = $state<string | null>(null);
  notice = $state.raw<ShareNotice | null>(null);
  /** The loaded package cannot go in a link as it is: ask for an https URL where it is published. */
  needsHost = $state(false);
  /** That URL, typed by the user. */
  hostUrl = $state('');
  /** A link is being opened (download, check, run). */
  opening = $state(false);
  /** The address bar follows the run (after a link was made or opened). */
  following = $state(false);

  #graph: (() => Core | null) | null = null;
  /** The https URL the followed link was made with (the field may be edited without breaking the address bar). */
  #linkedHost = '';
  #sha = new WeakMap<Uint8Array, string>();
  #openId = 0;
  #syncId = 0;

  constructor(readonly app: AppState) {}

  /** The graph panel registers where to read the drawn graph from; returns the unregister function. */
  setGraphSource(get: () => Core | null): () => void {
    this.#graph = get;
    return () => {
      if (this.#graph === get) this.#graph = null;
    };
  }

  /** What a link made now would select: the selected syscall, else the selected step. */
  get selection(): Selection | undefined {
    const r = this.app.trace.selected;
    if (r) return { kind: 'syscall', seq: r.seq };
    const s = this.app.graph.selected;
    return s !== null ? { kind: 'step', id: s } : undefined;
  }

  async #sha256(bytes: Uint8Array): Promise<string> {
    let h = this.#sha.get(bytes);
    if (!h) this.#sha.set(bytes, (h = await sha256Hex(bytes)));
    return h;
  }

  /** The link's inputs from the current state (reactive reads happen before the first await). */
  #input(host: string): LinkInput {
    const name = this.app.pkgName;
    return {
      bytes: this.app.archive,
      source: this.app.sourceUrl,
      host,
      rest: {
        ...(name && /^[^\u0000-\u001f\u007f/\\]{1,200}$/.test(name) ? { name } : {}),
        options: { ...this.app.options },
        policy: this.app.policy.policy,
        engine: this.app.engine,
        sel: this.selection,
      },
    };
  }

  /** Inline when small; else by the URL it came from or the one the user gave; else a plain refusal. */
  async #fragment(i: LinkInput): Promise<string> {
    const bytes = i.bytes;
    if (!bytes) throw new PermalinkError('bad-field', 'no package is loaded');
    let pkg: PermalinkInput['pkg'];
    if (bytes.length <= PERMALINK_LIMITS.maxInlineBytes) pkg = { bytes };
    else if (linkableSource(i.source)) pkg = { url: i.source, sha256: await this.#sha256(bytes) };
    else if (i.host !== '') pkg = { url: i.host, sha256: await this.#sha256(bytes) };
    else {
      throw new PermalinkError(
        'too-large',
        `this package is ${KIB(bytes.length)}, and a link carries at most ${KIB(PERMALINK_LIMITS.maxInlineBytes)} inside it. It was opened from your disk, so there is no URL to point to: publish the file at an https URL, paste that URL below, and copy the link again (opening it checks the download against this file's SHA-256).`,
      );
    }
    return encodePermalink({ pkg, ...i.rest });
  }

  /** Make the link for the current run and selection, show it, and put it on the clipboard. */
  async copyLink(): Promise<void> {
    this.notice = null;
    const input = this.#input(this.hostUrl.trim());
    let fragment: string;
    try {
      fragment = await this.#fragment(input);
    } catch (e) {
      if (!(e instanceof PermalinkError)) throw e;
      this.link = null;
      this.needsHost = needsHost(input);
      this.notice = { tone: 'warn', text: `No link: ${e.message}` };
      return;
    }
    this.needsHost = needsHost(input);
    this.#linkedHost = input.host;
    this.#show(fragment);
    this.following = true;
    try {
      await navigator.clipboard.writeText(this.link!);
      this.notice = { tone: 'ok', text: 'Link copied to the clipboard.' };
    } catch {
      this.notice = { tone: 'warn', text: 'The browser did not let the page copy: select the link below and copy it yourself.' };
    }
  }

  #show(fragment: string): void {
    if (location.hash !== fragment) history.replaceState(history.state, '', fragment);
    this.link = location.href;
  }

  /** Call from an effect: while following, rewrite the fragment for the current run and selection. */
  syncHash(): void {
    if (!this.following || this.opening || this.app.phase !== 'ready') return;
    const input = this.#input(this.#linkedHost);
    const id = ++this.#syncId;
    this.#fragment(input).then(
      (fragment) => {
        if (id === this.#syncId && this.following) this.#show(fragment);
      },
      () => {
        // The run can no longer be linked (a big dropped file): stop following and leave a clean URL.
        if (id !== this.#syncId) return;
        this.following = false;
        this.link = null;
        history.replaceState(history.state, '', location.pathname + location.search);
      },
    );
  }

  /** Open the link in the page's address (on load) and any link pasted later. Returns the cleanup. */
  start(): () => void {
    if (isLinkFragment(location.hash)) void this.open(location.hash);
    const onHash = () => {
      if (isLinkFragment(location.hash)) void this.open(location.hash);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }

  /** Open a link: decode, download and verify the package, load it with the link's settings, run, select. */
  async open(fragment: string): Promise<void> {
    const id = ++this.#openId;
    this.opening = true;
    this.notice = null;
    try {
      const st = await decodePermalink(fragment);
      const { bytes, url } = st.pkg.kind === 'inline' ? { bytes: st.pkg.bytes, url: undefined } : { bytes: await this.#download(st.pkg.url, st.pkg.sha256), url: st.pkg.url };
      if (id !== this.#openId) return;
      this.#sha.set(bytes, st.pkg.sha256);
      this.#linkedHost = '';
      const name = st.name ?? (url ? nameFromUrl(url) : 'linked package');
      await this.app.loadBytes(name, bytes, { url, apply: () => this.#applySettings(st) });
      // Superseded: another link, or the user opened another package meanwhile.
      if (id !== this.#openId || this.app.archive !== bytes) return;
      this.#select(st.sel);
      this.following = true;
      this.#show(fragment);
    } catch (e) {
      if (id !== this.#openId) return;
      if (e instanceof PermalinkError) {
        this.following = false;
        this.app.fail({ phase: 'permalink', kind: e.kind, message: e.message });
      } else throw e;
    } finally {
      if (id === this.#openId) this.opening = false;
    }
  }

  async #download(url: string, sha256: string): Promise<Uint8Array> {
    const abs = resolvePackageUrl(url, location.href);
    let bytes: Uint8Array;
    try {
      const res = await fetch(abs);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const len = Number(res.headers.get('content-length') ?? 0);
      if (len > MAX_LINKED_PACKAGE_BYTES) throw new PermalinkError('too-large', `the package at ${abs} is ${len} bytes; links open packages of up to ${MAX_LINKED_PACKAGE_BYTES} bytes`);
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      if (e instanceof PermalinkError) throw e;
      throw new PermalinkError('fetch-failed', `could not download the package from ${abs} (${e instanceof Error ? e.message : String(e)})`);
    }
    if (bytes.length > MAX_LINKED_PACKAGE_BYTES) throw new PermalinkError('too-large', `the package at ${abs} is ${bytes.length} bytes; links open packages of up to ${MAX_LINKED_PACKAGE_BYTES} bytes`);
    await verifyPackage(bytes, sha256);
    return bytes;
  }

  /** The link's options, engine and policy (a preset's id when it is one), before the first run. */
  #applySettings(st: PermalinkState): void {
    this.app.options = { ...st.options };
    this.app.engine = st.engine;
    const p = this.app.policy;
    const text = JSON.stringify(st.policy);
    const preset = PRESETS.find((x) => JSON.stringify(x.policy) === text);
    if (preset) p.usePreset(preset.id);
    else p.useCustom(st.policy);
  }

  #select(sel: Selection | undefined): void {
    if (!sel) return;
    if (sel.kind === 'syscall') {
      if (!this.app.trace.select(sel.seq)) this.notice = { tone: 'warn', text: `The link selects syscall #${sel.seq}, which this run did not record.` };
      return;
    }
    if (this.app.graph.graph?.steps[sel.id]) {
      this.app.graph.select(sel.id);
      this.app.tab = 'details';
    } else this.notice = { tone: 'warn', text: `The link selects step ${sel.id}, which this run's graph does not have.` };
  }

  // ---- exports -------------------------------------------------------------------------------------

  get canExportGraph(): boolean {
    return this.app.graph.graph !== null;
  }

  get canExportTrace(): boolean {
    return this.app.trace.total > 0;
  }

  exportGraph(kind: 'svg' | 'png'): void {
    const cy = this.#graph?.();
    if (!cy || !this.app.graph.graph) {
      this.notice = { tone: 'warn', text: 'There is no drawn graph to export.' };
      return;
    }
    const blob = kind === 'png' ? pngOf(cy) : new Blob([graphSvg(drawingOf(cy), `${this.app.pkgName ?? 'package'}: sandbuild step graph`)], { type: 'image/svg+xml' });
    this.#save(blob, kind);
  }

  exportTrace(): void {
    // The trace on show: the run's, or an open step-through session's (partial, and never the run's count).
    const records = this.app.trace.index.records;
    const total = records.length + this.app.trace.dropped;
    this.#save(new Blob([traceJsonl(records, total)], { type: 'application/x-ndjson' }), 'jsonl');
  }

  #save(blob: Blob, kind: ExportKind): void {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = exportFileName(this.app.pkgName, kind);
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
    // Revoked after the click has been handled (revoking at once can cancel the download in some browsers).
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }
}
