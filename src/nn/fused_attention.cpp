// attention_weights and attention_mix (attention.hpp): lesson 2's multi-head
// attention without its copies, as Tensor ops over the fused kernels
// (kernels/attention.cpp). Shapes are checked here; the loops are the kernels'.
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/kernels.hpp"
#include "nn/attention.hpp"

namespace llm {

namespace {
// qkv [B, T, 3C] split into H heads of D = C / H.
kernels::Heads heads_of(const char* op, const Tensor& qkv, int num_heads) {
    if (qkv.ndim() != 3 || num_heads <= 0 || qkv.dim(2) % (3 * num_heads) != 0)
        throw std::invalid_argument(std::string(op) + ": qkv must be [B, T, 3C] with C divisible by " +
                                    std::to_string(num_heads) + " heads, got " + to_string(qkv.shape()));
    const int C = qkv.dim(2) / 3;
    return {qkv.dim(0), qkv.dim(1), C, num_heads, C / num_heads};
}

Tensor weights_impl(const Tensor& qkv, int num_heads, const Tensor* mask) {
    const kernels::Heads L = heads_of("attention_weights", qkv, num_heads);
    const Shape shape{L.B, L.H, L.T, L.T};
    kernels::MaskView mv;
    if (mask) {
        const std::vector<std::size_t> ms = mask_strides("attention_weights", shape, *mask);
        mv.data = mask->data().data();
        std::copy(ms.begin(), ms.end(), mv.stride.begin());
    }
    Tensor out = Tensor::make_result(shape, {qkv}, "attention_weights", Tensor::Init::none);
    kernels::attention_weights(L, qkv.data(), mv, out.data());
    // backward: through the softmax and q k^T into the q and k columns of dqkv
    out.set_backward([qkv, L](Node& o) {
        Tensor t = qkv;
        kernels::attention_weights_backward(L, qkv.data(), o.data, o.grad, t.grad());
    });
    return out;
}
}  // namespace

Tensor attention_weights(const Tensor& qkv, int num_heads) { return weights_impl(qkv, num_heads, nullptr); }
Tensor attention_weights(const Tensor& qkv, int num_heads, const Tensor& mask) {
    return weights_impl(qkv, num_heads, &mask);
}

Tensor attention_mix(const Tensor& weights, const Tensor& qkv) {
    if (weights.ndim() != 4 || weights.dim(2) != weights.dim(3))
        throw std::invalid_argument("attention_mix: weights must be [B, H, T, T], got " + to_string(weights.shape()));
    const kernels::Heads L = heads_of("attention_mix", qkv, weights.dim(1));
    if (weights.dim(0) != L.B || weights.dim(2) != L.T)
        throw std::invalid_argument("attention_mix: weights [B, H, T, T] and qkv [B, T, 3C] do not match (got " +
                                    to_string(weights.shape()) + " and " + to_string(qkv.shape()) + ")");
    Tensor out = Tensor::make_result({L.B, L.T, L.C}, {weights, qkv}, "attention_mix", Tensor::Init::none);
    kernels::attention_mix(L, weights.data(), qkv.data(), out.data());
    // backward: y = w v  =>  dw += dy v^T ; dv += w^T dy
    out.set_backward([weights, qkv, L](Node& o) {
        Tensor tw = weights, t_qkv = qkv;
        kernels::attention_mix_backward(L, weights.data(), qkv.data(), o.grad,
                                        weights.requires_grad() ? tw.grad() : std::span<float>(),
                                        qkv.requires_grad() ? t_qkv.grad() : std::span<float>());
    });
    return out;
}

}  // namespace llm
