// The fast build's attention weights of one head (kernels.hpp, detail::
// attention_head_*; attention.cpp loops over the heads).
//
// The readable build takes the softmax one query row at a time
// (softmax_row): four short loops per row, each with its own start-up and
// tail, and a sum that must run left to right, one dependent add after
// another. With short rows (T = 16 at lesson 5's size) that overhead is most
// of the work. Here up to 16 query rows go together, one per vector lane:
// every loop below runs over the keys s, and inside over the lanes l, which
// the compiler vectorizes. Each lane still does exactly what softmax_row
// does for its row, in the same order: the max over the allowed keys, then
// e_s = exp(x_s - m) (0 where blocked), z = e_0 + e_1 + ... left to right,
// y_s = e_s / z; so the bits are the same (tests/test_modules.cpp compares
// with the composed ops, tests/builds/twin.cpp with the readable build).
//
// For lanes the scores are needed key-major: st [T keys, T queries] = k q^T,
// whose element (s, t) is the same fma chain as (q k^T)(t, s) (fma(a, b, c) ==
// fma(b, a, c)). The backward likewise produces dr transposed and hands it to
// gemm as a transposed operand: the same products, the same chains.
#include <algorithm>
#include <cmath>
#include <vector>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "kernels/internal.hpp"
#include "kernels/kernels.hpp"

namespace llm::kernels {

namespace {
constexpr int W = 16;                               // query rows per pass: the lanes
}  // namespace

// w_bh [T, T] = softmax(q k^T / sqrt(D), mask)
void detail::attention_head_weights(const Heads& L, int b, int h, std::span<const float> qkv, const MaskView& mask,
                                    std::span<float> w) {
    const internal::At at{L};
    const int T = L.T;
    const size_t TT = size_t(T) * size_t(T);
    const float inv_sqrt_d = 1.0f / std::sqrt(static_cast<float>(L.D));
    thread_local std::vector<float> st_buf, e_buf;   // reused: T*T and T*W floats per thread
    st_buf.resize(TT);
    e_buf.resize(size_t(T) * W);
    float* const st = st_buf.data();
    float* const e = e_buf.data();
#if defined(__AVX512F__)
    const bool one_pass = T <= W;                                       // every query in one pass: the scores
#else                                                                   // straight into lanes, below
    const bool one_pass = false;
#endif
    if (!one_pass)
        gemm(false, true, T, T, L.D, qkv.subspan(at.k(b, h)), at.ld(), qkv.subspan(at.q(b, h)), at.ld(), st_buf,
             size_t(T), false);                                         // st = k q^T       [T keys, T queries]
#if defined(__AVX512F__)
    else {
        // e[s][l] = (k q^T)[s][l] * inv_sqrt_d, lanes past T zero: per key s the fma chain over d,
        // fma(k[s][d], q[l][d], acc) from +0 in every lane (gemm's chain), with q transposed
        // into qt[d][l] first; no st, no packing, no call.
        const int D = L.D;
        thread_local std::vector<float> qt_buf;
        qt_buf.assign(size_t(D) * W, 0.0f);
        float* const qt = qt_buf.data();
        const float* const q = qkv.data() + at.q(b, h);
        const float* const k = qkv.data() + at.k(b, h);
        for (int l = 0; l < T; ++l)
            for (int d = 0; d < D; ++d) qt[size_t(d) * W + size_t(l)] = q[size_t(l) * at.ld() + size_t(d)];
        const __m512 inv = _mm512_set1_ps(inv_sqrt_d);
        constexpr int G = 4;                                            // keys at a time: 4 chains in flight
        int s = 0;
        for (; s + G <= T; s += G) {
            const float* const ks = k + size_t(s) * at.ld();
            __m512 acc[G];
            for (int g = 0; g < G; ++g) acc[g] = _mm512_setzero_ps();
            for (int d = 0; d < D; ++d) {
                const __m512 qd = _mm512_loadu_ps(qt + size_t(d) * W);
                for (int g = 0; g < G; ++g) acc[g] = _mm512_fmadd_ps(_mm512_set1_ps(ks[size_t(g) * at.ld() + size_t(d)]), qd, acc[g]);
            }
            for (int g = 0; g < G; ++g) _mm512_storeu_ps(e + size_t(s + g) * W, _mm512_mul_ps(inv, acc[g]));
        }
        for (; s < T; ++s) {
            const float* const ks = k + size_t(s) * at.ld();
            __m512 acc = _mm512_setzero_ps();
            for (int d = 0; d < D; ++d) acc = _mm512_fmadd_ps(_mm512_set1_ps(ks[d]), _mm512_loadu_ps(qt + size_t(d) * W), acc);
            _mm512_storeu_ps(e + size_t(s) * W, _mm512_mul_ps(inv, acc));
        }
    }
#endif
    const float* const mask_bh =
        mask.data ? mask.data + size_t(b) * mask.stride[0] + size_t(h) * mask.stride[1] : nullptr;
    float* const wbh = w.data() + at.w(b, h);
    for (int t0 = 0; t0 < T; t0 += W) {                                 // queries t0 .. t0 + n - 1, lane l = t - t0
        const int n = std::min(W, T - t0);
        // e[s][l] = the score of query t0 + l for key s, scaled; a blocked key's is -inf, which
        // does what softmax_row does with it: no part in the max, exp(-inf - m) = 0 (m finite;
        // m = -inf only when every key is blocked, and that row is zeros). Lanes past n: blocked.
        for (int s = 0; s < T; ++s) {
            float* const es = e + size_t(s) * W;
            const float* const sts = st + size_t(s) * size_t(T) + size_t(t0);
            if (!one_pass)
                for (int l = 0; l < n; ++l) es[l] = inv_sqrt_d * sts[l];
            for (int l = n; l < W; ++l) es[l] = -INFINITY;
            if (mask_bh)
                for (int l = 0; l < n; ++l)
                    if (mask_bh[size_t(t0 + l) * mask.stride[2] + size_t(s) * mask.stride[3]] != 0.0f) es[l] = -INFINITY;
        }
        alignas(64) float m[W], z[W];
        for (int l = 0; l < W; ++l) m[l] = -INFINITY, z[l] = 0.0f;
        for (int s = 0; s < T; ++s)                                     // m = max over the allowed keys
            for (int l = 0; l < W; ++l) m[l] = std::max(m[l], e[size_t(s) * W + l]);   // softmax_row's std::max(m, x)
        for (int s = 0; s < T; ++s)                                     // e = exp(x - m), 0 where blocked; z += e
            for (int l = 0; l < W; ++l) {
                const size_t i = size_t(s) * W + l;
                const float v = internal::exp_np(e[i] - m[l]);
                e[i] = v;
                z[l] += v;
            }
        for (int s = 0; s < T; ++s)                                     // y = e / z; a row with every key blocked: zeros
            for (int l = 0; l < W; ++l) {
                const size_t i = size_t(s) * W + l;
                const float y = e[i] / z[l];
                e[i] = m[l] == -INFINITY ? 0.0f : y;
            }
        for (int l = 0; l < n; ++l) {                                   // to w's layout: row t, key s
            float* const row = wbh + size_t(t0 + l) * size_t(T);
            for (int s = 0; s < T; ++s) row[s] = e[size_t(s) * W + l];
        }
    }
}

// w = softmax(r / sqrt(D)), r = q k^T  =>  dr = softmax'(dw) / sqrt(D) ; dq += dr k ; dk += dr^T q.
// Per row (softmax_row_backward, into zeros, then the scale): dot = sum_s dw_s w_s left to right,
// dr_s = (0 + w_s (dw_s - dot)) * (1 / sqrt(D)); here lane by lane, dr stored transposed.
void detail::attention_head_weights_backward(const Heads& L, int b, int h, std::span<const float> qkv,
                                             std::span<const float> w, std::span<const float> dw,
                                             std::span<float> dqkv) {
    const internal::At at{L};
    const int T = L.T;
    const size_t TT = size_t(T) * size_t(T);
    const float inv_sqrt_d = 1.0f / std::sqrt(static_cast<float>(L.D));
    thread_local std::vector<float> drt_buf, y_buf, g_buf;   // reused: T*T, T*W, T*W floats per thread
    drt_buf.resize(TT);
    y_buf.resize(size_t(T) * W);
    g_buf.resize(size_t(T) * W);
    float* const drt = drt_buf.data();                  // drt[s][t] = dr[t][s]
    float* const y = y_buf.data();
    float* const g = g_buf.data();
    const float* const wbh = w.data() + at.w(b, h);
    const float* const dwbh = dw.data() + at.w(b, h);
    for (int t0 = 0; t0 < T; t0 += W) {
        const int n = std::min(W, T - t0);
        for (int l = 0; l < W; ++l)                                     // y[s][l] = w[t0 + l][s], g likewise from dw
            if (l < n) {
                const float* const wr = wbh + size_t(t0 + l) * size_t(T);
                const float* const gr = dwbh + size_t(t0 + l) * size_t(T);
                for (int s = 0; s < T; ++s) y[size_t(s) * W + l] = wr[s], g[size_t(s) * W + l] = gr[s];
            } else {
                for (int s = 0; s < T; ++s) y[size_t(s) * W + l] = 0.0f, g[size_t(s) * W + l] = 0.0f;
            }
        alignas(64) float dot[W];
        for (int l = 0; l < W; ++l) dot[l] = 0.0f;
        for (int s = 0; s < T; ++s)
            for (int l = 0; l < W; ++l) dot[l] += g[size_t(s) * W + l] * y[size_t(s) * W + l];
        for (int s = 0; s < T; ++s) {
            for (int l = 0; l < W; ++l) {
                const size_t i = size_t(s) * W + l;
                float v = y[i] * (g[i] - dot[l]);
                v = 0.0f + v;                                           // softmax_row_backward adds into zeros
                y[i] = v * inv_sqrt_d;
            }
            std::copy_n(y + size_t(s) * W, n, drt + size_t(s) * size_t(T) + size_t(t0));
        }
    }
    gemm(true, false, T, L.D, T, drt_buf, size_t(T), qkv.subspan(at.k(b, h)), at.ld(), dqkv.subspan(at.q(b, h)),
         at.ld(), true);                                                // dq [T, D] += dr [T, T] k [T, D]
    gemm(false, false, T, L.D, T, drt_buf, size_t(T), qkv.subspan(at.q(b, h)), at.ld(), dqkv.subspan(at.k(b, h)),
         at.ld(), true);                                                // dk [T, D] += dr^T q
}

}  // namespace llm::kernels
