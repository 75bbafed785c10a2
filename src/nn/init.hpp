#pragma once
// Parameter initializers: new leaf tensors that require a gradient, filled
// from a seeded Rng (so the same seed gives the same model everywhere).
// The rules are PyTorch's defaults for the corresponding modules.
#include "core/rng.hpp"
#include "core/tensor.hpp"

namespace llm::init {

Tensor zeros(const Shape& shape);                            // biases, LayerNorm beta
Tensor ones(const Shape& shape);                             // LayerNorm gamma
Tensor uniform(const Shape& shape, float bound, Rng& rng);   // U(-bound, bound)
Tensor normal(const Shape& shape, float stddev, Rng& rng);   // N(0, stddev^2), nn.Embedding: stddev 1
// nn.Linear's default for W [O, I] (and its bias): U(-1/sqrt(I), 1/sqrt(I))
Tensor linear_weight(int out_features, int in_features, Rng& rng);
Tensor linear_bias(int out_features, int in_features, Rng& rng);
// Xavier/Glorot uniform for W [O, I]: U(-a, a), a = sqrt(6 / (I + O)); nn.MultiheadAttention's in_proj
Tensor xavier_uniform(int out_features, int in_features, Rng& rng);

}  // namespace llm::init
