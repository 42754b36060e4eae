/**
 * Our small UI components. The only place that knows @vscode/webview-ui-toolkit (archived in
 * 2025): swapping to @vscode-elements/elements means changing this folder only. Everything else
 * calls these functions and gets plain HTMLElements back.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDivider } from '@vscode/webview-ui-toolkit';

let registered = false;
function register(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDivider());
}

export interface ButtonOptions {
  title?: string;
  secondary?: boolean;
  id?: string;
}

export function button(label: string, onClick: () => void, options: ButtonOptions = {}): HTMLElement {
  register();
  const el = document.createElement('vscode-button');
  el.textContent = label;
  if (options.secondary) el.setAttribute('appearance', 'secondary');
  if (options.title) el.title = options.title;
  if (options.id) el.id = options.id;
  el.addEventListener('click', () => {
    if (!el.hasAttribute('disabled')) onClick();
  });
  return el;
}

export function setDisabled(el: HTMLElement, disabled: boolean): void {
  if (disabled) el.setAttribute('disabled', '');
  else el.removeAttribute('disabled');
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void, id?: string): HTMLElement {
  register();
  const el = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  el.textContent = label;
  if (id) el.id = id;
  el.checked = checked;
  if (checked) el.setAttribute('checked', '');
  el.addEventListener('change', () => onChange(el.checked));
  return el;
}

export function setChecked(el: HTMLElement, checked: boolean): void {
  (el as HTMLElement & { checked: boolean }).checked = checked;
}

/**
 * A labelled range slider (the toolkit has none): native input, themed by panel.css. `set`
 * moves it without calling `onInput` (a value that came from elsewhere).
 */
export function slider(label: string, value: number, min: number, max: number, step: number, onInput: (value: number) => void, id?: string): { root: HTMLElement; input: HTMLInputElement; set: (value: number) => void } {
  const root = document.createElement('label');
  root.className = 'agl-slider';
  const text = document.createElement('span');
  text.textContent = label;
  const input = document.createElement('input');
  input.type = 'range';
  input.min = String(min);
  input.max = String(max);
  input.step = String(step);
  input.value = String(value);
  if (id) input.id = id;
  const out = document.createElement('output');
  out.textContent = value.toFixed(2);
  input.addEventListener('input', () => {
    out.textContent = Number(input.value).toFixed(2);
    onInput(Number(input.value));
  });
  root.append(text, input, out);
  const set = (v: number) => {
    input.value = String(v);
    out.textContent = Number(input.value).toFixed(2);
  };
  return { root, input, set };
}

export function divider(): HTMLElement {
  register();
  return document.createElement('vscode-divider');
}

/** Tabs: a row of buttons with one selected; returns a setter. */
export function tabs<T extends string>(items: { id: T; label: string }[], selected: T, onSelect: (id: T) => void): { root: HTMLElement; select: (id: T) => void } {
  const root = document.createElement('div');
  root.className = 'agl-tabs';
  root.setAttribute('role', 'tablist');
  const buttons = new Map<T, HTMLButtonElement>();
  const select = (id: T) => {
    for (const [k, b] of buttons) {
      b.setAttribute('aria-selected', String(k === id));
      b.classList.toggle('selected', k === id);
    }
  };
  for (const item of items) {
    const b = document.createElement('button');
    b.className = 'agl-tab';
    b.setAttribute('role', 'tab');
    b.dataset.tab = item.id;
    b.textContent = item.label;
    b.addEventListener('click', () => {
      select(item.id);
      onSelect(item.id);
    });
    buttons.set(item.id, b);
    root.append(b);
  }
  select(selected);
  return { root, select };
}

/**
 * A labelled drop-down. Native <select> (themed by panel.css with the --vscode-dropdown-*
 * colours) rather than the toolkit's vscode-dropdown, whose options live in a shadow root that
 * keyboard users and tests reach less reliably.
 */
export function select(label: string, options: { value: string; label: string }[], value: string, onChange: (value: string) => void, id?: string): { root: HTMLElement; input: HTMLSelectElement } {
  const root = document.createElement('label');
  root.className = 'agl-select';
  const text = document.createElement('span');
  text.textContent = label;
  const input = document.createElement('select');
  if (id) input.id = id;
  setOptions(input, options, value);
  input.addEventListener('change', () => onChange(input.value));
  root.append(text, input);
  return { root, input };
}

/** Replaces a drop-down's options, keeping `value` selected (the first option if it is gone). */
export function setOptions(input: HTMLSelectElement, options: { value: string; label: string }[], value: string): void {
  input.replaceChildren(
    ...options.map((o) => {
      const option = document.createElement('option');
      option.value = o.value;
      option.textContent = o.label;
      return option;
    }),
  );
  input.value = options.some((o) => o.value === value) ? value : (options[0]?.value ?? '');
}
