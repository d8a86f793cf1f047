/*
 * Native TRM kernels: a Node-API addon with the same kernel set, signatures and memory layout
 * as the WebAssembly engine (src/models/trm/engine/trmKernels.wat), so trmEngine.ts drives
 * either one. Every pointer argument is a byte offset into the memory block of the `Memory`
 * object the kernel is called on (one block per engine, 64-byte aligned, owned by an
 * external ArrayBuffer the engine views with typed arrays).
 *
 * The GEMM is our own register-blocked kernel with runtime CPU dispatch (AVX-512F, AVX2 +
 * FMA, SSE2), chosen once at load with __builtin_cpu_supports; see docs/native-engine.md for
 * why not OpenBLAS. One thread: the trainers already run one fit per core.
 *
 * Weights are packed in column panels of PW floats (16 on AVX-512, 8 otherwise; the last
 * panel of a matrix whose width is not a multiple of PW is 8 wide): panel p (first column p,
 * width w) holds B(k, p..p+w-1) at Bp + p * Kr + w * k. Output widths are multiples of 8.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char *base;
  size_t bytes;
} Memory;

/* ---------------------------------------------------------------- dispatch */

enum { ISA_SSE2 = 0, ISA_AVX2 = 1, ISA_AVX512 = 2 };
static int isa = ISA_SSE2;
static int PW = 8;
static const char *ISA_NAMES[] = {"sse2", "avx2", "avx512"};

/* ---------------------------------------------------------------- packing */

static void pack_impl(const float *W, int K, int N, float *out) {
  for (int p = 0; p < N; p += PW) {
    int w = N - p >= PW ? PW : 8;
    float *panel = out + (size_t)p * K;
    for (int k = 0; k < K; k++) memcpy(panel + (size_t)w * k, W + (size_t)k * N + p, sizeof(float) * w);
  }
}

/* out = the transpose of W [K, N] (so N rows of K columns, K % 8 == 0), packed. */
static void pack_transposed_impl(const float *W, int K, int N, float *out) {
  for (int p = 0; p < K; p += PW) {
    int w = K - p >= PW ? PW : 8;
    float *panel = out + (size_t)p * N;
    for (int n = 0; n < N; n++)
      for (int c = 0; c < w; c++) panel[(size_t)w * n + c] = W[(size_t)(p + c) * N + n];
  }
}

/* ---------------------------------------------------------------- GEMM micro-kernels */

/*
 * C[M, N] = (acc ? C : 0) + A B with A(i, k) = A[i * sai + k * sak]. Panels are the outer
 * loop so a panel (Kr x PW floats, or two of them) stays in L1/L2 while every row block of A
 * streams past it; each k step loads the panel row once and broadcasts MR scalars of A.
 */

#define AVX512_MR 12
__attribute__((target("avx512f"), always_inline)) static inline void mk512_2(int MR, const float *a, long sai, long sak, const float *b0, const float *b1, int Kr, float *c, long ldc, int acc) {
  __m512 c0[AVX512_MR], c1[AVX512_MR];
  for (int r = 0; r < MR; r++) c0[r] = c1[r] = _mm512_setzero_ps();
  for (int k = 0; k < Kr; k++) {
    __m512 v0 = _mm512_loadu_ps(b0 + 16 * k);
    __m512 v1 = _mm512_loadu_ps(b1 + 16 * k);
    const float *ak = a + k * sak;
    for (int r = 0; r < MR; r++) {
      __m512 x = _mm512_set1_ps(ak[r * sai]);
      c0[r] = _mm512_fmadd_ps(x, v0, c0[r]);
      c1[r] = _mm512_fmadd_ps(x, v1, c1[r]);
    }
  }
  for (int r = 0; r < MR; r++) {
    float *cr = c + r * ldc;
    if (acc) {
      c0[r] = _mm512_add_ps(c0[r], _mm512_loadu_ps(cr));
      c1[r] = _mm512_add_ps(c1[r], _mm512_loadu_ps(cr + 16));
    }
    _mm512_storeu_ps(cr, c0[r]);
    _mm512_storeu_ps(cr + 16, c1[r]);
  }
}

/* One panel of width 16 or 8 (mask). */
__attribute__((target("avx512f"), always_inline)) static inline void mk512_1(int MR, const float *a, long sai, long sak, const float *b, int w, int Kr, float *c, long ldc, int acc) {
  __m512 c0[AVX512_MR];
  __mmask16 m = (__mmask16)((1u << w) - 1);
  for (int r = 0; r < MR; r++) c0[r] = _mm512_setzero_ps();
  for (int k = 0; k < Kr; k++) {
    __m512 v0 = _mm512_maskz_loadu_ps(m, b + w * k);
    const float *ak = a + k * sak;
    for (int r = 0; r < MR; r++) c0[r] = _mm512_fmadd_ps(_mm512_set1_ps(ak[r * sai]), v0, c0[r]);
  }
  for (int r = 0; r < MR; r++) {
    float *cr = c + r * ldc;
    if (acc) c0[r] = _mm512_add_ps(c0[r], _mm512_maskz_loadu_ps(m, cr));
    _mm512_mask_storeu_ps(cr, m, c0[r]);
  }
}

#define MR_CASES(F, ...) \
  switch (mr) { \
    case 12: F(12, __VA_ARGS__); break; case 11: F(11, __VA_ARGS__); break; case 10: F(10, __VA_ARGS__); break; \
    case 9: F(9, __VA_ARGS__); break; case 8: F(8, __VA_ARGS__); break; case 7: F(7, __VA_ARGS__); break; \
    case 6: F(6, __VA_ARGS__); break; case 5: F(5, __VA_ARGS__); break; case 4: F(4, __VA_ARGS__); break; \
    case 3: F(3, __VA_ARGS__); break; case 2: F(2, __VA_ARGS__); break; default: F(1, __VA_ARGS__); break; \
  }

__attribute__((target("avx512f"))) static void gemm_avx512(const float *A, long sai, long sak, const float *Bp, float *C, int M, int N, int Kr, int acc) {
  for (int p = 0; p < N;) {
    const float *panel = Bp + (size_t)p * Kr;
    if (N - p >= 32) {
      for (int i = 0; i < M; i += AVX512_MR) {
        int mr = M - i < AVX512_MR ? M - i : AVX512_MR;
        MR_CASES(mk512_2, A + i * sai, sai, sak, panel, panel + (size_t)16 * Kr, Kr, C + (size_t)i * N + p, N, acc);
      }
      p += 32;
    } else {
      int w = N - p >= 16 ? 16 : 8;
      for (int i = 0; i < M; i += AVX512_MR) {
        int mr = M - i < AVX512_MR ? M - i : AVX512_MR;
        MR_CASES(mk512_1, A + i * sai, sai, sak, panel, w, Kr, C + (size_t)i * N + p, N, acc);
      }
      p += w;
    }
  }
}

#define AVX2_MR 6
__attribute__((target("avx2,fma"), always_inline)) static inline void mk256_2(int MR, const float *a, long sai, long sak, const float *b0, const float *b1, int Kr, float *c, long ldc, int acc) {
  __m256 c0[AVX2_MR], c1[AVX2_MR];
  for (int r = 0; r < MR; r++) c0[r] = c1[r] = _mm256_setzero_ps();
  for (int k = 0; k < Kr; k++) {
    __m256 v0 = _mm256_loadu_ps(b0 + 8 * k);
    __m256 v1 = _mm256_loadu_ps(b1 + 8 * k);
    const float *ak = a + k * sak;
    for (int r = 0; r < MR; r++) {
      __m256 x = _mm256_broadcast_ss(ak + r * sai);
      c0[r] = _mm256_fmadd_ps(x, v0, c0[r]);
      c1[r] = _mm256_fmadd_ps(x, v1, c1[r]);
    }
  }
  for (int r = 0; r < MR; r++) {
    float *cr = c + r * ldc;
    if (acc) {
      c0[r] = _mm256_add_ps(c0[r], _mm256_loadu_ps(cr));
      c1[r] = _mm256_add_ps(c1[r], _mm256_loadu_ps(cr + 8));
    }
    _mm256_storeu_ps(cr, c0[r]);
    _mm256_storeu_ps(cr + 8, c1[r]);
  }
}

__attribute__((target("avx2,fma"), always_inline)) static inline void mk256_1(int MR, const float *a, long sai, long sak, const float *b, int Kr, float *c, long ldc, int acc) {
  __m256 c0[AVX2_MR];
  for (int r = 0; r < MR; r++) c0[r] = _mm256_setzero_ps();
  for (int k = 0; k < Kr; k++) {
    __m256 v0 = _mm256_loadu_ps(b + 8 * k);
    const float *ak = a + k * sak;
    for (int r = 0; r < MR; r++) c0[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(ak + r * sai), v0, c0[r]);
  }
  for (int r = 0; r < MR; r++) {
    float *cr = c + r * ldc;
    if (acc) c0[r] = _mm256_add_ps(c0[r], _mm256_loadu_ps(cr));
    _mm256_storeu_ps(cr, c0[r]);
  }
}

#define MR_CASES6(F, ...) \
  switch (mr) { \
    case 6: F(6, __VA_ARGS__); break; case 5: F(5, __VA_ARGS__); break; case 4: F(4, __VA_ARGS__); break; \
    case 3: F(3, __VA_ARGS__); break; case 2: F(2, __VA_ARGS__); break; default: F(1, __VA_ARGS__); break; \
  }

__attribute__((target("avx2,fma"))) static void gemm_avx2(const float *A, long sai, long sak, const float *Bp, float *C, int M, int N, int Kr, int acc) {
  for (int p = 0; p < N;) {
    const float *panel = Bp + (size_t)p * Kr;
    if (N - p >= 16) {
      for (int i = 0; i < M; i += AVX2_MR) {
        int mr = M - i < AVX2_MR ? M - i : AVX2_MR;
        MR_CASES6(mk256_2, A + i * sai, sai, sak, panel, panel + (size_t)8 * Kr, Kr, C + (size_t)i * N + p, N, acc);
      }
      p += 16;
    } else {
      for (int i = 0; i < M; i += AVX2_MR) {
        int mr = M - i < AVX2_MR ? M - i : AVX2_MR;
        MR_CASES6(mk256_1, A + i * sai, sai, sak, panel, Kr, C + (size_t)i * N + p, N, acc);
      }
      p += 8;
    }
  }
}

/* SSE2 (every x86-64): 6 rows x 8 columns (12 accumulators of the 16 xmm registers), mul + add. */
#define SSE2_MR 6
__attribute__((always_inline)) static inline void mk128(int MR, const float *a, long sai, long sak, const float *b, int Kr, float *c, long ldc, int acc) {
  __m128 c0[SSE2_MR], c1[SSE2_MR];
  for (int r = 0; r < MR; r++) c0[r] = c1[r] = _mm_setzero_ps();
  for (int k = 0; k < Kr; k++) {
    __m128 v0 = _mm_loadu_ps(b + 8 * k), v1 = _mm_loadu_ps(b + 8 * k + 4);
    const float *ak = a + k * sak;
    for (int r = 0; r < MR; r++) {
      __m128 x = _mm_set1_ps(ak[r * sai]);
      c0[r] = _mm_add_ps(c0[r], _mm_mul_ps(x, v0));
      c1[r] = _mm_add_ps(c1[r], _mm_mul_ps(x, v1));
    }
  }
  for (int r = 0; r < MR; r++) {
    float *cr = c + r * ldc;
    if (acc) {
      c0[r] = _mm_add_ps(c0[r], _mm_loadu_ps(cr));
      c1[r] = _mm_add_ps(c1[r], _mm_loadu_ps(cr + 4));
    }
    _mm_storeu_ps(cr, c0[r]);
    _mm_storeu_ps(cr + 4, c1[r]);
  }
}

static void gemm_sse2(const float *A, long sai, long sak, const float *Bp, float *C, int M, int N, int Kr, int acc) {
  for (int p = 0; p < N; p += 8) {
    const float *panel = Bp + (size_t)p * Kr;
    for (int i = 0; i < M; i += SSE2_MR) {
      int mr = M - i < SSE2_MR ? M - i : SSE2_MR;
      MR_CASES6(mk128, A + i * sai, sai, sak, panel, Kr, C + (size_t)i * N + p, N, acc);
    }
  }
}

typedef void (*GemmFn)(const float *, long, long, const float *, float *, int, int, int, int);
static GemmFn gemm_fn = gemm_sse2;

/* ---------------------------------------------------------------- element-wise kernels */

/* e^x as in the WebAssembly kernels: Cody-Waite reduction, degree-6 Taylor, 2^n in the exponent bits. */
static inline float exp_approx(float x) {
  x = x > 88.f ? 88.f : x;
  x = x < -87.f ? -87.f : x;
  float n = (x * 1.44269504f + 12582912.f) - 12582912.f; /* round to nearest */
  float r = x - n * 0.693145751953125f;
  r = r - n * 1.428606765330187e-06f;
  float p = 1.3888889e-03f;
  p = p * r + 8.3333333e-03f;
  p = p * r + 4.1666667e-02f;
  p = p * r + 1.6666667e-01f;
  p = p * r + 0.5f;
  p = p * r + 1.f;
  p = p * r + 1.f;
  int32_t bits = ((int32_t)n + 127) << 23;
  float s;
  memcpy(&s, &bits, 4);
  return p * s;
}

static inline float sigmoid_approx(float x) { return 1.f / (1.f + exp_approx(-x)); }

#define ELEMENTWISE(S)                                                                                        \
  static void biasSilu_##S(float *restrict a, const float *restrict bias, float *restrict g, int M, int N) {  \
    for (int i = 0; i < M; i++) {                                                                             \
      float *ar = a + (size_t)i * N, *gr = g + (size_t)i * N;                                                 \
      for (int j = 0; j < N; j++) {                                                                           \
        float v = ar[j] + bias[j];                                                                            \
        ar[j] = v;                                                                                            \
        gr[j] = v * sigmoid_approx(v);                                                                        \
      }                                                                                                       \
    }                                                                                                         \
  }                                                                                                           \
  static void siluBackward_##S(float *restrict dg, const float *restrict a, float *restrict db, int M, int N) { \
    for (int i = 0; i < M; i++) {                                                                             \
      float *dr = dg + (size_t)i * N;                                                                         \
      const float *ar = a + (size_t)i * N;                                                                    \
      for (int j = 0; j < N; j++) {                                                                           \
        float v = ar[j], s = sigmoid_approx(v);                                                               \
        float d = dr[j] * (s * (1.f + v * (1.f - s)));                                                        \
        dr[j] = d;                                                                                            \
        db[j] += d;                                                                                           \
      }                                                                                                       \
    }                                                                                                         \
  }                                                                                                           \
  static void residualNorm_##S(float *restrict h, const float *restrict s, const float *restrict bias,        \
                               const float *restrict gain, float *restrict out, float *restrict rinv, int M,  \
                               int N, float invH) {                                                           \
    for (int i = 0; i < M; i++) {                                                                             \
      float *hr = h + (size_t)i * N, *orow = out + (size_t)i * N;                                             \
      const float *sr = s + (size_t)i * N;                                                                    \
      float ss = 0.f;                                                                                         \
      for (int j = 0; j < N; j++) {                                                                           \
        float v = hr[j] + sr[j] + bias[j];                                                                    \
        hr[j] = v;                                                                                            \
        ss += v * v;                                                                                          \
      }                                                                                                       \
      float r = 1.f / sqrtf(ss * invH + 1e-6f);                                                               \
      rinv[i] = r;                                                                                            \
      for (int j = 0; j < N; j++) orow[j] = hr[j] * r * gain[j];                                              \
    }                                                                                                         \
  }                                                                                                           \
  static void normBackward_##S(const float *restrict dout, const float *restrict h, const float *restrict rinv, \
                               const float *restrict gain, float *restrict dgain, float *restrict db,         \
                               float *restrict dh, int M, int N, float invH) {                                \
    for (int i = 0; i < M; i++) {                                                                             \
      const float *dr = dout + (size_t)i * N, *hr = h + (size_t)i * N;                                        \
      float *dhr = dh + (size_t)i * N;                                                                        \
      float r = rinv[i], dot = 0.f;                                                                           \
      for (int j = 0; j < N; j++) {                                                                           \
        float hn = hr[j] * r;                                                                                 \
        dot += dr[j] * gain[j] * hn;                                                                          \
        dgain[j] += dr[j] * hn;                                                                               \
      }                                                                                                       \
      float mv = dot * invH;                                                                                  \
      for (int j = 0; j < N; j++) {                                                                           \
        float hn = hr[j] * r;                                                                                 \
        float d = r * (dr[j] * gain[j] - hn * mv);                                                            \
        dhr[j] = d;                                                                                           \
        db[j] += d;                                                                                           \
      }                                                                                                       \
    }                                                                                                         \
  }

/* One copy per instruction set: the same C, vectorised by the compiler for each target. */
#pragma GCC push_options
#pragma GCC target("avx512f")
ELEMENTWISE(avx512)
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx2,fma")
ELEMENTWISE(avx2)
#pragma GCC pop_options
ELEMENTWISE(sse2)

static void (*biasSilu_fn)(float *, const float *, float *, int, int) = biasSilu_sse2;
static void (*siluBackward_fn)(float *, const float *, float *, int, int) = siluBackward_sse2;
static void (*residualNorm_fn)(float *, const float *, const float *, const float *, float *, float *, int, int, float) = residualNorm_sse2;
static void (*normBackward_fn)(const float *, const float *, const float *, const float *, float *, float *, float *, int, int, float) = normBackward_sse2;

static void add3_impl(float *out, const float *a, const float *b, const float *c, int n, int three) {
  if (three)
    for (int i = 0; i < n; i++) out[i] = (a[i] + b[i]) + c[i];
  else
    for (int i = 0; i < n; i++) out[i] = a[i] + b[i];
}

static void addBias_impl(float *C, const float *bias, int M, int N) {
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) C[(size_t)i * N + j] += bias[j];
}

static void columnSums_impl(float *dst, const float *src, int M, int N) {
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) dst[j] += src[(size_t)i * N + j];
}

/* ---------------------------------------------------------------- Node-API glue */

#define MAX_ARGS 10

typedef struct {
  Memory *mem;
  double v[MAX_ARGS];
} Args;

static int read_args(napi_env env, napi_callback_info info, size_t want, Args *out) {
  size_t argc = MAX_ARGS;
  napi_value argv[MAX_ARGS], self;
  if (napi_get_cb_info(env, info, &argc, argv, &self, NULL) != napi_ok) return 0;
  if (argc < want) {
    napi_throw_type_error(env, NULL, "trm native: too few arguments");
    return 0;
  }
  if (napi_unwrap(env, self, (void **)&out->mem) != napi_ok || !out->mem) {
    napi_throw_type_error(env, NULL, "trm native: kernel called without its Memory");
    return 0;
  }
  for (size_t i = 0; i < want; i++)
    if (napi_get_value_double(env, argv[i], &out->v[i]) != napi_ok) {
      napi_throw_type_error(env, NULL, "trm native: arguments must be numbers");
      return 0;
    }
  return 1;
}

/* A float pointer from a byte offset, bounds-checked against `floats` floats. */
static float *at(napi_env env, Args *a, int i, double floats, int *ok) {
  double off = a->v[i];
  if (!*ok) return NULL;
  if (off < 0 || (size_t)off + (floats > 0 ? (size_t)floats * 4 : 0) > a->mem->bytes || ((size_t)off & 3)) {
    napi_throw_range_error(env, NULL, "trm native: offset outside the engine's memory");
    *ok = 0;
    return NULL;
  }
  return (float *)(a->mem->base + (size_t)off);
}

#define I(k) ((int)a.v[k])

static napi_value k_gemm(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 9, &a)) return NULL;
  int ok = 1, M = I(5), N = I(6), Kr = I(7);
  long sai = (long)a.v[1], sak = (long)a.v[2];
  float *A = at(env, &a, 0, M && Kr ? (double)(M - 1) * sai + (double)(Kr - 1) * sak + 1 : 0, &ok);
  float *Bp = at(env, &a, 3, (double)Kr * N, &ok);
  float *C = at(env, &a, 4, (double)M * N, &ok);
  if (!ok) return NULL;
  if (N % 8) {
    napi_throw_range_error(env, NULL, "trm native: gemm width must be a multiple of 8");
    return NULL;
  }
  gemm_fn(A, sai, sak, Bp, C, M, N, Kr, I(8));
  return NULL;
}

static napi_value k_pack(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 4, &a)) return NULL;
  int ok = 1, K = I(1), N = I(2);
  float *W = at(env, &a, 0, (double)K * N, &ok), *out = at(env, &a, 3, (double)K * N, &ok);
  if (ok) pack_impl(W, K, N, out);
  return NULL;
}

static napi_value k_packTransposed(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 4, &a)) return NULL;
  int ok = 1, K = I(1), N = I(2);
  float *W = at(env, &a, 0, (double)K * N, &ok), *out = at(env, &a, 3, (double)K * N, &ok);
  if (ok) pack_transposed_impl(W, K, N, out);
  return NULL;
}

static napi_value k_biasSilu(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 5, &a)) return NULL;
  int ok = 1, M = I(3), N = I(4);
  float *A = at(env, &a, 0, (double)M * N, &ok), *bias = at(env, &a, 1, N, &ok), *g = at(env, &a, 2, (double)M * N, &ok);
  if (ok) biasSilu_fn(A, bias, g, M, N);
  return NULL;
}

static napi_value k_residualNorm(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 9, &a)) return NULL;
  int ok = 1, M = I(6), N = I(7);
  double mn = (double)M * N;
  float *h = at(env, &a, 0, mn, &ok), *s = at(env, &a, 1, mn, &ok), *bias = at(env, &a, 2, N, &ok), *gain = at(env, &a, 3, N, &ok);
  float *out = at(env, &a, 4, mn, &ok), *rinv = at(env, &a, 5, M, &ok);
  if (ok) residualNorm_fn(h, s, bias, gain, out, rinv, M, N, (float)a.v[8]);
  return NULL;
}

static napi_value k_normBackward(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 10, &a)) return NULL;
  int ok = 1, M = I(7), N = I(8);
  double mn = (double)M * N;
  float *dout = at(env, &a, 0, mn, &ok), *h = at(env, &a, 1, mn, &ok), *rinv = at(env, &a, 2, M, &ok), *gain = at(env, &a, 3, N, &ok);
  float *dgain = at(env, &a, 4, N, &ok), *db = at(env, &a, 5, N, &ok), *dh = at(env, &a, 6, mn, &ok);
  if (ok) normBackward_fn(dout, h, rinv, gain, dgain, db, dh, M, N, (float)a.v[9]);
  return NULL;
}

static napi_value k_siluBackward(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 5, &a)) return NULL;
  int ok = 1, M = I(3), N = I(4);
  float *dg = at(env, &a, 0, (double)M * N, &ok), *A = at(env, &a, 1, (double)M * N, &ok), *db = at(env, &a, 2, N, &ok);
  if (ok) siluBackward_fn(dg, A, db, M, N);
  return NULL;
}

static napi_value k_add3(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 6, &a)) return NULL;
  int ok = 1, n = I(4), three = I(5);
  float *out = at(env, &a, 0, n, &ok), *x = at(env, &a, 1, n, &ok), *y = at(env, &a, 2, n, &ok);
  float *z = three ? at(env, &a, 3, n, &ok) : NULL;
  if (ok) add3_impl(out, x, y, z, n, three);
  return NULL;
}

static napi_value k_addBias(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 4, &a)) return NULL;
  int ok = 1, M = I(2), N = I(3);
  float *C = at(env, &a, 0, (double)M * N, &ok), *bias = at(env, &a, 1, N, &ok);
  if (ok) addBias_impl(C, bias, M, N);
  return NULL;
}

static napi_value k_columnSums(napi_env env, napi_callback_info info) {
  Args a;
  if (!read_args(env, info, 4, &a)) return NULL;
  int ok = 1, M = I(2), N = I(3);
  float *dst = at(env, &a, 0, N, &ok), *src = at(env, &a, 1, (double)M * N, &ok);
  if (ok) columnSums_impl(dst, src, M, N);
  return NULL;
}

static void free_block(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static void free_memory(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

/* new Memory(bytes): a zeroed, 64-byte aligned block exposed as `this.buffer`. */
static napi_value memory_ctor(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], self;
  napi_get_cb_info(env, info, &argc, argv, &self, NULL);
  double bytes = 0;
  if (argc < 1 || napi_get_value_double(env, argv[0], &bytes) != napi_ok || !(bytes >= 0) || bytes > 64.0 * 1024 * 1024 * 1024) {
    napi_throw_range_error(env, NULL, "trm native: Memory(bytes) needs a size in bytes");
    return NULL;
  }
  size_t size = ((size_t)bytes + 63) / 64 * 64;
  if (size == 0) size = 64;
  void *block = aligned_alloc(64, size);
  Memory *mem = malloc(sizeof(Memory));
  if (!block || !mem) {
    free(block);
    free(mem);
    napi_throw_error(env, NULL, "trm native: out of memory");
    return NULL;
  }
  memset(block, 0, size);
  mem->base = block;
  mem->bytes = size;
  napi_value buffer;
  if (napi_create_external_arraybuffer(env, block, size, free_block, NULL, &buffer) != napi_ok) {
    free(block);
    free(mem);
    napi_throw_error(env, NULL, "trm native: cannot expose the memory as an ArrayBuffer");
    return NULL;
  }
  /* The wrapper keeps the buffer (and so the block) alive as long as kernels can be called on it. */
  napi_set_named_property(env, self, "buffer", buffer);
  napi_wrap(env, self, mem, free_memory, NULL, NULL);
  return self;
}

static napi_value make_string(napi_env env, const char *s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

static napi_value init(napi_env env, napi_value exports) {
  __builtin_cpu_init();
  const char *force = getenv("TRM_NATIVE_ISA");
  int best = ISA_SSE2;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) best = ISA_AVX2;
  if (__builtin_cpu_supports("avx512f")) best = ISA_AVX512;
  isa = best;
  /* A lower instruction set may be forced (tests and benchmarks compare them); never a higher one. */
  if (force && !strcmp(force, "sse2")) isa = ISA_SSE2;
  if (force && !strcmp(force, "avx2") && best >= ISA_AVX2) isa = ISA_AVX2;
  if (isa == ISA_AVX512) {
    PW = 16;
    gemm_fn = gemm_avx512;
    biasSilu_fn = biasSilu_avx512;
    siluBackward_fn = siluBackward_avx512;
    residualNorm_fn = residualNorm_avx512;
    normBackward_fn = normBackward_avx512;
  } else if (isa == ISA_AVX2) {
    PW = 8;
    gemm_fn = gemm_avx2;
    biasSilu_fn = biasSilu_avx2;
    siluBackward_fn = siluBackward_avx2;
    residualNorm_fn = residualNorm_avx2;
    normBackward_fn = normBackward_avx2;
  }
  napi_property_descriptor methods[] = {
      {"gemm", NULL, k_gemm, NULL, NULL, NULL, napi_default, NULL},
      {"pack", NULL, k_pack, NULL, NULL, NULL, napi_default, NULL},
      {"packTransposed", NULL, k_packTransposed, NULL, NULL, NULL, napi_default, NULL},
      {"biasSilu", NULL, k_biasSilu, NULL, NULL, NULL, napi_default, NULL},
      {"residualNorm", NULL, k_residualNorm, NULL, NULL, NULL, napi_default, NULL},
      {"normBackward", NULL, k_normBackward, NULL, NULL, NULL, napi_default, NULL},
      {"siluBackward", NULL, k_siluBackward, NULL, NULL, NULL, napi_default, NULL},
      {"add3", NULL, k_add3, NULL, NULL, NULL, napi_default, NULL},
      {"addBias", NULL, k_addBias, NULL, NULL, NULL, napi_default, NULL},
      {"columnSums", NULL, k_columnSums, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_value ctor;
  napi_define_class(env, "Memory", NAPI_AUTO_LENGTH, memory_ctor, NULL, sizeof(methods) / sizeof(methods[0]), methods, &ctor);
  napi_set_named_property(env, exports, "Memory", ctor);
  napi_set_named_property(env, exports, "isa", make_string(env, ISA_NAMES[isa]));
  napi_value pw;
  napi_create_int32(env, PW, &pw);
  napi_set_named_property(env, exports, "panelWidth", pw);
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
