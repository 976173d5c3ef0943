// The Cytoscape instance behind the graph panel: created once per container, fed whole element lists
// (positions precomputed by our layered layout, so Cytoscape never runs a layout of its own), and told
// about selection, focus and search matches through classes. Keeps Cytoscape out of the components.

import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import { cyStyle } from './cy-style.ts';
import { stepOfNodeId, CONFIGURE_ID, type Element } from './elements.ts';

/** Above this many elements, draw for speed: haystack edges, textures while panning, hidden tiny labels. */
export const BIG_GRAPH = 1500;

export interface CyHandlers {
  onSelect(step: number | null): void;
  onToggle(step: number): void;
  onConfigure(): void;
}

export class CyView {
  private cy: Core;
  private big = false;
  /** The whole drawing is in view as last fitted (no pan or zoom since): a resize fits it again. */
  private fitted = false;

  constructor(container: HTMLElement, private readonly handlers: CyHandlers) {
    this.cy = cytoscape({
      container,
      style: cyStyle(false),
      minZoom: 0.02,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: 'single',
      autoungrabify: true,
    });
    this.cy.on('tap', 'node', (ev) => {
      const id = ev.target.id() as string;
      if (id === CONFIGURE_ID) this.handlers.onConfigure();
      else this.handlers.onSelect(stepOfNodeId(id) ?? null);
    });
    this.cy.on('dbltap', 'node', (ev) => {
      const step = stepOfNodeId(ev.target.id() as string);
      if (step !== undefined) this.handlers.onToggle(step);
    });
    this.cy.on('tap', (ev) => {
      if (ev.target === this.cy) this.handlers.onSelect(null);
    });
    // The user's own pan or zoom is kept across resizes.
    this.cy.on('dragpan scrollzoom pinchzoom', () => (this.fitted = false));
  }

  /** Replace everything drawn. Resolves after the first frame with the new elements is rendered. */
  setElements(elements: Element[], fit: boolean): Promise<void> {
    const big = elements.length > BIG_GRAPH;
    if (big !== this.big) {
      this.big = big;
      this.cy.style(cyStyle(big));
    }
    // Viewport shortcuts for big graphs. Cytoscape reads these renderer fields at every frame but only
    // takes them as init options, so they are set on the renderer directly.
    const r = (this.cy as unknown as { renderer(): { textureOnViewport: boolean; hideEdgesOnViewport: boolean } }).renderer();
    r.textureOnViewport = big;
    r.hideEdgesOnViewport = big;
    const rendered = new Promise<void>((resolve) => this.cy.one('render', () => resolve()));
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(elements as ElementDefinition[]);
    });
    if (fit) this.fit();
    return rendered;
  }

  select(step: number | null, center: boolean): void {
    this.cy.batch(() => {
      this.cy.$(':selected').unselect();
      if (step === null) return;
      const n = this.cy.getElementById(`s${step}`);
      if (n.nonempty()) {
        n.select();
        if (center) this.fitted = false;
        if (center) this.cy.animate({ center: { eles: n }, zoom: Math.max(this.cy.zoom(), 0.8) }, { duration: 200 });
      }
    });
  }

  /** Fade everything outside `keep` (null: nothing faded). */
  setFocus(keep: ReadonlySet<number> | null): void {
    this.cy.batch(() => {
      this.cy.elements().removeClass('faded');
      if (!keep) return;
      this.cy.nodes().forEach((n) => {
        const s = stepOfNodeId(n.id());
        if (s === undefined || !keep.has(s)) n.addClass('faded');
      });
      this.cy.edges().forEach((e) => {
        const a = stepOfNodeId(e.source().id());
        const b = stepOfNodeId(e.target().id());
        if (a === undefined || b === undefined || !keep.has(a) || !keep.has(b)) e.addClass('faded');
      });
    });
  }

  setMatches(steps: readonly number[]): void {
    this.cy.batch(() => {
      this.cy.nodes('.match').removeClass('match');
      for (const s of steps) this.cy.getElementById(`s${s}`).addClass('match');
    });
  }

  fit(): void {
    this.cy.fit(undefined, 24);
    this.fitted = true;
  }

  zoomBy(factor: number): void {
    this.fitted = false;
    const z = this.cy.zoom() * factor;
    this.cy.zoom({ level: Math.min(this.cy.maxZoom(), Math.max(this.cy.minZoom(), z)), renderedPosition: { x: this.cy.width() / 2, y: this.cy.height() / 2 } });
  }

  /** The container changed size (a wide sidebar tab, the window): a fitted drawing is fitted again, not clipped. */
  resize(): void {
    this.cy.resize();
    if (this.fitted) this.fit();
  }

  /** Where a step's node is drawn, in container pixels (for tests and tooltips). */
  renderedPosition(step: number): { x: number; y: number } | null {
    const n = this.cy.getElementById(`s${step}`);
    return n.nonempty() ? n.renderedPosition() : null;
  }

  /** The Cytoscape instance, read by the share menu's graph export (src/app/panels/share/graph-export.ts). */
  get core(): Core {
    return this.cy;
  }

  destroy(): void {
    this.cy.destroy();
  }
}
