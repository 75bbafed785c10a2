#pragma once
// Finite-difference gradient check, shared by the test files.
//
// For y = f(inputs) and a fixed random R of y's shape, the scalar
//     L = sum(y * R)
// has dL/dx = backward of y with upstream gradient R. We compare that with the
// central difference (L(x + h) - L(x - h)) / 2h, one element at a time.
//
// Precision strategy. The ops compute in float32, so L carries a relative
// rounding error of about 1e-7 per element; the check reads y in float but
// forms L in double (no extra rounding in the reduction). With h = 1e-2 the
// truncation error is h^2/6 * |L'''| ~ 2e-5 for our smooth ops, and the
// rounding error is ~ 1e-7 * |L| / h ~ 1e-5 * |L|, with |L| ~ 1..10 here.
// Hence the tolerance |numeric - analytic| <= atol + rtol * |analytic| with
// atol = 5e-3, rtol = 2e-2: about a hundred times the expected error, while a
// dropped term in a backward (the failure we hunt) is an O(1) error. Inputs of
// kinked ops (relu) are kept away from the kink by more than h.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/tensor.hpp"

namespace llm::testing {

struct GradReport {
    bool ok = true;
    double max_err = 0.0;        // largest |numeric - analytic|
    std::string worst;           // where, and both values
    std::size_t checked = 0;     // elements compared
};

inline GradReport gradcheck(const std::function<Tensor(const std::vector<Tensor>&)>& f,
                            std::vector<Tensor> inputs, std::uint64_t seed = 1,
                            double h = 1e-2, double atol = 5e-3, double rtol = 2e-2) {
    Rng rng(seed);
    for (auto& x : inputs) x.zero_grad();
    Tensor y = f(inputs);
    std::vector<float> R(y.numel());
    for (float& r : R) r = rng.normal();
    y.backward(R);

    auto loss = [&]() {
        Tensor out = f(inputs);
        double L = 0.0;
        for (std::size_t i = 0; i < R.size(); ++i) L += static_cast<double>(out.data()[i]) * R[i];
        return L;
    };

    GradReport rep;
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        Tensor x = inputs[k];
        if (!x.requires_grad()) continue;
        const std::vector<float> analytic(x.grad().begin(), x.grad().end());
        for (std::size_t i = 0; i < x.numel(); ++i) {
            const float saved = x.data()[i];
            x.data()[i] = static_cast<float>(saved + h);
            const double up = loss();
            x.data()[i] = static_cast<float>(saved - h);
            const double down = loss();
            x.data()[i] = saved;
            const double numeric = (up - down) / (2.0 * h);
            const double err = std::abs(numeric - analytic[i]);
            ++rep.checked;
            if (err > rep.max_err) rep.max_err = err;
            if (err > atol + rtol * std::abs(analytic[i]) && rep.ok) {
                rep.ok = false;
                std::ostringstream s;
                s << "input " << k << " " << to_string(x.shape()) << " element " << i << ": numeric " << numeric
                  << " vs analytic " << analytic[i];
                rep.worst = s.str();
            }
        }
    }
    return rep;
}

// Random tensor with values in [lo, hi), requiring a gradient.
inline Tensor random_tensor(const Shape& s, Rng& rng, float lo = -1.0f, float hi = 1.0f, bool grad = true) {
    Tensor t = Tensor::zeros(s, grad);
    for (float& v : t.data()) v = rng.uniform(lo, hi);
    return t;
}

}  // namespace llm::testing

#define CHECK_GRADIENTS(f, inputs) CHECK_GRADIENTS_H(f, inputs, 1e-2)
// The same with another step h (see the precision strategy above).
#define CHECK_GRADIENTS_H(f, inputs, h)                                              \
    do {                                                                             \
        const auto report_ = ::llm::testing::gradcheck((f), (inputs), 1, (h));      \
        INFO("gradcheck: " << report_.checked << " elements, max |err| "            \
                           << report_.max_err << "; first failure: " << report_.worst); \
        CHECK(report_.checked > 0);                                                  \
        CHECK(report_.ok);                                                           \
    } while (0)
