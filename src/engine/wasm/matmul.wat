;; Matrix-product kernels for Autograd Lab, in WebAssembly with 128-bit SIMD.
;;
;; Built into matmul.wasm by `npm run build:wasm` (src/engine/wasm/build.mjs, which assembles this
;; file with wabt from npm); loaded by matmul.ts, which packs the operands into this module's
;; memory, calls a kernel and unpacks the product. The TypeScript kernel in ops/linalg.ts is the
;; reference these follow and the fallback where WebAssembly SIMD is missing.
;;
;; Operand layout, prepared by matmul.ts (padding is zeros; padded results are dropped):
;;   A: the left operand, row-major, its rows padded to a multiple of 4: n4 × k float32.
;;   B: the right operand cut into strips of W columns (W = 4 for mm_f64acc, 8 for mm_f32),
;;      each strip stored row after row: for strip s, row p, column j the value sits at
;;      B + ((s·k + p)·W + j)·4. The last strip is padded with zero columns.
;;   C: the product, row-major, n4 × (strips·W), float64 (mm_f64acc) or float32 (mm_f32).
;;
;; Each output element is accumulated over p = 0, 1, …, k-1 in order, in one accumulator lane:
;;   mm_f64acc — products and sums in float64 (a float32 × float32 product is exact in float64),
;;               the reference kernel's arithmetic, so its results are bit-identical to it;
;;   mm_f32    — products and sums rounded to float32 at each step (as a float32 BLAS does).
;; Both compute a block of 4 rows × W columns per pass over k, keeping the accumulators in registers.
(module
  (memory (export "memory") 1)

  ;; C(f64)[n4 × strips·4] = A[n4 × k] · B(strips of 4)
  (func (export "mm_f64acc") (param $a i32) (param $b i32) (param $c i32) (param $n4 i32) (param $k i32) (param $strips i32)
    (local $s i32) (local $i i32) (local $p i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $pc i32)
    (local $rowBytesA i32) (local $rowBytesC i32) (local $stripBytesB i32)
    (local $b4 v128) (local $blo v128) (local $bhi v128) (local $av v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $rowBytesA (i32.shl (local.get $k) (i32.const 2)))
    (local.set $rowBytesC (i32.shl (local.get $strips) (i32.const 5)))
    (local.set $stripBytesB (i32.shl (local.get $k) (i32.const 4)))
    (if (i32.eqz (local.get $k)) (then (return)))
    (local.set $s (i32.const 0))
    (block $doneS
      (loop $strip
        (br_if $doneS (i32.ge_u (local.get $s) (local.get $strips)))
        (local.set $i (i32.const 0))
        (block $doneI
          (loop $rows
            (br_if $doneI (i32.ge_u (local.get $i) (local.get $n4)))
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowBytesA))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $rowBytesA)))
            (local.set $pa2 (i32.add (local.get $pa1) (local.get $rowBytesA)))
            (local.set $pa3 (i32.add (local.get $pa2) (local.get $rowBytesA)))
            (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $s) (local.get $stripBytesB))))
            (local.set $c00 (v128.const i64x2 0 0)) (local.set $c01 (v128.const i64x2 0 0))
            (local.set $c10 (v128.const i64x2 0 0)) (local.set $c11 (v128.const i64x2 0 0))
            (local.set $c20 (v128.const i64x2 0 0)) (local.set $c21 (v128.const i64x2 0 0))
            (local.set $c30 (v128.const i64x2 0 0)) (local.set $c31 (v128.const i64x2 0 0))
            (local.set $p (local.get $k))
            (loop $inner
              (local.set $b4 (v128.load (local.get $pb)))
              (local.set $blo (f64x2.promote_low_f32x4 (local.get $b4)))
              (local.set $bhi (f64x2.promote_low_f32x4
                (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $b4) (local.get $b4))))
              (local.set $av (f64x2.splat (f64.promote_f32 (f32.load (local.get $pa0)))))
              (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $av) (local.get $blo))))
              (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $av) (local.get $bhi))))
              (local.set $av (f64x2.splat (f64.promote_f32 (f32.load (local.get $pa1)))))
              (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $av) (local.get $blo))))
              (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $av) (local.get $bhi))))
              (local.set $av (f64x2.splat (f64.promote_f32 (f32.load (local.get $pa2)))))
              (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $av) (local.get $blo))))
              (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $av) (local.get $bhi))))
              (local.set $av (f64x2.splat (f64.promote_f32 (f32.load (local.get $pa3)))))
              (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $av) (local.get $blo))))
              (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $av) (local.get $bhi))))
              (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
              (local.set $pa0 (i32.add (local.get $pa0) (i32.const 4)))
              (local.set $pa1 (i32.add (local.get $pa1) (i32.const 4)))
              (local.set $pa2 (i32.add (local.get $pa2) (i32.const 4)))
              (local.set $pa3 (i32.add (local.get $pa3) (i32.const 4)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br_if $inner (local.get $p)))
            ;; C row i, columns 4s … 4s+3
            (local.set $pc (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $rowBytesC)) (i32.shl (local.get $s) (i32.const 5)))))
            (v128.store offset=0 (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowBytesC)))
            (v128.store offset=0 (local.get $pc) (local.get $c10))
            (v128.store offset=16 (local.get $pc) (local.get $c11))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowBytesC)))
            (v128.store offset=0 (local.get $pc) (local.get $c20))
            (v128.store offset=16 (local.get $pc) (local.get $c21))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowBytesC)))
            (v128.store offset=0 (local.get $pc) (local.get $c30))
            (v128.store offset=16 (local.get $pc) (local.get $c31))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $rows)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $strip))))

  ;; C(f32)[n4 × strips·8] = A[n4 × k] · B(strips of 8)
  (func (export "mm_f32") (param $a i32) (param $b i32) (param $c i32) (param $n4 i32) (param $k i32) (param $strips i32)
    (local $s i32) (local $i i32) (local $p i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $pc i32)
    (local $rowBytesA i32) (local $rowBytesC i32) (local $stripBytesB i32)
    (local $b0 v128) (local $b1 v128) (local $av v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $rowBytesA (i32.shl (local.get $k) (i32.const 2)))
    (local.set $rowBytesC (i32.shl (local.get $strips) (i32.const 5)))
    (local.set $stripBytesB (i32.shl (local.get $k) (i32.const 5)))
    (if (i32.eqz (local.get $k)) (then (return)))
    (local.set $s (i32.const 0))
    (block $doneS
      (loop $strip
        (br_if $doneS (i32.ge_u (local.get $s) (local.get $strips)))
        (local.set $i (i32.const 0))
        (block $doneI
          (loop $rows
            (br_if $doneI (i32.ge_u (local.get $i) (local.get $n4)))
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowBytesA))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $rowBytesA)))
            (local.set $pa2 (i32.add (local.get $pa1) (local.get $rowBytesA)))
            (local.set $pa3 (i32.add (local.get $pa2) (local.get $rowBytesA)))
            (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $s) (local.get $stripBytesB))))
            (local.set $c00 (v128.const i64x2 0 0)) (local.set $c01 (v128.const i64x2 0 0))
            (local.set $c10 (v128.const i64x2 0 0)) (local.set $c11 (v128.const i64x2 0 0))
            (local.set $c20 (v128.const i64x2 0 0)) (local.set $c21 (v128.const i64x2 0 0))
            (local.set $c30 (v128.const i64x2 0 0)) (local.set $c31 (v128.const i64x2 0 0))
            (local.set $p (local.get $k))
            (loop $inner
              (local.set $b0 (v128.load offset=0 (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $av (v128.load32_splat (local.get $pa0)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $av (v128.load32_splat (local.get $pa1)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $av (v128.load32_splat (local.get $pa2)))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $av (v128.load32_splat (local.get $pa3)))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
              (local.set $pa0 (i32.add (local.get $pa0) (i32.const 4)))
              (local.set $pa1 (i32.add (local.get $pa1) (i32.const 4)))
              (local.set $pa2 (i32.add (local.get $pa2) (i32.const 4)))
              (local.set $pa3 (i32.add (local.get $pa3) (i32.const 4)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br_if $inner (local.get $p)))
            (local.set $pc (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $rowBytesC)) (i32.shl (local.get $s) (i32.const 5)))))
            (v128.store offset=0 (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowBytesC)))
            (v128.store offset=0 (local.get $pc) (local.get $c10))
            (v128.store offset=16 (local.get $pc) (local.get $c11))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowBytesC)))
            (v128.store offset=0 (local.get $pc) (local.get $c20))
            (v128.store offset=16 (local.get $pc) (local.get $c21))
            (local.set $pc (i32.add (local.get $pc) (local.get $rowBytesC)))
            (v128.store offset=0 (local.get $pc) (local.get $c30))
            (v128.store offset=16 (local.get $pc) (local.get $c31))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $rows)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $strip))))
)
