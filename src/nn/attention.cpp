#include "nn/attention.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "kernels/kernels.hpp"
#include "nn/init.hpp"

namespace llm {

// ---------------------------------------------------------------------------
// Scaled dot-product attention

namespace {
Attention sdpa(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor* mask) {
    if (q.ndim() < 2 || k.ndim() != q.ndim() || v.ndim() != q.ndim() || q.dim(-1) != k.dim(-1))
        throw std::invalid_argument("attention: q [..., T, D] and k [..., S, D] do not match (got " +
                                    to_string(q.shape()) + " and " + to_string(k.shape()) + ")");
    if (v.dim(-2) != k.dim(-2))
        throw std::invalid_argument("attention: k [..., S, D] and v [..., S, Dv] need the same S (got " +
                                    to_string(k.shape()) + " and " + to_string(v.shape()) + ")");
    const float inv_sqrt_d = 1.0f / std::sqrt(static_cast<float>(q.dim(-1)));
    Attention a;
    a.scores = scale(matmul(q, transpose(k)), inv_sqrt_d);                  // [..., T, S]
    a.weights = mask ? softmax(a.scores, *mask) : softmax(a.scores);        // [..., T, S]
    a.output = matmul(a.weights, v);                                        // [..., T, Dv]
    return a;
}
}  // namespace

Attention scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v) {
    return sdpa(q, k, v, nullptr);
}
Attention scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) {
    return sdpa(q, k, v, &mask);
}

// ---------------------------------------------------------------------------
// Head split and merge

Tensor split_heads(const Tensor& x, int num_heads) {
    if (x.ndim() != 3 || num_heads <= 0 || x.dim(2) % num_heads != 0)
        throw std::invalid_argument("split_heads: x must be [B, T, C] with C divisible by " +
                                    std::to_string(num_heads) + " heads, got " + to_string(x.shape()));
    const int B = x.dim(0), T = x.dim(1), H = num_heads, D = x.dim(2) / num_heads;
    return transpose(reshape(x, {B, T, H, D}), 1, 2);                      // [B, T, H, D] -> [B, H, T, D]
}

Tensor merge_heads(const Tensor& x) {
    if (x.ndim() != 4) throw std::invalid_argument("merge_heads: x must be [B, H, T, D], got " + to_string(x.shape()));
    const int B = x.dim(0), H = x.dim(1), T = x.dim(2), D = x.dim(3);
    return reshape(transpose(x, 1, 2), {B, T, H * D});                      // [B, H, T, D] -> [B, T, H, D] -> [B, T, C]
}

// ---------------------------------------------------------------------------
// Multi-head attention

MultiHeadAttention::MultiHeadAttention(int d_model, int num_heads, Rng& rng)
    : d_model_(d_model), num_heads_(num_heads) {
    if (d_model <= 0 || num_heads <= 0 || d_model % num_heads != 0)
        throw std::invalid_argument("MultiHeadAttention: d_model " + std::to_string(d_model) +
                                    " is not divisible by num_heads " + std::to_string(num_heads));
    in_proj_weight = init::xavier_uniform(3 * d_model, d_model, rng);       // [3C, C]
    in_proj_bias = init::zeros({3 * d_model});                              // [3C]
    out_proj_weight = init::linear_weight(d_model, d_model, rng);           // [C, C]
    out_proj_bias = init::zeros({d_model});                                 // [C]
}

MultiHeadAttention::Output MultiHeadAttention::forward(const Tensor& x) const { return run(x, nullptr); }
MultiHeadAttention::Output MultiHeadAttention::forward(const Tensor& x, const Tensor& mask) const {
    return run(x, &mask);
}

MultiHeadAttention::Output MultiHeadAttention::run(const Tensor& x, const Tensor* mask) const {
    if (x.ndim() != 3 || x.dim(2) != d_model_)
        throw std::invalid_argument("MultiHeadAttention: x must be [B, T, " + std::to_string(d_model_) + "], got " +
                                    to_string(x.shape()));
    const int C = d_model_, H = num_heads_;
    Tensor qkv = linear(x, in_proj_weight, in_proj_bias);                   // [B, T, 3C]: q | k | v
    if (!kernels::readable) {
        // The fast build: the steps below fused into two ops that make no copies
        // (fused_attention.cpp; the same bits, tests/test_modules.cpp).
        Tensor w = mask ? attention_weights(qkv, H, *mask) : attention_weights(qkv, H);   // [B, H, T, T]
        return {linear(attention_mix(w, qkv), out_proj_weight, out_proj_bias), w};       // [B, T, C]
    }
    // Lesson 2's steps (the readable build runs these).
    Tensor q = split_heads(narrow(qkv, 2, 0, C), H);                        // [B, H, T, D]
    Tensor k = split_heads(narrow(qkv, 2, C, C), H);                        // [B, H, T, D]
    Tensor v = split_heads(narrow(qkv, 2, 2 * C, C), H);                    // [B, H, T, D]
    Attention a = mask ? scaled_dot_product_attention(q, k, v, *mask)       // weights [B, H, T, T]
                       : scaled_dot_product_attention(q, k, v);             // output  [B, H, T, D]
    Tensor merged = merge_heads(a.output);                                  // [B, T, C]
    return {linear(merged, out_proj_weight, out_proj_bias), a.weights};     // [B, T, C], [B, H, T, T]
}

void MultiHeadAttention::parameters(const std::string& prefix, NamedTensors& out) const {
    out.emplace_back(prefix + "in_proj_weight", in_proj_weight);
    out.emplace_back(prefix + "in_proj_bias", in_proj_bias);
    out.emplace_back(prefix + "out_proj.weight", out_proj_weight);
    out.emplace_back(prefix + "out_proj.bias", out_proj_bias);
}

}  // namespace llm
