#pragma once
// The kernels: every loop the teaching code hands over for speed, behind one
// small interface on spans. src/core and src/nn call only what this header
// declares (namespace llm::kernels); nothing above this folder includes
// anything else from it.
//
// Two implementations, chosen when building (the Makefile):
//
//   make ...               src/kernels/fast/*.cpp      the default: blocked, packed GEMM with a
//                                                      register tile; a thread pool; the allocator
//                                                      that does not zero; fused multi-head attention
//   make READABLE=1 ...    src/kernels/readable/*.cpp  three-loop GEMM; every loop serial on the
//                                                      calling thread; std::vector's zeroing
//                                                      allocator; MultiHeadAttention runs lesson 2's
//                                                      split_heads -> attention -> merge_heads
//                          (built in build/readable, next to the fast build in build/)
//
// plus src/kernels/*.cpp, the same in both: the row softmax and its exp, the
// reference GEMM, batched GEMM and the fused-attention kernels (built on the
// functions above, so serial and three-loop in the readable build).
// READABLE=1 also defines LLM_READABLE, which this header reads for the two
// things a .cpp cannot choose: the Buffer type and `readable` below.
//
// Same answers both ways. Within one build, every result is bit-identical for
// any thread count: threads split work by OUTPUT, or a sum into fixed blocks
// added in block order. Between the builds, only the GEMM's, the row sums' and
// the clipping norm's rounding differs (fast: fma in slabs of 256, 16 running
// sums; readable: left to right); the softmax's exp
// is the same function in both (std::exp would change its bits). `make
// check-builds` runs a model's forward, backward and AdamW step both ways and
// holds the difference to the tolerances stated in tests/builds/twin.cpp.
#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <new>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace llm::kernels {

using std::size_t;

#if defined(LLM_READABLE)
inline constexpr bool readable = true;      // this build: the plain versions
#else
inline constexpr bool readable = false;
#endif

// ---------------------------------------------------------------------------
// Memory. A tensor's values live in a Buffer. Fast build: a std::vector whose
// growth leaves the new floats unset (an op writes every element of its
// output; zeroing first would stream each activation through memory once
// more), and glibc tuned to keep freed memory for the next step
// (fast/memory.cpp). Readable build: a plain std::vector<float> (zeroed).
#if defined(LLM_READABLE)
using Buffer = std::vector<float>;
#else
template <class T>
struct DefaultInitAllocator : std::allocator<T> {
    template <class U>
    struct rebind { using other = DefaultInitAllocator<U>; };
    DefaultInitAllocator() = default;
    template <class U>
    DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
    template <class U>
    void construct(U* p) noexcept { ::new (static_cast<void*>(p)) U; }            // default-init: no zeroing
    template <class U, class... Args>
    void construct(U* p, Args&&... args) { ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...); }
};
using Buffer = std::vector<float, DefaultInitAllocator<float>>;
#endif

void fill_zero(std::span<float> x);                 // x = 0 (spread over the threads when large)

// ---------------------------------------------------------------------------
// Threads. The count: std::thread::hardware_concurrency() by default,
// LLM_THREADS=n in the environment (read on first use, n >= 1) overrides,
// set_num_threads(n) at run time (clamped to [1, 64]). The readable build
// always runs on the calling thread: num_threads() is 1.
int num_threads();
void set_num_threads(int n);

namespace detail {
struct TaskRef {                                    // a borrowed callable fn(ctx, i), without std::function
    void* ctx;
    void (*call)(void* ctx, int i);
};
void run_parallel(int n, TaskRef task);             // task(i) for i in [0, n), each once, on the pool
}  // namespace detail

// body(i) for i = 0 .. n-1, each once, on any thread (the caller included).
// A parallel_for inside another runs serially: there is no nesting.
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

// body(lo, hi) over contiguous ranges that cover [0, n) once: one call when
// n < 2 * grain, otherwise up to 4 ranges per thread of at least `grain`.
// For loops whose every index is computed on its own (elementwise, rows).
template <class F>
void parallel_ranges(size_t n, size_t grain, F&& body) {
    const size_t most = 4 * static_cast<size_t>(num_threads());
    const size_t parts = grain == 0 ? most : std::min(most, n / grain);
    if (parts <= 1) {
        if (n) body(size_t(0), n);
        return;
    }
    parallel_for(static_cast<int>(parts), [&](int p) { body(n * size_t(p) / parts, n * (size_t(p) + 1) / parts); });
}

// ---------------------------------------------------------------------------
// Matrix multiply: C[M,N] = op(A)[M,K] op(B)[K,N] (+ C when accumulate).
// op(A) is A (row-major M x K) or, with trans_a, the transpose of a row-major
// K x M matrix; likewise B. With ld* the matrices sit inside larger buffers:
// row r of a stored matrix starts ld floats after row r-1, each span starting
// at the matrix's first element. Fast: fast/gemm.cpp; readable: gemm_reference.
void gemm(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A, std::span<const float> B,
          std::span<float> C, bool accumulate);
void gemm(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A, size_t lda,
          std::span<const float> B, size_t ldb, std::span<float> C, size_t ldc, bool accumulate);
// C[M,N] = op(A) op(B) + bias, bias [N] added to every row after the whole sum,
// C[i,j] = (sum) + bias[j]: the same bits as gemm, then the add in its own pass
// (the readable build does that; the fast one adds it as each tile is stored).
void gemm_bias(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A, std::span<const float> B,
               std::span<const float> bias, std::span<float> C);
// The three-loop definition (reference.cpp): the readable build's gemm, the tests' oracle.
void gemm_reference(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A,
                    std::span<const float> B, std::span<float> C, bool accumulate);
void gemm_reference(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A, size_t lda,
                    std::span<const float> B, size_t ldb, std::span<float> C, size_t ldc, bool accumulate);

// `batch` products, matrix i at A + i*stride_a, B + i*stride_b, C + i*stride_c
// (a stride of 0 shares the matrix). Entries go to the threads when there are
// several; a shared C (stride_c 0, accumulate) adds them in order, on one thread.
struct Batch {
    size_t count, stride_a, stride_b, stride_c;
};
void gemm_batched(const Batch& batch, bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A,
                  std::span<const float> B, std::span<float> C, bool accumulate);

// ---------------------------------------------------------------------------
// Rows.
//   sum(x) = sum_i x_i ; dot(x, y) = sum_i x_i y_i, in a fixed order (fast: 16
//   running sums added pairwise, which vectorizes; readable: left to right).
float sum(std::span<const float> x);
float dot(std::span<const float> x, std::span<const float> y);
// acc + sum_i x_i^2 in double (each x_i^2 is exact in double; gradient
// clipping's norm). Readable: one running sum from acc, left to right. Fast:
// 16 running sums per block of 16,384 values (blocks spread over the threads),
// the blocks' sums added in block order, then to acc: the same bits for any
// thread count; against the readable order the double differs in its last
// bits only, so the float norm is almost always equal (tests/test_modules.cpp).
double sum_of_squares(std::span<const float> x, double acc);

// The softmax of one row, forward and backward (softmax.cpp, both builds):
//   y = softmax(x), blocked[j] != 0 -> y_j = 0 (no mask: an empty span); all blocked -> zeros
//   dx_j += y_j (dy_j - sum_k dy_k y_k)
void softmax_row(std::span<const float> x, std::span<float> y, std::span<const unsigned char> blocked);
void softmax_row_backward(std::span<const float> y, std::span<const float> dy, std::span<float> dx);
// The softmax's exp, for x <= 0 (the only arguments a max-subtracted softmax
// has): Cephes' expf written out, at most 2 ulp from the exact value, the same
// bits under every compiler; 0 below -87, 1 for x > 0, NaN stays NaN.
float exp_nonpositive(float x);

// ---------------------------------------------------------------------------
// Fused multi-head attention on the packed projection qkv [B, T, 3C], heads
// read and written in place (attention.cpp; the Tensor ops over them are in
// nn/fused_attention.cpp). Head h of batch entry b: rows b*T.., columns h*D..
// of q = qkv[..., 0:C], k = qkv[..., C:2C], v = qkv[..., 2C:3C].
struct Heads {
    int B, T, C, H, D;
};
// Mask entry of score (b, h, t, s): data[b*stride[0] + h*stride[1] + t*stride[2] + s*stride[3]], 1 = blocked.
struct MaskView {
    const float* data = nullptr;                    // nullptr: no mask
    std::array<size_t, 4> stride{};
};
//   w [B, H, T, T] = softmax(q_bh k_bh^T / sqrt(D), mask)
void attention_weights(const Heads& L, std::span<const float> qkv, const MaskView& mask, std::span<float> w);
//   dqkv (q and k columns) += the gradient of the above, given w and dw
void attention_weights_backward(const Heads& L, std::span<const float> qkv, std::span<const float> w,
                                std::span<const float> dw, std::span<float> dqkv);
//   y [B, T, C], y[b, :, h*D:h*D+D] = w_bh v_bh
void attention_mix(const Heads& L, std::span<const float> w, std::span<const float> qkv, std::span<float> y);
//   dw += dy v^T ; dqkv (v columns) += w^T dy      (an empty span: that gradient is not wanted)
void attention_mix_backward(const Heads& L, std::span<const float> w, std::span<const float> qkv,
                            std::span<const float> dy, std::span<float> dw, std::span<float> dqkv);

namespace detail {
// One head (b, h) of attention_weights and of its backward; attention.cpp runs
// them for every head, on the threads. Readable: readable/attention.cpp (the
// scores by one GEMM, then softmax_row row by row); fast: fast/attention.cpp
// (the softmax of 16 query rows at a time, one vector lane each). The same bits.
void attention_head_weights(const Heads& L, int b, int h, std::span<const float> qkv, const MaskView& mask,
                            std::span<float> w);
void attention_head_weights_backward(const Heads& L, int b, int h, std::span<const float> qkv,
                                     std::span<const float> w, std::span<const float> dw, std::span<float> dqkv);
}  // namespace detail

}  // namespace llm::kernels
