;; Hot path of the TRM engine (trmEngine.ts), compiled at first use by ../../tree/kernels/compile.ts.
;; f32 throughout, like the tfjs model it replaces. Every pointer is a byte offset into this
;; instance's memory; every matrix is row-major. Output widths (N) are multiples of 8: the
;; engine pads hidden sizes with zero weights, which stay exactly zero (see trmEngine.ts).
;; Plain 128-bit SIMD mul + add: Node 20 (V8 11.3) has relaxed-SIMD FMA only behind
;; --experimental-wasm-relaxed-simd, and Zen/Skylake issue vector mul and add on separate ports.
(module
  (memory (export "memory") 1)

  ;; C[M, N] = (acc ? C : 0) + A B, with A(i, k) = A[i * sai + k * sak] (strides in floats: a
  ;; transposed operand is just other strides) and B packed in 8-column panels: B(k, p..p+7)
  ;; at Bp + (p * Kr + 8k) * 4. Register blocked 4 rows x 8 columns: each k step loads two B
  ;; vectors and four broadcast A scalars for 8 vector mul + add. Panels are the outer loop so
  ;; one panel (Kr x 32 bytes) stays in L1 while all rows of A stream past it.
  (func (export "gemm")
    (param $A i32) (param $sai i32) (param $sak i32) (param $Bp i32) (param $C i32)
    (param $M i32) (param $N i32) (param $Kr i32) (param $acc i32)
    (local $p i32) (local $panel i32) (local $i i32) (local $k i32)
    (local $a i32) (local $b i32) (local $c i32)
    (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $sk i32) (local $ldc i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $s1 (i32.shl (local.get $sai) (i32.const 2)))
    (local.set $s2 (i32.shl (local.get $s1) (i32.const 1)))
    (local.set $s3 (i32.add (local.get $s1) (local.get $s2)))
    (local.set $sk (i32.shl (local.get $sak) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $N) (i32.const 2)))
    (block $panelsDone
      (loop $panels
        (br_if $panelsDone (i32.ge_u (local.get $p) (local.get $N)))
        (local.set $panel (i32.add (local.get $Bp) (i32.shl (i32.mul (local.get $p) (local.get $Kr)) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $rows4Done
          (loop $rows4
            (br_if $rows4Done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $M)))
            (local.set $c00 (v128.const i32x4 0 0 0 0))
            (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0))
            (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0))
            (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0))
            (local.set $c31 (v128.const i32x4 0 0 0 0))
            (local.set $a (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $s1))))
            (local.set $b (local.get $panel))
            (local.set $k (local.get $Kr))
            (block $kDone
              (loop $ks
                (br_if $kDone (i32.eqz (local.get $k)))
                (local.set $b0 (v128.load (local.get $b)))
                (local.set $b1 (v128.load offset=16 (local.get $b)))
                (local.set $x (v128.load32_splat (local.get $a)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $a) (local.get $s1))))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $a) (local.get $s2))))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $a) (local.get $s3))))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $a (i32.add (local.get $a) (local.get $sk)))
                (local.set $b (i32.add (local.get $b) (i32.const 32)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $ks)))
            (local.set $c (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $p)) (i32.const 2))))
            (if (local.get $acc)
              (then
                (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $c))))
                (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $c))))
                (local.set $c10 (f32x4.add (local.get $c10) (v128.load (i32.add (local.get $c) (local.get $ldc)))))
                (local.set $c11 (f32x4.add (local.get $c11) (v128.load offset=16 (i32.add (local.get $c) (local.get $ldc)))))
                (local.set $c20 (f32x4.add (local.get $c20) (v128.load (i32.add (local.get $c) (i32.shl (local.get $ldc) (i32.const 1))))))
                (local.set $c21 (f32x4.add (local.get $c21) (v128.load offset=16 (i32.add (local.get $c) (i32.shl (local.get $ldc) (i32.const 1))))))
                (local.set $c30 (f32x4.add (local.get $c30) (v128.load (i32.add (local.get $c) (i32.mul (local.get $ldc) (i32.const 3))))))
                (local.set $c31 (f32x4.add (local.get $c31) (v128.load offset=16 (i32.add (local.get $c) (i32.mul (local.get $ldc) (i32.const 3))))))))
            (v128.store (local.get $c) (local.get $c00))
            (v128.store offset=16 (local.get $c) (local.get $c01))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (local.get $c10))
            (v128.store offset=16 (local.get $c) (local.get $c11))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (local.get $c20))
            (v128.store offset=16 (local.get $c) (local.get $c21))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (local.get $c30))
            (v128.store offset=16 (local.get $c) (local.get $c31))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $rows4)))
        ;; the last M % 4 rows, one at a time
        (block $rows1Done
          (loop $rows1
            (br_if $rows1Done (i32.ge_u (local.get $i) (local.get $M)))
            (local.set $c00 (v128.const i32x4 0 0 0 0))
            (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $a (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $s1))))
            (local.set $b (local.get $panel))
            (local.set $k (local.get $Kr))
            (block $k1Done
              (loop $k1
                (br_if $k1Done (i32.eqz (local.get $k)))
                (local.set $x (v128.load32_splat (local.get $a)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (v128.load (local.get $b)))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $b)))))
                (local.set $a (i32.add (local.get $a) (local.get $sk)))
                (local.set $b (i32.add (local.get $b) (i32.const 32)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $k1)))
            (local.set $c (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $p)) (i32.const 2))))
            (if (local.get $acc)
              (then
                (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $c))))
                (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $c))))))
            (v128.store (local.get $c) (local.get $c00))
            (v128.store offset=16 (local.get $c) (local.get $c01))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows1)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $panels))))

  ;; out = B(k, n) = W[k, n] packed in 8-column panels for gemm (N % 8 == 0).
  (func (export "pack") (param $W i32) (param $K i32) (param $N i32) (param $out i32)
    (local $p i32) (local $k i32) (local $src i32) (local $ldw i32)
    (local.set $ldw (i32.shl (local.get $N) (i32.const 2)))
    (block $pDone
      (loop $ps
        (br_if $pDone (i32.ge_u (local.get $p) (local.get $N)))
        (local.set $src (i32.add (local.get $W) (i32.shl (local.get $p) (i32.const 2))))
        (local.set $k (local.get $K))
        (block $kDone
          (loop $ks
            (br_if $kDone (i32.eqz (local.get $k)))
            (v128.store (local.get $out) (v128.load (local.get $src)))
            (v128.store offset=16 (local.get $out) (v128.load offset=16 (local.get $src)))
            (local.set $src (i32.add (local.get $src) (local.get $ldw)))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (local.set $k (i32.sub (local.get $k) (i32.const 1)))
            (br $ks)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $ps))))

  ;; out = B(n, k) = W[k, n] (the transpose of W [K, N]) packed in 8-column panels (K % 8 == 0).
  (func (export "packTransposed") (param $W i32) (param $K i32) (param $N i32) (param $out i32)
    (local $p i32) (local $n i32) (local $c i32) (local $ldw i32)
    (local.set $ldw (i32.shl (local.get $N) (i32.const 2)))
    (block $pDone
      (loop $ps
        (br_if $pDone (i32.ge_u (local.get $p) (local.get $K)))
        (local.set $n (i32.const 0))
        (block $nDone
          (loop $ns
            (br_if $nDone (i32.ge_u (local.get $n) (local.get $N)))
            ;; W[(p + c) * N + n] for c = 0..7
            (local.set $c (i32.add (local.get $W) (i32.shl (i32.add (i32.mul (local.get $p) (local.get $N)) (local.get $n)) (i32.const 2))))
            (f32.store (local.get $out) (f32.load (local.get $c)))
            (local.set $c (i32.add (local.get $c) (local.get $ldw)))
            (f32.store offset=4 (local.get $out) (f32.load (local.get $c)))
            (local.set $c (i32.add (local.get $c) (local.get $ldw)))
            (f32.store offset=8 (local.get $out) (f32.load (local.get $c)))
            (local.set $c (i32.add (local.get $c) (local.get $ldw)))
            (f32.store offset=12 (local.get $out) (f32.load (local.get $c)))
            (local.set $c (i32.add (local.get $c) (local.get $ldw)))
            (f32.store offset=16 (local.get $out) (f32.load (local.get $c)))
            (local.set $c (i32.add (local.get $c) (local.get $ldw)))
            (f32.store offset=20 (local.get $out) (f32.load (local.get $c)))
            (local.set $c (i32.add (local.get $c) (local.get $ldw)))
            (f32.store offset=24 (local.get $out) (f32.load (local.get $c)))
            (local.set $c (i32.add (local.get $c) (local.get $ldw)))
            (f32.store offset=28 (local.get $out) (f32.load (local.get $c)))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $ns)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $ps))))

  ;; e^x for 4 lanes: x = n ln2 + r (Cody-Waite), degree-6 Taylor on |r| <= ln2/2 (rel. error
  ;; ~1e-7), times 2^n built in the exponent bits. x is clamped to [-87, 88] (normal floats).
  (func $exp4 (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.max (f32x4.min (local.get $x) (v128.const f32x4 88 88 88 88)) (v128.const f32x4 -87 -87 -87 -87)))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
    (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125))))
    (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (v128.const f32x4 1.428606765330187e-06 1.428606765330187e-06 1.428606765330187e-06 1.428606765330187e-06))))
    (local.set $p (v128.const f32x4 1.3888889e-03 1.3888889e-03 1.3888889e-03 1.3888889e-03))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.3333333e-03 8.3333333e-03 8.3333333e-03 8.3333333e-03)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.1666667e-02 4.1666667e-02 4.1666667e-02 4.1666667e-02)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.6666667e-01 1.6666667e-01 1.6666667e-01 1.6666667e-01)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))

  (func $sigmoid4 (param $x v128) (result v128)
    (f32x4.div (v128.const f32x4 1 1 1 1)
      (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp4 (f32x4.neg (local.get $x))))))

  ;; First layer's activation: a = a + bias[col] (kept for the backward pass), g = a * sigmoid(a).
  (func (export "biasSilu") (param $a i32) (param $bias i32) (param $g i32) (param $M i32) (param $N i32)
    (local $end i32) (local $rowEnd i32) (local $bp i32) (local $v v128) (local $ldr i32)
    (local.set $ldr (i32.shl (local.get $N) (i32.const 2)))
    (local.set $end (i32.add (local.get $a) (i32.mul (local.get $M) (local.get $ldr))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $a) (local.get $ldr)))
        (local.set $bp (local.get $bias))
        (block $rowDone
          (loop $cols
            (br_if $rowDone (i32.ge_u (local.get $a) (local.get $rowEnd)))
            (local.set $v (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $bp))))
            (v128.store (local.get $a) (local.get $v))
            (v128.store (local.get $g) (f32x4.mul (local.get $v) (call $sigmoid4 (local.get $v))))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
            (br $cols)))
        (br $rows))))

  ;; Residual + bias + RMS norm: h = h + s + bias (kept), r = 1 / sqrt(sum(h^2) / H + 1e-6)
  ;; (kept per row; H is the real, unpadded width), out = h * r * gain.
  (func (export "residualNorm")
    (param $h i32) (param $s i32) (param $bias i32) (param $gain i32) (param $out i32) (param $rinv i32)
    (param $M i32) (param $N i32) (param $invH f32)
    (local $row i32) (local $j i32) (local $ldr i32) (local $v v128) (local $ss v128) (local $r f32) (local $rv v128)
    (local.set $ldr (i32.shl (local.get $N) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $row) (local.get $M)))
        (local.set $ss (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $p1Done
          (loop $p1
            (br_if $p1Done (i32.ge_u (local.get $j) (local.get $ldr)))
            (local.set $v
              (f32x4.add
                (f32x4.add (v128.load (i32.add (local.get $h) (local.get $j))) (v128.load (i32.add (local.get $s) (local.get $j))))
                (v128.load (i32.add (local.get $bias) (local.get $j)))))
            (v128.store (i32.add (local.get $h) (local.get $j)) (local.get $v))
            (local.set $ss (f32x4.add (local.get $ss) (f32x4.mul (local.get $v) (local.get $v))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $p1)))
        (local.set $r
          (f32.div (f32.const 1)
            (f32.sqrt
              (f32.add
                (f32.mul
                  (f32.add
                    (f32.add (f32x4.extract_lane 0 (local.get $ss)) (f32x4.extract_lane 1 (local.get $ss)))
                    (f32.add (f32x4.extract_lane 2 (local.get $ss)) (f32x4.extract_lane 3 (local.get $ss))))
                  (local.get $invH))
                (f32.const 1e-6)))))
        (f32.store (i32.add (local.get $rinv) (i32.shl (local.get $row) (i32.const 2))) (local.get $r))
        (local.set $rv (f32x4.splat (local.get $r)))
        (local.set $j (i32.const 0))
        (block $p2Done
          (loop $p2
            (br_if $p2Done (i32.ge_u (local.get $j) (local.get $ldr)))
            (v128.store (i32.add (local.get $out) (local.get $j))
              (f32x4.mul (f32x4.mul (v128.load (i32.add (local.get $h) (local.get $j))) (local.get $rv))
                (v128.load (i32.add (local.get $gain) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $p2)))
        (local.set $h (i32.add (local.get $h) (local.get $ldr)))
        (local.set $s (i32.add (local.get $s) (local.get $ldr)))
        (local.set $out (i32.add (local.get $out) (local.get $ldr)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

  ;; Backward of out = hn * gain, hn = h * r: dgain += dout * hn, db += dh and
  ;; dh = r * (dhn - hn * mean(dhn * hn)) with dhn = dout * gain (mean over the real H).
  (func (export "normBackward")
    (param $dout i32) (param $h i32) (param $rinv i32) (param $gain i32)
    (param $dgain i32) (param $db i32) (param $dh i32)
    (param $M i32) (param $N i32) (param $invH f32)
    (local $row i32) (local $j i32) (local $ldr i32) (local $rv v128) (local $hn v128) (local $dhn v128) (local $dot v128) (local $mv v128) (local $d v128)
    (local.set $ldr (i32.shl (local.get $N) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $row) (local.get $M)))
        (local.set $rv (v128.load32_splat (i32.add (local.get $rinv) (i32.shl (local.get $row) (i32.const 2)))))
        (local.set $dot (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $p1Done
          (loop $p1
            (br_if $p1Done (i32.ge_u (local.get $j) (local.get $ldr)))
            (local.set $hn (f32x4.mul (v128.load (i32.add (local.get $h) (local.get $j))) (local.get $rv)))
            (local.set $d (v128.load (i32.add (local.get $dout) (local.get $j))))
            (local.set $dhn (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $gain) (local.get $j)))))
            (local.set $dot (f32x4.add (local.get $dot) (f32x4.mul (local.get $dhn) (local.get $hn))))
            (v128.store (i32.add (local.get $dgain) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $dgain) (local.get $j))) (f32x4.mul (local.get $d) (local.get $hn))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $p1)))
        (local.set $mv
          (f32x4.splat
            (f32.mul
              (f32.add
                (f32.add (f32x4.extract_lane 0 (local.get $dot)) (f32x4.extract_lane 1 (local.get $dot)))
                (f32.add (f32x4.extract_lane 2 (local.get $dot)) (f32x4.extract_lane 3 (local.get $dot))))
              (local.get $invH))))
        (local.set $j (i32.const 0))
        (block $p2Done
          (loop $p2
            (br_if $p2Done (i32.ge_u (local.get $j) (local.get $ldr)))
            (local.set $hn (f32x4.mul (v128.load (i32.add (local.get $h) (local.get $j))) (local.get $rv)))
            (local.set $dhn (f32x4.mul (v128.load (i32.add (local.get $dout) (local.get $j))) (v128.load (i32.add (local.get $gain) (local.get $j)))))
            (local.set $d (f32x4.mul (local.get $rv) (f32x4.sub (local.get $dhn) (f32x4.mul (local.get $hn) (local.get $mv)))))
            (v128.store (i32.add (local.get $dh) (local.get $j)) (local.get $d))
            (v128.store (i32.add (local.get $db) (local.get $j)) (f32x4.add (v128.load (i32.add (local.get $db) (local.get $j))) (local.get $d)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $p2)))
        (local.set $h (i32.add (local.get $h) (local.get $ldr)))
        (local.set $dout (i32.add (local.get $dout) (local.get $ldr)))
        (local.set $dh (i32.add (local.get $dh) (local.get $ldr)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

  ;; Backward of g = silu(a) in place: dg *= s (1 + a (1 - s)), s = sigmoid(a); db += dg.
  (func (export "siluBackward") (param $dg i32) (param $a i32) (param $db i32) (param $M i32) (param $N i32)
    (local $end i32) (local $rowEnd i32) (local $bp i32) (local $v v128) (local $sg v128) (local $d v128) (local $ldr i32)
    (local.set $ldr (i32.shl (local.get $N) (i32.const 2)))
    (local.set $end (i32.add (local.get $dg) (i32.mul (local.get $M) (local.get $ldr))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $dg) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $dg) (local.get $ldr)))
        (local.set $bp (local.get $db))
        (block $rowDone
          (loop $cols
            (br_if $rowDone (i32.ge_u (local.get $dg) (local.get $rowEnd)))
            (local.set $v (v128.load (local.get $a)))
            (local.set $sg (call $sigmoid4 (local.get $v)))
            (local.set $d
              (f32x4.mul (v128.load (local.get $dg))
                (f32x4.mul (local.get $sg)
                  (f32x4.add (v128.const f32x4 1 1 1 1)
                    (f32x4.mul (local.get $v) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $sg)))))))
            (v128.store (local.get $dg) (local.get $d))
            (v128.store (local.get $bp) (f32x4.add (v128.load (local.get $bp)) (local.get $d)))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (local.set $dg (i32.add (local.get $dg) (i32.const 16)))
            (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
            (br $cols)))
        (br $rows))))

  ;; out = (a + b) + c over n floats (n % 4 == 0); pass c = 0 and b2 = 0 for out = a + b.
  (func (export "add3") (param $out i32) (param $a i32) (param $b i32) (param $c i32) (param $n i32) (param $three i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $v (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
        (if (local.get $three)
          (then
            (local.set $v (f32x4.add (local.get $v) (v128.load (local.get $c))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))))
        (v128.store (local.get $out) (local.get $v))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $each))))

  ;; C[i, :] += bias for M rows of N (N % 4 == 0).
  (func (export "addBias") (param $C i32) (param $bias i32) (param $M i32) (param $N i32)
    (local $end i32) (local $rowEnd i32) (local $bp i32) (local $ldr i32)
    (local.set $ldr (i32.shl (local.get $N) (i32.const 2)))
    (local.set $end (i32.add (local.get $C) (i32.mul (local.get $M) (local.get $ldr))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $C) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $C) (local.get $ldr)))
        (local.set $bp (local.get $bias))
        (block $rowDone
          (loop $cols
            (br_if $rowDone (i32.ge_u (local.get $C) (local.get $rowEnd)))
            (v128.store (local.get $C) (f32x4.add (v128.load (local.get $C)) (v128.load (local.get $bp))))
            (local.set $C (i32.add (local.get $C) (i32.const 16)))
            (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
            (br $cols)))
        (br $rows))))

  ;; dst[:] += sum over the M rows of src [M, N] (a bias gradient).
  (func (export "columnSums") (param $dst i32) (param $src i32) (param $M i32) (param $N i32)
    (local $end i32) (local $rowEnd i32) (local $dp i32) (local $ldr i32)
    (local.set $ldr (i32.shl (local.get $N) (i32.const 2)))
    (local.set $end (i32.add (local.get $src) (i32.mul (local.get $M) (local.get $ldr))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $src) (local.get $ldr)))
        (local.set $dp (local.get $dst))
        (block $rowDone
          (loop $cols
            (br_if $rowDone (i32.ge_u (local.get $src) (local.get $rowEnd)))
            (v128.store (local.get $dp) (f32x4.add (v128.load (local.get $dp)) (v128.load (local.get $src))))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $dp (i32.add (local.get $dp) (i32.const 16)))
            (br $cols)))
        (br $rows))))
)
