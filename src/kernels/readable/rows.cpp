// The readable build's row sums and zeroing: plain loops, left to right.
#include <algorithm>

#include "kernels/kernels.hpp"

namespace llm::kernels {

float sum(std::span<const float> x) {
    float s = 0.0f;
    for (float v : x) s += v;
    return s;
}

float dot(std::span<const float> x, std::span<const float> y) {
    float s = 0.0f;
    for (size_t i = 0; i < x.size(); ++i) s += x[i] * y[i];
    return s;
}

double sum_of_squares(std::span<const float> x, double acc) {
    for (float v : x) acc += static_cast<double>(v) * v;
    return acc;
}

void fill_zero(std::span<float> x) { std::fill(x.begin(), x.end(), 0.0f); }

}  // namespace llm::kernels
