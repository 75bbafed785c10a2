#include "nn/encoder.hpp"

#include <stdexcept>

#include "nn/init.hpp"
#include "core/ops.hpp"

namespace llm {

const char* to_string(Activation a) { return a == Activation::relu ? "relu" : "gelu"; }
const char* to_string(Pooling p) { return p == Pooling::mean ? "mean" : "max"; }

namespace {
Tensor maybe_dropout(const Tensor& x, float p, Rng* rng) {
    return rng ? dropout(x, p, true, *rng) : x;
}
}  // namespace

// ---------------------------------------------------------------------------
// LayerNorm

LayerNorm::LayerNorm(int d_model, float eps_) : weight(init::ones({d_model})), bias(init::zeros({d_model})), eps(eps_) {}

Tensor LayerNorm::forward(const Tensor& x) const { return layer_norm(x, weight, bias, eps); }

void LayerNorm::parameters(const std::string& prefix, NamedTensors& out) const {
    out.emplace_back(prefix + "weight", weight);
    out.emplace_back(prefix + "bias", bias);
}

// ---------------------------------------------------------------------------
// Encoder block

void EncoderConfig::validate() const {
    auto fail = [](const std::string& why) { throw std::invalid_argument("encoder config: " + why); };
    if (d_model <= 0) fail("d_model must be positive, got " + std::to_string(d_model));
    if (num_heads <= 0) fail("num_heads must be positive, got " + std::to_string(num_heads));
    if (d_model % num_heads != 0)
        fail("d_model " + std::to_string(d_model) + " is not divisible by num_heads " + std::to_string(num_heads));
    if (d_ff <= 0) fail("d_ff must be positive, got " + std::to_string(d_ff));
    if (!(dropout >= 0.0f && dropout < 1.0f)) fail("dropout must be in [0, 1), got " + std::to_string(dropout));
}

EncoderBlock::EncoderBlock(const EncoderConfig& c, Rng& rng)
    : cfg((c.validate(), c)),
      self_attn(c.d_model, c.num_heads, rng),
      linear1_weight(init::linear_weight(c.d_ff, c.d_model, rng)),    // [F, C]
      linear1_bias(init::linear_bias(c.d_ff, c.d_model, rng)),        // [F]
      linear2_weight(init::linear_weight(c.d_model, c.d_ff, rng)),    // [C, F]
      linear2_bias(init::linear_bias(c.d_model, c.d_ff, rng)),        // [C]
      norm1(c.d_model),
      norm2(c.d_model) {}

Tensor EncoderBlock::feed_forward(const Tensor& x, Rng* rng) const {
    Tensor h = linear(x, linear1_weight, linear1_bias);                    // [B, T, F]
    h = cfg.activation == Activation::relu ? relu(h) : gelu(h);           // [B, T, F]
    h = maybe_dropout(h, cfg.dropout, rng);
    return linear(h, linear2_weight, linear2_bias);                        // [B, T, C]
}

EncoderBlock::Output EncoderBlock::forward(const Tensor& x, const Tensor* mask, Rng* rng) const {
    auto attend = [&](const Tensor& in) { return mask ? self_attn.forward(in, *mask) : self_attn.forward(in); };
    if (cfg.pre_norm) {
        MultiHeadAttention::Output a = attend(norm1.forward(x));                       // [B, T, C]
        Tensor h = add(x, maybe_dropout(a.out, cfg.dropout, rng));                     // x + MHA(LN1(x))
        Tensor out = add(h, maybe_dropout(feed_forward(norm2.forward(h), rng), cfg.dropout, rng));
        return {out, a.weights};
    }
    MultiHeadAttention::Output a = attend(x);                                          // [B, T, C]
    Tensor h = norm1.forward(add(x, maybe_dropout(a.out, cfg.dropout, rng)));          // LN1(x + MHA(x))
    Tensor out = norm2.forward(add(h, maybe_dropout(feed_forward(h, rng), cfg.dropout, rng)));
    return {out, a.weights};
}

void EncoderBlock::parameters(const std::string& prefix, NamedTensors& out) const {
    self_attn.parameters(prefix + "self_attn.", out);
    out.emplace_back(prefix + "linear1.weight", linear1_weight);
    out.emplace_back(prefix + "linear1.bias", linear1_bias);
    out.emplace_back(prefix + "linear2.weight", linear2_weight);
    out.emplace_back(prefix + "linear2.bias", linear2_bias);
    norm1.parameters(prefix + "norm1.", out);
    norm2.parameters(prefix + "norm2.", out);
}

// ---------------------------------------------------------------------------
// Encoder stack

Encoder::Encoder(const EncoderConfig& cfg, int num_layers, Rng& rng) {
    cfg.validate();
    if (num_layers <= 0) throw std::invalid_argument("encoder config: num_layers must be positive, got " + std::to_string(num_layers));
    for (int i = 0; i < num_layers; ++i) layers.emplace_back(cfg, rng);
    if (cfg.pre_norm) final_norm.emplace_back(cfg.d_model);
}

Encoder::Output Encoder::forward(const Tensor& x, const Tensor* pad, Rng* rng) const {
    Output o;
    Tensor mask;
    if (pad) {
        if (pad->ndim() != 2 || x.ndim() != 3 || pad->dim(0) != x.dim(0) || pad->dim(1) != x.dim(1))
            throw std::invalid_argument("encoder: pad must be [B, T] for x [B, T, C] (got " + to_string(pad->shape()) +
                                        " and " + to_string(x.shape()) + ")");
        mask = padding_mask_for_scores(*pad);                                  // [B, 1, 1, T]
    }
    Tensor h = x;                                                              // [B, T, C]
    for (const EncoderBlock& layer : layers) {
        EncoderBlock::Output b = layer.forward(h, pad ? &mask : nullptr, rng);
        h = b.out;
        o.attention.push_back(b.attention);
        o.hidden.push_back(h);
    }
    o.out = final_norm.empty() ? h : final_norm[0].forward(h);
    return o;
}

void Encoder::parameters(const std::string& prefix, NamedTensors& out) const {
    for (std::size_t i = 0; i < layers.size(); ++i) layers[i].parameters(prefix + "layers." + std::to_string(i) + ".", out);
    if (!final_norm.empty()) final_norm[0].parameters(prefix + "norm.", out);
}

}  // namespace llm
