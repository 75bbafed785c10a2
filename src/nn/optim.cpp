#include "nn/optim.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "kernels/kernels.hpp"

namespace llm {

// ---------------------------------------------------------------------------
// AdamW

namespace {
// Elements [lo, hi) of one parameter. (Pointers that do not alias, constants
// by value: the loop vectorizes.)
void adamw_update(float* __restrict p, const float* __restrict g, float* __restrict m, float* __restrict v,
                  std::size_t lo, std::size_t hi, float decay, float beta1, float beta2, float step_size,
                  float sqrt_bc2, float eps) {
    for (std::size_t i = lo; i < hi; ++i) {
        p[i] *= decay;
        m[i] = beta1 * m[i] + (1.0f - beta1) * g[i];
        v[i] = beta2 * v[i] + (1.0f - beta2) * g[i] * g[i];
        p[i] -= step_size * m[i] / (std::sqrt(v[i]) / sqrt_bc2 + eps);
    }
}
}  // namespace

AdamW::AdamW(const NamedTensors& params, Options opt) : opt_(opt) {
    for (const auto& [name, p] : params) {
        if (!p.requires_grad()) throw std::invalid_argument("AdamW: parameter '" + name + "' does not require a gradient");
        params_.push_back(p);
        m_.emplace_back(p.numel(), 0.0f);
        v_.emplace_back(p.numel(), 0.0f);
    }
    constexpr std::size_t chunk = std::size_t(1) << 13;
    for (std::size_t k = 0; k < params_.size(); ++k)
        for (std::size_t lo = 0; lo < params_[k].numel(); lo += chunk)
            chunks_.push_back({k, lo, std::min(params_[k].numel(), lo + chunk)});
}

void AdamW::step() {
    ++t_;
    // bias corrections in double, rounded once (as torch computes them in Python floats)
    const double bc1 = 1.0 - std::pow(static_cast<double>(opt_.beta1), t_);
    const double bc2 = 1.0 - std::pow(static_cast<double>(opt_.beta2), t_);
    const float step_size = static_cast<float>(opt_.lr / bc1), sqrt_bc2 = static_cast<float>(std::sqrt(bc2));
    const float decay = 1.0f - opt_.lr * opt_.weight_decay;
    const float beta1 = opt_.beta1, beta2 = opt_.beta2, eps = opt_.eps;
    for (Tensor& p : params_) p.grad();                 // (a gradient never written reads as zeros: made here, not on the threads)
    // every element on its own: the threads take chunks of every tensor, all in one go
    kernels::parallel_for(static_cast<int>(chunks_.size()), [&](int c) {
        const Chunk& ch = chunks_[std::size_t(c)];
        adamw_update(params_[ch.k].data().data(), params_[ch.k].grad().data(), m_[ch.k].data(), v_[ch.k].data(),
                     ch.lo, ch.hi, decay, beta1, beta2, step_size, sqrt_bc2, eps);
    });
}

void AdamW::zero_grad() {
    for (Tensor& p : params_) p.zero_grad();
}

// ---------------------------------------------------------------------------
// Clipping

float grad_norm(const NamedTensors& params) {
    double sq = 0.0;                                                // sum of every g^2, in double
    for (const auto& [name, p] : params) sq = kernels::sum_of_squares(p.grad(), sq);
    return static_cast<float>(std::sqrt(sq));
}

float clip_grad_norm(const NamedTensors& params, float max_norm) {
    if (!(max_norm > 0.0f)) throw std::invalid_argument("clip_grad_norm: max_norm must be positive, got " + std::to_string(max_norm));
    const float norm = grad_norm(params);
    const float coef = max_norm / (norm + 1e-6f);
    if (coef < 1.0f)
        for (const auto& [name, p] : params) {
            Tensor t = p;
            const std::span<float> g = t.grad();
            kernels::parallel_ranges(g.size(), 16384, [&](std::size_t lo, std::size_t hi) {
                for (std::size_t i = lo; i < hi; ++i) g[i] *= coef;                // g = g * coef
            });
        }
    return norm;
}

// ---------------------------------------------------------------------------
// Schedule

float WarmupCosine::at(int step) const {
    if (step < warmup) return base_lr * static_cast<float>(step + 1) / static_cast<float>(warmup);
    if (step >= total) return base_lr * min_ratio;
    const double progress = static_cast<double>(step - warmup) / std::max(1, total - warmup);   // 0 -> 1
    const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));               // 1 -> 0
    return base_lr * static_cast<float>(min_ratio + (1.0 - min_ratio) * cosine);
}

}  // namespace llm
