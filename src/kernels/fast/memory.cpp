// The fast build's memory: zeroing spread over the threads, and glibc tuned
// to keep freed memory.
//
// A training step allocates and frees every activation and gradient,
// thousands of buffers, many of them large. By default glibc serves blocks
// above ~128 KiB with mmap and unmaps them on free, so the next step faults
// every page in again and the kernel zeroes it: a third of a small model's
// step went to that. Likewise, when a step's graph dies, glibc returns the
// free top of the heap to the system, and the next step faults it back in
// (a quarter of a large model's step). So: mmap only blocks above 32 MiB (the
// most glibc allows) and never trim the heap. A process then keeps its peak
// footprint until it exits, and a step reuses the previous step's memory.
// It changes no value. (It is set when this file's objects are linked in:
// fill_zero below is called by every tensor made with zeros.)
#include <algorithm>
#include <limits>

#include "kernels/kernels.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace llm::kernels {

#if defined(__GLIBC__)
namespace {
const bool g_malloc_tuned = [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
    return true;
}();
}  // namespace
#endif

void fill_zero(std::span<float> x) {
    float* p = x.data();
    parallel_ranges(x.size(), size_t(1) << 12, [p](size_t lo, size_t hi) { std::fill(p + lo, p + hi, 0.0f); });
}

}  // namespace llm::kernels
