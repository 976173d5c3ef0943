// The diff view's own Cytoscape instance: the graph panel's stylesheet (node shape, fonts, edges) with the
// diff colours on top, so status wins over step kind. Like cy-view.ts, positions come precomputed
// (diff-elements.ts → layout.ts) and Cytoscape never runs a layout.

import cytoscape, { type Core, type ElementDefinition, type StylesheetJson } from 'cytoscape';
import { cyStyle } from '../graph/cy-style.ts';
import type { DiffElement, DiffStatus } from './diff-elements.ts';

export const DIFF_COLOURS: Record<DiffStatus, { fill: string; border: string; text: string }> = {
  added: { fill: '#dcfce7', border: '#16a34a', text: '#14532d' },
  removed: { fill: '#fee2e2', border: '#dc2626', text: '#7f1d1d' },
  changed: { fill: '#fef3c7', border: '#d97706', text: '#78350f' },
  unchanged: { fill: '#f1f5f9', border: '#cbd5e1', text: '#64748b' },
};

export function diffStyle(): StylesheetJson {
  const base = cyStyle(false) as unknown as StylesheetJson[number][];
  const status = (Object.entries(DIFF_COLOURS) as [DiffStatus, (typeof DIFF_COLOURS)[DiffStatus]][]).map(([s, c]) => ({
    selector: `node.${s}`,
    style: { 'background-color': c.fill, 'border-color': c.border, color: c.text, 'border-style': s === 'removed' ? 'dashed' : 'solid', 'border-width': s === 'unchanged' ? 1 : 2.5 },
  }));
  return [
    ...base.filter((r) => !('selector' in r) || !/^node\.(denied|blocked|configure)/.test(String(r.selector))),
    ...status,
    { selector: 'node.added, node.changed, node.removed', style: { 'font-weight': 'bold' } },
    // A denied step keeps its status colour and gets a thick double red border.
    { selector: 'node.denied', style: { 'border-color': '#b91c1c', 'border-style': 'double', 'border-width': 5 } },
    { selector: 'edge.added-edge', style: { 'line-color': DIFF_COLOURS.added.border, 'target-arrow-color': DIFF_COLOURS.added.border, width: 2 } },
    { selector: 'edge.removed-edge', style: { 'line-color': DIFF_COLOURS.removed.border, 'target-arrow-color': DIFF_COLOURS.removed.border, 'line-style': 'dashed', width: 2 } },
    { selector: 'node:selected', style: { 'overlay-color': '#2563eb', 'overlay-opacity': 0.16, 'overlay-padding': 6 } },
  ] as StylesheetJson;
}

export class DiffCy {
  private cy: Core;

  constructor(container: HTMLElement, onSelect: (node: string | null) => void) {
    this.cy = cytoscape({ container, style: diffStyle(), minZoom: 0.05, maxZoom: 3, boxSelectionEnabled: false, selectionType: 'single', autoungrabify: true });
    this.cy.on('tap', 'node', (ev) => onSelect(ev.target.id() as string));
    this.cy.on('tap', (ev) => {
      if (ev.target === this.cy) onSelect(null);
    });
  }

  /** Replace everything drawn; resolves once a frame with the new elements is rendered. */
  setElements(elements: DiffElement[]): Promise<void> {
    const rendered = new Promise<void>((resolve) => this.cy.one('render', () => resolve()));
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(elements as ElementDefinition[]);
    });
    this.cy.fit(undefined, 24);
    return rendered;
  }

  select(node: string | null): void {
    this.cy.batch(() => {
      this.cy.$(':selected').unselect();
      if (node) this.cy.getElementById(node).select();
    });
  }

  /** Classes of a drawn node (for the view's test attributes: what Cytoscape really holds). */
  classesOf(node: string): string[] {
    const n = this.cy.getElementById(node);
    return n.nonempty() ? n.classes() : [];
  }

  resize(): void {
    this.cy.resize();
  }

  fit(): void {
    this.cy.fit(undefined, 24);
  }

  destroy(): void {
    this.cy.destroy();
  }
}
