// The readable build's attention weights of one head (kernels.hpp, detail::
// attention_head_*; attention.cpp loops over the heads): the scores q k^T by
// one GEMM, then the softmax row by row, as lesson 2 writes it.
#include <cmath>
#include <vector>

#include "kernels/internal.hpp"
#include "kernels/kernels.hpp"

namespace llm::kernels {

// w_bh [T, T] = softmax(q k^T / sqrt(D), mask)
void detail::attention_head_weights(const Heads& L, int b, int h, std::span<const float> qkv, const MaskView& mask,
                                    std::span<float> w) {
    const internal::At at{L};
    const size_t T = size_t(L.T), TT = T * T;
    const float inv_sqrt_d = 1.0f / std::sqrt(static_cast<float>(L.D));
    std::vector<float> scores(T);                                       // one row of scores
    std::vector<unsigned char> blocked(T);                              // and of its mask
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
}

// w = softmax(r / sqrt(D)), r = q k^T  =>  dr = softmax'(dw) / sqrt(D) ; dq += dr k ; dk += dr^T q
void detail::attention_head_weights_backward(const Heads& L, int b, int h, std::span<const float> qkv,
                                             std::span<const float> w, std::span<const float> dw,
                                             std::span<float> dqkv) {
    const internal::At at{L};
    const size_t T = size_t(L.T), TT = T * T;
    const float inv_sqrt_d = 1.0f / std::sqrt(static_cast<float>(L.D));
    std::vector<float> dr(TT, 0.0f);                                    // d(loss)/d(q k^T) [T, T]
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
}

}  // namespace llm::kernels
