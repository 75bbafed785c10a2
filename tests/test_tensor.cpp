// The tensor and its ops: every backward against finite differences, on
// random shapes with batch dims; then the engine's own promises (accumulation,
// reuse, no-grad, deep graphs, error messages) and the RNG.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <string>

#include "kernels/kernels.hpp"
#include "gradcheck.hpp"
#include "nn/init.hpp"
#include "core/ops.hpp"

using namespace llm;
using namespace llm::kernels;
using llm::testing::random_tensor;
using Inputs = std::vector<Tensor>;

namespace {
// A random dim in [lo, hi].
int rdim(Rng& rng, int lo = 1, int hi = 4) { return lo + static_cast<int>(rng.below(static_cast<std::uint32_t>(hi - lo + 1))); }
}  // namespace

// ---------------------------------------------------------------------------
// Gradient checks, op by op. Each runs on several random shapes.

TEST_CASE("gradcheck: add, sub, mul with broadcasting", "[grad]") {
    Rng rng(10);
    for (int trial = 0; trial < 3; ++trial) {
        const int B = rdim(rng), T = rdim(rng), C = rdim(rng, 2, 5);
        const std::vector<std::pair<Shape, Shape>> cases = {
            {{B, T, C}, {B, T, C}},   // same shape
            {{B, T, C}, {C}},         // a bias over rows
            {{B, T, C}, {}},          // a scalar
            {{B, 1, C}, {1, T, C}},   // both sides broadcast
            {{T, 1}, {B, T, C}},      // the first operand broadcast
        };
        for (const auto& [sa, sb] : cases) {
            Inputs in = {random_tensor(sa, rng), random_tensor(sb, rng)};
            INFO(to_string(sa) << " with " << to_string(sb));
            CHECK_GRADIENTS([](const Inputs& x) { return add(x[0], x[1]); }, in);
            CHECK_GRADIENTS([](const Inputs& x) { return sub(x[0], x[1]); }, in);
            CHECK_GRADIENTS([](const Inputs& x) { return mul(x[0], x[1]); }, in);
        }
    }
}

TEST_CASE("gradcheck: scale, relu, gelu", "[grad]") {
    Rng rng(11);
    for (int trial = 0; trial < 3; ++trial) {
        const Shape s = {rdim(rng), rdim(rng), rdim(rng)};
        Inputs in = {random_tensor(s, rng, -3.0f, 3.0f)};
        CHECK_GRADIENTS([](const Inputs& x) { return scale(x[0], -1.7f); }, in);
        CHECK_GRADIENTS([](const Inputs& x) { return gelu(x[0]); }, in);
        for (float& v : in[0].data()) if (std::abs(v) < 0.05f) v = 0.5f;   // away from relu's kink
        CHECK_GRADIENTS([](const Inputs& x) { return relu(x[0]); }, in);
    }
}

TEST_CASE("gradcheck: reshape, transpose, narrow", "[grad]") {
    Rng rng(12);
    for (int trial = 0; trial < 3; ++trial) {
        const int B = rdim(rng), T = rdim(rng), H = rdim(rng), D = rdim(rng);
        Inputs in = {random_tensor({B, T, H * D}, rng)};
        CHECK_GRADIENTS([=](const Inputs& x) { return reshape(x[0], {B, T, H, D}); }, in);
        CHECK_GRADIENTS([=](const Inputs& x) { return reshape(x[0], {-1, D}); }, in);
        CHECK_GRADIENTS([](const Inputs& x) { return transpose(x[0]); }, in);
        // the head split: [B, T, H, D] -> [B, H, T, D]
        CHECK_GRADIENTS([=](const Inputs& x) { return transpose(reshape(x[0], {B, T, H, D}), 1, 2); }, in);
        CHECK_GRADIENTS([=](const Inputs& x) { return narrow(x[0], 2, D > 1 ? 1 : 0, H * D - (D > 1 ? 1 : 0)); }, in);
        CHECK_GRADIENTS([=](const Inputs& x) { return narrow(x[0], 1, 0, 1); }, in);
    }
}

TEST_CASE("gradcheck: matmul 2-D, batched, and with a shared right operand", "[grad]") {
    Rng rng(13);
    for (int trial = 0; trial < 3; ++trial) {
        const int B = rdim(rng), H = rdim(rng), M = rdim(rng), K = rdim(rng), N = rdim(rng);
        Inputs in2 = {random_tensor({M, K}, rng), random_tensor({K, N}, rng)};
        CHECK_GRADIENTS([](const Inputs& x) { return matmul(x[0], x[1]); }, in2);
        Inputs in4 = {random_tensor({B, H, M, K}, rng), random_tensor({B, H, K, N}, rng)};
        CHECK_GRADIENTS([](const Inputs& x) { return matmul(x[0], x[1]); }, in4);
        Inputs shared = {random_tensor({B, M, K}, rng), random_tensor({K, N}, rng)};
        CHECK_GRADIENTS([](const Inputs& x) { return matmul(x[0], x[1]); }, shared);
    }
}

TEST_CASE("gradcheck: linear with and without bias", "[grad]") {
    Rng rng(14);
    for (int trial = 0; trial < 3; ++trial) {
        const int B = rdim(rng), T = rdim(rng), I = rdim(rng, 1, 6), O = rdim(rng, 1, 6);
        Inputs in = {random_tensor({B, T, I}, rng), random_tensor({O, I}, rng), random_tensor({O}, rng)};
        CHECK_GRADIENTS([](const Inputs& x) { return linear(x[0], x[1], x[2]); }, in);
        CHECK_GRADIENTS([](const Inputs& x) { return linear(x[0], x[1]); }, in);
    }
}

TEST_CASE("gradcheck: sum, sum over a dim, mean over a dim", "[grad]") {
    Rng rng(15);
    for (int trial = 0; trial < 3; ++trial) {
        Inputs in = {random_tensor({rdim(rng), rdim(rng), rdim(rng)}, rng)};
        CHECK_GRADIENTS([](const Inputs& x) { return sum(x[0]); }, in);
        for (int d = -3; d < 3; ++d) {
            CHECK_GRADIENTS([d](const Inputs& x) { return sum(x[0], d); }, in);
            CHECK_GRADIENTS([d](const Inputs& x) { return mean(x[0], d); }, in);
        }
    }
}

TEST_CASE("gradcheck: masked mean over the sequence", "[grad]") {
    Rng rng(16);
    const int B = 3, T = 5, C = 4;
    Inputs in = {random_tensor({B, T, C}, rng)};
    // row 0: no padding; row 1: two pads at the end; row 2: only padding
    Tensor pad = Tensor::from({B, T}, {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1});
    CHECK_GRADIENTS([pad](const Inputs& x) { return masked_mean(x[0], pad); }, in);
}

TEST_CASE("gradcheck: masked max over the sequence (max-over-time pooling)", "[grad]") {
    Rng rng(116);
    const int B = 3, T = 5, C = 4;
    // distinct values far apart (more than 2h): the argmax does not move under the finite differences
    Tensor x = Tensor::zeros({B, T, C}, true);
    std::vector<float> v(x.numel());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.1f * static_cast<float>(i);
    rng.shuffle(v);
    std::copy(v.begin(), v.end(), x.data().begin());
    Inputs in = {x};
    // row 0: no padding; row 1: two pads at the end; row 2: only padding
    Tensor pad = Tensor::from({B, T}, {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1});
    CHECK_GRADIENTS([pad](const Inputs& a) { return masked_max(a[0], pad); }, in);
}

TEST_CASE("masked max: values, padding ignored, an all-pad row is zero", "[ops]") {
    // x [1, 3, 2]: the pad (t = 2) holds the largest values and must not win
    const Tensor x = Tensor::from({2, 3, 2}, {1, -5, 3, -4, 100, 100, -1, -2, -3, -4, -5, -6});
    const Tensor y = masked_max(x, Tensor::from({2, 3}, {0, 0, 1, 1, 1, 1}));
    CHECK(y.data()[0] == 3.0f);
    CHECK(y.data()[1] == -4.0f);
    CHECK(y.data()[2] == 0.0f);
    CHECK(y.data()[3] == 0.0f);
}

TEST_CASE("gradcheck: softmax plain, causal, padded, fully masked rows; log_softmax", "[grad]") {
    Rng rng(17);
    for (int trial = 0; trial < 3; ++trial) {
        const int B = rdim(rng, 2, 3), H = rdim(rng), T = rdim(rng, 2, 5);
        Inputs in = {random_tensor({B, H, T, T}, rng, -2.0f, 2.0f)};
        CHECK_GRADIENTS([](const Inputs& x) { return softmax(x[0]); }, in);
        CHECK_GRADIENTS([](const Inputs& x) { return log_softmax(x[0]); }, in);
        const Tensor causal = causal_mask(T);
        CHECK_GRADIENTS([causal](const Inputs& x) { return softmax(x[0], causal); }, in);
        Tensor pad = Tensor::zeros({B, T});
        pad.data()[size_t(T) - 1] = 1.0f;                          // batch 0: last key is padding
        for (int t = 0; t < T; ++t) pad.data()[size_t(T) + t] = 1.0f;  // batch 1: every key is padding
        const Tensor pm = padding_mask_for_scores(pad);
        CHECK_GRADIENTS([pm](const Inputs& x) { return softmax(x[0], pm); }, in);
    }
}

TEST_CASE("gradcheck: layer_norm with affine", "[grad]") {
    Rng rng(18);
    for (int trial = 0; trial < 3; ++trial) {
        const int C = rdim(rng, 2, 6);
        Inputs in = {random_tensor({rdim(rng), rdim(rng), C}, rng, -2.0f, 2.0f), random_tensor({C}, rng),
                     random_tensor({C}, rng)};
        CHECK_GRADIENTS([](const Inputs& x) { return layer_norm(x[0], x[1], x[2]); }, in);
    }
}

TEST_CASE("gradcheck: embedding with repeated ids", "[grad]") {
    Rng rng(19);
    const std::vector<int> ids = {0, 3, 3, 1, 0, 4};
    Inputs in = {random_tensor({5, 3}, rng)};
    CHECK_GRADIENTS([&](const Inputs& x) { return embedding(x[0], ids, {2, 3}); }, in);
}

TEST_CASE("gradcheck: cross_entropy and dropout", "[grad]") {
    Rng rng(20);
    for (int trial = 0; trial < 3; ++trial) {
        const int N = rdim(rng, 1, 5), K = rdim(rng, 2, 5);
        std::vector<int> labels(static_cast<size_t>(N));
        for (int& l : labels) l = static_cast<int>(rng.below(static_cast<std::uint32_t>(K)));
        Inputs in = {random_tensor({N, K}, rng, -2.0f, 2.0f)};
        CHECK_GRADIENTS([&](const Inputs& x) { return cross_entropy(x[0], labels); }, in);
        // the same seed each call, so the finite differences see the same dropout mask
        CHECK_GRADIENTS([](const Inputs& x) { Rng r(5); return dropout(x[0], 0.4f, true, r); }, in);
    }
}

TEST_CASE("gradcheck: cross_entropy with label smoothing", "[grad]") {
    Rng rng(120);
    for (const float eps : {0.1f, 0.3f, 1.0f}) {
        for (int trial = 0; trial < 3; ++trial) {
            const int N = rdim(rng, 1, 5), K = rdim(rng, 2, 5);
            std::vector<int> labels(static_cast<size_t>(N));
            for (int& l : labels) l = static_cast<int>(rng.below(static_cast<std::uint32_t>(K)));
            Inputs in = {random_tensor({N, K}, rng, -2.0f, 2.0f)};
            CHECK_GRADIENTS([&](const Inputs& x) { return cross_entropy(x[0], labels, eps); }, in);
        }
    }
}

TEST_CASE("cross_entropy with label smoothing: PyTorch's formula", "[ops]") {
    // torch.nn.functional.cross_entropy(logits, labels, label_smoothing=eps), as its documentation defines it:
    //   mean_n [(1 - eps) * -log p[n, y_n] + eps * mean_k -log p[n, k]]
    // logits [[1, 2, 0.5], [0, -1, 3]], labels [2, 0], eps 0.2, in double:
    const Tensor logits = Tensor::from({2, 3}, {1, 2, 0.5f, 0, -1, 3});
    const std::vector<int> labels = {2, 0};
    double want = 0.0;
    const double x[2][3] = {{1, 2, 0.5}, {0, -1, 3}};
    for (int n = 0; n < 2; ++n) {
        const double lse = std::log(std::exp(x[n][0]) + std::exp(x[n][1]) + std::exp(x[n][2]));
        const double nll = lse - x[n][labels[size_t(n)]];
        const double uniform = ((lse - x[n][0]) + (lse - x[n][1]) + (lse - x[n][2])) / 3.0;
        want += (0.8 * nll + 0.2 * uniform) / 2.0;
    }
    CHECK(cross_entropy(logits, labels, 0.2f).item() == Approx(want).epsilon(1e-6));
    CHECK(want == Approx(2.381793).epsilon(1e-6));   // the same formula in Python floats (torch is not installed here)
    // eps = 0 is the plain loss, bit for bit
    CHECK(cross_entropy(logits, labels, 0.0f).item() == cross_entropy(logits, labels).item());
    CHECK_THROWS_WITH(cross_entropy(logits, labels, 1.5f), Catch::Contains("label smoothing"));
}

TEST_CASE("gradcheck: a composite, attention-shaped expression", "[grad]") {
    Rng rng(21);
    const int B = 2, T = 3, C = 4;
    Inputs in = {random_tensor({B, T, C}, rng), random_tensor({C, C}, rng), random_tensor({C}, rng)};
    CHECK_GRADIENTS([](const Inputs& x) {
        Tensor q = linear(x[0], x[1], x[2]);                     // [B, T, C]
        Tensor s = scale(matmul(q, transpose(x[0])), 0.5f);      // [B, T, T]
        return matmul(softmax(s, causal_mask(3)), x[0]);         // [B, T, C]
    }, in);
}

// ---------------------------------------------------------------------------
// Values (a gradient check alone cannot catch a wrong forward)

TEST_CASE("forward values of the ops", "[ops]") {
    Tensor a = Tensor::from({2, 2}, {1, 2, 3, 4}), b = Tensor::from({2}, {10, 20});
    CHECK(add(a, b).data()[3] == 24.0f);
    CHECK(matmul(a, a).data()[0] == 7.0f);                       // [1 2; 3 4]^2 = [7 10; 15 22]
    CHECK(matmul(a, a).data()[3] == 22.0f);
    CHECK(transpose(a).data()[1] == 3.0f);
    CHECK(sum(a, 0).data()[1] == 6.0f);
    CHECK(mean(a, 1).data()[1] == 3.5f);
    Tensor W = Tensor::from({1, 2}, {1, -1}), bias = Tensor::from({1}, {0.5f});
    CHECK(linear(a, W, bias).data()[1] == Approx(-0.5f));        // 3 - 4 + 0.5
    Tensor s = softmax(Tensor::from({2}, {0.0f, std::log(3.0f)}));
    CHECK(s.data()[1] == Approx(0.75f));
    CHECK(gelu(Tensor::from({1}, {1.0f})).item() == Approx(0.8413447f));
    Tensor ln = layer_norm(Tensor::from({1, 2}, {1, 3}), Tensor::from({2}, {1, 1}), Tensor::from({2}, {0, 0}), 0.0f);
    CHECK(ln.data()[0] == Approx(-1.0f));
    CHECK(cross_entropy(Tensor::from({1, 2}, {0, 0}), std::vector<int>{1}).item() == Approx(std::log(2.0f)));
    Tensor x = Tensor::from({1, 3, 1}, {1, 2, 100});
    CHECK(masked_mean(x, Tensor::from({1, 3}, {0, 0, 1})).item() == Approx(1.5f));
}

TEST_CASE("softmax: blocked keys get zero weight, a fully blocked row is zeros not NaN", "[ops]") {
    Tensor x = Tensor::from({2, 3}, {1, 2, 3, 4, 5, 6}, true);
    Tensor mask = Tensor::from({2, 3}, {0, 0, 1, 1, 1, 1});
    Tensor y = softmax(x, mask);
    CHECK(y.data()[2] == 0.0f);
    CHECK(y.data()[0] + y.data()[1] == Approx(1.0f));
    for (int j = 3; j < 6; ++j) CHECK(y.data()[size_t(j)] == 0.0f);
    y.backward(std::vector<float>{1, 2, 3, 4, 5, 6});
    for (float g : x.grad()) CHECK(std::isfinite(g));
    CHECK(x.grad()[3] == 0.0f);
    // numerically stable: huge scores do not overflow
    Tensor big = softmax(Tensor::from({2}, {1000.0f, 1000.0f}));
    CHECK(big.data()[0] == 0.5f);
}

TEST_CASE("softmax's exp: within 2 ulp of the exact value on [-87, 0], 0 below, NaN kept", "[ops]") {
    // ulp distance between two positive floats = distance between their bit patterns
    auto ulps = [](float a, float b) {
        const auto ia = std::bit_cast<std::int32_t>(a), ib = std::bit_cast<std::int32_t>(b);
        return ia > ib ? ia - ib : ib - ia;
    };
    std::int32_t worst = 0;
    float worst_x = 0.0f;
    const int n = 2000000;
    for (int i = 0; i <= n; ++i) {
        const float x = -87.0f * static_cast<float>(i) / static_cast<float>(n);
        const float exact = static_cast<float>(std::exp(static_cast<double>(x)));   // correctly rounded (nearly)
        const std::int32_t u = ulps(exp_nonpositive(x), exact);
        if (u > worst) worst = u, worst_x = x;
    }
    INFO("worst " << worst << " ulp at x = " << worst_x);
    CHECK(worst <= 2);
    CHECK(exp_nonpositive(0.0f) == 1.0f);
    CHECK(exp_nonpositive(-88.0f) == 0.0f);
    CHECK(exp_nonpositive(-INFINITY) == 0.0f);
    CHECK(std::isnan(exp_nonpositive(NAN)));
    CHECK(exp_nonpositive(1.0f) == 1.0f);              // outside the domain: clamped to exp(0), no UB
    CHECK(exp_nonpositive(1e30f) == 1.0f);
}

TEST_CASE("dropout: scaled survivors in training, identity in evaluation, seeded", "[ops]") {
    Tensor x = Tensor::full({1000}, 1.0f);
    Rng r1(3), r2(3);
    Tensor a = dropout(x, 0.25f, true, r1), b = dropout(x, 0.25f, true, r2);
    int zeros = 0;
    for (size_t i = 0; i < 1000; ++i) {
        CHECK(a.data()[i] == b.data()[i]);
        CHECK((a.data()[i] == 0.0f || a.data()[i] == Approx(1.0f / 0.75f)));
        zeros += a.data()[i] == 0.0f;
    }
    CHECK(zeros > 200);
    CHECK(zeros < 300);
    Tensor e = dropout(x, 0.25f, false, r1);
    CHECK(e.data()[0] == 1.0f);
    CHECK_THROWS_AS(dropout(x, 1.0f, true, r1), std::invalid_argument);
}

// ---------------------------------------------------------------------------
// The engine

TEST_CASE("gradients accumulate across backward calls; zeroing is its own step", "[engine]") {
    Tensor x = Tensor::from({2}, {1.0f, 2.0f}, true);
    Tensor y = sum(scale(x, 3.0f));
    y.backward();
    CHECK(x.grad()[0] == 3.0f);
    y.backward();                                                  // second call adds
    CHECK(x.grad()[0] == 6.0f);
    x.zero_grad();
    CHECK(x.grad()[1] == 0.0f);
}

TEST_CASE("backward: a fresh gradient written whole is the same bytes as zeros plus the contribution", "[engine]") {
    // The fast build's closures write an input's gradient outright when nothing was
    // added to it yet (Tensor::grad_for_overwrite); with that off they add into zeros.
    // Every gradient, leaves and intermediates, must be the same bytes either way:
    // dropout and relu make many contributions -0 (a negative dy times 0), which
    // adding into +0 turns into +0, and so must the written path.
    auto run = [](bool overwrite) {
        Tensor::set_overwrite_fresh_grads(overwrite);
        Rng rng(77), drop(5);
        Tensor a = random_tensor({12, 16}, rng), b = random_tensor({12, 16}, rng);
        Tensor gamma = random_tensor({16}, rng), beta = random_tensor({16}, rng);
        Tensor W1 = random_tensor({40, 16}, rng), b1 = random_tensor({40}, rng);
        Tensor W2 = random_tensor({16, 40}, rng), b2 = random_tensor({16}, rng);
        const Tensor target = random_tensor({12, 16}, rng);
        for (Tensor* t : {&a, &b, &gamma, &beta, &W1, &b1, &W2, &b2}) t->set_requires_grad(true);
        Tensor s = add(a, b), n = layer_norm(s, gamma, beta), l1 = linear(n, W1, b1), r = relu(l1),
               d = dropout(r, 0.5f, true, drop), l2 = linear(d, W2, b2), sc = scale(l2, -1.5f), h = add(sc, n);
        sum(mul(h, target)).backward();
        std::vector<std::uint32_t> bytes;
        for (Tensor* t : {&a, &b, &gamma, &beta, &W1, &b1, &W2, &b2, &s, &n, &l1, &r, &d, &l2, &sc, &h})
            for (float g : t->grad()) bytes.push_back(std::bit_cast<std::uint32_t>(g));
        return bytes;
    };
    const std::vector<std::uint32_t> written = run(true), added = run(false);
    Tensor::set_overwrite_fresh_grads(true);
    REQUIRE(written.size() == added.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < written.size(); ++i) differ += written[i] != added[i];
    REQUIRE(differ == 0);
}

TEST_CASE("a tensor used twice receives the sum of both contributions", "[engine]") {
    Tensor x = Tensor::from({3}, {1.0f, -2.0f, 0.5f}, true);
    Tensor y = sum(add(mul(x, x), x));                             // d/dx (x^2 + x) = 2x + 1
    y.backward();
    CHECK(x.grad()[0] == Approx(3.0f));
    CHECK(x.grad()[1] == Approx(-3.0f));
    CHECK(x.grad()[2] == Approx(2.0f));
    // a diamond: z = (2x) * (2x) through one shared intermediate
    Tensor w = Tensor::from({1}, {3.0f}, true);
    Tensor d = scale(w, 2.0f);
    mul(d, d).backward(std::vector<float>{1.0f});
    CHECK(w.grad()[0] == Approx(24.0f));                           // d/dw 4w^2 = 8w
}

TEST_CASE("NoGrad builds no graph", "[engine]") {
    Tensor x = Tensor::from({2}, {1.0f, 2.0f}, true);
    {
        NoGrad guard;
        CHECK_FALSE(grad_enabled());
        Tensor y = mul(x, x);
        CHECK_FALSE(y.requires_grad());
        CHECK(y.node().parents.empty());
        CHECK_THROWS_AS(sum(y).backward(), std::invalid_argument);
    }
    CHECK(grad_enabled());
    CHECK(mul(x, x).node().parents.size() == 2);
    // inputs that need no gradient give results with no graph either
    Tensor c = Tensor::from({2}, {1.0f, 2.0f});
    CHECK(mul(c, c).node().parents.empty());
}

TEST_CASE("a 10,000-op chain backpropagates and is freed without recursion", "[engine]") {
    Tensor x = Tensor::from({1}, {0.5f}, true);
    {
        Tensor y = x;
        for (int i = 0; i < 10000; ++i) y = scale(y, 1.0f);
        sum(y).backward();
        CHECK(x.grad()[0] == 1.0f);
    }
    // a much deeper chain: destruction must be iterative (a recursive one overflows the stack)
    {
        Tensor y = x;
        for (int i = 0; i < 300000; ++i) y = add(y, y);
    }
    SUCCEED("freed");
}

TEST_CASE("shape errors name the op and both shapes", "[errors]") {
    Tensor a = Tensor::zeros({2, 3}), b = Tensor::zeros({4}), m = Tensor::zeros({4, 5});
    CHECK_THROWS_WITH(add(a, b), Catch::Contains("add") && Catch::Contains("[2, 3]") && Catch::Contains("[4]"));
    CHECK_THROWS_WITH(mul(a, b), Catch::Contains("mul") && Catch::Contains("[2, 3]") && Catch::Contains("[4]"));
    CHECK_THROWS_WITH(matmul(a, m), Catch::Contains("matmul") && Catch::Contains("[2, 3]") && Catch::Contains("[4, 5]"));
    CHECK_THROWS_WITH(linear(a, m), Catch::Contains("linear") && Catch::Contains("[2, 3]") && Catch::Contains("[4, 5]"));
    CHECK_THROWS_WITH(reshape(a, {4, 2}), Catch::Contains("reshape") && Catch::Contains("[4, 2]"));
    CHECK_THROWS_WITH(softmax(a, Tensor::zeros({3, 3})), Catch::Contains("softmax") && Catch::Contains("[3, 3]"));
    CHECK_THROWS_WITH(layer_norm(a, b, b), Catch::Contains("layer_norm") && Catch::Contains("[4]"));
    CHECK_THROWS_WITH(masked_mean(Tensor::zeros({2, 3, 4}), Tensor::zeros({2, 4})),
                      Catch::Contains("masked_mean") && Catch::Contains("[2, 4]"));
    CHECK_THROWS_WITH(embedding(m, std::vector<int>{7}, {1}), Catch::Contains("token id 7"));
    CHECK_THROWS_WITH(cross_entropy(a, std::vector<int>{0, 3}), Catch::Contains("label 3"));
    CHECK_THROWS_AS(Tensor::from({2, 2}, {1.0f}), std::invalid_argument);
    CHECK_THROWS_WITH(sum(a).backward(std::vector<float>{1, 2}), Catch::Contains("upstream"));
}

// ---------------------------------------------------------------------------
// GEMM and the RNG

TEST_CASE("gemm agrees with the three-loop reference for every transpose", "[gemm]") {
    Rng rng(30);
    for (int trial = 0; trial < 20; ++trial) {
        const int M = rdim(rng, 1, 70), N = rdim(rng, 1, 70), K = rdim(rng, 1, 70);
        std::vector<float> A(size_t(M) * K), B(size_t(K) * N), C1(size_t(M) * N), C2(size_t(M) * N);
        for (float& v : A) v = rng.uniform(-1, 1);
        for (float& v : B) v = rng.uniform(-1, 1);
        for (size_t i = 0; i < C1.size(); ++i) C1[i] = C2[i] = rng.uniform(-1, 1);
        for (int t = 0; t < 4; ++t) {
            const bool ta = t & 1, tb = t & 2, acc = trial % 2;
            gemm_reference(ta, tb, M, N, K, A, B, C1, acc);
            gemm(ta, tb, M, N, K, A, B, C2, acc);
            for (size_t i = 0; i < C1.size(); ++i) REQUIRE(C2[i] == Approx(C1[i]).margin(1e-4));
        }
    }
}

TEST_CASE("the RNG draws the same numbers under every compiler", "[rng]") {
    Rng r(42);
    // Recorded once; g++ and clang++ builds must both reproduce them bit for bit.
    CHECK(r.next_u64() == 0x15780b2e0c2ec716ULL);
    Rng u(42);
    CHECK(u.uniform() == 0x1.5780bp-4f);
    Rng n(7);
    CHECK(n.normal() == -0x1.366bc6p-3f);
    CHECK(n.normal() == 0x1.a8e846p-1f);
    Rng a(1), b(1);
    for (int i = 0; i < 1000; ++i) REQUIRE(a.normal() == b.normal());
    // the normal draws have mean 0 and variance 1
    Rng s(9);
    double m = 0, v = 0;
    const int n_draws = 200000;
    for (int i = 0; i < n_draws; ++i) { const double x = s.normal(); m += x; v += x * x; }
    m /= n_draws;
    v = v / n_draws - m * m;
    CHECK(std::abs(m) < 0.01);
    CHECK(std::abs(v - 1.0) < 0.01);
    // below() stays in range
    for (int i = 0; i < 1000; ++i) REQUIRE(s.below(7) < 7u);
}
