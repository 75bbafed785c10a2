#include "core/rng.hpp"

#include <cmath>
#include <numbers>

namespace llm {

namespace {
std::uint64_t splitmix64(std::uint64_t& x) {   // the next draw of the sequence at x, advancing x
    const std::uint64_t z = splitmix64_at(x, 0);
    x += 0x9e3779b97f4a7c15ULL;
    return z;
}
}  // namespace

Rng::Rng(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix64(seed);
}

float Rng::uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

std::uint32_t Rng::below(std::uint32_t n) {
    // Lemire's multiply-shift with rejection: no modulo bias.
    std::uint64_t m = (next_u64() >> 32) * n;
    if (static_cast<std::uint32_t>(m) < n) {
        const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;
        while (static_cast<std::uint32_t>(m) < threshold) m = (next_u64() >> 32) * n;
    }
    return static_cast<std::uint32_t>(m >> 32);
}

float Rng::normal(float mean, float stddev) {
    if (has_spare_) {
        has_spare_ = false;
        return mean + stddev * static_cast<float>(spare_);
    }
    // u1 in (0, 1] so the log is finite; 53-bit uniforms in double.
    const double u1 = (static_cast<double>(next_u64() >> 11) + 1.0) * 0x1.0p-53;
    const double u2 = static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double a = 2.0 * std::numbers::pi * u2;
    spare_ = r * std::sin(a);
    has_spare_ = true;
    return mean + stddev * static_cast<float>(r * std::cos(a));
}

}  // namespace llm
