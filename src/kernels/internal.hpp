#pragma once
// For the kernels' own .cpp files (src/kernels/ and its fast/ and readable/):
// pieces two of them share. Nothing outside src/kernels includes this.
#include <bit>
#include <cmath>
#include <cstdint>

#include "kernels/kernels.hpp"

namespace llm::kernels::internal {

// exp(x) for x <= 0: exp_nonpositive's body (softmax.cpp documents it), to be
// inlined into loops, which then vectorize (a call per element prevents it).
// Plain float operations in a fixed order: the same bits in every loop.
[[gnu::always_inline]] inline float exp_np(float x) {
    constexpr float log2e = 1.44269504088896341f;
    constexpr float ln2_hi = 0.693359375f, ln2_lo = -2.12194440e-4f;   // ln2_hi * n is exact for |n| < 2^15
    float xc = x >= -87.0f ? x : -87.0f;                                 // (a NaN x also becomes -87 here)
    xc = xc < 0.0f ? xc : 0.0f;                                          // outside the domain: exp(0), never UB
    const float n = std::floor(xc * log2e + 0.5f);                       // nearest integer, in [-126, 0]
    const float r = (xc - n * ln2_hi) - n * ln2_lo;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = (p * (r * r) + r) + 1.0f;                                        // exp(r)
    const float scale = std::bit_cast<float>(static_cast<std::uint32_t>(static_cast<int>(n) + 127) << 23);   // 2^n
    const float e = p * scale;
    return x >= -87.0f ? e : (x != x ? x : 0.0f);                        // NaN stays NaN
}

// Offsets of head h of batch entry b in attention's buffers (kernels.hpp, "Fused multi-head attention").
struct At {
    const Heads& L;
    size_t ld() const { return size_t(3) * size_t(L.C); }                       // row stride of qkv
    size_t q(int b, int h) const { return size_t(b) * size_t(L.T) * ld() + size_t(h) * size_t(L.D); }
    size_t k(int b, int h) const { return q(b, h) + size_t(L.C); }
    size_t v(int b, int h) const { return q(b, h) + 2 * size_t(L.C); }
    size_t w(int b, int h) const { return (size_t(b) * size_t(L.H) + size_t(h)) * size_t(L.T) * size_t(L.T); }
    size_t y(int b, int h) const { return size_t(b) * size_t(L.T) * size_t(L.C) + size_t(h) * size_t(L.D); }
};

}  // namespace llm::kernels::internal
