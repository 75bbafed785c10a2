#pragma once
// The differentiable ops. Each op's forward and backward sit next to each
// other in ops.cpp, the backward's comment restating the forward.
//
// Conventions
// - Shapes use the names of tensor.hpp (B, T, C, H, D, F, V, K, S).
// - Broadcasting (add, sub, mul, and masks) follows NumPy/PyTorch: shapes are
//   aligned on the right; a missing dimension or a dimension of 1 repeats.
// - Masks: a mask is a tensor of 0s and 1s where 1 means BLOCKED (this key may
//   not be attended to, this token is padding), the convention of PyTorch's
//   boolean masks. The ops that take a mask treat it as masked-fill: a blocked
//   score gets exactly zero weight; a row whose every entry is blocked gets
//   all-zero weights, never NaN.
// - An op given incompatible shapes throws std::invalid_argument naming the
//   op and both shapes, in every build type.
#include <cstddef>
#include <span>
#include <vector>

#include "core/rng.hpp"
#include "core/tensor.hpp"

namespace llm {

// --- elementwise --------------------------------------------------------------
Tensor add(const Tensor& a, const Tensor& b);        // a + b, broadcast
Tensor sub(const Tensor& a, const Tensor& b);        // a - b, broadcast
Tensor mul(const Tensor& a, const Tensor& b);        // a * b, broadcast
Tensor scale(const Tensor& a, float s);              // s * a
Tensor relu(const Tensor& x);                        // max(x, 0)
Tensor gelu(const Tensor& x);                        // x * Phi(x), the exact erf form (torch's default)

// --- shapes -------------------------------------------------------------------
Tensor reshape(const Tensor& x, const Shape& shape); // same values, new shape; one dim may be -1
Tensor transpose(const Tensor& x, int d0 = -2, int d1 = -1);   // swap two dims (copies)
Tensor narrow(const Tensor& x, int dim, int start, int length); // x[..., start:start+length, ...]

// --- products -----------------------------------------------------------------
// [..., M, K] @ [..., K, N] -> [..., M, N]. The leading (batch) dims must be
// equal, or b is 2-D [K, N] and shared by every batch entry.
Tensor matmul(const Tensor& a, const Tensor& b);
// x [..., I] , W [O, I] , b [O]  ->  x W^T + b  [..., O]   (torch.nn.Linear's layout)
Tensor linear(const Tensor& x, const Tensor& W, const Tensor& b);
Tensor linear(const Tensor& x, const Tensor& W);

// --- reductions ---------------------------------------------------------------
Tensor sum(const Tensor& x);                         // all elements -> []
Tensor sum(const Tensor& x, int dim);                // removes dim
Tensor mean(const Tensor& x, int dim);               // removes dim
// x [B, T, C], pad [B, T] (1 = padding) -> [B, C]: the mean over real tokens.
// A row with no real token gives zeros.
Tensor masked_mean(const Tensor& x, const Tensor& pad);
// The same shapes: the largest value of each channel over the real tokens
// (max-over-time pooling). A row with no real token gives zeros.
Tensor masked_max(const Tensor& x, const Tensor& pad);

// --- normalisation, probabilities ----------------------------------------------
Tensor softmax(const Tensor& x);                     // over the last dim, max-subtracted
Tensor softmax(const Tensor& x, const Tensor& mask); // mask broadcast to x, 1 = blocked
Tensor log_softmax(const Tensor& x);                 // over the last dim

// mask broadcast to `scores`, one byte per score: 1 = blocked. Errors name `op`.
std::vector<unsigned char> blocked_entries(const char* op, const Shape& scores, const Tensor& mask);
// The same mask as strides: score (i0, i1, ...) reads mask.data()[sum_d i_d * strides[d]]
// (0 along the dims the mask repeats), for ops that build one row at a time.
std::vector<std::size_t> mask_strides(const char* op, const Shape& scores, const Tensor& mask);
// x [..., C], gamma [C], beta [C]: (x - mean) / sqrt(var + eps) * gamma + beta,
// mean and (biased) variance over the last dim.
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps = 1e-5f);

// --- lookups, losses, regularisation ----------------------------------------------
// table [V, C], ids of shape `ids_shape` -> ids_shape + [C]
Tensor embedding(const Tensor& table, std::span<const int> ids, const Shape& ids_shape);
// logits [N, K], labels N integers in [0, K) -> [] mean of -log softmax(logits)[label]
Tensor cross_entropy(const Tensor& logits, std::span<const int> labels);
// With label smoothing eps in [0, 1] (torch's cross_entropy(label_smoothing=eps)):
// mean over n of (1 - eps) * -log p[n, label_n] + eps * mean_k -log p[n, k].
Tensor cross_entropy(const Tensor& logits, std::span<const int> labels, float smoothing);
// Inverted dropout: in training each element is zeroed with probability p and
// the survivors are scaled by 1/(1-p); in evaluation (or p == 0) x itself.
Tensor dropout(const Tensor& x, float p, bool training, Rng& rng);

// --- masks (plain tensors, no gradient) -------------------------------------------
Tensor causal_mask(int T);                           // [T, T], 1 above the diagonal (future keys)
Tensor padding_mask_for_scores(const Tensor& pad);   // pad [B, S] -> [B, 1, 1, S], broadcasts over heads and queries

}  // namespace llm
