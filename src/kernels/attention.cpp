// Fused multi-head attention (kernels.hpp): each head read straight out of the
// packed projection qkv [B, T, 3C] and its output written straight into its
// columns of [B, T, C], instead of narrow, split_heads, transposes, scale and
// merge_heads (a dozen copies each way). Every sum runs through the same gemm,
// in the same order, as the matmuls of lesson 2's composed steps, so the two
// give the same bits, forward and backward (tests/test_modules.cpp checks it).
// The heads of all batch entries go to the threads: each writes its own block.
// One head's weights and their backward are the builds' own (the seam,
// kernels.hpp detail::attention_head_*): readable/attention.cpp row by row,
// fast/attention.cpp many query rows at a time, the same bits.
#include <cmath>
#include <vector>

#include "kernels/internal.hpp"
#include "kernels/kernels.hpp"

namespace llm::kernels {

namespace {
using internal::At;

template <class F>
void for_each_head(const Heads& L, F&& f) {         // f(b, h) for every head, on the threads
    parallel_for(L.T > 0 ? L.B * L.H : 0, [&](int bh) { f(bh / L.H, bh % L.H); });
}
}  // namespace

void attention_weights(const Heads& L, std::span<const float> qkv, const MaskView& mask, std::span<float> w) {
    for_each_head(L, [&](int b, int h) { detail::attention_head_weights(L, b, h, qkv, mask, w); });
}

void attention_weights_backward(const Heads& L, std::span<const float> qkv, std::span<const float> w,
                                std::span<const float> dw, std::span<float> dqkv) {
    for_each_head(L, [&](int b, int h) { detail::attention_head_weights_backward(L, b, h, qkv, w, dw, dqkv); });
}

void attention_mix(const Heads& L, std::span<const float> w, std::span<const float> qkv, std::span<float> y) {
    const At at{L};
    const size_t T = size_t(L.T), TT = T * T;
    for_each_head(L, [&](int b, int h) {
        gemm(false, false, L.T, L.D, L.T, w.subspan(at.w(b, h), TT), T, qkv.subspan(at.v(b, h)), at.ld(),
             y.subspan(at.y(b, h)), size_t(L.C), false);                   // y_bh [T, D] = w [T, T] v [T, D]
    });
}

// y = w v  =>  dw += dy v^T ;  dv += w^T dy
void attention_mix_backward(const Heads& L, std::span<const float> w, std::span<const float> qkv,
                            std::span<const float> dy, std::span<float> dw, std::span<float> dqkv) {
    const At at{L};
    const size_t T = size_t(L.T), TT = T * T, C = size_t(L.C);
    for_each_head(L, [&](int b, int h) {
        if (!dw.empty())
            gemm(false, true, L.T, L.T, L.D, dy.subspan(at.y(b, h)), C, qkv.subspan(at.v(b, h)), at.ld(),
                 dw.subspan(at.w(b, h), TT), T, true);                      // dw [T, T] += dy [T, D] v^T
        if (!dqkv.empty())
            gemm(true, false, L.T, L.D, L.T, w.subspan(at.w(b, h), TT), T, dy.subspan(at.y(b, h)), C,
                 dqkv.subspan(at.v(b, h)), at.ld(), true);                  // dv [T, D] += w^T dy
    });
}

}  // namespace llm::kernels
