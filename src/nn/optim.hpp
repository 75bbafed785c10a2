#pragma once
// Training utilities: AdamW, global gradient-norm clipping, and the learning
// rate schedule. Formulas are torch.optim.AdamW's and
// torch.nn.utils.clip_grad_norm_'s, so a step here matches a step there.
#include <vector>

#include "nn/attention.hpp"   // NamedTensors
#include "core/tensor.hpp"

namespace llm {

// AdamW (Loshchilov & Hutter), for each parameter p with gradient g, step t:
//   p = p * (1 - lr * weight_decay)                 decoupled weight decay
//   m = beta1 * m + (1 - beta1) * g
//   v = beta2 * v + (1 - beta2) * g^2
//   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
class AdamW {
public:
    struct Options {
        float lr = 1e-3f;            // learning rate (the schedule may change it per step)
        float beta1 = 0.9f;          // decay of the gradient's running mean
        float beta2 = 0.999f;        // decay of the squared gradient's running mean
        float eps = 1e-8f;           // keeps the division finite
        float weight_decay = 0.01f;  // decoupled decay, torch's default
    };
    AdamW(const NamedTensors& params, Options opt);
    void step();                     // one update from the current gradients
    void zero_grad();                // zero every parameter's gradient (Tensor::zero_grad)
    void set_lr(float lr) { opt_.lr = lr; }
    float lr() const { return opt_.lr; }
    int steps() const { return t_; }

private:
    std::vector<Tensor> params_;
    std::vector<std::vector<float>> m_, v_;
    struct Chunk {                   // elements [lo, hi) of parameter k: step() hands all of them
        std::size_t k, lo, hi;       // to the threads at once (one hand-off per step, not one per tensor)
    };
    std::vector<Chunk> chunks_;
    Options opt_;
    int t_ = 0;
};

// Scales all gradients together so that their global L2 norm is at most
// max_norm (torch: coef = max_norm / (norm + 1e-6), applied when < 1).
// Returns the norm before clipping.
float clip_grad_norm(const NamedTensors& params, float max_norm);
float grad_norm(const NamedTensors& params);

// Linear warmup from 0 to base_lr over `warmup` steps, then cosine decay to
// min_ratio * base_lr at step `total`.
struct WarmupCosine {
    float base_lr = 1e-3f;
    int warmup = 0;
    int total = 1;
    float min_ratio = 0.1f;
    float at(int step) const;        // step counts from 0
};

}  // namespace llm
