/**
 * `torch.utils.tensorboard.SummaryWriter`, the scalar part: the logging PyTorch code already
 * does (`writer.add_scalar('Loss/train', loss, epoch)`) works unchanged.
 *
 * Under the Autograd Lab runner the points become the run's loss curves (series = tag). Run
 * standalone, they are appended as JSON lines `{tag, step, value, wall_time}` to
 * `<log_dir>/scalars.jsonl` (log_dir defaults to `runs/<Mon><DD>_<HH>-<MM>-<SS>_<host><comment>`
 * as in PyTorch), so nothing logged is lost. TensorBoard's own event-file format is not written.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ValueError } from '../errors.js';
import { hostGlobal } from '../hooks.js';
import { Tensor } from '../tensor.js';

export interface SummaryWriterOptions {
  /** Where to write; default `runs/<date>_<host><comment>`. */
  log_dir?: string | null;
  /** Appended to the default log_dir (ignored when log_dir is given), as in PyTorch. */
  comment?: string;
  /** Lines buffered before they are written (default 10, PyTorch's max_queue). */
  max_queue?: number;
  /** Seconds after which buffered lines are written at the next add (default 120). */
  flush_secs?: number;
  /** Accepted for PyTorch compatibility; unused. */
  purge_step?: number | null;
  /** Accepted for PyTorch compatibility; unused. */
  filename_suffix?: string;
}

/** A value add_scalar takes: a number (a bool counts as 0/1) or a one-element tensor. */
export type ScalarValue = number | boolean | Tensor;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** PyTorch's `datetime.now().strftime('%b%d_%H-%M-%S')`. */
function timestamp(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]}${two(d.getDate())}_${two(d.getHours())}-${two(d.getMinutes())}-${two(d.getSeconds())}`;
}

function scalarOf(value: ScalarValue): number {
  if (value instanceof Tensor) {
    if (value.numel() !== 1) {
      throw new ValueError('scalar should be 0D', `Autograd Lab: add_scalar got a tensor of shape [${value.shape.join(', ')}]; log loss.item() or a one-element tensor.`);
    }
    return value.item();
  }
  return Number(value);
}

// Lines still buffered when the process exits are written then.
const open = new Set<SummaryWriter>();
let exitHook = false;
function track(writer: SummaryWriter): void {
  open.add(writer);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const w of open) w.flush();
    });
  }
}

export class SummaryWriter {
  /** The directory written to (standalone), as PyTorch's `writer.log_dir`. */
  readonly log_dir: string;
  private readonly sink: ((series: string, step: number, value: number) => void) | null;
  private readonly maxQueue: number;
  private readonly flushMs: number;
  private pending: string[] = [];
  private lastFlush = Date.now();
  private readonly steps = new Map<string, number>();

  constructor(log_dir?: string | null | SummaryWriterOptions, options: SummaryWriterOptions = {}) {
    const o: SummaryWriterOptions = typeof log_dir === 'object' && log_dir !== null ? log_dir : { ...options, log_dir: log_dir ?? options.log_dir ?? null };
    this.log_dir = o.log_dir ?? join('runs', `${timestamp(new Date())}_${hostname()}${o.comment ?? ''}`);
    this.maxQueue = Math.max(1, o.max_queue ?? 10);
    this.flushMs = (o.flush_secs ?? 120) * 1000;
    const scalar = hostGlobal()?.scalar;
    this.sink = typeof scalar === 'function' ? scalar : null;
    if (this.sink === null) mkdirSync(this.log_dir, { recursive: true });
  }

  get_logdir(): string {
    return this.log_dir;
  }

  /**
   * Logs `scalar_value` under `tag` at `global_step` (default: how many times this tag was
   * logged by this writer, counting from 1). `walltime` is in seconds since the epoch.
   * `new_style` and `double_precision` choose how TensorBoard's event file stores the value;
   * a curve shows the same value either way.
   */
  add_scalar(
    tag: string,
    scalar_value: ScalarValue,
    global_step?: number | null,
    walltime?: number | null,
    options?: { new_style?: boolean; double_precision?: boolean },
  ): void {
    void options;
    this.write(tag, scalarOf(scalar_value), global_step, walltime);
  }

  /** Logs several values at one step, each as the series `<main_tag>/<tag>`. */
  add_scalars(
    main_tag: string,
    tag_scalar_dict: Readonly<Record<string, ScalarValue>> | ReadonlyMap<string, ScalarValue>,
    global_step?: number | null,
    walltime?: number | null,
  ): void {
    const entries = tag_scalar_dict instanceof Map ? [...tag_scalar_dict.entries()] : Object.entries(tag_scalar_dict as Record<string, ScalarValue>);
    const time = walltime ?? Date.now() / 1000;
    for (const [tag, value] of entries) this.write(`${main_tag}/${tag}`, scalarOf(value), global_step, time);
  }

  /** Writes buffered lines to disk (standalone). */
  flush(): void {
    this.lastFlush = Date.now();
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    mkdirSync(this.log_dir, { recursive: true });
    appendFileSync(join(this.log_dir, 'scalars.jsonl'), text);
  }

  close(): void {
    this.flush();
    open.delete(this);
  }

  private write(tag: string, value: number, global_step?: number | null, walltime?: number | null): void {
    const count = (this.steps.get(tag) ?? 0) + 1;
    this.steps.set(tag, count);
    const step = global_step ?? count;
    if (this.sink !== null) {
      this.sink(tag, step, value);
      return;
    }
    const wall_time = walltime ?? Date.now() / 1000;
    this.pending.push(`${JSON.stringify({ tag, step, value: Number.isFinite(value) ? value : String(value), wall_time })}\n`);
    track(this);
    if (this.pending.length >= this.maxQueue || Date.now() - this.lastFlush >= this.flushMs) this.flush();
  }
}

/** `torch.utils.tensorboard`. */
export const tensorboard = { SummaryWriter };
