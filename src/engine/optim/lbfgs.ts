/**
 * `torch.optim.LBFGS`: a quasi-Newton method that re-evaluates the loss through a closure,
 * optionally with a strong-Wolfe line search. Written with tensor ops, line for line after
 * PyTorch 1.13; where PyTorch mixes Python floats and 0-dim tensors (a float32 tensor rounds,
 * a Python float doesn't), the `Num` helpers below keep the same kinds.
 */
import { no_grad } from '../autograd/grad_mode.js';
import { TorchTypeError, RuntimeError, ValueError } from '../errors.js';
import { zeros } from '../creation.js';
import { cat } from '../ops/join.js';
import { Tensor } from '../tensor.js';
import { arithOf, Span } from './elements.js';
import { FLOAT_OPTIONS, mergeOptions, Optimizer, type ParamGroup, type ParamsInput, type StateRecord, type StateValue } from './optimizer.js';

// ------------------------------------------------------------------ Python float or 0-dim tensor

/** A Python float or a 0-dim tensor, as the values in PyTorch's LBFGS are. */
type Num = number | Tensor;

const isT = (x: Num): x is Tensor => x instanceof Tensor;
const value = (x: Num): number => (isT(x) ? x.item() : x);
const add = (a: Num, b: Num): Num => (isT(a) ? a.add(b) : isT(b) ? b.add(a) : a + b);
const sub = (a: Num, b: Num): Num => (isT(a) ? a.sub(b) : isT(b) ? b.rsub(a) : a - b);
const mul = (a: Num, b: Num): Num => (isT(a) ? a.mul(b) : isT(b) ? b.mul(a) : a * b);
/** `a / b`; a float over a tensor is `tensor.reciprocal() * float` in PyTorch. */
const div = (a: Num, b: Num): Num => (isT(a) ? a.div(b) : isT(b) ? b.reciprocal().mul(a) : a / b);
const abs = (a: Num): Num => (isT(a) ? a.abs() : Math.abs(a));
/** `a < b`; with a tensor the comparison happens in the tensor's dtype. */
const lt = (a: Num, b: Num): boolean => (isT(a) ? a.lt(b).item() !== 0 : isT(b) ? b.gt(a).item() !== 0 : a < b);
const le = (a: Num, b: Num): boolean => (isT(a) ? a.le(b).item() !== 0 : isT(b) ? b.ge(a).item() !== 0 : a <= b);
/** Python's min/max of two: the first argument unless the second is strictly better. */
const min2 = (a: Num, b: Num): Num => (lt(b, a) ? b : a);
const max2 = (a: Num, b: Num): Num => (lt(a, b) ? b : a);
const sqrt = (a: Num): Num => (isT(a) ? a.sqrt() : Math.sqrt(a));

// ------------------------------------------------------------------ line search

function cubicInterpolate(x1: Num, f1: Num, g1: Num, x2: Num, f2: Num, g2: Num, bounds?: [Num, Num]): Num {
  // The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds.
  const [xminBound, xmaxBound] = bounds ?? (le(x1, x2) ? [x1, x2] : [x2, x1]);
  const d1 = sub(add(g1, g2), div(mul(3, sub(f1, f2)), sub(x1, x2)));
  const d2Square = sub(mul(d1, d1), mul(g1, g2));
  if (le(0, d2Square)) {
    const d2 = sqrt(d2Square);
    const minPos = le(x1, x2)
      ? sub(x2, mul(sub(x2, x1), div(sub(add(g2, d2), d1), add(sub(g2, g1), mul(2, d2)))))
      : sub(x1, mul(sub(x1, x2), div(sub(add(g1, d2), d1), add(sub(g1, g2), mul(2, d2)))));
    return min2(max2(minPos, xminBound), xmaxBound);
  }
  return div(add(xminBound, xmaxBound), 2);
}

type ObjFunc = (x: Tensor[], t: Num, d: Tensor) => [number, Tensor];

function strongWolfe(
  objFunc: ObjFunc,
  x: Tensor[],
  t0: Num,
  d: Tensor,
  f: number,
  g0: Tensor,
  gtd: Num,
  c1 = 1e-4,
  c2 = 0.9,
  toleranceChange = 1e-9,
  maxLs = 25,
): [number, Tensor, Num, number] {
  let t = t0;
  const dNorm = d.abs().max();
  const g = g0.clone();
  let [fNew, gNew] = objFunc(x, t, d);
  let lsFuncEvals = 1;
  let gtdNew: Num = dot(gNew, d);

  let tPrev: Num = 0;
  let fPrev: Num = f;
  let gPrev = g;
  let gtdPrev: Num = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: Num[] = [];
  let bracketF: Num[] = [];
  let bracketG: Tensor[] = [];
  let bracketGtd: Num[] = [];
  // Bracketing phase: grow the step until the interval holds a point meeting the conditions.
  while (lsIter < maxLs) {
    if (lt(add(f, mul(mul(c1, t), gtd)), fNew) || (lsIter > 1 && le(fPrev, fNew))) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew.clone()], [gtdPrev, gtdNew]];
      break;
    }
    if (le(abs(gtdNew), mul(-c2, gtd))) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (le(0, gtdNew)) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew.clone()], [gtdPrev, gtdNew]];
      break;
    }
    const minStep = add(t, mul(0.01, sub(t, tPrev)));
    const maxStep = mul(t, 10);
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew.clone();
    gtdPrev = gtdNew;
    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    [bracket, bracketF, bracketG] = [[0, t], [f, fNew], [g, gNew]];
  }

  // Zoom phase: shrink the bracket until a point satisfies the strong Wolfe conditions.
  let insufProgress = false;
  let [lowPos, highPos] = le(bracketF[0]!, bracketF[bracketF.length - 1]!) ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (lt(mul(abs(sub(bracket[1]!, bracket[0]!)), dNorm), toleranceChange)) break;
    t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);
    const hi = max2(bracket[0]!, bracket[1]!);
    const lo = min2(bracket[0]!, bracket[1]!);
    const eps = mul(0.1, sub(hi, lo));
    if (lt(min2(sub(hi, t), sub(t, lo)), eps)) {
      if (insufProgress || le(hi, t) || le(t, lo)) {
        t = lt(abs(sub(t, hi)), abs(sub(t, lo))) ? sub(hi, eps) : add(lo, eps);
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;

    if (lt(add(f, mul(mul(c1, t), gtd)), fNew) || le(bracketF[lowPos]!, fNew)) {
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew.clone();
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = le(bracketF[0]!, bracketF[1]!) ? [0, 1] : [1, 0];
    } else {
      if (le(abs(gtdNew), mul(-c2, gtd))) {
        done = true;
      } else if (le(0, mul(gtdNew, sub(bracket[highPos]!, bracket[lowPos]!)))) {
        bracket[highPos] = bracket[lowPos]!;
        bracketF[highPos] = bracketF[lowPos]!;
        bracketG[highPos] = bracketG[lowPos]!;
        bracketGtd[highPos] = bracketGtd[lowPos]!;
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew.clone();
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return [value(bracketF[lowPos]!), bracketG[lowPos]!, bracket[lowPos]!, lsFuncEvals];
}

// ------------------------------------------------------------------ the optimizer

export interface LBFGSOptions {
  lr?: number;
  max_iter?: number;
  /** Defaults to max_iter * 5 / 4 (rounded down). */
  max_eval?: number | null;
  tolerance_grad?: number;
  tolerance_change?: number;
  history_size?: number;
  line_search_fn?: 'strong_wolfe' | null;
}
export interface LBFGSGroup extends ParamGroup {
  max_iter: number;
  max_eval: number;
  tolerance_grad: number;
  tolerance_change: number;
  history_size: number;
  line_search_fn: 'strong_wolfe' | null;
}

const LBFGS_DEFAULTS: Required<LBFGSOptions> = {
  lr: 1,
  max_iter: 20,
  max_eval: null,
  tolerance_grad: 1e-7,
  tolerance_change: 1e-9,
  history_size: 100,
  line_search_fn: null,
};

/** `y.add_(x, alpha=alpha)` with PyTorch's fused multiply-add. */
function addScaled(y: Tensor, x: Tensor, alpha: number): void {
  const A = arithOf(y);
  const a = A.round(alpha);
  const Y = Span.write(y);
  const X = Span.read(x);
  for (let i = 0, n = y.numel(); i < n; i++) Y.data[Y.at + i] = A.fma(a, X.data[X.at + i]!, Y.data[Y.at + i]!);
  Y.done();
}

/**
 * `a.dot(b)` for the flat vectors, summed as PyTorch's BLAS does: one product at a time,
 * each rounded, added in order (checked against PyTorch 1.13's float32 dot).
 */
function dot(a: Tensor, b: Tensor): Tensor {
  const A = arithOf(a);
  const X = Span.read(a);
  const Y = Span.read(b);
  let acc = 0;
  for (let i = 0, n = a.numel(); i < n; i++) acc = A.round(acc + A.round(X.data[X.at + i]! * Y.data[Y.at + i]!));
  return scalarLike(acc, a);
}

function scalarLike(v: number, like: Tensor): Tensor {
  const data = like.dtype.alloc(1);
  data[0] = v;
  return Tensor._make(data, [], like.dtype);
}

const asNum = (v: StateValue | undefined): Num | undefined => (typeof v === 'number' || v instanceof Tensor ? v : undefined);
const asTensor = (v: StateValue | undefined): Tensor | null => (v instanceof Tensor ? v : null);
const asTensors = (v: StateValue | undefined): Tensor[] => (Array.isArray(v) ? (v as Tensor[]) : []);

export class LBFGS extends Optimizer<LBFGSGroup> {
  private readonly _params: Tensor[];

  constructor(params: ParamsInput<LBFGSGroup>, options?: LBFGSOptions) {
    const o = mergeOptions('LBFGS', options, LBFGS_DEFAULTS);
    const maxEval = o.max_eval ?? Math.floor((o.max_iter * 5) / 4);
    super(params, { ...o, max_eval: maxEval });
    if (this.param_groups.length !== 1) throw new ValueError("LBFGS doesn't support per-parameter options (parameter groups)");
    this._params = this.param_groups[0]!.params;
    // LBFGS's lr defaults to the int 1, so its repr prints `lr: 1`.
    this._floatOptions = new Set([...FLOAT_OPTIONS].filter((k) => k !== 'lr'));
  }

  private _numel(): number {
    return this._params.reduce((total, p) => total + p.numel(), 0);
  }

  private _gatherFlatGrad(): Tensor {
    const views = this._params.map((p) => (p.grad === null ? zeros([p.numel()], { dtype: p.dtype }) : p.grad.reshape(-1)));
    return cat(views, 0);
  }

  /** Moves every parameter by step_size * update (one slice of the flat update each). */
  private _addGrad(stepSize: Num, update: Tensor): void {
    let offset = 0;
    const alpha = value(stepSize);
    for (const p of this._params) {
      const numel = p.numel();
      addScaled(p, update.slice(offset, offset + numel).view_as(p), alpha);
      offset += numel;
    }
    if (offset !== this._numel()) throw new RuntimeError('LBFGS: parameter sizes changed');
  }

  private _cloneParam(): Tensor[] {
    return this._params.map((p) => p.clone());
  }

  private _setParam(data: Tensor[]): void {
    this._params.forEach((p, i) => p.copy_(data[i]!));
  }

  private _directionalEvaluate(closure: () => Num, x: Tensor[], t: Num, d: Tensor): [number, Tensor] {
    this._addGrad(t, d);
    const loss = value(closure());
    const flatGrad = this._gatherFlatGrad();
    this._setParam(x);
    return [loss, flatGrad];
  }

  /** One LBFGS step: up to max_iter iterations, each calling the closure at least once. Returns the first loss. */
  override step<L>(closure?: () => L): L | null {
    if (closure === undefined) throw new TorchTypeError("LBFGS.step() missing 1 required positional argument: 'closure'");
    return no_grad(() => this._step(closure));
  }

  private _step<L>(userClosure: () => L): L {
    const closure = (): Num => {
      const out = this._evaluateClosure(userClosure);
      return out instanceof Tensor || typeof out === 'number' ? out : Number(out);
    };
    const group = this.param_groups[0]!;
    const { lr, max_iter: maxIter, max_eval: maxEval, tolerance_grad: toleranceGrad, tolerance_change: toleranceChange } = group;
    const { line_search_fn: lineSearchFn, history_size: historySize } = group;

    const state = this.state.get(this._params[0]!);
    state['func_evals'] = Number(state['func_evals'] ?? 0);
    state['n_iter'] = Number(state['n_iter'] ?? 0);

    const origLoss = this._evaluateClosure(userClosure) as L;
    let loss = value(origLoss as unknown as Num);
    let currentEvals = 1;
    state['func_evals'] += 1;

    let flatGrad = this._gatherFlatGrad();
    let optCond = le(flatGrad.abs().max(), toleranceGrad);
    if (optCond) return origLoss;

    let d = asTensor(state['d']);
    let t: Num = asNum(state['t']) ?? 0;
    let oldDirs = asTensors(state['old_dirs']);
    let oldStps = asTensors(state['old_stps']);
    let ro = asTensors(state['ro']) as Num[];
    let hDiag: Num = asNum(state['H_diag']) ?? 1;
    let prevFlatGrad = asTensor(state['prev_flat_grad']);
    let prevLoss = Number(state['prev_loss'] ?? 0);

    let nIter = 0;
    while (nIter < maxIter) {
      nIter += 1;
      state['n_iter'] = Number(state['n_iter']) + 1;

      // Direction: steepest descent first, then the two-loop recursion over the history.
      if (state['n_iter'] === 1) {
        d = flatGrad.neg();
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        const y = flatGrad.sub(prevFlatGrad!);
        const s = d!.mul(t);
        const ys = dot(y, s);
        if (lt(1e-10, ys)) {
          if (oldDirs.length === historySize) {
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(div(1.0, ys));
          hDiag = div(ys, dot(y, y));
        }
        const numOld = oldDirs.length;
        if (!Array.isArray(state['al'])) state['al'] = new Array<StateValue>(historySize).fill(null);
        const al = state['al'] as StateValue[];
        const q = flatGrad.neg();
        for (let i = numOld - 1; i >= 0; i--) {
          al[i] = mul(dot(oldStps[i]!, q), ro[i]!);
          addScaled(q, oldDirs[i]!, -value(al[i] as Num));
        }
        const r = q.mul(hDiag);
        d = r;
        for (let i = 0; i < numOld; i++) {
          const beI = mul(dot(oldDirs[i]!, r), ro[i]!);
          addScaled(r, oldStps[i]!, value(sub(al[i] as Num, beI)));
        }
      }

      if (prevFlatGrad === null) prevFlatGrad = flatGrad.clone();
      else prevFlatGrad.copy_(flatGrad);
      prevLoss = loss;

      // Step length: the first iteration is scaled by the gradient's size.
      t = state['n_iter'] === 1 ? mul(min2(1.0, div(1.0, flatGrad.abs().sum())), lr) : lr;

      const gtd = dot(flatGrad, d!);
      if (lt(-toleranceChange, gtd)) break;

      let lsFuncEvals = 0;
      if (lineSearchFn !== null) {
        if (lineSearchFn !== 'strong_wolfe') throw new RuntimeError("only 'strong_wolfe' is supported");
        const xInit = this._cloneParam();
        const objFunc: ObjFunc = (x, step, dir) => this._directionalEvaluate(closure, x, step, dir);
        [loss, flatGrad, t, lsFuncEvals] = strongWolfe(objFunc, xInit, t, d!, loss, flatGrad, gtd);
        this._addGrad(t, d!);
        optCond = le(flatGrad.abs().max(), toleranceGrad);
      } else {
        this._addGrad(t, d!);
        if (nIter !== maxIter) {
          loss = value(closure());
          flatGrad = this._gatherFlatGrad();
          optCond = le(flatGrad.abs().max(), toleranceGrad);
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state['func_evals'] = Number(state['func_evals']) + lsFuncEvals;

      // Stopping conditions.
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (le(d!.mul(t).abs().max(), toleranceChange)) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }

    const record: StateRecord = state;
    record['d'] = d;
    record['t'] = t;
    record['old_dirs'] = oldDirs;
    record['old_stps'] = oldStps;
    record['ro'] = ro;
    record['H_diag'] = hDiag;
    record['prev_flat_grad'] = prevFlatGrad;
    record['prev_loss'] = prevLoss;
    return origLoss;
  }
}
