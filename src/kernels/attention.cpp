// Fused multi-head attention (kernels.hpp): each head read straight out of the
// packed projection qkv [B, T, 3C] and its output written straight into its
// columns of [B, T, C], instead of narrow, split_heads, transposes, scale and
// merge_heads (a dozen copies each way). Every sum runs through the same gemm,
// in the same order, as the matmuls of lesson 2's composed steps, so the two
// give the same bits, forward and backward (tests/test_modules.cpp checks it).
// The heads of all batch entries go to the threads: each writes its own block.
#include <cmath>
#include <vector>

#include "kernels/kernels.hpp"

namespace llm::kernels {

namespace {
// Offsets of head h of batch entry b.
struct At {
    const Heads& L;
    size_t ld() const { return size_t(3) * size_t(L.C); }                       // row stride of qkv
    size_t q(int b, int h) const { return size_t(b) * size_t(L.T) * ld() + size_t(h) * size_t(L.D); }
    size_t k(int b, int h) const { return q(b, h) + size_t(L.C); }
    size_t v(int b, int h) const { return q(b, h) + 2 * size_t(L.C); }
    size_t w(int b, int h) const { return (size_t(b) * size_t(L.H) + size_t(h)) * size_t(L.T) * size_t(L.T); }
    size_t y(int b, int h) const { return size_t(b) * size_t(L.T) * size_t(L.C) + size_t(h) * size_t(L.D); }
};

template <class F>
void for_each_head(const Heads& L, F&& f) {         // f(b, h) for every head, on the threads
    parallel_for(L.T > 0 ? L.B * L.H : 0, [&](int bh) { f(bh / L.H, bh % L.H); });
}
}  // namespace

void attention_weights(const Heads& L, std::span<const float> qkv, const MaskView& mask, std::span<float> w) {
    const At at{L};
    const size_t T = size_t(L.T), TT = T * T;
    const float inv_sqrt_d = 1.0f / std::sqrt(static_cast<float>(L.D));
    for_each_head(L, [&](int b, int h) {
        thread_local std::vector<float> scores;                              // one row of scores, reused
        thread_local std::vector<unsigned char> blocked;                     // and of its mask
        scores.resize(T);
        blocked.resize(T);
        const std::span<float> wbh = w.subspan(at.w(b, h), TT);
        gemm(false, true, L.T, L.T, L.D, qkv.subspan(at.q(b, h)), at.ld(), qkv.subspan(at.k(b, h)), at.ld(), wbh, T,
             false);                                                        // q k^T           [T, T]
        for (size_t t = 0; t < T; ++t) {                                    // softmax(. / sqrt(D), mask), row t
            const std::span<float> row = wbh.subspan(t * T, T);
            for (size_t s = 0; s < T; ++s) scores[s] = inv_sqrt_d * row[s];
            if (mask.data) {
                const float* m = mask.data + size_t(b) * mask.stride[0] + size_t(h) * mask.stride[1] + t * mask.stride[2];
                for (size_t s = 0; s < T; ++s) blocked[s] = m[s * mask.stride[3]] != 0.0f;
            }
            softmax_row(scores, row, mask.data ? std::span<const unsigned char>(blocked) : std::span<const unsigned char>());
        }
    });
}

// w = softmax(r / sqrt(D)), r = q k^T  =>  dr = softmax'(dw) / sqrt(D) ; dq += dr k ; dk += dr^T q
void attention_weights_backward(const Heads& L, std::span<const float> qkv, std::span<const float> w,
                                std::span<const float> dw, std::span<float> dqkv) {
    const At at{L};
    const size_t T = size_t(L.T), TT = T * T;
    const float inv_sqrt_d = 1.0f / std::sqrt(static_cast<float>(L.D));
    for_each_head(L, [&](int b, int h) {
        thread_local std::vector<float> dr;         // d(loss)/d(q k^T) [T, T], reused (T*T floats kept per thread)
        dr.assign(TT, 0.0f);
        for (size_t t = 0; t < T; ++t) {
            const size_t r = at.w(b, h) + t * T;
            const std::span<float> drow = std::span<float>(dr).subspan(t * T, T);
            softmax_row_backward(w.subspan(r, T), dw.subspan(r, T), drow);
            for (float& g : drow) g = g * inv_sqrt_d;
        }
        gemm(false, false, L.T, L.D, L.T, dr, T, qkv.subspan(at.k(b, h)), at.ld(), dqkv.subspan(at.q(b, h)), at.ld(),
             true);                                                         // dq [T, D] += dr [T, T] k [T, D]
        gemm(true, false, L.T, L.D, L.T, dr, T, qkv.subspan(at.q(b, h)), at.ld(), dqkv.subspan(at.k(b, h)), at.ld(),
             true);                                                         // dk [T, D] += dr^T q
    });
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
