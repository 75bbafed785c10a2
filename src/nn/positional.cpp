#include "nn/positional.hpp"

#include <cmath>
#include <stdexcept>

#include "nn/init.hpp"

namespace llm {

Tensor sinusoidal_encoding(int max_len, int d_model) {
    if (max_len <= 0 || d_model <= 0)
        throw std::invalid_argument("sinusoidal_encoding: max_len " + std::to_string(max_len) + " and d_model " +
                                    std::to_string(d_model) + " must be positive");
    Tensor pe = Tensor::zeros({max_len, d_model});                    // [L, C]
    for (int pos = 0; pos < max_len; ++pos)
        for (int j = 0; j < d_model; ++j) {
            const int two_i = j - j % 2;                             // the pair's even index 2i
            const double angle = pos / std::pow(10000.0, static_cast<double>(two_i) / d_model);
            pe.data()[static_cast<std::size_t>(pos) * d_model + j] =
                static_cast<float>(j % 2 == 0 ? std::sin(angle) : std::cos(angle));
        }
    return pe;
}

Tensor add_positions(const Tensor& x, const Tensor& pe) {
    if (x.ndim() != 3 || pe.ndim() != 2 || pe.dim(1) != x.dim(2) || pe.dim(0) < x.dim(1))
        throw std::invalid_argument("add_positions: x [B, T, C] needs pe [L >= T, C] (got " + to_string(x.shape()) +
                                    " and " + to_string(pe.shape()) + ")");
    return add(x, narrow(pe, 0, 0, x.dim(1)));                        // [B, T, C] + [T, C]
}

LearnedPositionalEmbedding::LearnedPositionalEmbedding(int max_len, int d_model, Rng& rng)
    : weight(init::normal({max_len, d_model}, 1.0f, rng)) {}

void LearnedPositionalEmbedding::parameters(const std::string& prefix, NamedTensors& out) const {
    out.emplace_back(prefix + "weight", weight);
}

}  // namespace llm
