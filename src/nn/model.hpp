#pragma once
// The complete mini LLM (lesson 5): a sentiment classifier on our encoder.
//
//   ids [B, T], pad [B, T] (1 = padding)
//   x = embedding(ids) * sqrt(C) + PE[:T]          [B, T, C]   sinusoidal PE
//   x = Dropout(x)
//   x = Encoder(x, pad)                             [B, T, C]   pads are never attended to
//   pooled = masked_mean(x, pad)                    [B, C]      mean over the real tokens
//   logits = classifier(pooled)                     [B, K]
//
// Parameter names (torch conventions, see tests/reference/minillm.py):
//   embedding.weight [V, C] (init N(0, 1/C)), encoder.layers.N.* (encoder.hpp), encoder.norm.*
//   (pre-LN only), classifier.weight [K, C], classifier.bias [K].
//
// BagOfWords is the baseline the lessons compare against: the same embedding,
// mean-pooled, the same classifier, and no attention, no positions; it sees
// which words occur, never their order.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nn/config.hpp"
#include "nn/encoder.hpp"
#include "core/rng.hpp"
#include "core/tensor.hpp"

namespace llm {

// ModelConfig, the model's settings: nn/config.hpp

class MiniLLM {
public:
    MiniLLM(const ModelConfig& cfg, std::uint64_t seed);
    struct Output {
        Tensor logits;                      // [B, K]
        std::vector<Tensor> attention;      // per layer [B, H, T, T]
    };
    // Dropout is on when dropout_rng is given (training), off with nullptr.
    Output forward(std::span<const int> ids, const Tensor& pad, Rng* dropout_rng) const;
    // The encoder's output alone, before pooling: every token's final vector
    // (Encoder::Output: out [B, T, C], attention). Masked-language-model
    // pre-training (app/train.hpp, pretrain) reads it.
    Encoder::Output encode(std::span<const int> ids, const Tensor& pad, Rng* dropout_rng) const;
    NamedTensors named_parameters() const;  // every trainable tensor, torch names, fixed order
    std::size_t num_parameters() const;
    const ModelConfig& config() const { return cfg_; }

    Tensor embedding;                       // [V, C]
    Tensor positions;                       // [max_len, C] sinusoidal, not a parameter
    Encoder encoder;
    Tensor classifier_weight, classifier_bias;   // [K, C], [K]

private:
    ModelConfig cfg_;
};

class BagOfWords {
public:
    BagOfWords(int vocab_size, int d_model, int num_classes, std::uint64_t seed);
    Tensor forward(std::span<const int> ids, const Tensor& pad) const;   // logits [B, K]
    NamedTensors named_parameters() const;
    Tensor embedding, classifier_weight, classifier_bias;
};

std::size_t count_parameters(const NamedTensors& params);    // the sum of their numel()
// The number of parameters a config describes, from the formula of the
// architecture, before building anything (a checkpoint's config is checked
// with it); tested against MiniLLM::num_parameters(). In double, so absurd
// configs do not overflow.
double parameter_count(const ModelConfig& cfg);

}  // namespace llm
