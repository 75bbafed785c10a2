// The fast build's threads: a small persistent pool for parallel_for
// (kernels.hpp), which spreads the GEMM, attention's heads and (through
// parallel_ranges) the elementwise loops, layer norm, dropout, AdamW and the
// zeroing of gradients over the cores.
//
// The calling thread works too; the pool's other threads are created once, on
// first use, and live until exit. Which thread runs which index is not fixed,
// so a body must give the same result whichever thread runs it: split work by
// OUTPUT (rows, columns, batch entries), never by the order of a reduction.
// That is what keeps every result bit-identical for any thread count. A
// parallel_for called from inside another (or from a second thread while one
// is running) runs serially on its caller.
//
// Idle threads keep watching for work for up to 1 ms (spinning at first, then
// yielding the core to whoever else needs it) and then sleep: the many
// parallel loops of a training step pay no wake-up latency (a sleeping thread
// takes ~20 us to wake here) and an idle program burns no CPU.
#include "kernels/kernels.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace llm::kernels {

// ---------------------------------------------------------------------------
// Thread count

namespace {
int default_threads() {
    if (const char* s = std::getenv("LLM_THREADS")) {
        const int n = std::atoi(s);
        if (n >= 1) return std::min(n, 64);
    }
    const unsigned hw = std::thread::hardware_concurrency();   // 0: unknown
    return hw == 0 ? 1 : static_cast<int>(std::min(hw, 64u));
}

std::atomic<int>& thread_setting() {
    static std::atomic<int> n{default_threads()};
    return n;
}
}  // namespace

int num_threads() { return thread_setting().load(std::memory_order_relaxed); }
void set_num_threads(int n) { thread_setting().store(std::clamp(n, 1, 64), std::memory_order_relaxed); }

// ---------------------------------------------------------------------------
// The pool.
//
// One job at a time. The caller publishes the job (its body, and a word that
// packs a generation number, the next unclaimed index and the index count),
// then every participating thread, the caller included, claims indices one by
// one with a compare-and-swap on that word and runs them. The caller returns
// once `done` reaches the count. A worker that read a stale job cannot run it:
// its compare-and-swap fails because the generation moved on.

namespace {

constexpr std::uint64_t pack(std::uint32_t gen, std::uint32_t next, std::uint32_t total) {
    return (std::uint64_t(gen) << 32) | (std::uint64_t(next) << 16) | total;
}
constexpr std::uint32_t gen_of(std::uint64_t w) { return std::uint32_t(w >> 32); }
constexpr std::uint32_t next_of(std::uint64_t w) { return std::uint32_t(w >> 16) & 0xffff; }
constexpr std::uint32_t total_of(std::uint64_t w) { return std::uint32_t(w) & 0xffff; }

thread_local bool t_inside_job = false;   // this thread is running a job's body: no nesting

// Tells the core this is a spin-wait (x86 `pause`): cheaper for the sibling
// hyperthread and for power than a bare loop, and no system call.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

class Pool {
public:
    ~Pool() {
        {
            std::lock_guard<std::mutex> lk(sleep_mutex_);
            stop_ = true;
        }
        stop_flag_.store(true);
        wake_.notify_all();
        for (std::thread& t : workers_) t.join();
    }

    // Runs task(i) for i in [0, n), n <= 65535, on up to `threads` threads.
    void run(int n, detail::TaskRef task, int threads) {
        start_workers(threads - 1);
        active_workers_.store(threads - 1, std::memory_order_relaxed);
        ctx_.store(task.ctx, std::memory_order_relaxed);
        call_.store(task.call, std::memory_order_relaxed);
        done_.store(0, std::memory_order_relaxed);
        error_ = nullptr;
        const std::uint32_t gen = ++gen_;
        word_.store(pack(gen, 0, std::uint32_t(n)), std::memory_order_seq_cst);   // publish
        if (sleepers_.load(std::memory_order_seq_cst) > 0) {
            std::lock_guard<std::mutex> lk(sleep_mutex_);
            wake_.notify_all();
        }
        work_on(gen);
        while (done_.load(std::memory_order_acquire) < n) std::this_thread::yield();
        if (error_) std::rethrow_exception(error_);
    }

private:
    void start_workers(int wanted) {
        while (static_cast<int>(workers_.size()) < wanted) {
            const int index = static_cast<int>(workers_.size());
            workers_.emplace_back([this, index] { worker_loop(index); });
        }
    }

    // Claim and run indices of job `gen` until none is left.
    void work_on(std::uint32_t gen) {
        std::uint64_t w = word_.load(std::memory_order_acquire);
        while (gen_of(w) == gen && next_of(w) < total_of(w)) {
            void* ctx = ctx_.load(std::memory_order_relaxed);
            auto* call = call_.load(std::memory_order_relaxed);
            if (!word_.compare_exchange_weak(w, w + (std::uint64_t(1) << 16), std::memory_order_acq_rel,
                                             std::memory_order_acquire))
                continue;                                   // w now holds the current word: retry
            t_inside_job = true;
            try {
                call(ctx, static_cast<int>(next_of(w)));
            } catch (...) {
                std::lock_guard<std::mutex> lk(error_mutex_);
                if (!error_) error_ = std::current_exception();
            }
            t_inside_job = false;
            done_.fetch_add(1, std::memory_order_release);
            w = word_.load(std::memory_order_acquire);
        }
    }

    void worker_loop(int index) {
        using clock = std::chrono::steady_clock;
        // Waiting for a job: spin on the core for 50 us (a job of the same
        // burst is picked up within a fraction of a microsecond), then keep
        // checking but yield the core to any other runnable thread, up to
        // 1 ms, then sleep. (Pure spinning on a shared machine takes a core
        // from the caller's own serial work; pure yielding can lose the core
        // for a whole time slice just when a job arrives.)
        constexpr std::chrono::microseconds spin_time{50}, yield_time{1000};
        std::uint32_t seen = 0;
        for (;;) {
            const auto start = clock::now();
            std::uint64_t w = word_.load(std::memory_order_acquire);
            for (;;) {
                if (gen_of(w) != seen || stop_flag_.load(std::memory_order_relaxed)) break;
                const auto waited = clock::now() - start;
                if (waited > yield_time) break;
                if (waited < spin_time) cpu_relax();
                else std::this_thread::yield();
                w = word_.load(std::memory_order_acquire);
            }
            if (gen_of(w) == seen) {
                std::unique_lock<std::mutex> lk(sleep_mutex_);
                sleepers_.fetch_add(1, std::memory_order_seq_cst);
                wake_.wait(lk, [&] { return stop_ || gen_of(word_.load(std::memory_order_seq_cst)) != seen; });
                sleepers_.fetch_sub(1, std::memory_order_seq_cst);
                if (stop_) return;
                w = word_.load(std::memory_order_acquire);
            }
            if (stop_flag_.load(std::memory_order_relaxed)) return;
            seen = gen_of(w);
            if (index < active_workers_.load(std::memory_order_relaxed)) work_on(seen);
        }
    }

    std::vector<std::thread> workers_;
    std::atomic<std::uint64_t> word_{0};
    std::atomic<void*> ctx_{nullptr};
    std::atomic<void (*)(void*, int)> call_{nullptr};
    std::atomic<int> done_{0};
    std::atomic<int> active_workers_{0};
    std::atomic<int> sleepers_{0};
    std::atomic<bool> stop_flag_{false};
    std::uint32_t gen_ = 0;                 // only the caller (holding the call mutex) touches it
    std::mutex sleep_mutex_;
    std::condition_variable wake_;
    bool stop_ = false;                     // guarded by sleep_mutex_
    std::mutex error_mutex_;
    std::exception_ptr error_;
};

Pool& pool() {
    static Pool p;
    return p;
}

std::mutex& call_mutex() {
    static std::mutex m;
    return m;
}

}  // namespace

void detail::run_parallel(int n, TaskRef task) {
    const int threads = std::min(num_threads(), n);
    std::unique_lock<std::mutex> lk(call_mutex(), std::try_to_lock);
    if (threads <= 1 || t_inside_job || !lk.owns_lock() || n > 0xffff) {   // serial: nested, busy or huge
        for (int i = 0; i < n; ++i) task.call(task.ctx, i);
        return;
    }
    pool().run(n, task, threads);
}

}  // namespace llm::kernels
