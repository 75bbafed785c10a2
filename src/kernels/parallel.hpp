#pragma once
// A small persistent thread pool and parallel_for, for the loops that are
// worth spreading over cores: the GEMM, attention's heads, and (through
// parallel_ranges below) elementwise ops, layer norm, dropout, AdamW and the
// zeroing of gradients.
//
//   parallel_for(n, [&](int i) { ... });   // runs the body for i = 0..n-1, each once
//
// The calling thread works too; the pool's other threads are created once, on
// first use, and live until exit. Which thread runs which i is not fixed, so a
// body must give the same result whichever thread runs it: split work by
// OUTPUT (rows, columns, batch entries), never by the order of a reduction.
// That is what keeps every result bit-identical for 1 and 2 threads.
//
// Thread count (the threads that run a parallel_for, the caller included):
//   default            std::thread::hardware_concurrency(), capped at 2
//   LLM_THREADS=n      in the environment, read on first use (n >= 1)
//   set_num_threads(n) at run time; 1 runs everything on the calling thread
// A parallel_for called from inside another (or from a second thread while one
// is running) runs serially on its caller: there is no nesting.
//
// Idle threads keep watching for work for up to 1 ms (spinning at first, then
// yielding the core to whoever else needs it) and then sleep: the many
// parallel loops of a training step pay no wake-up latency (a sleeping thread
// takes ~20 us to wake here) and an idle program burns no CPU.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace llm {

int num_threads();
void set_num_threads(int n);   // clamped to [1, 64]

namespace detail {
// A borrowed callable, called as fn(ctx, i): parallel_for's body without a
// std::function (which may allocate).
struct TaskRef {
    void* ctx;
    void (*call)(void* ctx, int i);
};
void run_parallel(int n, TaskRef task);
}  // namespace detail

template <class F>
void parallel_for(int n, F&& body) {
    using Body = std::remove_reference_t<F>;
    if (n <= 0) return;
    if (n == 1 || num_threads() == 1) {
        for (int i = 0; i < n; ++i) body(i);
        return;
    }
    detail::run_parallel(n, detail::TaskRef{const_cast<void*>(static_cast<const void*>(&body)),
                                            [](void* ctx, int i) { (*static_cast<Body*>(ctx))(i); }});
}

// body(lo, hi) over contiguous ranges that cover [0, n) once: a single call on
// the caller when n < 2 * grain (too little work to pay for a hand-over),
// otherwise up to 4 ranges per thread, of at least `grain` each, claimed as
// threads come free (a thread the system delays holds up one short range). For
// elementwise loops: each index is still computed the same way, wherever.
template <class F>
void parallel_ranges(std::size_t n, std::size_t grain, F&& body) {
    const std::size_t most = 4 * static_cast<std::size_t>(num_threads());
    const std::size_t parts = grain == 0 ? most : std::min(most, n / grain);
    if (parts <= 1) {
        if (n) body(std::size_t(0), n);
        return;
    }
    parallel_for(static_cast<int>(parts), [&](int p) {
        body(n * std::size_t(p) / parts, n * (std::size_t(p) + 1) / parts);
    });
}

}  // namespace llm
