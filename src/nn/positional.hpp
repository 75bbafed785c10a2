#pragma once
// Positional encoding (lesson 3). Self-attention sees a set, not a sequence:
// permute the tokens and the outputs are permuted the same way. Adding a
// position-dependent vector to each token breaks that symmetry.
//
// Sinusoidal (Vaswani et al. 2017), sin and cos interleaved:
//   PE[pos, 2i]   = sin(pos / 10000^(2i / C))
//   PE[pos, 2i+1] = cos(pos / 10000^(2i / C))
// Pair i turns at angular frequency w_i = 10000^(-2i/C): wavelengths from 2*pi
// (i = 0) to 10000 * 2*pi. Computed in double, stored as float.
//
// Learned: a [max_len, C] table of parameters, like a second embedding.
#include <string>

#include "nn/attention.hpp"
#include "core/rng.hpp"
#include "core/tensor.hpp"

namespace llm {

// [max_len, C], no gradient.
Tensor sinusoidal_encoding(int max_len, int d_model);

// x [B, T, C] + pe[:T] (pe [L, C], L >= T)  ->  [B, T, C]
Tensor add_positions(const Tensor& x, const Tensor& pe);

class LearnedPositionalEmbedding {
public:
    LearnedPositionalEmbedding(int max_len, int d_model, Rng& rng);   // N(0, 1), as nn.Embedding
    Tensor weight;                                                    // [max_len, C]
    void parameters(const std::string& prefix, NamedTensors& out) const;
};

}  // namespace llm
