// exp over arrays of float64 and float32, vectorised with AVX2 and AVX-512 chosen at run time, and
// bit-identical on every path, so that results (and the library's tests) do not depend on the machine.
//
// Method (the shape of ARM's optimized-routines and SLEEF, sized for in-register tables):
//   exp(x) = 2^m · 2^(j/8) · exp(r),  k = round(x·8/ln2), m = floor(k/8), j = k mod 8,
//   r = x − k·(ln2/8), |r| <= ln2/16 ≈ 0.0433.
// - k comes from the shift trick: in t + 1.5·2^52 (t = x·8/ln2) the addition rounds t to an integer
//   (to nearest even) that sits in the low bits of the double, where j (the low 3 bits) and m (the bits
//   above) are read as integers without a conversion instruction. The vector paths round t with
//   vroundpd instead of subtracting 1.5·2^52 back (same value, shorter dependency chain).
// - r is reduced Cody–Waite style: ln2/8 is split into a high part with 38 significant bits, so that
//   k·high is exact (|k| < 2^14 after clamping) and x − k·high is exact (Sterbenz), and a low part
//   subtracted after; r's own rounding error is below 2^-58.
// - 2^(j/8) is T_j (the nearest double) times 1 + t_j, t_j its relative error, from 8-entry tables.
//   Eight entries are what one vpermd (AVX2, 32-bit words: two lookups and a blend per double) or one
//   vpermpd (AVX-512) finds in a register. Gathers from a larger table would shorten the polynomial
//   but cost more than they save (on AMD Zen 5 the two 4-wide gathers alone take 0.8 ns per value,
//   more than this whole function), and with no table at all (|r| <= ln2/2) the polynomial needs
//   degree 11, plus extra work to stay within 1 ulp.
// - exp(r) − 1 − r = r²·q(r), q of degree 5 (so exp(r) of degree 7), its coefficients the weighted
//   minimax fit of q to (e^r − 1 − r)/r² on |r| <= ln2/16 that minimises the relative error of
//   1 + r + r²q(r): Remez exchange in 256-bit mpmath, coefficients rounded to double, maximum relative
//   error 4.9e-18 = 2^-57.5 after rounding (0.04 ulp). Taylor coefficients would need degree 8.
//   Evaluated Estrin-style (a few more multiplications than Horner, a much shorter chain).
// - y1 = T_j + T_j·u, u = (t_j + r) + r²q, lies in [0.95, 1.92]: the last addition rounds once, and
//   everything added to T_j is below 0.045·T_j, so the earlier roundings add about 0.1 ulp:
//   0.63 ulp at most measured over normal results, with no double-double step.
// - Then the result is y1·2^m. The full-range version, which the portable path always runs: x below
//   -745.2 (exp rounds to +0) becomes -1418, whose two scale factors below are +0, so such lanes
//   cost no subnormal arithmetic; x above 710 becomes 710, which overflows to +inf as it should; then
//   y1 is multiplied by 2^floor(m/2) (exact, normal) and by 2^(m − floor(m/2)), which rounds once,
//   correctly, into the subnormal range (0.78 ulp at most there, from the double rounding). NaN
//   passes every step and comes out as a quiet NaN; -inf gives +0, +inf gives +inf.
//   The vector paths take a shorter way for vectors whose k are all well inside the range (see
//   EXP_F64_FAST): the same bits, since scaling a normal result by a power of two is exact.
// Float32 is the same in float arithmetic (no double anywhere): 8/ln2, ln2/8 split with a 13-bit high
// part, tables of floats, q of degree 2 (exp(r) of degree 4, minimax error 1.9e-10 after rounding the
// coefficients to float, 0.003 ulp), and m added to y1's exponent field for |x| <= 87: 0.62 ulp at
// most over all normal results, 0.78 over subnormal ones (all 2^32 inputs checked).
//
// Identical results on every path: each kernel is written once below, as a macro over ADD, MUL, ...,
// and expanded for plain C (the portable path, and the only one off x86-64), AVX2 and AVX-512, so that
// every path performs the same IEEE operations on the same values. Nothing may fuse a multiply and an
// add (an FMA rounds once where the portable code rounds twice): contraction is off for this file,
// the AVX2 functions are compiled for "avx2" without "fma", and for AVX-512 (which implies FMA in the
// compiler) no FMA is emitted with contraction off (scripts/check-exp checks the object code).
// The results assume the default floating-point environment (round to nearest, no flush-to-zero), and
// a build without -ffast-math or -ffp-contract=fast (which overrides the pragma).
// The wide versions are compiled through target attributes rather than compiler flags (SwiftPM refuses
// unsafe flags in a dependency), and dnn_exp_f64/f32 choose one per process with
// __builtin_cpu_supports, which also checks that the OS saves the wide registers.
// scripts/check-exp measures the errors, compares the paths bit for bit and times them.
#include "vector_math.h"

#include <stdint.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

// The per-path entry points are exported only for the check (built with -DDNN_VECTOR_MATH_TESTING).
#ifdef DNN_VECTOR_MATH_TESTING
#define DNN_PATH
#else
#define DNN_PATH static
#endif

// ---- float64 constants ----

static const double kInvLn2N64 = 0x1.71547652b82fep+3;  // 8/ln2
static const double kShift64 = 0x1.8p52;                // adding it rounds to an integer
static const double kLn2HiN64 = 0x1.62e42fefa0000p-4;   // ln2/8, 38 significant bits
static const double kLn2LoN64 = 0x1.cf79abc9e3b3ap-43;  // ln2/8 - kLn2HiN64
// q(r) = c2 + c3 r + ... + c7 r^5 (weighted minimax on |r| <= ln2/16, see above)
static const double kC2 = 0x1.0000000000115p-1, kC3 = 0x1.55555555555d0p-3,
                    kC4 = 0x1.555555471342cp-5, kC5 = 0x1.1111110abad2dp-7,
                    kC6 = 0x1.6c1d00cea5f11p-10, kC7 = 0x1.a01f8f4b1a4c5p-13;
// 2^(j/8) rounded to nearest, and (2^(j/8) - that) / that to within 2^-75, chosen with equal high and
// low 32-bit words (so AVX2 finds either word of it with one vpermd, see avx2_words).
static const double kExp2Table64[8] = {
    0x1.0000000000000p+0, 0x1.172b83c7d517bp+0, 0x1.306fe0a31b715p+0, 0x1.4bfdad5362a27p+0,
    0x1.6a09e667f3bcdp+0, 0x1.8ace5422aa0dbp+0, 0x1.ae89f995ad3adp+0, 0x1.d5818dcfba487p+0,
};
static const double kExp2Tail64[8] = {
    0x0.0p+0,               -0x1.01b15bc801b15p-55, 0x1.34d753c834d75p-55, 0x1.690ce3c7690cep-56,
    -0x1.3b3efbc93b3efp-54, 0x1.db72f3c8db72fp-55,  0x1.c1a773c8c1a77p-55, 0x1.4a3853c74a385p-56,
};
static const double kZeroBelow64 = -745.2;  // exp(x) < 2^-1075 below: rounds to +0
static const double kZeroInput64 = -1418.0; // gives m = -2046: both scale factors +0
static const double kInfInput64 = 710.0;    // exp(710) overflows to +inf
// (bits of x·8/ln2 + kShift64) >> 3 is (bits of kShift64 >> 3) + m; adding this gives m + 2046 >= 0.
#define EXP_BIAS64 ((uint64_t)2046 - (UINT64_C(0x4338000000000000) >> 3))

// t = x·8/ln2 and ki, the bits of t + 1.5·2^52, which hold k = round(t) in their low bits.
#define EXP_F64_SHIFT                                                                              \
    V t = MUL(x, SPLAT(kInvLn2N64));                                                               \
    V shifted = ADD(t, SPLAT(kShift64));                                                           \
    I ki = BITS(shifted);

// u = t_j + r + r²q(r), so that exp(x) = 2^m · T_j · (1 + u).
#define EXP_F64_CORE                                                                               \
    V kd = RINT(t, shifted, kShift64);                                                             \
    V r = SUB(SUB(x, MUL(kd, SPLAT(kLn2HiN64))), MUL(kd, SPLAT(kLn2LoN64)));                       \
    V r2 = MUL(r, r);                                                                              \
    V r4 = MUL(r2, r2);                                                                            \
    V a0 = ADD(SPLAT(kC2), MUL(r, SPLAT(kC3)));                                                    \
    V a1 = ADD(SPLAT(kC4), MUL(r, SPLAT(kC5)));                                                    \
    V a2 = ADD(SPLAT(kC6), MUL(r, SPLAT(kC7)));                                                    \
    V q = ADD(ADD(a0, MUL(r2, a1)), MUL(r4, a2));                                                  \
    V u = ADD(ADD(TAIL(ki), r), MUL(r2, q));

// Every input: clamp, y1 = T_j + T_j·u in [0.95, 1.92], then scale by 2^floor(m/2) and
// 2^(m - floor(m/2)).
#define EXP_F64_FULL                                                                               \
    x = BELOW(x, kZeroBelow64, kZeroInput64);                                                      \
    x = MINC(x, kInfInput64);                                                                      \
    EXP_F64_SHIFT                                                                                  \
    EXP_F64_CORE                                                                                   \
    V tj = TABLE(ki);                                                                              \
    V y1 = ADD(tj, MUL(tj, u));                                                                    \
    I e = IADD(SRL(ki, 3), SPLATI(EXP_BIAS64));                                                    \
    I h = SRL(e, 1);                                                                               \
    return MUL(MUL(y1, FROMBITS(SHL(h, 52))), FROMBITS(SHL(ISUB(e, h), 52)));

// Vector paths, for inputs with 2^-961 <= 2^m <= 2^961 only (after EXP_F64_SHIFT and a check):
// s = T_j·2^m built as an integer, from a table of bits(T_j) - (j << 49) plus k << 49
// (= (m << 52) + (j << 49)), then s + s·u. That is the same value as (T_j + T_j·u)·2^m, rounded the
// same way: s·u is (T_j·u)·2^m exactly while it is normal, and when it is not (|u| < 2^-61, since
// s >= 2^-961) it is below 1/256 ulp of s, and both round to s. One operation fewer than scaling y1.
#define EXP_F64_FAST                                                                               \
    EXP_F64_CORE                                                                                   \
    V s = FROMBITS(IADD(BITS(TABLE_ADJ(ki)), SHL(ki, 49)));                                        \
    return ADD(s, MUL(s, u));

// ---- float32 constants ----

static const float kInvLn2N32 = 0x1.715476p+3f;  // 8/ln2
static const float kShift32 = 0x1.8p23f;
static const float kLn2HiN32 = 0x1.62ep-4f;      // ln2/8, 13 significant bits (|k| < 2^11)
static const float kLn2LoN32 = 0x1.0bfbe8p-18f;  // ln2/8 - kLn2HiN32
// q(r) = d2 + d3 r + d4 r^2 (weighted minimax on |r| <= ln2/16, as for float64)
static const float kD2 = 0x1p-1f, kD3 = 0x1.555c78p-3f, kD4 = 0x1.55484p-5f;
// 2^(j/8) rounded to nearest float, and the relative error of that rounded to float
static const float kExp2Table32[8] = {
    0x1p+0f, 0x1.172b84p+0f, 0x1.306fep+0f, 0x1.4bfdaep+0f,
    0x1.6a09e6p+0f, 0x1.8ace54p+0f, 0x1.ae89fap+0f, 0x1.d5818ep+0f,
};
static const float kExp2Tail32[8] = {
    0x0p+0f, -0x1.9c0c22p-27f, 0x1.125002p-25f, -0x1.0a3550p-25f,
    0x1.26055cp-26f, 0x1.67a1cap-28f, -0x1.f9c304p-27f, -0x1.a5217cp-28f,
};
static const float kZeroBelow32 = -104.0f;  // exp(x) < 2^-150 below: rounds to +0
static const float kZeroInput32 = -176.0f;  // gives m = -254: both scale factors +0
static const float kInfInput32 = 89.0f;     // exp(89) overflows to +inf
#define EXP_BIAS32 ((uint32_t)254 - (UINT32_C(0x4b400000) >> 3))

// y1 = T_j + T_j·((t_j + r) + r²q) in [0.95, 1.92] and ki, as for float64.
#define EXP_F32_CORE                                                                               \
    V t = MUL(x, SPLAT(kInvLn2N32));                                                               \
    V shifted = ADD(t, SPLAT(kShift32));                                                           \
    I ki = BITS(shifted);                                                                          \
    V kd = RINT(t, shifted, kShift32);                                                             \
    V r = SUB(SUB(x, MUL(kd, SPLAT(kLn2HiN32))), MUL(kd, SPLAT(kLn2LoN32)));                       \
    V r2 = MUL(r, r);                                                                              \
    V q = ADD(ADD(SPLAT(kD2), MUL(r, SPLAT(kD3))), MUL(r2, SPLAT(kD4)));                           \
    V u = ADD(ADD(TAIL(ki), r), MUL(r2, q));                                                       \
    V tj = TABLE(ki);                                                                              \
    V y1 = ADD(tj, MUL(tj, u));

// Every input, as EXP_F64_FULL.
#define EXP_F32_FULL                                                                               \
    x = BELOW(x, kZeroBelow32, kZeroInput32);                                                      \
    x = MINC(x, kInfInput32);                                                                      \
    EXP_F32_CORE                                                                                   \
    I e = IADD(SRL(ki, 3), SPLATI(EXP_BIAS32));                                                    \
    I h = SRL(e, 1);                                                                               \
    return MUL(MUL(y1, FROMBITS(SHL(h, 23))), FROMBITS(SHL(ISUB(e, h), 23)));

// Vector paths, |x| <= kFastBound32 on all lanes: m added to the exponent field (exact).
#define EXP_F32_FAST                                                                               \
    EXP_F32_CORE                                                                                   \
    return FROMBITS(IADD(BITS(y1), SHL(SRL(ki, 3), 23)));

// ---- portable path: plain C, one value at a time, always the full-range version ----

static inline uint64_t bits64(double v) { uint64_t i; memcpy(&i, &v, sizeof i); return i; }
static inline double double64(uint64_t i) { double v; memcpy(&v, &i, sizeof v); return v; }
static inline uint32_t bits32(float v) { uint32_t i; memcpy(&i, &v, sizeof i); return i; }
static inline float float32(uint32_t i) { float v; memcpy(&v, &i, sizeof v); return v; }

#define ADD(a, b) ((a) + (b))
#define SUB(a, b) ((a) - (b))
#define MUL(a, b) ((a) * (b))
#define SPLAT(c) (c)
#define SPLATI(c) (c)
#define IADD(a, b) ((a) + (b))
#define ISUB(a, b) ((a) - (b))
#define SRL(i, n) ((i) >> (n))
#define SHL(i, n) ((i) << (n))
#define BELOW(v, c, z) ((v) < (c) ? (z) : (v)) // NaN compares false: kept
#define MINC(v, c) ((v) > (c) ? (c) : (v))
#define RINT(t, shifted, shift) ((shifted) - (shift)) // t rounded to nearest even

#define V double
#define I uint64_t
#define BITS bits64
#define FROMBITS double64
#define TABLE(i) kExp2Table64[(i) & 7]
#define TAIL(i) kExp2Tail64[(i) & 7]
static inline double exp_f64_1(double x) { EXP_F64_FULL }
#undef V
#undef I
#undef BITS
#undef FROMBITS
#undef TABLE
#undef TAIL

#define V float
#define I uint32_t
#define BITS bits32
#define FROMBITS float32
#define TABLE(i) kExp2Table32[(i) & 7]
#define TAIL(i) kExp2Tail32[(i) & 7]
static inline float exp_f32_1(float x) { EXP_F32_FULL }
#undef V
#undef I
#undef BITS
#undef FROMBITS
#undef TABLE
#undef TAIL

#undef ADD
#undef SUB
#undef MUL
#undef SPLAT
#undef SPLATI
#undef IADD
#undef ISUB
#undef SRL
#undef SHL
#undef BELOW
#undef MINC
#undef RINT

DNN_PATH void dnn_exp_f64_scalar(const double *x, double *y, long n) {
    for (long i = 0; i < n; i++) y[i] = exp_f64_1(x[i]);
}

DNN_PATH void dnn_exp_f32_scalar(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) y[i] = exp_f32_1(x[i]);
}

#if defined(__x86_64__)

// ---- AVX2 path: 4 doubles / 8 floats per vector ----

static const double kFastBound64 = 666.0;  // AVX-512, |x| <= this: 2^-961 <= 2^m <= 2^961
static const float kFastBound32 = 87.0f;   // |x| <= this: the result is normal

#define AVX2 __attribute__((target("avx2")))

// A table as a vector of the low (high = 0) or the high (high = 1) 32-bit words of its 8 doubles.
// vpermd selects 32-bit elements by the low 3 bits of each index, so T_j for 4 lanes takes two of
// them and a blend: the low words indexed by ki, whose low word holds k, and the high words indexed
// by ki with its low words duplicated into the high ones (vmovsldup, which unlike a shift does not
// compete with the additions for a port on AMD Zen). The tails have equal high and low words, so the
// duplicated index alone finds them.
static inline AVX2 __m256i avx2_words(const double *table, int high) {
    __m256i idx = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    idx = _mm256_add_epi32(idx, _mm256_set1_epi32(high));
    __m256i a = _mm256_permutevar8x32_epi32(_mm256_loadu_si256((const __m256i *)table), idx);
    __m256i b = _mm256_permutevar8x32_epi32(_mm256_loadu_si256((const __m256i *)(table + 4)), idx);
    return _mm256_blend_epi32(a, b, 0xf0);
}

#define V __m256d
#define I __m256i
#define ADD _mm256_add_pd
#define SUB _mm256_sub_pd
#define MUL _mm256_mul_pd
#define SPLAT _mm256_set1_pd
#define SPLATI(c) _mm256_set1_epi64x((long long)(c))
#define IADD _mm256_add_epi64
#define ISUB _mm256_sub_epi64
#define SRL _mm256_srli_epi64
#define SHL _mm256_slli_epi64
#define BITS _mm256_castpd_si256
#define FROMBITS _mm256_castsi256_pd
#define BELOW(v, c, z) _mm256_blendv_pd(v, _mm256_set1_pd(z), _mm256_cmp_pd(v, _mm256_set1_pd(c), _CMP_LT_OQ))
#define MINC(v, c) _mm256_min_pd(_mm256_set1_pd(c), v) // NaN in the second operand: kept
#define RINT(t, shifted, shift) _mm256_round_pd(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define DUP(i) _mm256_castps_si256(_mm256_moveldup_ps(_mm256_castsi256_ps(i)))
#define LOOKUP(i, high)                                                                            \
    _mm256_castsi256_pd(_mm256_blend_epi32(_mm256_permutevar8x32_epi32(tables->lo, i),             \
                                           _mm256_permutevar8x32_epi32(high, DUP(i)), 0xaa))
#define TABLE(i) LOOKUP(i, tables->hi)
#define TABLE_ADJ(i) LOOKUP(i, tables->hi_adj)
#define TAIL(i) _mm256_castsi256_pd(_mm256_permutevar8x32_epi32(tables->tail, DUP(i)))
typedef struct { __m256i lo, hi, hi_adj, tail; } avx2_tables;
static inline AVX2 __m256d exp_f64_avx2_full(__m256d x, const avx2_tables *tables) { EXP_F64_FULL }

static inline AVX2 __m256i exp_f64_avx2_shift(__m256d x, __m256d *t_out, __m256d *shifted_out) {
    EXP_F64_SHIFT
    *t_out = t;
    *shifted_out = shifted;
    return ki;
}
static inline AVX2 __m256d exp_f64_avx2_fast(__m256d x, __m256d t, __m256d shifted, __m256i ki,
                                             const avx2_tables *tables) {
    (void)shifted;  // RINT rounds t directly here
    EXP_F64_FAST
}
#undef V
#undef I
#undef ADD
#undef SUB
#undef MUL
#undef SPLAT
#undef SPLATI
#undef IADD
#undef ISUB
#undef SRL
#undef SHL
#undef BITS
#undef FROMBITS
#undef BELOW
#undef MINC
#undef RINT
#undef DUP
#undef LOOKUP
#undef TABLE
#undef TABLE_ADJ
#undef TAIL

// The fast version applies when k + 4096 is in [0, 8191] (about |x| < 354.8) on all lanes, which one
// vptest of ki's high bits finds (NaN, infinities and huge inputs give other bits in ki and fail it).
// The main loop tests 8 values at a time: one test and branch per 8 rather than per 4 values saves
// about 6 %.
#define AVX2_WINDOW(ki) _mm256_add_epi64(ki, _mm256_set1_epi64x((long long)(4096 - UINT64_C(0x4338000000000000))))
#define AVX2_IN_WINDOW(w) _mm256_testz_si256(w, _mm256_set1_epi64x(~8191LL))

static inline AVX2 __m256d exp_f64_avx2(__m256d x, const avx2_tables *tables) {
    __m256d t, shifted;
    __m256i ki = exp_f64_avx2_shift(x, &t, &shifted);
    if (AVX2_IN_WINDOW(AVX2_WINDOW(ki))) return exp_f64_avx2_fast(x, t, shifted, ki, tables);
    return exp_f64_avx2_full(x, tables);
}

DNN_PATH AVX2 void dnn_exp_f64_avx2(const double *x, double *y, long n) {
    avx2_tables tables;
    tables.lo = avx2_words(kExp2Table64, 0);
    tables.hi = avx2_words(kExp2Table64, 1);
    // bits(T_j) - (j << 49): j << 17 in the high word
    tables.hi_adj = _mm256_sub_epi32(tables.hi, _mm256_slli_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), 17));
    tables.tail = avx2_words(kExp2Tail64, 1);
    long i = 0;
    for (; i <= n - 8; i += 8) {
        __m256d xa = _mm256_loadu_pd(x + i), xb = _mm256_loadu_pd(x + i + 4), ta, tb, sa, sb;
        __m256i ka = exp_f64_avx2_shift(xa, &ta, &sa), kb = exp_f64_avx2_shift(xb, &tb, &sb);
        __m256d ya, yb;
        if (AVX2_IN_WINDOW(_mm256_or_si256(AVX2_WINDOW(ka), AVX2_WINDOW(kb)))) {
            ya = exp_f64_avx2_fast(xa, ta, sa, ka, &tables);
            yb = exp_f64_avx2_fast(xb, tb, sb, kb, &tables);
        } else {
            ya = exp_f64_avx2_full(xa, &tables);
            yb = exp_f64_avx2_full(xb, &tables);
        }
        _mm256_storeu_pd(y + i, ya);
        _mm256_storeu_pd(y + i + 4, yb);
    }
    if (i + 4 <= n) {
        _mm256_storeu_pd(y + i, exp_f64_avx2(_mm256_loadu_pd(x + i), &tables));
        i += 4;
    }
    if (i < n) {  // the last 1-3 values, masked (the other lanes compute exp(0))
        __m256i mask = _mm256_cmpgt_epi64(_mm256_set1_epi64x(n - i), _mm256_setr_epi64x(0, 1, 2, 3));
        _mm256_maskstore_pd(y + i, mask, exp_f64_avx2(_mm256_maskload_pd(x + i, mask), &tables));
    }
}

#define V __m256
#define I __m256i
#define ADD _mm256_add_ps
#define SUB _mm256_sub_ps
#define MUL _mm256_mul_ps
#define SPLAT _mm256_set1_ps
#define SPLATI(c) _mm256_set1_epi32((int)(c))
#define IADD _mm256_add_epi32
#define ISUB _mm256_sub_epi32
#define SRL _mm256_srli_epi32
#define SHL _mm256_slli_epi32
#define BITS _mm256_castps_si256
#define FROMBITS _mm256_castsi256_ps
#define BELOW(v, c, z) _mm256_blendv_ps(v, _mm256_set1_ps(z), _mm256_cmp_ps(v, _mm256_set1_ps(c), _CMP_LT_OQ))
#define MINC(v, c) _mm256_min_ps(_mm256_set1_ps(c), v)
#define RINT(t, shifted, shift) _mm256_round_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define TABLE(i) _mm256_permutevar8x32_ps(table, i)
#define TAIL(i) _mm256_permutevar8x32_ps(tail, i)
static inline AVX2 __m256 exp_f32_avx2_full(__m256 x, __m256 table, __m256 tail) { EXP_F32_FULL }
static inline AVX2 __m256 exp_f32_avx2_fast(__m256 x, __m256 table, __m256 tail) { EXP_F32_FAST }
#undef V
#undef I
#undef ADD
#undef SUB
#undef MUL
#undef SPLAT
#undef SPLATI
#undef IADD
#undef ISUB
#undef SRL
#undef SHL
#undef BITS
#undef FROMBITS
#undef BELOW
#undef MINC
#undef RINT
#undef TABLE
#undef TAIL

static inline AVX2 __m256 exp_f32_avx2(__m256 x, __m256 table, __m256 tail) {
    __m256 ax = _mm256_and_ps(x, _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff)));
    __m256 ok = _mm256_cmp_ps(ax, _mm256_set1_ps(kFastBound32), _CMP_LE_OQ);
    if (_mm256_movemask_ps(ok) == 0xff) return exp_f32_avx2_fast(x, table, tail);
    return exp_f32_avx2_full(x, table, tail);
}

DNN_PATH AVX2 void dnn_exp_f32_avx2(const float *x, float *y, long n) {
    __m256 table = _mm256_loadu_ps(kExp2Table32), tail = _mm256_loadu_ps(kExp2Tail32);
    long i = 0;
    for (; i <= n - 8; i += 8)
        _mm256_storeu_ps(y + i, exp_f32_avx2(_mm256_loadu_ps(x + i), table, tail));
    if (i < n) {
        __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n - i)),
                                          _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        _mm256_maskstore_ps(y + i, mask, exp_f32_avx2(_mm256_maskload_ps(x + i, mask), table, tail));
    }
}

// ---- AVX-512 path: 8 doubles / 16 floats per vector ----

#define AVX512 __attribute__((target("avx512f")))

#define V __m512d
#define I __m512i
#define ADD _mm512_add_pd
#define SUB _mm512_sub_pd
#define MUL _mm512_mul_pd
#define SPLAT _mm512_set1_pd
#define SPLATI(c) _mm512_set1_epi64((long long)(c))
#define IADD _mm512_add_epi64
#define ISUB _mm512_sub_epi64
#define SRL _mm512_srli_epi64
#define SHL _mm512_slli_epi64
#define BITS _mm512_castpd_si512
#define FROMBITS _mm512_castsi512_pd
#define BELOW(v, c, z) _mm512_mask_mov_pd(v, _mm512_cmp_pd_mask(v, _mm512_set1_pd(c), _CMP_LT_OQ), _mm512_set1_pd(z))
#define MINC(v, c) _mm512_min_pd(_mm512_set1_pd(c), v)
#define RINT(t, shifted, shift) _mm512_roundscale_pd(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define TABLE(i) _mm512_permutexvar_pd(i, table) // vpermpd: the low 3 bits of each index
#define TABLE_ADJ(i) _mm512_permutexvar_pd(i, table_adj)
#define TAIL(i) _mm512_permutexvar_pd(i, tail)
static inline AVX512 __m512d exp_f64_avx512_full(__m512d x, __m512d table, __m512d tail) { EXP_F64_FULL }
static inline AVX512 __m512d exp_f64_avx512_fast(__m512d x, __m512d table_adj, __m512d tail) { EXP_F64_SHIFT EXP_F64_FAST }
#undef V
#undef I
#undef ADD
#undef SUB
#undef MUL
#undef SPLAT
#undef SPLATI
#undef IADD
#undef ISUB
#undef SRL
#undef SHL
#undef BITS
#undef FROMBITS
#undef BELOW
#undef MINC
#undef RINT
#undef TABLE
#undef TABLE_ADJ
#undef TAIL

// The fast version when |x| <= 666 on all lanes (a compare into a mask register is cheap here).
static inline AVX512 __m512d exp_f64_avx512(__m512d x, __m512d table, __m512d table_adj, __m512d tail) {
    __mmask8 ok = _mm512_cmp_pd_mask(_mm512_abs_pd(x), _mm512_set1_pd(kFastBound64), _CMP_LE_OQ);
    if (ok == 0xff) return exp_f64_avx512_fast(x, table_adj, tail);
    return exp_f64_avx512_full(x, table, tail);
}

DNN_PATH AVX512 void dnn_exp_f64_avx512(const double *x, double *y, long n) {
    __m512d table = _mm512_loadu_pd(kExp2Table64), tail = _mm512_loadu_pd(kExp2Tail64);
    __m512d table_adj = _mm512_castsi512_pd(_mm512_sub_epi64(  // bits(T_j) - (j << 49)
        _mm512_castpd_si512(table), _mm512_slli_epi64(_mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7), 49)));
    long i = 0;
    for (; i <= n - 8; i += 8)
        _mm512_storeu_pd(y + i, exp_f64_avx512(_mm512_loadu_pd(x + i), table, table_adj, tail));
    if (i < n) {
        __mmask8 mask = (__mmask8)((1u << (n - i)) - 1);
        _mm512_mask_storeu_pd(y + i, mask, exp_f64_avx512(_mm512_maskz_loadu_pd(mask, x + i), table, table_adj, tail));
    }
}

#define V __m512
#define I __m512i
#define ADD _mm512_add_ps
#define SUB _mm512_sub_ps
#define MUL _mm512_mul_ps
#define SPLAT _mm512_set1_ps
#define SPLATI(c) _mm512_set1_epi32((int)(c))
#define IADD _mm512_add_epi32
#define ISUB _mm512_sub_epi32
#define SRL _mm512_srli_epi32
#define SHL _mm512_slli_epi32
#define BITS _mm512_castps_si512
#define FROMBITS _mm512_castsi512_ps
#define BELOW(v, c, z) _mm512_mask_mov_ps(v, _mm512_cmp_ps_mask(v, _mm512_set1_ps(c), _CMP_LT_OQ), _mm512_set1_ps(z))
#define MINC(v, c) _mm512_min_ps(_mm512_set1_ps(c), v)
#define RINT(t, shifted, shift) _mm512_roundscale_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define TABLE(i) _mm512_permutexvar_ps(i, table) // the 8 entries twice: the low 4 bits index
#define TAIL(i) _mm512_permutexvar_ps(i, tail)
static inline AVX512 __m512 exp_f32_avx512_full(__m512 x, __m512 table, __m512 tail) { EXP_F32_FULL }
static inline AVX512 __m512 exp_f32_avx512_fast(__m512 x, __m512 table, __m512 tail) { EXP_F32_FAST }
#undef V
#undef I
#undef ADD
#undef SUB
#undef MUL
#undef SPLAT
#undef SPLATI
#undef IADD
#undef ISUB
#undef SRL
#undef SHL
#undef BITS
#undef FROMBITS
#undef BELOW
#undef MINC
#undef RINT
#undef TABLE
#undef TAIL

static inline AVX512 __m512 exp_f32_avx512(__m512 x, __m512 table, __m512 tail) {
    __mmask16 ok = _mm512_cmp_ps_mask(_mm512_abs_ps(x), _mm512_set1_ps(kFastBound32), _CMP_LE_OQ);
    if (ok == 0xffff) return exp_f32_avx512_fast(x, table, tail);
    return exp_f32_avx512_full(x, table, tail);
}

// vpermps indexes 16 entries by the low 4 bits: the 8-entry table twice.
static inline AVX512 __m512 twice(const float *table8) {
    __m256d t = _mm256_castps_pd(_mm256_loadu_ps(table8));
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castpd256_pd512(t), t, 1));
}

DNN_PATH AVX512 void dnn_exp_f32_avx512(const float *x, float *y, long n) {
    __m512 table = twice(kExp2Table32), tail = twice(kExp2Tail32);
    long i = 0;
    for (; i <= n - 16; i += 16)
        _mm512_storeu_ps(y + i, exp_f32_avx512(_mm512_loadu_ps(x + i), table, tail));
    if (i < n) {
        __mmask16 mask = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(y + i, mask, exp_f32_avx512(_mm512_maskz_loadu_ps(mask, x + i), table, tail));
    }
}

// ---- dispatch ----

// 0 = portable, 1 = AVX2, 2 = AVX-512; -1 until the first call looks (a benign race: every thread
// finds the same answer).
static int simd_level = -1;

static int cpu_level(void) {
    int level = __atomic_load_n(&simd_level, __ATOMIC_RELAXED);
    if (level < 0) {
        __builtin_cpu_init();
        level = __builtin_cpu_supports("avx512f") ? 2 : __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&simd_level, level, __ATOMIC_RELAXED);
    }
    return level;
}

void dnn_exp_f64(const double *x, double *y, long n) {
    switch (cpu_level()) {
    case 2: dnn_exp_f64_avx512(x, y, n); break;
    case 1: dnn_exp_f64_avx2(x, y, n); break;
    default: dnn_exp_f64_scalar(x, y, n);
    }
}

void dnn_exp_f32(const float *x, float *y, long n) {
    switch (cpu_level()) {
    case 2: dnn_exp_f32_avx512(x, y, n); break;
    case 1: dnn_exp_f32_avx2(x, y, n); break;
    default: dnn_exp_f32_scalar(x, y, n);
    }
}

#else

void dnn_exp_f64(const double *x, double *y, long n) { dnn_exp_f64_scalar(x, y, n); }
void dnn_exp_f32(const float *x, float *y, long n) { dnn_exp_f32_scalar(x, y, n); }

#endif
