// The ops: forward, then backward right after it.
//
// Pattern of every op (micrograd's, with vectors):
//
//   Tensor out = Tensor::make_result(shape, {inputs...}, "name");
//   ... fill out.data() ...                                   // forward
//   out.set_backward([=](Node& o) { parent.grad() += ... });  // backward
//
// `o.grad` is d(loss)/d(out). Every backward ADDS into its inputs' gradients,
// so a tensor used twice receives the sum. Closures capture their inputs
// (owning handles, never the output: see "Ownership" in tensor.hpp).
#include "core/ops.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <stdexcept>
#include <string>

#include "kernels/kernels.hpp"

namespace llm {

namespace {

using std::size_t;

// Elementwise loops go to the threads (kernels::parallel_ranges) in ranges of
// at least this many elements (below that, handing work over costs more than
// it saves). The readable build runs them in one piece.
constexpr size_t kGrain = size_t(1) << 12;

[[noreturn]] void shape_error(const char* op, const std::string& what, const Shape& a, const Shape& b) {
    throw std::invalid_argument(std::string(op) + ": " + what + " (got " + to_string(a) + " and " + to_string(b) + ")");
}

int normalize_dim(const char* op, int dim, const Shape& s) {
    const int nd = static_cast<int>(s.size());
    const int d = dim < 0 ? dim + nd : dim;
    if (d < 0 || d >= nd)
        throw std::invalid_argument(std::string(op) + ": dim " + std::to_string(dim) + " is out of range for shape " +
                                    to_string(s));
    return d;
}

// Product of dims [from, to).
size_t prod(const Shape& s, int from, int to) {
    size_t n = 1;
    for (int i = from; i < to; ++i) n *= static_cast<size_t>(s[static_cast<size_t>(i)]);
    return n;
}

// ---------------------------------------------------------------------------
// Broadcasting. `out` is the broadcast shape of a and b; the strides of an
// input, aligned to `out`, are 0 on the dims it repeats along. `strided_loop`
// walks `out` in row-major order and hands each element's offsets in a and b.

Shape broadcast_shape(const char* op, const Shape& a, const Shape& b) {
    const size_t nd = std::max(a.size(), b.size());
    Shape out(nd);
    for (size_t i = 0; i < nd; ++i) {
        const int da = i < nd - a.size() ? 1 : a[i - (nd - a.size())];
        const int db = i < nd - b.size() ? 1 : b[i - (nd - b.size())];
        if (da != db && da != 1 && db != 1) shape_error(op, "shapes do not broadcast", a, b);
        out[i] = da == 1 ? db : da;
    }
    return out;
}

std::vector<size_t> broadcast_strides(const Shape& s, const Shape& out) {
    std::vector<size_t> st(out.size(), 0);
    size_t stride = 1;
    for (size_t k = 0; k < s.size(); ++k) {
        const size_t i = s.size() - 1 - k;             // dim of s, from the right
        const size_t j = out.size() - 1 - k;           // matching dim of out
        st[j] = s[i] == 1 ? 0 : stride;
        stride *= static_cast<size_t>(s[i]);
    }
    return st;
}

template <class F>
void strided_loop(const Shape& out, const std::vector<size_t>& sa, const std::vector<size_t>& sb, F&& f) {
    const size_t n = numel(out), nd = out.size();
    if (n == 0) return;
    if (nd == 0) return f(size_t(0), size_t(0), size_t(0));
    // the last dim in a tight loop, the odometer over the others once per row
    const size_t inner = size_t(out[nd - 1]), step_a = sa[nd - 1], step_b = sb[nd - 1];
    std::vector<int> idx(nd - 1, 0);
    size_t ia = 0, ib = 0;
    for (size_t i = 0; i < n; i += inner) {
        for (size_t j = 0; j < inner; ++j) f(i + j, ia + j * step_a, ib + j * step_b);
        for (size_t d = nd - 1; d-- > 0;) {            // odometer increment
            ia += sa[d];
            ib += sb[d];
            if (++idx[d] < out[d]) break;
            ia -= sa[d] * static_cast<size_t>(out[d]);
            ib -= sb[d] * static_cast<size_t>(out[d]);
            idx[d] = 0;
        }
    }
}

// The gradient of an input, for a backward closure to add its contribution
// into. `fresh`: nothing was added to it yet in this backward (it would be
// zeros), and the fast build hands it over unzeroed: the closure then writes
// every element as 0.0f + contribution, the same bits as += into zeros
// (0.0f + -0.0f is +0.0f, as the add gives), and the zeros never stream
// through memory. The readable build always adds into zeros.
struct GradOut {
    std::span<float> g;
    bool fresh;
};
GradOut grad_out(const Tensor& input) {
    Tensor t = input;
    if (!kernels::readable && !t.has_grad() && Tensor::overwrite_fresh_grads()) return {t.grad_for_overwrite(), true};
    return {t.grad(), false};
}

// Elementwise binary op with broadcasting. fwd(a, b) is the value; da(a, b)
// and db(a, b) are the partial derivatives.
template <class Fwd, class Da, class Db>
Tensor binary(const char* name, const Tensor& a, const Tensor& b, Fwd fwd, Da da, Db db) {
    const Shape shape = broadcast_shape(name, a.shape(), b.shape());
    Tensor out = Tensor::make_result(shape, {a, b}, name, Tensor::Init::none);
    const auto sa = broadcast_strides(a.shape(), shape), sb = broadcast_strides(b.shape(), shape);
    const bool same = a.shape() == b.shape();                       // a, b and out: one shape, any order
    {
        auto y = out.data();
        auto x1 = a.data(), x2 = b.data();
        auto f = [&](size_t i, size_t ia, size_t ib) { y[i] = fwd(x1[ia], x2[ib]); };
        if (same) kernels::parallel_ranges(y.size(), kGrain, [&](size_t lo, size_t hi) { for (size_t i = lo; i < hi; ++i) f(i, i, i); });
        else strided_loop(shape, sa, sb, f);
    }
    // backward: da += dy * d(fwd)/da, summed over the dims a was repeated along; same for b
    out.set_backward([a, b, same, sa, sb, da, db](Node& o) {
        auto x1 = a.data(), x2 = b.data();
        const float* dy = o.grad.data();
        if (same && &a.node() != &b.node()) {          // each gradient on its own, written when fresh
            for (const bool first : {true, false}) {
                const GradOut go = grad_out(first ? a : b);
                float* g = go.g.data();
                kernels::parallel_ranges(o.grad.size(), kGrain, [&](size_t lo, size_t hi) {
                    if (go.fresh && first) for (size_t i = lo; i < hi; ++i) g[i] = 0.0f + dy[i] * da(x1[i], x2[i]);
                    else if (first) for (size_t i = lo; i < hi; ++i) g[i] += dy[i] * da(x1[i], x2[i]);
                    else if (go.fresh) for (size_t i = lo; i < hi; ++i) g[i] = 0.0f + dy[i] * db(x1[i], x2[i]);
                    else for (size_t i = lo; i < hi; ++i) g[i] += dy[i] * db(x1[i], x2[i]);
                });
            }
            return;
        }
        Tensor ta = a, tb = b;
        auto ga = ta.grad(), gb = tb.grad();
        auto f = [&](size_t i, size_t ia, size_t ib) {
            ga[ia] += dy[i] * da(x1[ia], x2[ib]);
            gb[ib] += dy[i] * db(x1[ia], x2[ib]);
        };
        if (same) kernels::parallel_ranges(o.grad.size(), kGrain, [&](size_t lo, size_t hi) { for (size_t i = lo; i < hi; ++i) f(i, i, i); });
        else strided_loop(o.shape, sa, sb, f);        // (a repeated operand sums in order)
    });
    return out;
}

// Elementwise unary op: y = f(x), dx += dy * f'(x).
template <class Fwd, class Deriv>
Tensor unary(const char* name, const Tensor& x, Fwd fwd, Deriv deriv) {
    Tensor out = Tensor::make_result(x.shape(), {x}, name, Tensor::Init::none);
    auto y = out.data();
    auto xs = x.data();
    kernels::parallel_ranges(xs.size(), kGrain, [&](size_t lo, size_t hi) { for (size_t i = lo; i < hi; ++i) y[i] = fwd(xs[i]); });
    // backward: dx += dy * f'(x)
    out.set_backward([x, deriv](Node& o) {
        const GradOut go = grad_out(x);
        float* g = go.g.data();
        const float* xs = x.data().data();
        const float* dy = o.grad.data();
        kernels::parallel_ranges(o.grad.size(), kGrain, [&](size_t lo, size_t hi) {
            if (go.fresh) for (size_t i = lo; i < hi; ++i) g[i] = 0.0f + dy[i] * deriv(xs[i]);
            else for (size_t i = lo; i < hi; ++i) g[i] += dy[i] * deriv(xs[i]);
        });
    });
    return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// Elementwise

Tensor add(const Tensor& a, const Tensor& b) {
    return binary("add", a, b, [](float x, float y) { return x + y; },
                  [](float, float) { return 1.0f; }, [](float, float) { return 1.0f; });
}

Tensor sub(const Tensor& a, const Tensor& b) {
    return binary("sub", a, b, [](float x, float y) { return x - y; },
                  [](float, float) { return 1.0f; }, [](float, float) { return -1.0f; });
}

Tensor mul(const Tensor& a, const Tensor& b) {
    return binary("mul", a, b, [](float x, float y) { return x * y; },
                  [](float, float y) { return y; }, [](float x, float) { return x; });
}

Tensor scale(const Tensor& a, float s) {
    return unary("scale", a, [s](float x) { return s * x; }, [s](float) { return s; });
}

Tensor relu(const Tensor& x) {
    return unary("relu", x, [](float v) { return v > 0.0f ? v : 0.0f; },
                 [](float v) { return v > 0.0f ? 1.0f : 0.0f; });
}

// gelu(x) = x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))
Tensor gelu(const Tensor& x) {
    constexpr float inv_sqrt2 = static_cast<float>(1.0 / std::numbers::sqrt2);
    constexpr float inv_sqrt_2pi = static_cast<float>(0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2);
    return unary("gelu", x, [](float v) { return 0.5f * v * (1.0f + std::erf(v * inv_sqrt2)); },
                 // d/dx = Phi(x) + x * phi(x), phi the standard normal density
                 [](float v) {
                     return 0.5f * (1.0f + std::erf(v * inv_sqrt2)) + v * inv_sqrt_2pi * std::exp(-0.5f * v * v);
                 });
}

// ---------------------------------------------------------------------------
// Shapes

Tensor reshape(const Tensor& x, const Shape& shape) {
    Shape s = shape;
    int infer = -1;
    size_t known = 1;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == -1 && infer < 0) infer = static_cast<int>(i);
        else if (s[i] < 0) shape_error("reshape", "bad target dimension", x.shape(), shape);
        else known *= static_cast<size_t>(s[i]);
    }
    if (infer >= 0) {
        if (known == 0 || x.numel() % known != 0) shape_error("reshape", "cannot infer -1", x.shape(), shape);
        s[static_cast<size_t>(infer)] = static_cast<int>(x.numel() / known);
    }
    if (numel(s) != x.numel()) shape_error("reshape", "element counts differ", x.shape(), shape);
    Tensor out = Tensor::make_result(s, {x}, "reshape", Tensor::Init::none);
    std::copy(x.data().begin(), x.data().end(), out.data().begin());
    // backward: same values, so dx += dy element by element
    out.set_backward([x](Node& o) {
        Tensor t = x;
        auto g = t.grad();
        for (size_t i = 0; i < g.size(); ++i) g[i] += o.grad[i];
    });
    return out;
}

Tensor transpose(const Tensor& x, int d0, int d1) {
    int a = normalize_dim("transpose", d0, x.shape()), b = normalize_dim("transpose", d1, x.shape());
    if (a > b) std::swap(a, b);
    Shape s = x.shape();
    std::swap(s[static_cast<size_t>(a)], s[static_cast<size_t>(b)]);
    // x viewed as [P, A, Q, Bd, R]  ->  out [P, Bd, Q, A, R]: P the dims before a,
    // Q those between a and b, R those after b (contiguous runs of R copied whole).
    size_t P = prod(x.shape(), 0, a), A = size_t(x.shape()[size_t(a)]), Q = prod(x.shape(), a + 1, b),
           Bd = size_t(x.shape()[size_t(b)]), R = prod(x.shape(), b + 1, x.ndim());
    if (a == b) P = A = Q = Bd = 1, R = x.numel();                    // swapping a dim with itself: a copy
    // f(offset in out, offset in x) for each run of R elements
    auto runs = [P, A, Q, Bd, R](auto&& f) {
        for (size_t p = 0; p < P; ++p)
            for (size_t j = 0; j < Bd; ++j)
                for (size_t q = 0; q < Q; ++q) {
                    size_t yo = ((p * Bd + j) * Q + q) * A * R;     // out[p, j, q, 0, :]
                    size_t xo = ((p * A * Q + q) * Bd + j) * R;     // x[p, 0, q, j, :]
                    for (size_t i = 0; i < A; ++i, yo += R, xo += Q * Bd * R) f(yo, xo);
                }
    };
    Tensor out = Tensor::make_result(s, {x}, "transpose", Tensor::Init::none);
    float* y = out.data().data();
    const float* xs = x.data().data();
    runs([&](size_t yo, size_t xo) { for (size_t r = 0; r < R; ++r) y[yo + r] = xs[xo + r]; });
    // backward: out[yo + r] = x[xo + r], so dx[xo + r] += dy[yo + r]
    out.set_backward([x, runs, R](Node& o) {
        Tensor t = x;
        float* g = t.grad().data();
        const float* dy = o.grad.data();
        runs([&](size_t yo, size_t xo) { for (size_t r = 0; r < R; ++r) g[xo + r] += dy[yo + r]; });
    });
    return out;
}

Tensor narrow(const Tensor& x, int dim, int start, int length) {
    const int d = normalize_dim("narrow", dim, x.shape());
    const int n = x.shape()[static_cast<size_t>(d)];
    if (start < 0 || length < 0 || start + length > n)
        throw std::invalid_argument("narrow: range [" + std::to_string(start) + ", " + std::to_string(start + length) +
                                    ") is outside dim " + std::to_string(dim) + " of shape " + to_string(x.shape()));
    Shape s = x.shape();
    s[static_cast<size_t>(d)] = length;
    const size_t outer = prod(x.shape(), 0, d), inner = prod(x.shape(), d + 1, x.ndim());
    const size_t in_row = static_cast<size_t>(n) * inner, out_row = static_cast<size_t>(length) * inner;
    const size_t off = static_cast<size_t>(start) * inner;
    Tensor out = Tensor::make_result(s, {x}, "narrow", Tensor::Init::none);
    auto y = out.data();
    auto xs = x.data();
    for (size_t o = 0; o < outer; ++o)
        std::copy_n(xs.begin() + static_cast<std::ptrdiff_t>(o * in_row + off), out_row,
                    y.begin() + static_cast<std::ptrdiff_t>(o * out_row));
    // backward: out is a window of x, so the window of dx += dy
    out.set_backward([x, outer, in_row, out_row, off](Node& o) {
        Tensor t = x;
        auto g = t.grad();
        for (size_t r = 0; r < outer; ++r)
            for (size_t j = 0; j < out_row; ++j) g[r * in_row + off + j] += o.grad[r * out_row + j];
    });
    return out;
}

// ---------------------------------------------------------------------------
// Products

Tensor matmul(const Tensor& a, const Tensor& b) {
    if (a.ndim() < 2 || b.ndim() < 2) shape_error("matmul", "both operands need at least 2 dims", a.shape(), b.shape());
    const int M = a.dim(-2), K = a.dim(-1), N = b.dim(-1);
    if (b.dim(-2) != K) shape_error("matmul", "inner dimensions differ", a.shape(), b.shape());
    const bool shared_b = b.ndim() == 2;
    if (!shared_b && (a.ndim() != b.ndim() || !std::equal(a.shape().begin(), a.shape().end() - 2, b.shape().begin())))
        shape_error("matmul", "batch dimensions differ", a.shape(), b.shape());
    Shape s = a.shape();
    s.back() = N;
    const size_t batch = prod(a.shape(), 0, a.ndim() - 2);
    const size_t sa = size_t(M) * K, sb = shared_b ? 0 : size_t(K) * N, sc = size_t(M) * N;   // one entry of each
    Tensor out = Tensor::make_result(s, {a, b}, "matmul", Tensor::Init::none);
    kernels::gemm_batched({batch, sa, sb, sc}, false, false, M, N, K, a.data(), b.data(), out.data(), false);   // C = A B
    // backward: dA[M,K] += dC[M,N] B^T ; dB[K,N] += A^T dC (summed over the batch, in order, when B is shared)
    out.set_backward([a, b, M, N, K, batch, sa, sb, sc](Node& o) {
        Tensor ta = a, tb = b;
        if (a.requires_grad()) kernels::gemm_batched({batch, sc, sb, sa}, false, true, M, K, N, o.grad, b.data(), ta.grad(), true);
        if (b.requires_grad()) kernels::gemm_batched({batch, sa, sc, sb}, true, false, K, N, M, a.data(), o.grad, tb.grad(), true);
    });
    return out;
}

namespace {
Tensor linear_impl(const Tensor& x, const Tensor& W, const Tensor* bias) {
    if (x.ndim() < 1 || W.ndim() != 2 || x.dim(-1) != W.dim(1))
        shape_error("linear", "x [..., I] needs W [O, I]", x.shape(), W.shape());
    const int I = W.dim(1), O = W.dim(0);
    if (bias && (bias->ndim() != 1 || bias->dim(0) != O))
        shape_error("linear", "bias must be [O] for W [O, I]", bias->shape(), W.shape());
    const int R = static_cast<int>(x.numel() / static_cast<size_t>(I));   // rows: every leading position
    Shape s = x.shape();
    s.back() = O;
    Tensor out = bias ? Tensor::make_result(s, {x, W, *bias}, "linear", Tensor::Init::none)
                      : Tensor::make_result(s, {x, W}, "linear", Tensor::Init::none);
    auto y = out.data();
    if (bias) kernels::gemm_bias(false, true, R, O, I, x.data(), W.data(), bias->data(), y);   // y = x W^T + b
    else kernels::gemm(false, true, R, O, I, x.data(), W.data(), y, false);                   // y[R,O] = x[R,I] W^T
    // backward: dx[R,I] += dy[R,O] W[O,I] ; dW[O,I] += dy^T x ; db[O] += sum over rows of dy
    Tensor b = bias ? *bias : Tensor();
    const bool has_bias = bias != nullptr;
    out.set_backward([x, W, b, has_bias, R, O, I](Node& o) {
        const std::span<const float> dy = o.grad;
        if (x.requires_grad()) {                             // fresh: C = the sum, the same bits as 0 + the sum
            const GradOut gx = grad_out(x);                  // (gemm's chains start at +0 and never give -0)
            kernels::gemm(false, false, R, I, O, dy, W.data(), gx.g, !gx.fresh);
        }
        if (W.requires_grad()) {
            const GradOut gW = grad_out(W);
            kernels::gemm(true, false, O, I, R, dy, x.data(), gW.g, !gW.fresh);
        }
        if (has_bias && b.requires_grad()) {                 // threads split the columns; rows summed in order
            const GradOut gbo = grad_out(b);
            auto gb = gbo.g;
            kernels::parallel_ranges(size_t(O), size_t(R) * size_t(O) >= 2 * kGrain ? 16 : size_t(O), [&](size_t lo, size_t hi) {
                std::vector<float> sb(hi - lo, 0.0f);        // running sums, from the gradient's values (or zeros when fresh)
                if (!gbo.fresh) std::copy(gb.begin() + std::ptrdiff_t(lo), gb.begin() + std::ptrdiff_t(hi), sb.begin());
                for (size_t r = 0; r < size_t(R); ++r)
                    for (size_t j = 0; j < hi - lo; ++j) sb[j] += dy[r * size_t(O) + lo + j];
                std::copy(sb.begin(), sb.end(), gb.begin() + std::ptrdiff_t(lo));
            });
        }
    });
    return out;
}
}  // namespace

Tensor linear(const Tensor& x, const Tensor& W, const Tensor& b) { return linear_impl(x, W, &b); }
Tensor linear(const Tensor& x, const Tensor& W) { return linear_impl(x, W, nullptr); }

// ---------------------------------------------------------------------------
// Reductions

Tensor sum(const Tensor& x) {
    Tensor out = Tensor::make_result({}, {x}, "sum");
    float acc = 0.0f;
    for (float v : x.data()) acc += v;
    out.data()[0] = acc;
    // backward: every element contributed once, dx += dy
    out.set_backward([x](Node& o) {
        Tensor t = x;
        for (float& g : t.grad()) g += o.grad[0];
    });
    return out;
}

namespace {
// sum over `dim` times `factor` (1 for sum, 1/n for mean)
Tensor reduce_dim(const char* name, const Tensor& x, int dim, bool average) {
    const int d = normalize_dim(name, dim, x.shape());
    const size_t outer = prod(x.shape(), 0, d), n = static_cast<size_t>(x.shape()[size_t(d)]),
                 inner = prod(x.shape(), d + 1, x.ndim());
    const float factor = average ? (n ? 1.0f / static_cast<float>(n) : 0.0f) : 1.0f;
    Shape s = x.shape();
    s.erase(s.begin() + d);
    Tensor out = Tensor::make_result(s, {x}, name);
    auto y = out.data();
    auto xs = x.data();
    for (size_t o = 0; o < outer; ++o)
        for (size_t i = 0; i < inner; ++i) {
            float acc = 0.0f;
            for (size_t k = 0; k < n; ++k) acc += xs[(o * n + k) * inner + i];
            y[o * inner + i] = acc * factor;
        }
    // backward: y[o,i] = factor * sum_k x[o,k,i], so dx[o,k,i] += factor * dy[o,i]
    out.set_backward([x, outer, n, inner, factor](Node& o) {
        Tensor t = x;
        auto g = t.grad();
        for (size_t r = 0; r < outer; ++r)
            for (size_t k = 0; k < n; ++k)
                for (size_t i = 0; i < inner; ++i) g[(r * n + k) * inner + i] += factor * o.grad[r * inner + i];
    });
    return out;
}
}  // namespace

Tensor sum(const Tensor& x, int dim) { return reduce_dim("sum", x, dim, false); }
Tensor mean(const Tensor& x, int dim) { return reduce_dim("mean", x, dim, true); }

Tensor masked_mean(const Tensor& x, const Tensor& pad) {
    if (x.ndim() != 3 || pad.ndim() != 2 || pad.dim(0) != x.dim(0) || pad.dim(1) != x.dim(1))
        shape_error("masked_mean", "x [B, T, C] needs pad [B, T]", x.shape(), pad.shape());
    const int B = x.dim(0), T = x.dim(1), C = x.dim(2);
    // weight[b,t] = (1 - pad[b,t]) / (number of real tokens in row b), 0 for an all-pad row
    std::vector<float> w(size_t(B) * T, 0.0f);
    for (int b = 0; b < B; ++b) {
        int count = 0;
        for (int t = 0; t < T; ++t) count += pad.data()[size_t(b) * T + t] == 0.0f;
        for (int t = 0; t < T; ++t)
            if (pad.data()[size_t(b) * T + t] == 0.0f) w[size_t(b) * T + t] = 1.0f / static_cast<float>(count);
    }
    Tensor out = Tensor::make_result({B, C}, {x}, "masked_mean");
    auto y = out.data();
    auto xs = x.data();
    for (int b = 0; b < B; ++b)                       // y[b,c] = sum_t w[b,t] x[b,t,c]
        for (int t = 0; t < T; ++t) {
            const float wt = w[size_t(b) * T + t];
            if (wt == 0.0f) continue;
            for (int c = 0; c < C; ++c) y[size_t(b) * C + c] += wt * xs[(size_t(b) * T + t) * C + c];
        }
    // backward: dx[b,t,c] += w[b,t] * dy[b,c]   (zero for pads)
    out.set_backward([x, w, B, T, C](Node& o) {
        Tensor tx = x;
        auto g = tx.grad();
        for (int b = 0; b < B; ++b)
            for (int t = 0; t < T; ++t)
                for (int c = 0; c < C; ++c)
                    g[(size_t(b) * T + t) * C + c] += w[size_t(b) * T + t] * o.grad[size_t(b) * C + c];
    });
    return out;
}

Tensor masked_max(const Tensor& x, const Tensor& pad) {
    if (x.ndim() != 3 || pad.ndim() != 2 || pad.dim(0) != x.dim(0) || pad.dim(1) != x.dim(1))
        shape_error("masked_max", "x [B, T, C] needs pad [B, T]", x.shape(), pad.shape());
    const int B = x.dim(0), T = x.dim(1), C = x.dim(2);
    // y[b,c] = x[b, at[b,c], c], at = the first real t with the largest x[b,t,c]; -1 for an all-pad row (y = 0)
    std::vector<int> at(size_t(B) * C, -1);
    Tensor out = Tensor::make_result({B, C}, {x}, "masked_max");
    auto y = out.data();
    auto xs = x.data();
    for (int b = 0; b < B; ++b)
        for (int t = 0; t < T; ++t) {
            if (pad.data()[size_t(b) * T + t] != 0.0f) continue;
            for (int c = 0; c < C; ++c) {
                const size_t o = size_t(b) * C + c;
                const float v = xs[(size_t(b) * T + t) * C + c];
                if (at[o] < 0 || v > y[o]) y[o] = v, at[o] = t;
            }
        }
    // backward: dx[b, at[b,c], c] += dy[b,c]   (the other tokens, and pads, get nothing)
    out.set_backward([x, at = std::move(at), B, T, C](Node& o) {
        Tensor tx = x;
        auto g = tx.grad();
        for (int b = 0; b < B; ++b)
            for (int c = 0; c < C; ++c) {
                const int t = at[size_t(b) * C + c];
                if (t >= 0) g[(size_t(b) * T + size_t(t)) * C + c] += o.grad[size_t(b) * C + c];
            }
    });
    return out;
}

// ---------------------------------------------------------------------------
// Softmax family. Rows are the last dim: x viewed as [R, N]. The softmax of
// one row is kernels::softmax_row (fused attention uses the same one):
//   y_j = exp(x_j - m) / sum_k exp(x_k - m), m = max_k x_k; blocked entries get 0

std::vector<size_t> mask_strides(const char* op, const Shape& scores, const Tensor& mask) {
    const Shape s = broadcast_shape(op, scores, mask.shape());
    if (s != scores) shape_error(op, "mask does not broadcast to the scores", scores, mask.shape());
    return broadcast_strides(mask.shape(), s);
}

std::vector<unsigned char> blocked_entries(const char* op, const Shape& scores, const Tensor& mask) {
    const std::vector<size_t> sm = mask_strides(op, scores, mask), none(scores.size(), 0);
    std::vector<unsigned char> blocked(numel(scores));
    auto m = mask.data();
    strided_loop(scores, sm, none, [&](size_t i, size_t im, size_t) { blocked[i] = m[im] != 0.0f; });
    return blocked;
}

namespace {
Tensor softmax_impl(const Tensor& x, const std::vector<unsigned char>* blocked) {
    if (x.ndim() < 1) throw std::invalid_argument("softmax: needs at least one dim, got " + to_string(x.shape()));
    const size_t N = static_cast<size_t>(x.dim(-1)), R = N ? x.numel() / N : 0;
    Tensor out = Tensor::make_result(x.shape(), {x}, "softmax", Tensor::Init::none);
    auto y = out.data();
    auto xs = x.data();
    for (size_t r = 0; r < R; ++r)
        kernels::softmax_row(xs.subspan(r * N, N), y.subspan(r * N, N),
                             blocked ? std::span<const unsigned char>(*blocked).subspan(r * N, N)
                                     : std::span<const unsigned char>());
    // backward: row by row, dx_j += y_j (dy_j - sum_k dy_k y_k)
    out.set_backward([x, N, R](Node& o) {
        Tensor t = x;
        auto g = t.grad();
        const std::span<const float> y = o.data, dy = o.grad;
        for (size_t r = 0; r < R; ++r)
            kernels::softmax_row_backward(y.subspan(r * N, N), dy.subspan(r * N, N), g.subspan(r * N, N));
    });
    return out;
}
}  // namespace

Tensor softmax(const Tensor& x) { return softmax_impl(x, nullptr); }

Tensor softmax(const Tensor& x, const Tensor& mask) {
    const std::vector<unsigned char> blocked = blocked_entries("softmax", x.shape(), mask);
    return softmax_impl(x, &blocked);
}

Tensor log_softmax(const Tensor& x) {
    if (x.ndim() < 1) throw std::invalid_argument("log_softmax: needs at least one dim, got " + to_string(x.shape()));
    const size_t N = static_cast<size_t>(x.dim(-1)), R = N ? x.numel() / N : 0;
    Tensor out = Tensor::make_result(x.shape(), {x}, "log_softmax", Tensor::Init::none);
    auto y = out.data();
    auto xs = x.data();
    for (size_t r = 0; r < R; ++r) {                  // y = x - m - log sum exp(x - m)
        const size_t row = r * N;
        float m = -INFINITY;
        for (size_t j = 0; j < N; ++j) m = std::max(m, xs[row + j]);
        float z = 0.0f;
        for (size_t j = 0; j < N; ++j) z += std::exp(xs[row + j] - m);
        const float lz = std::log(z);                 // (x - m) - lz: no rounding at the logits' scale
        for (size_t j = 0; j < N; ++j) y[row + j] = (xs[row + j] - m) - lz;
    }
    // backward: y = log softmax(x) => dx_j += dy_j - softmax_j * sum_k dy_k
    out.set_backward([x, N, R](Node& o) {
        Tensor t = x;
        auto g = t.grad();
        for (size_t r = 0; r < R; ++r) {
            const size_t row = r * N;
            float total = 0.0f;
            for (size_t j = 0; j < N; ++j) total += o.grad[row + j];
            for (size_t j = 0; j < N; ++j) g[row + j] += o.grad[row + j] - std::exp(o.data[row + j]) * total;
        }
    });
    return out;
}

namespace {
// layer_norm's backward. xhat = (x - mean) * rstd, y = xhat * gamma + beta:
//   dgamma += sum_rows dy * xhat ; dbeta += sum_rows dy
//   dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)),  dxhat = dy * gamma
void layer_norm_backward(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Buffer& xhat,
                         const Buffer& rstd, Node& o) {
    const GradOut gxo = grad_out(x), ggo = grad_out(gamma), gbo = grad_out(beta);
    float* gx = gxo.g.data();
    float* gg = ggo.g.data();
    float* gb = gbo.g.data();
    const float* gs = gamma.data().data();
    const size_t n = gamma.numel(), R = rstd.size();  // rows [R, C]; n = C, a local: the loops below vectorize
    const float C = static_cast<float>(n);
    kernels::parallel_ranges(R, kGrain / std::max<size_t>(n, 1) + 1, [&](size_t lo, size_t hi) {   // dx: rows apart
        std::vector<float> d(n);                      // dxhat of one row
        for (size_t r = lo; r < hi; ++r) {
            const float* dy = o.grad.data() + r * n;
            const std::span<const float> xh(xhat.data() + r * n, n);
            for (size_t c = 0; c < n; ++c) d[c] = dy[c] * gs[c];
            const float mean_d = kernels::sum(d) / C, mean_dx = kernels::dot(d, xh) / C;
            if (gxo.fresh) for (size_t c = 0; c < n; ++c) gx[r * n + c] = 0.0f + rstd[r] * (d[c] - mean_d - xh[c] * mean_dx);
            else for (size_t c = 0; c < n; ++c) gx[r * n + c] += rstd[r] * (d[c] - mean_d - xh[c] * mean_dx);
        }
    });
    // dgamma, dbeta: sums over the rows, in row order; threads split the columns
    kernels::parallel_ranges(n, R * n >= 2 * kGrain ? 16 : n, [&](size_t lo, size_t hi) {
        std::vector<float> sg(hi - lo, 0.0f), sb(hi - lo, 0.0f);        // local running sums, from the gradients
        if (!ggo.fresh) std::copy(gg + lo, gg + hi, sg.begin());           // (zeros when fresh)
        if (!gbo.fresh) std::copy(gb + lo, gb + hi, sb.begin());
        for (size_t r = 0; r < R; ++r) {
            const float* dy = o.grad.data() + r * n + lo;
            const float* xh = xhat.data() + r * n + lo;
            for (size_t c = 0; c < hi - lo; ++c) {
                sg[c] += dy[c] * xh[c];
                sb[c] += dy[c];
            }
        }
        std::copy(sg.begin(), sg.end(), gg + lo);
        std::copy(sb.begin(), sb.end(), gb + lo);
    });
}
}  // namespace

Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps) {
    const int C = x.ndim() ? x.dim(-1) : 0;
    if (x.ndim() < 1 || gamma.shape() != Shape{C}) shape_error("layer_norm", "gamma must be [C] for x [..., C]", x.shape(), gamma.shape());
    if (beta.shape() != Shape{C}) shape_error("layer_norm", "beta must be [C] for x [..., C]", x.shape(), beta.shape());
    const size_t R = C ? x.numel() / size_t(C) : 0, n = size_t(C);
    Tensor out = Tensor::make_result(x.shape(), {x, gamma, beta}, "layer_norm", Tensor::Init::none);
    Buffer xhat(x.numel()), rstd(R);      // kept for the backward
    float* y = out.data().data();
    const float* gs = gamma.data().data();
    const float* bs = beta.data().data();
    kernels::parallel_ranges(R, kGrain / std::max<size_t>(n, 1) + 1, [&](size_t lo, size_t hi) {   // rows apart
        for (size_t r = lo; r < hi; ++r) {
            const std::span<const float> xr = x.data().subspan(r * n, n);
            const std::span<float> xh(xhat.data() + r * n, n);
            const float m = kernels::sum(xr) / static_cast<float>(C);             // mean
            for (size_t c = 0; c < n; ++c) xh[c] = xr[c] - m;
            const float v = kernels::dot(xh, xh) / static_cast<float>(C);         // biased variance
            const float rs = rstd[r] = 1.0f / std::sqrt(v + eps);
            for (size_t c = 0; c < n; ++c) {
                xh[c] = xh[c] * rs;                                               // (x - mean) * rstd
                y[r * n + c] = xh[c] * gs[c] + bs[c];
            }
        }
    });
    out.set_backward([x, gamma, beta, xhat = std::move(xhat), rstd = std::move(rstd)](Node& o) {
        layer_norm_backward(x, gamma, beta, xhat, rstd, o);
    });
    return out;
}

// ---------------------------------------------------------------------------
// Lookups, losses, regularisation

Tensor embedding(const Tensor& table, std::span<const int> ids, const Shape& ids_shape) {
    if (table.ndim() != 2) shape_error("embedding", "table must be [V, C]", table.shape(), ids_shape);
    if (numel(ids_shape) != ids.size())
        throw std::invalid_argument("embedding: " + std::to_string(ids.size()) + " ids do not fill shape " +
                                    to_string(ids_shape));
    const int V = table.dim(0), C = table.dim(1);
    for (int id : ids)
        if (id < 0 || id >= V)
            throw std::invalid_argument("embedding: token id " + std::to_string(id) + " is outside the table [0, " +
                                        std::to_string(V) + ")");
    Shape s = ids_shape;
    s.push_back(C);
    Tensor out = Tensor::make_result(s, {table}, "embedding", Tensor::Init::none);
    auto y = out.data();
    auto w = table.data();
    for (size_t i = 0; i < ids.size(); ++i)           // y[i, :] = table[ids[i], :]
        std::copy_n(w.begin() + static_cast<std::ptrdiff_t>(size_t(ids[i]) * C), C,
                    y.begin() + static_cast<std::ptrdiff_t>(i * C));
    // backward: dtable[ids[i], :] += dy[i, :]  (a repeated id receives the sum)
    out.set_backward([table, ids_v = std::vector<int>(ids.begin(), ids.end()), C](Node& o) {
        Tensor t = table;
        auto g = t.grad();
        for (size_t i = 0; i < ids_v.size(); ++i)
            for (int c = 0; c < C; ++c) g[size_t(ids_v[i]) * C + c] += o.grad[i * C + c];
    });
    return out;
}

Tensor cross_entropy(const Tensor& logits, std::span<const int> labels) { return cross_entropy(logits, labels, 0.0f); }

Tensor cross_entropy(const Tensor& logits, std::span<const int> labels, float smoothing) {
    if (logits.ndim() != 2 || static_cast<size_t>(logits.dim(0)) != labels.size())
        throw std::invalid_argument("cross_entropy: logits must be [N, K] with N = " + std::to_string(labels.size()) +
                                    " labels, got " + to_string(logits.shape()));
    if (!(smoothing >= 0.0f && smoothing <= 1.0f))
        throw std::invalid_argument("cross_entropy: label smoothing " + std::to_string(smoothing) + " is outside [0, 1]");
    const int N = logits.dim(0), K = logits.dim(1);
    for (int l : labels)
        if (l < 0 || l >= K)
            throw std::invalid_argument("cross_entropy: label " + std::to_string(l) + " is outside [0, " +
                                        std::to_string(K) + ")");
    Tensor out = Tensor::make_result({}, {logits}, "cross_entropy");
    std::vector<float> p(logits.numel());             // softmax, kept for the backward
    auto xs = logits.data();
    const float eps = smoothing, on = 1.0f - smoothing, each = smoothing / static_cast<float>(K);
    float loss = 0.0f;
    for (int n = 0; n < N; ++n) {
        const size_t row = size_t(n) * K;
        float m = -INFINITY;
        for (int k = 0; k < K; ++k) m = std::max(m, xs[row + k]);
        float z = 0.0f;
        for (int k = 0; k < K; ++k) z += std::exp(xs[row + k] - m);
        for (int k = 0; k < K; ++k) p[row + k] = std::exp(xs[row + k] - m) / z;
        const float lse = m + std::log(z);            // -log softmax[k] = lse - x[k]
        float nll = (m - xs[row + size_t(labels[size_t(n)])]) + std::log(z);   // -log softmax[label]
        if (eps != 0.0f) {                            // (1 - eps) nll + eps * mean_k -log softmax[k]
            float all = 0.0f;
            for (int k = 0; k < K; ++k) all += lse - xs[row + k];
            nll = on * nll + eps * all / static_cast<float>(K);
        }
        loss += nll;
    }
    out.data()[0] = N ? loss / static_cast<float>(N) : 0.0f;
    // backward: loss = mean_n [(1 - eps) (-log p[n, y_n]) + eps/K sum_k -log p[n, k]], the target
    // q[n,k] = (1 - eps) [k == y_n] + eps/K sums to 1, so  dlogits[n,k] += dy * (p[n,k] - q[n,k]) / N
    out.set_backward([logits, p = std::move(p), lab = std::vector<int>(labels.begin(), labels.end()), N, K, on,
                      each](Node& o) {
        Tensor t = logits;
        auto g = t.grad();
        const float s = o.grad[0] / static_cast<float>(N);
        for (int n = 0; n < N; ++n)
            for (int k = 0; k < K; ++k) {
                const size_t i = size_t(n) * K + k;
                g[i] += s * (p[i] - ((k == lab[size_t(n)] ? on : 0.0f) + each));
            }
    });
    return out;
}

namespace {
// Dropout's loops, on [lo, hi): m_i = 0 when draw i's uniform u_i < p, else keep.
// (__restrict: a byte pointer may alias anything, and the compiler would not
// vectorize these loops without being told it does not.)
inline float dropout_u(std::uint64_t key, size_t i) {
    return static_cast<float>(splitmix64_at(key, i) >> 40) * 0x1.0p-24f;
}
void dropout_forward(std::uint64_t key, float p, float keep, const float* __restrict xs, float* __restrict y,
                     unsigned char* __restrict kept, size_t lo, size_t hi) {   // y = x m; kept_i = m_i != 0
    if (kept)
        for (size_t i = lo; i < hi; ++i) {
            const float u = dropout_u(key, i);
            kept[i] = static_cast<unsigned char>(u < p ? 0 : 1);
            y[i] = xs[i] * (u < p ? 0.0f : keep);
        }
    else
        for (size_t i = lo; i < hi; ++i) y[i] = xs[i] * (dropout_u(key, i) < p ? 0.0f : keep);
}
void dropout_backward(float keep, const float* __restrict dy, const unsigned char* __restrict kept, float* __restrict g,
                      bool fresh, size_t lo, size_t hi) {                    // dx += dy m  (m = kept * keep, exactly)
    if (fresh) for (size_t i = lo; i < hi; ++i) g[i] = 0.0f + dy[i] * (static_cast<float>(kept[i]) * keep);
    else for (size_t i = lo; i < hi; ++i) g[i] += dy[i] * (static_cast<float>(kept[i]) * keep);
}
}  // namespace

Tensor dropout(const Tensor& x, float p, bool training, Rng& rng) {
    if (!(p >= 0.0f && p < 1.0f)) throw std::invalid_argument("dropout: p = " + std::to_string(p) + " is outside [0, 1)");
    if (!training || p == 0.0f) return x;
    const float keep = 1.0f / (1.0f - p);
    // The mask: element i is kept unless its uniform u_i < p, with u_i the top 24
    // bits of draw i of a counter-based stream (rng.hpp, splitmix64_at) under a
    // key taken from rng. One draw of rng per call; the mask is a function of
    // (key, i), so threads can draw any part of it.
    const std::uint64_t key = rng.next_u64();
    Tensor out = Tensor::make_result(x.shape(), {x}, "dropout", Tensor::Init::none);
    // The mask is kept for the backward, one byte per element, when a graph is
    // recorded (drawing it again would cost as much as drawing it: three
    // 64-bit multiplies per element).
    std::vector<unsigned char> kept(out.requires_grad() ? x.numel() : 0);
    {
        float* y = out.data().data();
        const float* xs = x.data().data();
        unsigned char* k = kept.empty() ? nullptr : kept.data();
        kernels::parallel_ranges(x.numel(), 1 << 14, [&](size_t lo, size_t hi) { dropout_forward(key, p, keep, xs, y, k, lo, hi); });
    }
    // backward: y = x * m  =>  dx += dy * m
    out.set_backward([x, keep, kept = std::move(kept)](Node& o) {
        const GradOut go = grad_out(x);
        kernels::parallel_ranges(o.grad.size(), 1 << 14, [&](size_t lo, size_t hi) {
            dropout_backward(keep, o.grad.data(), kept.data(), go.g.data(), go.fresh, lo, hi);
        });
    });
    return out;
}

// ---------------------------------------------------------------------------
// Masks

Tensor causal_mask(int T) {
    if (T < 0) throw std::invalid_argument("causal_mask: T = " + std::to_string(T) + " is negative");
    Tensor m = Tensor::zeros({T, T});
    for (int i = 0; i < T; ++i)
        for (int j = i + 1; j < T; ++j) m.data()[size_t(i) * T + j] = 1.0f;   // query i may not see key j > i
    return m;
}

Tensor padding_mask_for_scores(const Tensor& pad) {
    if (pad.ndim() != 2)
        throw std::invalid_argument("padding_mask_for_scores: pad must be [B, S], got " + to_string(pad.shape()));
    return Tensor::from({pad.dim(0), 1, 1, pad.dim(1)}, std::vector<float>(pad.data().begin(), pad.data().end()));
}

}  // namespace llm
