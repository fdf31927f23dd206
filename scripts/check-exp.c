// Test program for Sources/CVectorMath (dnn_exp_f64, dnn_exp_f32), built and run by scripts/check-exp.
// Every input goes through every path the CPU has (portable, AVX2, AVX-512) and through the public,
// dispatching function; their results must agree bit for bit. The portable path's error is measured
// in ulp against a reference: expl (x87 long double, 64-bit significand, so exact to about 2^-11 ulp
// of a double) for float64, and glibc's exp of the value widened to double (< 1 ulp of a double, so
// exact to 2^-29 ulp of a float) for float32. The error is |y - exact| / ulp(exact), the ulp taken at
// the result's precision (2^-1074 / 2^-149 for subnormal results; +inf counts as 2^1024 / 2^128, and
// is exact beyond that). glibc's own exp/expf are measured alongside for comparison.
// Exits 1 if an error exceeds 2 ulp, two paths differ, or a special value is wrong.
//
//   check-exp [count]          count random inputs per set (default 10^7), all 2^32 floats
//   check-exp [count] quick    the same with floats sampled (count of them)
//   check-exp [count] digest   only a digest of the portable results on the quick sets, to compare builds
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vector_math.h"

typedef void (*f64_fn)(const double *, double *, long);
typedef void (*f32_fn)(const float *, float *, long);

enum { block = 4096, max_paths = 4 };
static const char *path_names[max_paths];
static f64_fn paths64[max_paths];
static f32_fn paths32[max_paths];
static int npaths;
static int failed, digest_only;
static long long mismatches, compared;
static uint64_t digest = 0xcbf29ce484222325ull;  // FNV-1a over the portable results

static void add_digest(const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) digest = (digest ^ b[i]) * 0x100000001b3ull;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t next_u64(void) {  // splitmix64
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static double uniform(double a, double b) { return a + (b - a) * ((double)(next_u64() >> 11) * 0x1p-53); }

static void glibc_exp64(const double *x, double *y, long n) {
    for (long i = 0; i < n; i++) y[i] = exp(x[i]);
}
static void glibc_exp32(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) y[i] = expf(x[i]);
}

// ---- errors ----

typedef struct {
    const char *what;
    double max_err, worst_x, glibc_max;
    long long count, not_rounded, over_one;
} stats;

static double ulp_error64(double x, double y, long double ref) {
    if (isnan(x)) return isnan(y) ? 0 : INFINITY;
    if (isnan(y)) return INFINITY;
    if (ref >= 0x1p1024L) return y == INFINITY ? 0 : INFINITY;  // correctly rounded: +inf
    long double yl = isinf(y) ? 0x1p1024L : (long double)y;
    int e;
    frexpl(ref, &e);  // ref in [2^(e-1), 2^e)
    int q = ref == 0 || e - 1 < -1022 ? -1074 : e - 1 - 52;
    return (double)(fabsl(yl - ref) / ldexpl(1.0L, q));
}

static double ulp_error32(float x, float y, double ref) {
    if (isnan(x)) return isnan(y) ? 0 : INFINITY;
    if (isnan(y)) return INFINITY;
    if (ref >= 0x1p128) return y == INFINITY ? 0 : INFINITY;
    double yd = isinf(y) ? 0x1p128 : (double)y;
    uint64_t bits;
    memcpy(&bits, &ref, sizeof bits);
    int e = (int)((bits >> 52) & 0x7ff) - 1023;  // ref >= 0; 0 and double subnormals give < -126
    int q = e < -126 ? -149 : e - 23;
    uint64_t ulp_bits = (uint64_t)(q + 1023) << 52;
    double ulp;
    memcpy(&ulp, &ulp_bits, sizeof ulp);
    return fabs(yd - ref) / ulp;
}

static void note(stats *s, double x, double err, double glibc_err, int rounded) {
    if (!(err <= s->max_err)) s->max_err = err, s->worst_x = x;
    if (glibc_err > s->glibc_max) s->glibc_max = glibc_err;
    if (!rounded) s->not_rounded++;
    if (!(err <= 1)) s->over_one++;
    s->count++;
}

static void report(const stats *s) {
    if (digest_only || s->count == 0) return;
    printf("  %-50s max %.3f ulp (x = %.17g), %.3f%% not correctly rounded, %lld over 1 ulp;"
           " glibc %.3f\n",
           s->what, s->max_err, s->worst_x, 100.0 * (double)s->not_rounded / (double)s->count,
           s->over_one, s->glibc_max);
    if (!(s->max_err <= 2)) failed = 1;
}

static void compare_paths(const void *x, void *y, size_t size, long n, int is64) {
    for (int p = 1; p < npaths; p++) {
        const char *a = y, *b = (const char *)y + (size_t)p * block * size;
        if (!memcmp(a, b, (size_t)n * size)) continue;
        for (long i = 0; i < n; i++)
            if (memcmp(a + i * size, b + i * size, size) && mismatches++ < 10) {
                if (is64)
                    printf("  MISMATCH f64 x=%a: %s %a, %s %a\n", ((const double *)x)[i], path_names[0],
                           ((const double *)a)[i], path_names[p], ((const double *)b)[i]);
                else
                    printf("  MISMATCH f32 x=%a: %s %a, %s %a\n", ((const float *)x)[i], path_names[0],
                           ((const float *)a)[i], path_names[p], ((const float *)b)[i]);
            }
    }
    compared += n;
}

// Runs every path on x[0..n), compares them, and adds the portable path's errors to s (or to
// `subnormal` for results below DBL_MIN / FLT_MIN, when given).
static void check_block64(const double *x, long n, stats *s, stats *subnormal) {
    static double y[max_paths][block], g[block];
    for (int p = 0; p < npaths; p++) paths64[p](x, y[p], n);
    compare_paths(x, y, sizeof(double), n, 1);
    add_digest(y[0], (size_t)n * sizeof(double));
    if (digest_only) return;
    glibc_exp64(x, g, n);
    for (long i = 0; i < n; i++) {
        long double ref = expl((long double)x[i]);
        stats *t = subnormal && ref < DBL_MIN ? subnormal : s;
        note(t, x[i], ulp_error64(x[i], y[0][i], ref), ulp_error64(x[i], g[i], ref),
             isnan(x[i]) || y[0][i] == (double)ref);
    }
}

static void check_block32(const float *x, long n, stats *s, stats *subnormal) {
    static float y[max_paths][block], g[block];
    for (int p = 0; p < npaths; p++) paths32[p](x, y[p], n);
    compare_paths(x, y, sizeof(float), n, 0);
    add_digest(y[0], (size_t)n * sizeof(float));
    if (digest_only) return;
    glibc_exp32(x, g, n);
    for (long i = 0; i < n; i++) {
        double ref = exp((double)x[i]);
        stats *t = subnormal && ref < FLT_MIN ? subnormal : s;
        note(t, x[i], ulp_error32(x[i], y[0][i], ref), ulp_error32(x[i], g[i], ref),
             isnan(x[i]) || y[0][i] == (float)ref);
    }
}

// Inputs buffered a block at a time.
typedef struct { double x[block]; long n; stats *s, *subnormal; } batch64;
static void add64(batch64 *b, double x) {
    b->x[b->n++] = x;
    if (b->n == block) check_block64(b->x, b->n, b->s, b->subnormal), b->n = 0;
}
static void flush64(batch64 *b) {
    if (b->n) check_block64(b->x, b->n, b->s, b->subnormal), b->n = 0;
}
static void sweep64(batch64 *b, double center, long steps) {  // center and `steps` doubles either side
    double up = center, down = center;
    add64(b, center);
    for (long i = 0; i < steps; i++) {
        up = nextafter(up, INFINITY), down = nextafter(down, -INFINITY);
        add64(b, up), add64(b, down);
    }
}

static void random_set64(stats *s, stats *subnormal, long count, double lo, double hi) {
    static batch64 b;
    b.s = s, b.subnormal = subnormal;
    for (long i = 0; i < count; i++) add64(&b, uniform(lo, hi));
    flush64(&b);
    report(s);
    if (subnormal) report(subnormal);
}

// ---- tails, in place, dispatch ----

static void check_shapes(void) {
    enum { len = 70 };
    double x[len + 8], ref[len + 8], y[len + 8];
    float xf[len + 16], reff[len + 16], yf[len + 16];
    const double sentinel = -1234.5;
    for (int i = 0; i < len + 8; i++) x[i] = uniform(-30, 30);
    for (int i = 0; i < len + 16; i++) xf[i] = (float)uniform(-30, 30);
    x[len / 2] = 500, xf[len / 2] = 95;  // one lane outside the vector paths' fast range
    for (int p = 1; p < npaths; p++)
        for (int off = 0; off < 8; off++)
            for (int n = 0; n <= len; n++) {
                int bad = 0;
                for (int i = 0; i < len + 8; i++) y[i] = sentinel;
                for (int i = 0; i < len + 16; i++) yf[i] = (float)sentinel;
                dnn_exp_f64_scalar(x + off, ref, n);
                paths64[p](x + off, y + off, n);
                bad |= memcmp(ref, y + off, (size_t)n * sizeof(double)) != 0;
                for (int i = 0; i < len + 8; i++) bad |= (i < off || i >= off + n) && y[i] != sentinel;
                memcpy(y, x, sizeof x);  // in place
                paths64[p](y + off, y + off, n);
                bad |= memcmp(ref, y + off, (size_t)n * sizeof(double)) != 0;
                dnn_exp_f32_scalar(xf + off, reff, n);
                paths32[p](xf + off, yf + off, n);
                bad |= memcmp(reff, yf + off, (size_t)n * sizeof(float)) != 0;
                for (int i = 0; i < len + 16; i++) bad |= (i < off || i >= off + n) && yf[i] != (float)sentinel;
                memcpy(yf, xf, sizeof xf);
                paths32[p](yf + off, yf + off, n);
                bad |= memcmp(reff, yf + off, (size_t)n * sizeof(float)) != 0;
                if (bad && mismatches++ < 10)
                    printf("  MISMATCH %s: length %d at offset %d (tail, bounds or in place)\n", path_names[p], n, off);
            }
}

static void check_specials(void) {
    double x[] = {NAN, -NAN, INFINITY, -INFINITY, 0.0, -0.0, 709.8, -745.2, DBL_TRUE_MIN, 1e308, -1e308}, y[11];
    float xf[] = {NAN, -NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 88.73f, -104.0f, FLT_TRUE_MIN, 1e38f, -1e38f}, yf[11];
    for (int p = 0; p < npaths; p++) {
        paths64[p](x, y, 11);
        paths32[p](xf, yf, 11);
        int ok = isnan(y[0]) && isnan(y[1]) && y[2] == INFINITY && y[3] == 0 && !signbit(y[3]) && y[4] == 1 &&
                 y[5] == 1 && y[6] == INFINITY && y[7] == 0 && !signbit(y[7]) && y[8] == 1 &&
                 y[9] == INFINITY && y[10] == 0 && !signbit(y[10]);
        ok &= isnan(yf[0]) && isnan(yf[1]) && yf[2] == INFINITY && yf[3] == 0 && !signbit(yf[3]) && yf[4] == 1 &&
              yf[5] == 1 && yf[6] == INFINITY && yf[7] == 0 && !signbit(yf[7]) && yf[8] == 1 &&
              yf[9] == INFINITY && yf[10] == 0 && !signbit(yf[10]);
        if (!ok) {
            printf("  WRONG special value (NaN -> NaN, -inf -> +0, +inf -> +inf, 0 -> 1, ...) on %s\n", path_names[p]);
            failed = 1;
        }
    }
}

// ---- speed ----

// Thread CPU time: the machine may be shared, and time spent descheduled is not the function's.
static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}
static int cmp_double(const void *a, const void *b) {
    double d = *(const double *)a - *(const double *)b;
    return d < 0 ? -1 : d > 0;
}
enum { reps = 21 };

// ns per value of f64 functions f[0..nf) (or f32 ones), on `block` values: the median of `reps`
// repetitions of about 1 ms each, taken in turns so that every function sees the same machine.
#define TIMER(name, T, F)                                                                          \
    static void name(F *f, int nf, const T *x, T *y, double *ns) {                                 \
        long calls[max_paths + 1];                                                                 \
        double t[max_paths + 1][reps];                                                             \
        for (int i = 0; i < nf; i++)                                                               \
            for (calls[i] = 1;; calls[i] *= 2) {                                                   \
                double t0 = now_ns();                                                              \
                for (long c = 0; c < calls[i]; c++) f[i](x, y, block);                             \
                if (now_ns() - t0 > 1e6) break;                                                    \
            }                                                                                      \
        for (int r = 0; r < reps; r++)                                                             \
            for (int i = 0; i < nf; i++) {                                                         \
                double t0 = now_ns();                                                              \
                for (long c = 0; c < calls[i]; c++) f[i](x, y, block);                             \
                t[i][r] = (now_ns() - t0) / ((double)calls[i] * block);                            \
            }                                                                                      \
        for (int i = 0; i < nf; i++) {                                                             \
            qsort(t[i], reps, sizeof t[i][0], cmp_double);                                         \
            ns[i] = t[i][reps / 2];                                                                \
        }                                                                                          \
    }
TIMER(time64, double, f64_fn)
TIMER(time32, float, f32_fn)

static void speed(const char *range64, double lo, double hi, const char *range32, double lof, double hif) {
    static double x[block], y[block];
    static float xf[block], yf[block];
    for (int i = 0; i < block; i++) x[i] = uniform(lo, hi), xf[i] = (float)uniform(lof, hif);
    f64_fn f64[max_paths + 1] = {glibc_exp64};
    f32_fn f32[max_paths + 1] = {glibc_exp32};
    double t[max_paths + 1];
    for (int p = 0; p < npaths; p++) f64[p + 1] = paths64[p], f32[p + 1] = paths32[p];
    time64(f64, npaths + 1, x, y, t);
    printf("  f64, x in %-14s glibc exp  %.3f", range64, t[0]);
    for (int p = 0; p < npaths; p++) printf(", %s %.3f (%.1fx)", path_names[p], t[p + 1], t[0] / t[p + 1]);
    time32(f32, npaths + 1, xf, yf, t);
    printf("\n  f32, x in %-14s glibc expf %.3f", range32, t[0]);
    for (int p = 0; p < npaths; p++) printf(", %s %.3f (%.1fx)", path_names[p], t[p + 1], t[0] / t[p + 1]);
    printf("\n");
}

int main(int argc, char **argv) {
    long count = argc > 1 ? atol(argv[1]) : 10000000;  // random inputs per set
    const char *mode = argc > 2 ? argv[2] : "";
    int all_floats = !strcmp(mode, "");
    digest_only = !strcmp(mode, "digest");

    path_names[npaths] = "portable", paths64[npaths] = dnn_exp_f64_scalar, paths32[npaths++] = dnn_exp_f32_scalar;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2"))
        path_names[npaths] = "avx2", paths64[npaths] = dnn_exp_f64_avx2, paths32[npaths++] = dnn_exp_f32_avx2;
    if (__builtin_cpu_supports("avx512f"))
        path_names[npaths] = "avx512", paths64[npaths] = dnn_exp_f64_avx512, paths32[npaths++] = dnn_exp_f32_avx512;
#endif
    path_names[npaths] = "dispatch", paths64[npaths] = dnn_exp_f64, paths32[npaths++] = dnn_exp_f32;
    if (!digest_only) {
        printf("paths:");
        for (int p = 0; p < npaths; p++) printf(" %s", path_names[p]);
        printf(" (dispatch = the public function)\n");
        printf("float64: error of the portable path against expl (glibc exp's alongside)\n");
    }

    stats a = {.what = "(a) uniform in [-745.2, 709.8], normal results"};
    stats a_sub = {.what = "(a) uniform in [-745.2, 709.8], subnormal results"};
    stats b = {.what = "(b) uniform in [-10, 10]"};
    stats sub = {.what = "(d) uniform in [-745.2, -708.4] (subnormal results)"};
    stats bits64 = {.what = "(d) random bit patterns (NaN, inf, huge, tiny)"}, borders = {.what = "(d) specials and borders (sweeps)"};
    random_set64(&a, &a_sub, count, -745.2, 709.8);
    random_set64(&b, NULL, count, -10, 10);
    random_set64(&sub, NULL, count / 10, -745.2, -708.4);
    {
        static batch64 bt;
        bt.s = &bits64, bt.subnormal = NULL;
        for (long i = 0; i < count / 10; i++) {
            uint64_t u = next_u64();
            double x;
            memcpy(&x, &u, sizeof x);
            add64(&bt, x);
        }
        flush64(&bt);
        report(&bits64);
    }
    {
        static batch64 bt;
        bt.s = &borders, bt.subnormal = NULL;
        const double specials[] = {NAN, -NAN, INFINITY, -INFINITY, 0.0, -0.0, DBL_MIN, -DBL_MIN, DBL_MAX, -DBL_MAX,
                                   DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_EPSILON, -DBL_EPSILON, 1, -1, 0.5, -0.5};
        for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) add64(&bt, specials[i]);
        uint64_t nan_bits[] = {0x7ff0000000000001ull, 0xfff8000000abcdefull, 0x7ff4000000000000ull};
        for (int i = 0; i < 3; i++) {
            double v;
            memcpy(&v, &nan_bits[i], sizeof v);
            add64(&bt, v);
        }
        // 10^5 doubles either side of: overflow (ln DBL_MAX), the normal/subnormal border (ln DBL_MIN),
        // the smallest subnormal (ln 2^-1074), the rounding-to-0 point (ln 2^-1075), the clamping
        // points, results 1 and 1 - 2^-53, and the edges of the vector paths' fast ranges
        // (|x| < 4096·ln2/8 for AVX2, 666 for AVX-512); 50 around every point where k changes.
        const double edges[] = {709.782712893384, -708.3964185322641, -744.4400719213812, -745.1332191019411,
                                -745.2, 710, 0x1p-53, -0x1p-53, 0x1p-54, -0x1p-54,
                                4095.5 * 0.08664339756999316, -4096.5 * 0.08664339756999316, 666, -666};
        for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) sweep64(&bt, edges[i], 100000);
        for (int k = -8604; k <= 8192; k++) sweep64(&bt, (k + 0.5) * 0.08664339756999316, 50);
        flush64(&bt);
        report(&borders);
    }

    if (!digest_only) printf("float32: error of the portable path against exp((double)x) (glibc expf's alongside)\n");
    {
        static float x[block];
        stats normal = {.what = all_floats ? "(c) all 2^32 floats, normal results" : "(c) uniform in [-104, 89], normal results"};
        stats subnormal = {.what = all_floats ? "(c) all 2^32 floats, subnormal results" : "(c) uniform in [-104, 89], subnormal results"};
        if (all_floats) {
            for (uint64_t u = 0; u < (1ull << 32);) {
                for (int i = 0; i < block; i++, u++) {
                    uint32_t v = (uint32_t)u;
                    memcpy(&x[i], &v, 4);
                }
                check_block32(x, block, &normal, &subnormal);
            }
        } else {
            for (long i = 0; i < count; i += block) {
                for (int j = 0; j < block; j++) x[j] = (float)uniform(-104, 89);
                check_block32(x, block, &normal, &subnormal);
            }
        }
        report(&normal);
        report(&subnormal);
    }

    check_specials();
    check_shapes();
    if (mismatches) failed = 1;
    if (digest_only) {
        printf("digest %016llx%s\n", (unsigned long long)digest, failed ? " (FAILED)" : "");
        return failed;
    }
    printf("bit-identical:");
    for (int p = 0; p < npaths; p++) printf(" %s", path_names[p]);
    printf(" on %lld inputs, lengths 0-70 at 8 offsets and in place: %s\n", compared,
           mismatches ? "NO" : "yes");

    printf("speed, ns per value (thread CPU time), %d values in cache, median of %d repetitions taken in turns:\n", block, reps);
    speed("[-10, 10]:", -10, 10, "[-10, 10]:", -10, 10);
    speed("[-745, 709]:", -745, 709, "[-103, 88]:", -103, 88);
    printf(failed ? "check-exp: FAILED\n" : "check-exp: passed\n");
    return failed;
}
