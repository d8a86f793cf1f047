;; Hot loops of the tree core (gradientTree.ts, classificationTree.ts), compiled at first use
;; by compile.ts. They are the same IEEE f64 operations in the same order as the plain
;; TypeScript they replace, so results are bit-identical; they run ~2.5x faster because
;; WebAssembly memory accesses carry no typed-array bounds checks or deoptimisation guards.
;;
;; All pointers are byte offsets into this instance's memory. A gradient histogram is (G, H)
;; f64 pairs, 16 bytes a bin, or (G, H, rows) triples, 24 bytes, when leaves need a minimum
;; row count; features are packed back to back and `off` (i32, one more entry
;; than features) holds each feature's byte offset within the histogram. Classification
;; kernels read one feature's column of bin codes (u8 per row), labels (i32) and weights (f64).
(module
  (memory (export "memory") 1)

  ;; hist = 0, then for q in [start, end), i = order[q], each used feature f:
  ;;   bin(f, codes[i * cols + feat[f]]) += (g[i], h[i])
  (func (export "buildHistogram")
    (param $hist i32) (param $bytes i32)
    (param $order i32) (param $start i32) (param $end i32)
    (param $g i32) (param $h i32)
    (param $codes i32) (param $cols i32)
    (param $feat i32) (param $off i32) (param $nFeat i32)
    (local $q i32) (local $i i32) (local $gi f64) (local $hi f64)
    (local $row i32) (local $f4 i32) (local $end4 i32) (local $o i32)
    (memory.fill (local.get $hist) (i32.const 0) (local.get $bytes))
    (local.set $end4 (i32.shl (local.get $nFeat) (i32.const 2)))
    (local.set $q (local.get $start))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $i (i32.load (i32.add (local.get $order) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $gi (f64.load (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $hi (f64.load (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $row (i32.add (local.get $codes) (i32.mul (local.get $i) (local.get $cols))))
        (local.set $f4 (i32.const 0))
        (block $featsDone
          (loop $feats
            (br_if $featsDone (i32.ge_u (local.get $f4) (local.get $end4)))
            ;; o = hist + off[f] + 16 * code
            (local.set $o
              (i32.add
                (i32.add (local.get $hist) (i32.load (i32.add (local.get $off) (local.get $f4))))
                (i32.shl
                  (i32.load8_u (i32.add (local.get $row) (i32.load (i32.add (local.get $feat) (local.get $f4)))))
                  (i32.const 4))))
            (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (local.get $gi)))
            (f64.store offset=8 (local.get $o) (f64.add (f64.load offset=8 (local.get $o)) (local.get $hi)))
            (local.set $f4 (i32.add (local.get $f4) (i32.const 4)))
            (br $feats)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $rows))))

  ;; The same with (G, H, rows) f64 triples, 24 bytes a bin: the exact row count behind
  ;; minDataInLeaf (sklearn's min_samples_leaf) in a third column:
  ;;   bin(f, codes[i * cols + feat[f]]) += (g[i], h[i], 1)
  (func (export "buildHistogramCounted")
    (param $hist i32) (param $bytes i32)
    (param $order i32) (param $start i32) (param $end i32)
    (param $g i32) (param $h i32)
    (param $codes i32) (param $cols i32)
    (param $feat i32) (param $off i32) (param $nFeat i32)
    (local $q i32) (local $i i32) (local $gi f64) (local $hi f64)
    (local $row i32) (local $f4 i32) (local $end4 i32) (local $o i32)
    (memory.fill (local.get $hist) (i32.const 0) (local.get $bytes))
    (local.set $end4 (i32.shl (local.get $nFeat) (i32.const 2)))
    (local.set $q (local.get $start))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $i (i32.load (i32.add (local.get $order) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $gi (f64.load (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $hi (f64.load (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $row (i32.add (local.get $codes) (i32.mul (local.get $i) (local.get $cols))))
        (local.set $f4 (i32.const 0))
        (block $featsDone
          (loop $feats
            (br_if $featsDone (i32.ge_u (local.get $f4) (local.get $end4)))
            ;; o = hist + off[f] + 24 * code
            (local.set $o
              (i32.add
                (i32.add (local.get $hist) (i32.load (i32.add (local.get $off) (local.get $f4))))
                (i32.mul
                  (i32.load8_u (i32.add (local.get $row) (i32.load (i32.add (local.get $feat) (local.get $f4)))))
                  (i32.const 24))))
            (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (local.get $gi)))
            (f64.store offset=8 (local.get $o) (f64.add (f64.load offset=8 (local.get $o)) (local.get $hi)))
            (f64.store offset=16 (local.get $o) (f64.add (f64.load offset=16 (local.get $o)) (f64.const 1)))
            (local.set $f4 (i32.add (local.get $f4) (i32.const 4)))
            (br $feats)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $rows))))

  ;; a -= b over `bytes` (a multiple of 16): the larger child's histogram from its parent's.
  (func (export "subtractHistogram") (param $a i32) (param $b i32) (param $bytes i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (local.get $bytes)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (v128.store (local.get $a) (f64x2.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $each))))

  ;; Best split of a node with totals (G, H): for each feature, scan bin boundaries left to
  ;; right (empty bins repeat the previous boundary and are skipped) and keep the largest
  ;; GL^2/(HL+lambda) + GR^2/(HR+lambda) above minScore. A child needs hessian >= minChild and
  ;; a size >= minSize; once the right side is below minSize no later boundary helps. The size
  ;; is the hessian (total H) over (G, H) histograms, or with `counted` the rows (total N)
  ;; over buildHistogramCounted's (G, H, rows) histograms.
  ;; Returns the winning feature's index in `off` (-1: none) and writes [score, GL, HL] (f64)
  ;; and the bin (i32) at `out`.
  (func (export "findSplit")
    (param $hist i32) (param $off i32) (param $nFeat i32)
    (param $G f64) (param $H f64) (param $lambda f64)
    (param $minScore f64) (param $minChild f64) (param $minSize f64)
    (param $counted i32) (param $N f64)
    (param $out i32)
    (result i32)
    (local $f i32) (local $o i32) (local $last i32) (local $b i32) (local $stride i32)
    (local $GL f64) (local $HL f64) (local $GR f64) (local $HR f64) (local $hb f64) (local $s f64)
    (local $SL f64) (local $SR f64) (local $total f64)
    (local $best f64) (local $bestF i32) (local $bestBin i32) (local $bestGL f64) (local $bestHL f64)
    (local.set $best (local.get $minScore))
    (local.set $bestF (i32.const -1))
    (local.set $stride (select (i32.const 24) (i32.const 16) (local.get $counted)))
    (local.set $total (select (local.get $N) (local.get $H) (local.get $counted)))
    (block $featsDone
      (loop $feats
        (br_if $featsDone (i32.ge_u (local.get $f) (local.get $nFeat)))
        (local.set $o (i32.add (local.get $hist) (i32.load (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2))))))
        ;; the last bin is never a left side
        (local.set $last
          (i32.sub
            (i32.add (local.get $hist) (i32.load offset=4 (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))))
            (local.get $stride)))
        (local.set $GL (f64.const 0))
        (local.set $HL (f64.const 0))
        (local.set $SL (f64.const 0))
        (local.set $b (i32.const 0))
        (block $binsDone
          (loop $bins
            (br_if $binsDone (i32.ge_u (local.get $o) (local.get $last)))
            (local.set $hb (f64.load offset=8 (local.get $o)))
            (if (f64.ne (local.get $hb) (f64.const 0))
              (then
                (local.set $GL (f64.add (local.get $GL) (f64.load (local.get $o))))
                (local.set $HL (f64.add (local.get $HL) (local.get $hb)))
                (local.set $HR (f64.sub (local.get $H) (local.get $HL)))
                ;; `if`, not `select`: select evaluates both operands, and the rows column exists
                ;; only in counted histograms (past a (G, H) histogram's last bin it is out of bounds).
                (local.set $SL (f64.add (local.get $SL) (if (result f64) (local.get $counted) (then (f64.load offset=16 (local.get $o))) (else (local.get $hb)))))
                (local.set $SR (f64.sub (local.get $total) (local.get $SL)))
                (if (f64.ge (local.get $SL) (local.get $minSize))
                  (then
                    (br_if $binsDone (f64.lt (local.get $SR) (local.get $minSize)))
                    (if (i32.and
                          (i32.and (f64.ge (local.get $HL) (local.get $minChild)) (f64.ge (local.get $HR) (local.get $minChild)))
                          (f64.gt (local.get $HR) (f64.const 0)))
                      (then
                        (local.set $GR (f64.sub (local.get $G) (local.get $GL)))
                        (local.set $s
                          (f64.add
                            (f64.div (f64.mul (local.get $GL) (local.get $GL)) (f64.add (local.get $HL) (local.get $lambda)))
                            (f64.div (f64.mul (local.get $GR) (local.get $GR)) (f64.add (local.get $HR) (local.get $lambda)))))
                        (if (f64.gt (local.get $s) (local.get $best))
                          (then
                            (local.set $best (local.get $s))
                            (local.set $bestF (local.get $f))
                            (local.set $bestBin (local.get $b))
                            (local.set $bestGL (local.get $GL))
                            (local.set $bestHL (local.get $HL))))))))))
            (local.set $o (i32.add (local.get $o) (local.get $stride)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $bins)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $feats)))
    (f64.store (local.get $out) (local.get $best))
    (f64.store offset=8 (local.get $out) (local.get $bestGL))
    (f64.store offset=16 (local.get $out) (local.get $bestHL))
    (i32.store offset=24 (local.get $out) (local.get $bestBin))
    (local.get $bestF))
  ;; lo | hi << 8: the smallest and largest bin code of rows order[start, end) in a column.
  (func (export "binRange") (param $col i32) (param $order i32) (param $start i32) (param $end i32) (result i32)
    (local $q i32) (local $c i32) (local $lo i32) (local $hi i32)
    (local.set $lo (i32.const 255))
    (local.set $q (i32.add (local.get $order) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $end (i32.add (local.get $order) (i32.shl (local.get $end) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $c (i32.load8_u (i32.add (local.get $col) (i32.load (local.get $q)))))
        (local.set $lo (select (local.get $c) (local.get $lo) (i32.lt_u (local.get $c) (local.get $lo))))
        (local.set $hi (select (local.get $c) (local.get $hi) (i32.gt_u (local.get $c) (local.get $hi))))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br $each)))
    (i32.or (local.get $lo) (i32.shl (local.get $hi) (i32.const 8))))

  ;; Class weights on each side of bin boundary t: acc[side * K + y[i]] += w[i] with side 1
  ;; when the row's bin is above t (no branch: random thresholds make it unpredictable).
  ;; Returns the number of rows on the right.
  (func (export "sideSums")
    (param $col i32) (param $order i32) (param $start i32) (param $end i32)
    (param $y i32) (param $w i32) (param $t i32) (param $K i32) (param $acc i32)
    (result i32)
    (local $q i32) (local $i i32) (local $side i32) (local $right i32) (local $a i32)
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $K) (i32.const 4)))
    (local.set $q (i32.add (local.get $order) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $end (i32.add (local.get $order) (i32.shl (local.get $end) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $i (i32.load (local.get $q)))
        (local.set $side (i32.gt_u (i32.load8_u (i32.add (local.get $col) (local.get $i))) (local.get $t)))
        (local.set $a
          (i32.add (local.get $acc)
            (i32.shl
              (i32.add (i32.mul (local.get $side) (local.get $K)) (i32.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2)))))
              (i32.const 3))))
        (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (f64.load (i32.add (local.get $w) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $right (i32.add (local.get $right) (local.get $side)))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br $each)))
    (local.get $right))

  ;; Class-weight histogram over bins lo .. lo + nb - 1 of a column: hist[(bin - lo) * K + y]
  ;; += w and rows[bin - lo] += 1, both cleared first (only the node's range, not every bin).
  (func (export "classHistogram")
    (param $col i32) (param $order i32) (param $start i32) (param $end i32)
    (param $y i32) (param $w i32) (param $lo i32) (param $nb i32) (param $K i32)
    (param $hist i32) (param $rows i32)
    (local $q i32) (local $i i32) (local $b i32) (local $a i32)
    (memory.fill (local.get $hist) (i32.const 0) (i32.shl (i32.mul (local.get $nb) (local.get $K)) (i32.const 3)))
    (memory.fill (local.get $rows) (i32.const 0) (i32.shl (local.get $nb) (i32.const 2)))
    (local.set $q (i32.add (local.get $order) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $end (i32.add (local.get $order) (i32.shl (local.get $end) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $i (i32.load (local.get $q)))
        (local.set $b (i32.sub (i32.load8_u (i32.add (local.get $col) (local.get $i))) (local.get $lo)))
        (local.set $a
          (i32.add (local.get $hist)
            (i32.shl
              (i32.add (i32.mul (local.get $b) (local.get $K)) (i32.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2)))))
              (i32.const 3))))
        (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (f64.load (i32.add (local.get $w) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $a (i32.add (local.get $rows) (i32.shl (local.get $b) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br $each))))
)
