// Splits the allocations that ordo-one's malloc interposer counts by where they were made: inside
// the BLAS library (some return address on the allocating thread's stack lies in the library's
// mapped code) or outside it (the engine, Swift's runtime, anything else).
//
// OpenBLAS allocates inside some of its kernels on some CPUs (its Cooperlake dgemm does, its
// Haswell one does not), so a count of every malloc in the process measures the CPU as much as
// the engine. The allocation tests require the count outside BLAS to be zero.
#ifndef ALLOCATION_ATTRIBUTION_H
#define ALLOCATION_ATTRIBUTION_H

#include <stddef.h>
#include <stdint.h>

/// Finds the code of the shared library that defines `symbol` (for BLAS, "cblas_dgemm") in
/// /proc/self/maps and warms up the unwinder, so that the hook itself allocates nothing later.
/// Returns the library's path length (> 0) on success, 0 when the symbol or its mapping is not
/// found. Call before installing the hook.
size_t allocation_attribution_prepare(const char *symbol, char *path, size_t path_capacity);

/// The hook to install with `MallocInterposerSwift.setAllocationHook`: counts one allocation as
/// inside or outside the library. Reentrant, allocation-free, callable from any thread.
void allocation_attribution_hook(size_t size);

/// Sets both counts to zero.
void allocation_attribution_reset(void);

/// Allocations counted since the last reset whose stack passes through the library.
int64_t allocation_attribution_inside(void);

/// Allocations counted since the last reset whose stack does not.
int64_t allocation_attribution_outside(void);

#endif
