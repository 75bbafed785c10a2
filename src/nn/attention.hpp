#pragma once
// Attention: lesson 1's scaled dot-product attention and lesson 2's
// multi-head attention.
//
//   Attention(Q, K, V) = softmax(Q K^T / sqrt(D) , mask) V
//
// Masks follow ops.hpp: 1 = blocked. A blocked key gets exactly zero weight; a
// query whose every key is blocked gets zero weights and a zero output.
#include <string>
#include <utility>
#include <vector>

#include "core/ops.hpp"
#include "core/tensor.hpp"

namespace llm {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

// ---------------------------------------------------------------------------
// Scaled dot-product attention (lesson 1)

struct Attention {
    Tensor output;    // [..., T, Dv]  the weighted sum of the values
    Tensor weights;   // [..., T, S]   row t: how much query t takes from each key (sums to 1, or 0 if all blocked)
    Tensor scores;    // [..., T, S]   Q K^T / sqrt(D), before the softmax
};

// q [..., T, D], k [..., S, D], v [..., S, Dv]; mask broadcasts to [..., T, S].
Attention scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v);
Attention scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask);

// ---------------------------------------------------------------------------
// Multi-head attention (lesson 2), parameterised as torch.nn.MultiheadAttention
// so that its state_dict names and layouts carry over unchanged:
//
//   in_proj_weight  [3C, C]  rows 0..C-1 are W_q, C..2C-1 W_k, 2C..3C-1 W_v
//   in_proj_bias    [3C]
//   out_proj.weight [C, C]   W_o
//   out_proj.bias   [C]
//
// forward: Q = x W_q^T + b_q (likewise K, V)          [B, T, C]
//          split heads: [B, T, C] -> [B, T, H, D] -> [B, H, T, D]
//          per head: softmax(Q K^T / sqrt(D), mask) V  [B, H, T, D]
//          merge heads: -> [B, T, H, D] -> [B, T, C]
//          out = merged W_o^T + b_o                    [B, T, C]

class MultiHeadAttention {
public:
    MultiHeadAttention(int d_model, int num_heads, Rng& rng);   // torch's init: xavier in_proj, zero biases

    struct Output {
        Tensor out;       // [B, T, C]
        Tensor weights;   // [B, H, T, S]  every head's attention weights
    };
    // Self-attention over x [B, T, C]; mask broadcasts to [B, H, T, T]
    // (causal_mask(T) [T, T], or padding_mask_for_scores(pad) [B, 1, 1, T]).
    Output forward(const Tensor& x) const;
    Output forward(const Tensor& x, const Tensor& mask) const;

    void parameters(const std::string& prefix, NamedTensors& out) const;
    int d_model() const { return d_model_; }
    int num_heads() const { return num_heads_; }

    Tensor in_proj_weight, in_proj_bias, out_proj_weight, out_proj_bias;

private:
    Output run(const Tensor& x, const Tensor* mask) const;
    int d_model_, num_heads_;
};

// [B, T, C] -> [B, H, T, D]  and back.
Tensor split_heads(const Tensor& x, int num_heads);
Tensor merge_heads(const Tensor& x);

// ---------------------------------------------------------------------------
// The same attention without the copies (what MultiHeadAttention::forward
// runs in the fast build; fused_attention.cpp over kernels/attention.cpp).
// split_heads, the transposes and merge_heads move every activation through a
// dozen copies, and back again in the backward pass. These two ops read each
// head straight out of the packed projection qkv [B, T, 3C] and write its
// output straight into its columns of [B, T, C]:
//
//   attention_weights(qkv, H[, mask])  w[b,h] = softmax(q_bh k_bh^T / sqrt(D), mask)   [B, H, T, T]
//   attention_mix(w, qkv)              y[b, :, h*D:h*D+D] = w[b,h] v_bh                 [B, T, C]
//
// with q = qkv[..., 0:C], k = qkv[..., C:2C], v = qkv[..., 2C:3C]. They give
// the same bits as narrow -> split_heads -> scaled_dot_product_attention ->
// merge_heads, forward and backward (tests/test_modules.cpp checks it).
// mask broadcasts to [B, H, T, T], 1 = blocked.
Tensor attention_weights(const Tensor& qkv, int num_heads);
Tensor attention_weights(const Tensor& qkv, int num_heads, const Tensor& mask);
Tensor attention_mix(const Tensor& weights, const Tensor& qkv);

}  // namespace llm
