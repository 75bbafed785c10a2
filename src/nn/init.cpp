#include "nn/init.hpp"

#include <cmath>

namespace llm::init {

Tensor zeros(const Shape& shape) { return Tensor::zeros(shape, true); }
Tensor ones(const Shape& shape) { return Tensor::full(shape, 1.0f, true); }

Tensor uniform(const Shape& shape, float bound, Rng& rng) {
    Tensor t = Tensor::zeros(shape, true);
    for (float& v : t.data()) v = rng.uniform(-bound, bound);
    return t;
}

Tensor normal(const Shape& shape, float stddev, Rng& rng) {
    Tensor t = Tensor::zeros(shape, true);
    for (float& v : t.data()) v = rng.normal(0.0f, stddev);
    return t;
}

Tensor linear_weight(int out_features, int in_features, Rng& rng) {
    return uniform({out_features, in_features}, 1.0f / std::sqrt(static_cast<float>(in_features)), rng);
}

Tensor linear_bias(int out_features, int in_features, Rng& rng) {
    return uniform({out_features}, 1.0f / std::sqrt(static_cast<float>(in_features)), rng);
}

Tensor xavier_uniform(int out_features, int in_features, Rng& rng) {
    return uniform({out_features, in_features},
                   std::sqrt(6.0f / static_cast<float>(in_features + out_features)), rng);
}

}  // namespace llm::init
