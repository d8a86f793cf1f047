;; The ceiling of 128-bit WebAssembly SIMD on this CPU, for `npm run bench:simd`: 12 independent
;; f32x4 multiply-add chains held in registers (no memory traffic), the most a GEMM kernel written
;; in WebAssembly SIMD can do per cycle. acc = acc * m + a with m < 1 stays finite and normal.
(module
  (func (export "peak") (param $iters i32) (param $m f32) (param $a f32) (result f32)
    (local $vm v128) (local $va v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128)
    (local $c6 v128) (local $c7 v128) (local $c8 v128) (local $c9 v128) (local $c10 v128) (local $c11 v128)
    (local.set $vm (f32x4.splat (local.get $m)))
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $c1 (local.get $va)) (local.set $c2 (local.get $vm)) (local.set $c3 (local.get $va))
    (local.set $c5 (local.get $vm)) (local.set $c7 (local.get $va)) (local.set $c9 (local.get $vm))
    (block $done
      (loop $it
        (br_if $done (i32.eqz (local.get $iters)))
        (local.set $c0 (f32x4.add (f32x4.mul (local.get $c0) (local.get $vm)) (local.get $va)))
        (local.set $c1 (f32x4.add (f32x4.mul (local.get $c1) (local.get $vm)) (local.get $va)))
        (local.set $c2 (f32x4.add (f32x4.mul (local.get $c2) (local.get $vm)) (local.get $va)))
        (local.set $c3 (f32x4.add (f32x4.mul (local.get $c3) (local.get $vm)) (local.get $va)))
        (local.set $c4 (f32x4.add (f32x4.mul (local.get $c4) (local.get $vm)) (local.get $va)))
        (local.set $c5 (f32x4.add (f32x4.mul (local.get $c5) (local.get $vm)) (local.get $va)))
        (local.set $c6 (f32x4.add (f32x4.mul (local.get $c6) (local.get $vm)) (local.get $va)))
        (local.set $c7 (f32x4.add (f32x4.mul (local.get $c7) (local.get $vm)) (local.get $va)))
        (local.set $c8 (f32x4.add (f32x4.mul (local.get $c8) (local.get $vm)) (local.get $va)))
        (local.set $c9 (f32x4.add (f32x4.mul (local.get $c9) (local.get $vm)) (local.get $va)))
        (local.set $c10 (f32x4.add (f32x4.mul (local.get $c10) (local.get $vm)) (local.get $va)))
        (local.set $c11 (f32x4.add (f32x4.mul (local.get $c11) (local.get $vm)) (local.get $va)))
        (local.set $iters (i32.sub (local.get $iters) (i32.const 1)))
        (br $it)))
    (f32x4.extract_lane 0
      (f32x4.add
        (f32x4.add (f32x4.add (f32x4.add (local.get $c0) (local.get $c1)) (f32x4.add (local.get $c2) (local.get $c3)))
                   (f32x4.add (f32x4.add (local.get $c4) (local.get $c5)) (f32x4.add (local.get $c6) (local.get $c7))))
        (f32x4.add (f32x4.add (local.get $c8) (local.get $c9)) (f32x4.add (local.get $c10) (local.get $c11)))))))
