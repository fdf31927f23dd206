#ifndef DNN_VECTOR_MATH_H
#define DNN_VECTOR_MATH_H

#ifdef __cplusplus
extern "C" {
#endif

/// y[i] = exp(x[i]) for 0 <= i < n; x and y may be the same array (in place), but must not otherwise
/// overlap. At most 0.63 ulp from the exact value for normal results and 0.78 ulp for subnormal ones
/// (as measured by scripts/check-exp); x > ln(DBL_MAX) and +inf give +inf, -inf gives +0, NaN gives
/// NaN. The results are identical on every CPU: the AVX-512, AVX2 and portable versions, one of which
/// is chosen at the first call, give the same bits.
void dnn_exp_f64(const double *x, double *y, long n);

/// The float version, computed in float arithmetic: at most 0.62 ulp from the exact value for normal
/// results and 0.78 ulp for subnormal ones (all 2^32 inputs checked), the same special values, and
/// likewise identical on every CPU.
void dnn_exp_f32(const float *x, float *y, long n);

#ifdef DNN_VECTOR_MATH_TESTING
// Each version on its own, for scripts/check-exp (which builds vector_math.c with
// -DDNN_VECTOR_MATH_TESTING). The AVX2 and AVX-512 ones exist on x86-64 only, and may be called only
// where the CPU has the extension.
void dnn_exp_f64_scalar(const double *x, double *y, long n);
void dnn_exp_f32_scalar(const float *x, float *y, long n);
#if defined(__x86_64__)
void dnn_exp_f64_avx2(const double *x, double *y, long n);
void dnn_exp_f32_avx2(const float *x, float *y, long n);
void dnn_exp_f64_avx512(const double *x, double *y, long n);
void dnn_exp_f32_avx512(const float *x, float *y, long n);
#endif
#endif

#ifdef __cplusplus
}
#endif

#endif
