// The fast build's row sums: 16 running sums (lane l adds x[l], x[l + 16],
// ...), then the lanes added pairwise. A left-to-right sum is one long chain
// of dependent additions and waits on each; this is 16 short chains the
// compiler vectorizes. The order is set by this code, so every compiler and
// thread count gives the same bytes.
#include "kernels/kernels.hpp"

#include <algorithm>
#include <vector>

namespace llm::kernels {

namespace {
template <class T = float, class F>
T lane_sum(size_t n, F&& f) {                       // sum over i < n of f(i), in T
    constexpr size_t L = 16;
    T lane[L] = {};
    size_t i = 0;
    for (; i + L <= n; i += L)
        for (size_t l = 0; l < L; ++l) lane[l] += f(i + l);
    for (size_t l = 0; i + l < n; ++l) lane[l] += f(i + l);
    for (size_t w = L / 2; w > 0; w /= 2)            // lane[l] += lane[l + w]: 16 -> 8 -> 4 -> 2 -> 1
        for (size_t l = 0; l < w; ++l) lane[l] += lane[l + w];
    return lane[0];
}
}  // namespace

float sum(std::span<const float> x) {
    const float* p = x.data();
    return lane_sum(x.size(), [p](size_t i) { return p[i]; });
}

float dot(std::span<const float> x, std::span<const float> y) {
    const float* p = x.data();
    const float* q = y.data();
    return lane_sum(x.size(), [p, q](size_t i) { return p[i] * q[i]; });
}

// Blocks of 16,384 values, each lane_sum's 16 lanes in double, spread over
// the threads; then acc + block 0 + block 1 + ...
double sum_of_squares(std::span<const float> x, double acc) {
    constexpr size_t kBlock = 16384;
    const auto block = [&](size_t lo) {             // x[lo, lo + kBlock) (or to the end)
        const float* p = x.data() + lo;
        return lane_sum<double>(std::min(kBlock, x.size() - lo), [p](size_t i) { return double(p[i]) * p[i]; });
    };
    const size_t blocks = (x.size() + kBlock - 1) / kBlock;
    if (blocks <= 1) return x.empty() ? acc : acc + block(0);
    std::vector<double> partial(blocks);
    parallel_for(static_cast<int>(blocks), [&](int b) { partial[size_t(b)] = block(size_t(b) * kBlock); });
    for (const double v : partial) acc += v;
    return acc;
}

}  // namespace llm::kernels
