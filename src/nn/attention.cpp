#include "nn/attention.hpp"

#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/gemm.hpp"
#include "nn/init.hpp"
#include "kernels/parallel.hpp"

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
// Fused multi-head attention: the heads read and written in place.

namespace {
// Shapes of qkv [B, T, 3C] split into H heads.
struct HeadLayout {
    int B, T, C, H, D;
    std::size_t ld() const { return std::size_t(3) * std::size_t(C); }                   // row stride of qkv
    std::size_t row(int b) const { return std::size_t(b) * std::size_t(T) * ld(); }     // qkv offset of [b, 0, 0]
    std::size_t q(int b, int h) const { return row(b) + std::size_t(h) * std::size_t(D); }
    std::size_t k(int b, int h) const { return q(b, h) + std::size_t(C); }
    std::size_t v(int b, int h) const { return q(b, h) + 2 * std::size_t(C); }
    std::size_t w(int b, int h) const { return (std::size_t(b) * H + std::size_t(h)) * std::size_t(T) * std::size_t(T); }
};

HeadLayout head_layout(const char* op, const Tensor& qkv, int num_heads) {
    if (qkv.ndim() != 3 || num_heads <= 0 || qkv.dim(2) % (3 * num_heads) != 0)
        throw std::invalid_argument(std::string(op) + ": qkv must be [B, T, 3C] with C divisible by " +
                                    std::to_string(num_heads) + " heads, got " + to_string(qkv.shape()));
    const int C = qkv.dim(2) / 3;
    return {qkv.dim(0), qkv.dim(1), C, num_heads, C / num_heads};
}

Tensor attention_weights_impl(const Tensor& qkv, int num_heads, const Tensor* mask) {
    const HeadLayout L = head_layout("attention_weights", qkv, num_heads);
    const int T = L.T, D = L.D;
    const Shape shape{L.B, L.H, T, T};
    // mask entry of score (b, h, t, s): mask.data()[b*ms[0] + h*ms[1] + t*ms[2] + s*ms[3]]
    const std::vector<std::size_t> ms = mask ? mask_strides("attention_weights", shape, *mask) : std::vector<std::size_t>();
    const float inv_sqrt_d = 1.0f / std::sqrt(static_cast<float>(D));
    const std::size_t TT = std::size_t(T) * T;
    Tensor out = Tensor::make_result(shape, {qkv}, "attention_weights", Tensor::Init::none);
    {
        const std::span<const float> x = qkv.data();
        const std::span<float> w = out.data();
        parallel_for(T > 0 ? L.B * L.H : 0, [&](int bh) {
            const int b = bh / L.H, h = bh % L.H;
            thread_local std::vector<float> scores;                          // one row of scores, reused
            thread_local std::vector<unsigned char> blocked;                 // and of its mask
            scores.resize(static_cast<std::size_t>(T));
            blocked.resize(static_cast<std::size_t>(T));
            const std::span<float> wbh = w.subspan(L.w(b, h), TT);
            gemm(false, true, T, T, D, x.subspan(L.q(b, h)), L.ld(), x.subspan(L.k(b, h)), L.ld(), wbh, std::size_t(T),
                 false);                                                    // q k^T           [T, T]
            for (int t = 0; t < T; ++t) {                                   // softmax(. / sqrt(D), mask), row t
                const std::span<float> row = wbh.subspan(std::size_t(t) * T, std::size_t(T));
                for (int s = 0; s < T; ++s) scores[std::size_t(s)] = inv_sqrt_d * row[std::size_t(s)];
                if (mask) {
                    const float* m = mask->data().data() + std::size_t(b) * ms[0] + std::size_t(h) * ms[1] + std::size_t(t) * ms[2];
                    for (int s = 0; s < T; ++s) blocked[std::size_t(s)] = m[std::size_t(s) * ms[3]] != 0.0f;
                }
                softmax_row(scores, row, mask ? std::span<const unsigned char>(blocked) : std::span<const unsigned char>());
            }
        });
    }
    // backward: w = softmax(r / sqrt(D)), r = q k^T  =>  dr = softmax'(dw) / sqrt(D)
    //           dq += dr k ;  dk += dr^T q         (each head into its own columns of dqkv)
    out.set_backward([qkv, L, inv_sqrt_d](Node& o) {
        Tensor t_qkv = qkv;
        const std::span<float> dx = t_qkv.grad();
        const std::span<const float> x = qkv.data(), w = o.data, dw = o.grad;
        const int T = L.T, D = L.D;
        const std::size_t TT = std::size_t(T) * T;
        parallel_for(T > 0 ? L.B * L.H : 0, [&](int bh) {
            const int b = bh / L.H, h = bh % L.H;
            thread_local std::vector<float> dr;     // d(loss)/d(q k^T) [T, T], reused (T*T floats kept per thread)
            dr.assign(TT, 0.0f);
            for (int t = 0; t < T; ++t) {
                const std::size_t r = L.w(b, h) + std::size_t(t) * T;
                const std::span<float> drow = std::span<float>(dr).subspan(std::size_t(t) * T, std::size_t(T));
                softmax_row_backward(w.subspan(r, std::size_t(T)), dw.subspan(r, std::size_t(T)), drow);
                for (float& g : drow) g = g * inv_sqrt_d;
            }
            gemm(false, false, T, D, T, dr, std::size_t(T), x.subspan(L.k(b, h)), L.ld(), dx.subspan(L.q(b, h)), L.ld(),
                 true);                                                     // dq [T, D] += dr [T, T] k [T, D]
            gemm(true, false, T, D, T, dr, std::size_t(T), x.subspan(L.q(b, h)), L.ld(), dx.subspan(L.k(b, h)), L.ld(),
                 true);                                                     // dk [T, D] += dr^T q
        });
    });
    return out;
}
}  // namespace

Tensor attention_weights(const Tensor& qkv, int num_heads) { return attention_weights_impl(qkv, num_heads, nullptr); }
Tensor attention_weights(const Tensor& qkv, int num_heads, const Tensor& mask) {
    return attention_weights_impl(qkv, num_heads, &mask);
}

Tensor attention_mix(const Tensor& weights, const Tensor& qkv) {
    if (weights.ndim() != 4 || weights.dim(2) != weights.dim(3))
        throw std::invalid_argument("attention_mix: weights must be [B, H, T, T], got " + to_string(weights.shape()));
    const HeadLayout L = head_layout("attention_mix", qkv, weights.dim(1));
    if (weights.dim(0) != L.B || weights.dim(2) != L.T)
        throw std::invalid_argument("attention_mix: weights [B, H, T, T] and qkv [B, T, 3C] do not match (got " +
                                    to_string(weights.shape()) + " and " + to_string(qkv.shape()) + ")");
    const int T = L.T, D = L.D;
    const std::size_t TT = std::size_t(T) * T, C = std::size_t(L.C);
    // head h of batch entry b in y [B, T, C]: rows b*T.., columns h*D.., row stride C
    auto y_at = [L, C](int b, int h) { return std::size_t(b) * std::size_t(L.T) * C + std::size_t(h) * std::size_t(L.D); };
    Tensor out = Tensor::make_result({L.B, T, L.C}, {weights, qkv}, "attention_mix", Tensor::Init::none);
    {
        const std::span<const float> w = weights.data(), x = qkv.data();
        const std::span<float> y = out.data();
        parallel_for(T > 0 ? L.B * L.H : 0, [&](int bh) {
            const int b = bh / L.H, h = bh % L.H;
            gemm(false, false, T, D, T, w.subspan(L.w(b, h), TT), std::size_t(T), x.subspan(L.v(b, h)), L.ld(),
                 y.subspan(y_at(b, h)), C, false);                          // y_bh [T, D] = w [T, T] v [T, D]
        });
    }
    // backward: y = w v  =>  dw += dy v^T ;  dv += w^T dy
    out.set_backward([weights, qkv, L, y_at](Node& o) {
        Tensor tw = weights, t_qkv = qkv;
        const std::span<const float> w = weights.data(), x = qkv.data(), dy = o.grad;
        const int T = L.T, D = L.D;
        const std::size_t TT = std::size_t(T) * T, C = std::size_t(L.C);
        const std::span<float> dw = weights.requires_grad() ? tw.grad() : std::span<float>();
        const std::span<float> dx = qkv.requires_grad() ? t_qkv.grad() : std::span<float>();
        parallel_for(T > 0 ? L.B * L.H : 0, [&](int bh) {
            const int b = bh / L.H, h = bh % L.H;
            if (!dw.empty())
                gemm(false, true, T, T, D, dy.subspan(y_at(b, h)), C, x.subspan(L.v(b, h)), L.ld(),
                     dw.subspan(L.w(b, h), TT), std::size_t(T), true);      // dw [T, T] += dy [T, D] v^T
            if (!dx.empty())
                gemm(true, false, T, D, T, w.subspan(L.w(b, h), TT), std::size_t(T), dy.subspan(y_at(b, h)), C,
                     dx.subspan(L.v(b, h)), L.ld(), true);                  // dv [T, D] += w^T dy
        });
    });
    return out;
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
    // The lesson's steps, fused: split_heads -> scaled_dot_product_attention ->
    // merge_heads, as attention_weights and attention_mix (same bits, no copies).
    Tensor qkv = linear(x, in_proj_weight, in_proj_bias);                   // [B, T, 3C]: q | k | v
    Tensor w = mask ? attention_weights(qkv, num_heads_, *mask)             // [B, H, T, T]
                    : attention_weights(qkv, num_heads_);
    Tensor merged = attention_mix(w, qkv);                                  // [B, T, C]
    return {linear(merged, out_proj_weight, out_proj_bias), w};             // [B, T, C], [B, H, T, T]
}

void MultiHeadAttention::parameters(const std::string& prefix, NamedTensors& out) const {
    out.emplace_back(prefix + "in_proj_weight", in_proj_weight);
    out.emplace_back(prefix + "in_proj_bias", in_proj_bias);
    out.emplace_back(prefix + "out_proj.weight", out_proj_weight);
    out.emplace_back(prefix + "out_proj.bias", out_proj_bias);
}

}  // namespace llm
