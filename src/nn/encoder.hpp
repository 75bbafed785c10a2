#pragma once
// The transformer encoder (lesson 4): LayerNorm, the feed-forward network,
// residual connections, the encoder block and a stack of blocks.
//
// Parameter names follow torch.nn.TransformerEncoderLayer, so a block's
// state_dict loads into PyTorch unchanged:
//   self_attn.{in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias}
//   linear1.{weight, bias}  [F, C], [F]      linear2.{weight, bias}  [C, F], [C]
//   norm1.{weight, bias}    [C]              norm2.{weight, bias}    [C]
//
// Post-LN (the paper, the workshop, torch's default):
//   x = LN1(x + Dropout(MHA(x)))
//   x = LN2(x + Dropout(FFN(x)))
// Pre-LN (GPT-2 and most models since; trains deep stacks without warmup):
//   x = x + Dropout(MHA(LN1(x)))
//   x = x + Dropout(FFN(LN2(x)))
//   and the stack ends with one more LayerNorm (`norm.{weight, bias}`).
// FFN(x) = linear2(Dropout(act(linear1(x)))), act = ReLU or GELU.
//
// Dropout is on when a forward is given an Rng (training), off with nullptr.
#include <string>
#include <vector>

#include "nn/attention.hpp"
#include "nn/config.hpp"
#include "core/rng.hpp"
#include "core/tensor.hpp"

namespace llm {

// ---------------------------------------------------------------------------
class LayerNorm {
public:
    explicit LayerNorm(int d_model, float eps = 1e-5f);   // weight 1, bias 0
    Tensor forward(const Tensor& x) const;                // [..., C] -> [..., C]
    void parameters(const std::string& prefix, NamedTensors& out) const;
    Tensor weight, bias;                                  // gamma [C], beta [C]
    float eps;
};

// ---------------------------------------------------------------------------
// EncoderConfig: nn/config.hpp
class EncoderBlock {
public:
    EncoderBlock(const EncoderConfig& cfg, Rng& rng);
    struct Output {
        Tensor out;        // [B, T, C]
        Tensor attention;  // [B, H, T, T] the block's attention weights
    };
    // x [B, T, C]; mask broadcasts to [B, H, T, T] (1 = blocked) or is null.
    Output forward(const Tensor& x, const Tensor* mask, Rng* dropout_rng) const;
    void parameters(const std::string& prefix, NamedTensors& out) const;

    EncoderConfig cfg;
    MultiHeadAttention self_attn;
    Tensor linear1_weight, linear1_bias, linear2_weight, linear2_bias;
    LayerNorm norm1, norm2;

private:
    Tensor feed_forward(const Tensor& x, Rng* dropout_rng) const;   // [B, T, C] -> [B, T, C]
};

// ---------------------------------------------------------------------------
class Encoder {
public:
    Encoder() = default;                   // no layers
    Encoder(const EncoderConfig& cfg, int num_layers, Rng& rng);
    struct Output {
        Tensor out;                        // [B, T, C]
        std::vector<Tensor> attention;     // per layer [B, H, T, T]
        std::vector<Tensor> hidden;        // per layer's output [B, T, C] (before the final norm)
    };
    // x [B, T, C]; pad [B, T] (1 = padding, never attended to) or null.
    Output forward(const Tensor& x, const Tensor* pad, Rng* dropout_rng) const;
    void parameters(const std::string& prefix, NamedTensors& out) const;

    std::vector<EncoderBlock> layers;
    std::vector<LayerNorm> final_norm;     // one LayerNorm for pre-LN stacks, empty for post-LN
};

}  // namespace llm
