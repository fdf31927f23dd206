#define _GNU_SOURCE
#include "allocation_attribution.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The library's executable mappings, read once by `allocation_attribution_prepare`.
enum { max_ranges = 16, max_frames = 128 };
static uintptr_t range_start[max_ranges], range_end[max_ranges];
static int range_count = 0;

static _Atomic int64_t inside_count = 0, outside_count = 0;

// Set while this thread runs the hook: an allocation the unwinder might make in it is not counted.
static __thread bool in_hook = false;

size_t allocation_attribution_prepare(const char *symbol, char *path, size_t path_capacity) {
    void *address = dlsym(RTLD_DEFAULT, symbol);
    Dl_info info;
    if (address == NULL || dladdr(address, &info) == 0 || info.dli_fname == NULL) return 0;
    // The loader may name the library by a symbolic link; /proc/self/maps names the file itself.
    char *real = realpath(info.dli_fname, NULL);
    if (real == NULL) return 0;
    FILE *maps = fopen("/proc/self/maps", "r");
    if (maps == NULL) {
        free(real);
        return 0;
    }
    char line[4096];
    range_count = 0;
    while (fgets(line, sizeof line, maps) != NULL && range_count < max_ranges) {
        unsigned long start, end;
        char permissions[8];
        int offset = 0;
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &start, &end, permissions, &offset) < 3) continue;
        char *file = line + offset;
        file[strcspn(file, "\n")] = '\0';
        if (permissions[2] == 'x' && strcmp(file, real) == 0) {
            range_start[range_count] = start;
            range_end[range_count] = end;
            range_count += 1;
        }
    }
    fclose(maps);
    size_t length = strlen(real);
    if (path != NULL && path_capacity > 0) {
        snprintf(path, path_capacity, "%s", real);
    }
    free(real);
    // The first backtrace loads the unwinder (and allocates); do it now, outside any count.
    void *frames[4];
    backtrace(frames, 4);
    return range_count > 0 ? length : 0;
}

static bool in_library(uintptr_t address) {
    for (int r = 0; r < range_count; r++) {
        if (address >= range_start[r] && address < range_end[r]) return true;
    }
    return false;
}

void allocation_attribution_hook(size_t size) {
    (void)size;
    if (in_hook) return;
    in_hook = true;
    void *frames[max_frames];
    int depth = backtrace(frames, max_frames);
    bool inside = false;
    for (int f = 0; f < depth && !inside; f++) inside = in_library((uintptr_t)frames[f]);
    atomic_fetch_add_explicit(inside ? &inside_count : &outside_count, 1, memory_order_relaxed);
    in_hook = false;
}

void allocation_attribution_reset(void) {
    atomic_store(&inside_count, 0);
    atomic_store(&outside_count, 0);
}

int64_t allocation_attribution_inside(void) { return atomic_load(&inside_count); }

int64_t allocation_attribution_outside(void) { return atomic_load(&outside_count); }
