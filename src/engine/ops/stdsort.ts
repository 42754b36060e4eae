/**
 * The C++ standard library's sort, nth_element and partial_sort as GCC's libstdc++ performs
 * them (introsort, introselect and heap select, step by step), on pairs of a value and its index.
 *
 * Why a port instead of a JavaScript sort: PyTorch's CPU `sort` and `topk` call these, and they
 * are not stable. Which of several equal values comes first (the index a learner sees next to
 * it) is whatever libstdc++'s partitions happen to leave there: `torch.tensor([1., 3, 3, 2, 3,
 * 0]).topk(2)` gives indices [2, 4], not [1, 2]. Doing the same moves gives the same indices.
 *
 * `less(a, b)` compares values (the comparator PyTorch passes, NaN handling included); elements
 * move as (value, index) pairs, as PyTorch's composite iterators move them.
 */

/** Values and their indices, sorted in place together. */
export interface Pairs {
  values: Float64Array;
  indices: Float64Array;
}

type Less = (a: number, b: number) => boolean;

const THRESHOLD = 16;

/** ⌊log₂ n⌋ (std::__lg). */
function lg(n: number): number {
  return 31 - Math.clz32(n);
}

class Ranges {
  constructor(
    readonly v: Float64Array,
    readonly ix: Float64Array,
    readonly less: Less,
  ) {}

  swap(i: number, j: number): void {
    const v = this.v;
    const ix = this.ix;
    const tv = v[i]!;
    v[i] = v[j]!;
    v[j] = tv;
    const ti = ix[i]!;
    ix[i] = ix[j]!;
    ix[j] = ti;
  }

  comp(i: number, j: number): boolean {
    return this.less(this.v[i]!, this.v[j]!);
  }

  // ---- std::sort
  sort(first: number, last: number): void {
    if (first === last) return;
    this.introsortLoop(first, last, lg(last - first) * 2);
    this.finalInsertionSort(first, last);
  }

  private introsortLoop(first: number, last: number, depth: number): void {
    while (last - first > THRESHOLD) {
      if (depth === 0) {
        this.partialSort(first, last, last);
        return;
      }
      depth--;
      const cut = this.unguardedPartitionPivot(first, last);
      this.introsortLoop(cut, last, depth);
      last = cut;
    }
  }

  private unguardedPartitionPivot(first: number, last: number): number {
    const mid = first + ((last - first) >> 1);
    this.moveMedianToFirst(first, first + 1, mid, last - 1);
    return this.unguardedPartition(first + 1, last, first);
  }

  private moveMedianToFirst(result: number, a: number, b: number, c: number): void {
    if (this.comp(a, b)) {
      if (this.comp(b, c)) this.swap(result, b);
      else if (this.comp(a, c)) this.swap(result, c);
      else this.swap(result, a);
    } else if (this.comp(a, c)) this.swap(result, a);
    else if (this.comp(b, c)) this.swap(result, c);
    else this.swap(result, b);
  }

  private unguardedPartition(first: number, last: number, pivot: number): number {
    for (;;) {
      while (this.comp(first, pivot)) first++;
      last--;
      while (this.comp(pivot, last)) last--;
      if (!(first < last)) return first;
      this.swap(first, last);
      first++;
    }
  }

  private finalInsertionSort(first: number, last: number): void {
    if (last - first > THRESHOLD) {
      this.insertionSort(first, first + THRESHOLD);
      for (let i = first + THRESHOLD; i < last; i++) this.unguardedLinearInsert(i);
    } else this.insertionSort(first, last);
  }

  private insertionSort(first: number, last: number): void {
    if (first === last) return;
    const v = this.v;
    const ix = this.ix;
    for (let i = first + 1; i < last; i++) {
      if (this.comp(i, first)) {
        const val = v[i]!;
        const idx = ix[i]!;
        for (let j = i; j > first; j--) {
          v[j] = v[j - 1]!;
          ix[j] = ix[j - 1]!;
        }
        v[first] = val;
        ix[first] = idx;
      } else this.unguardedLinearInsert(i);
    }
  }

  private unguardedLinearInsert(last: number): void {
    const v = this.v;
    const ix = this.ix;
    const val = v[last]!;
    const idx = ix[last]!;
    let next = last - 1;
    while (this.less(val, v[next]!)) {
      v[last] = v[next]!;
      ix[last] = ix[next]!;
      last = next;
      next--;
    }
    v[last] = val;
    ix[last] = idx;
  }

  // ---- heaps (std::make_heap, __adjust_heap, __pop_heap, __sort_heap)
  private pushHeap(first: number, hole: number, top: number, val: number, idx: number): void {
    const v = this.v;
    const ix = this.ix;
    let parent = Math.trunc((hole - 1) / 2);
    while (hole > top && this.less(v[first + parent]!, val)) {
      v[first + hole] = v[first + parent]!;
      ix[first + hole] = ix[first + parent]!;
      hole = parent;
      parent = Math.trunc((hole - 1) / 2);
    }
    v[first + hole] = val;
    ix[first + hole] = idx;
  }

  private adjustHeap(first: number, hole: number, len: number, val: number, idx: number): void {
    const v = this.v;
    const ix = this.ix;
    const top = hole;
    let second = hole;
    while (second < Math.trunc((len - 1) / 2)) {
      second = 2 * (second + 1);
      if (this.comp(first + second, first + second - 1)) second--;
      v[first + hole] = v[first + second]!;
      ix[first + hole] = ix[first + second]!;
      hole = second;
    }
    if ((len & 1) === 0 && second === Math.trunc((len - 2) / 2)) {
      second = 2 * (second + 1);
      v[first + hole] = v[first + second - 1]!;
      ix[first + hole] = ix[first + second - 1]!;
      hole = second - 1;
    }
    this.pushHeap(first, hole, top, val, idx);
  }

  private makeHeap(first: number, last: number): void {
    const len = last - first;
    if (len < 2) return;
    for (let parent = Math.trunc((len - 2) / 2); ; parent--) {
      this.adjustHeap(first, parent, len, this.v[first + parent]!, this.ix[first + parent]!);
      if (parent === 0) return;
    }
  }

  private popHeap(first: number, last: number, result: number): void {
    const val = this.v[result]!;
    const idx = this.ix[result]!;
    this.v[result] = this.v[first]!;
    this.ix[result] = this.ix[first]!;
    this.adjustHeap(first, 0, last - first, val, idx);
  }

  private heapSelect(first: number, middle: number, last: number): void {
    this.makeHeap(first, middle);
    for (let i = middle; i < last; i++) if (this.comp(i, first)) this.popHeap(first, middle, i);
  }

  private sortHeap(first: number, last: number): void {
    while (last - first > 1) {
      last--;
      this.popHeap(first, last, last);
    }
  }

  // ---- std::partial_sort
  partialSort(first: number, middle: number, last: number): void {
    this.heapSelect(first, middle, last);
    this.sortHeap(first, middle);
  }

  // ---- std::nth_element
  nthElement(first: number, nth: number, last: number): void {
    if (first === last || nth === last) return;
    let depth = lg(last - first) * 2;
    while (last - first > 3) {
      if (depth === 0) {
        this.heapSelect(first, nth + 1, last);
        this.swap(first, nth);
        return;
      }
      depth--;
      const cut = this.unguardedPartitionPivot(first, last);
      if (cut <= nth) first = cut;
      else last = cut;
    }
    this.insertionSort(first, last);
  }
}

/** std::sort of pairs[first, last) by `less` on the values. */
export function stdSort(p: Pairs, less: Less, first = 0, last = p.values.length): void {
  new Ranges(p.values, p.indices, less).sort(first, last);
}

/** std::nth_element: the element that belongs at `nth` put there, smaller ones (by `less`) before it. */
export function stdNthElement(p: Pairs, less: Less, nth: number, first = 0, last = p.values.length): void {
  new Ranges(p.values, p.indices, less).nthElement(first, nth, last);
}

/** std::partial_sort: the `middle - first` smallest (by `less`) sorted at the front. */
export function stdPartialSort(p: Pairs, less: Less, middle: number, first = 0, last = p.values.length): void {
  new Ranges(p.values, p.indices, less).partialSort(first, middle, last);
}

/** std::stable_sort: equal values keep their order. */
export function stableSort(p: Pairs, less: Less): void {
  const n = p.values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const v = p.values.slice();
  const ix = p.indices.slice();
  order.sort((a, b) => (less(v[a]!, v[b]!) ? -1 : less(v[b]!, v[a]!) ? 1 : a - b));
  for (let i = 0; i < n; i++) {
    p.values[i] = v[order[i]!]!;
    p.indices[i] = ix[order[i]!]!;
  }
}
