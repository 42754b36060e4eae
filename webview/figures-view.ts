/**
 * The Figures view: the figures a Python script showed with `plt.show()`, in the order it showed
 * them, each at its own size (inches × dpi, as matplotlib sizes a window) but never wider than
 * the panel, with an SVG export. The SVG is the script process's drawing, shown as an image (an
 * <img> runs no script an SVG might carry).
 *
 * Self-describing DOM: `figure.agl-figure[data-index][data-width][data-height]` per figure, and
 * the section's `data-figures` (how many it shows).
 */
import type { PanelFigure } from '../src/protocol/panel-messages.js';
import { button } from './components/index.js';
import { post } from './vscode-api.js';

const EMPTY_TEXT = 'No figures yet: a Python script that calls plt.show() shows its figures here (savefig() writes them to files).';

function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

export class FiguresView {
  readonly root: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private count = 0;

  constructor(private readonly onCountChange: (count: number) => void) {
    this.root = document.createElement('section');
    this.root.className = 'agl-figures';
    this.root.dataset.figures = '0';
    this.empty = document.createElement('p');
    this.empty.className = 'agl-empty';
    this.empty.textContent = EMPTY_TEXT;
    this.list = document.createElement('div');
    this.list.className = 'agl-figure-list';
    this.root.append(this.empty, this.list);
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.list.replaceChildren();
    this.setCount(0);
  }

  add(figure: PanelFigure): void {
    const item = document.createElement('figure');
    item.className = 'agl-figure';
    item.dataset.index = String(figure.index);
    item.dataset.width = String(figure.width);
    item.dataset.height = String(figure.height);
    const image = document.createElement('img');
    image.src = svgDataUrl(figure.svg);
    image.width = figure.width;
    image.height = figure.height;
    image.alt = `Figure ${figure.index}`;
    const caption = document.createElement('figcaption');
    const title = document.createElement('span');
    title.textContent = `Figure ${figure.index} · ${figure.width}×${figure.height} px`;
    caption.append(
      title,
      button('Export SVG', () => post({ type: 'export', format: 'svg', suggestedName: `figure-${figure.index}.svg`, content: figure.svg }), { title: 'Save this figure as an SVG file' }),
    );
    item.append(image, caption);
    this.list.append(item);
    this.setCount(this.count + 1);
  }

  private setCount(count: number): void {
    this.count = count;
    this.root.dataset.figures = String(count);
    this.empty.hidden = count > 0;
    this.onCountChange(count);
  }
}
