// The softmax of one row and its exp: the same code in both builds, so the
// softmax op (core/ops.cpp) and fused attention (attention.cpp) give the same
// bits, fast or readable.
#include <cassert>
#include <cmath>

#include "kernels/internal.hpp"
#include "kernels/kernels.hpp"

namespace llm::kernels {

// exp(x) for x <= 0. Written out (Cephes' expf: x = n ln2 + r, |r| <= ln2/2,
// exp(r) by a degree-7 polynomial, times 2^n from the exponent bits) so that
// the softmax loop vectorizes, which a call to the C library's expf prevents,
// and so that every compiler gives the same bits (plain float operations in a
// fixed order, -ffp-contract=off). At most 2 ulp from the exact value
// (tests/test_tensor.cpp measures it); below -87 it returns 0 (the exact value
// is under 1.7e-38), and for x > 0, which softmax never passes, it returns 1.
namespace {
using internal::exp_np;
}  // namespace

float exp_nonpositive(float x) { return exp_np(x); }

// y = softmax(x) over the allowed entries: y_j = exp(x_j - m) / sum_k exp(x_k - m), m = max_k x_k
void softmax_row(std::span<const float> x, std::span<float> y, std::span<const unsigned char> blocked) {
    assert(y.size() == x.size() && (blocked.empty() || blocked.size() == x.size()));
    const size_t N = x.size();
    auto off = [&](size_t j) { return !blocked.empty() && blocked[j]; };
    float m = -INFINITY;                              // max over the allowed entries
    for (size_t j = 0; j < N; ++j)
        if (!off(j)) m = std::max(m, x[j]);
    if (m == -INFINITY) {                             // every entry blocked: the row is all zeros
        std::fill(y.begin(), y.end(), 0.0f);
        return;
    }
    if (blocked.empty())                              // e_j = exp(x_j - m): vectorized
        for (size_t j = 0; j < N; ++j) y[j] = exp_np(x[j] - m);
    else                                              // every exp computed, the blocked ones dropped: vectorized too
        for (size_t j = 0; j < N; ++j) {
            const float e = exp_np(x[j] - m);
            y[j] = blocked[j] ? 0.0f : e;
        }
    float z = 0.0f;                                   // sum_j e_j, in order
    for (size_t j = 0; j < N; ++j) z += y[j];
    for (size_t j = 0; j < N; ++j) y[j] /= z;
}

// backward: y = softmax(x) => dx_j += y_j (dy_j - sum_k dy_k y_k)   (blocked y_j = 0 get nothing)
void softmax_row_backward(std::span<const float> y, std::span<const float> dy, std::span<float> dx) {
    assert(dy.size() == y.size() && dx.size() == y.size());
    float dot = 0.0f;
    for (size_t j = 0; j < y.size(); ++j) dot += dy[j] * y[j];
    for (size_t j = 0; j < y.size(); ++j) dx[j] += y[j] * (dy[j] - dot);
}

}  // namespace llm::kernels
