// `make check-builds`: the fast and the readable build (kernels.hpp) give the
// same answers.
//
//   twin run FILE           one fixed MiniLLM training step (forward with dropout and a
//                           padding mask, backward, AdamW), its results written to FILE
//   twin same A B           A and B hold the same bytes (one build, two thread counts)
//   twin close FAST READ    FAST (fast build) and READ (readable build) agree within the
//                           tolerances below
//
// What differs between the builds is the rounding of the GEMM (fast: fma chains
// in slabs of 256; readable: a*b then +, left to right) and of layer norm's row
// sums (16 running sums vs left to right); the softmax, its exp and every
// elementwise op are the same code. So the two agree to a few float roundings
// per sum. The tolerances, per quantity, as a fraction of the largest magnitude
// of that quantity in the fast run (measured on this program: see the
// README's Tests section):
//   loss, logits, gradients      1e-5
//   the AdamW update p1 - p0     1e-3 of the learning rate, on the elements whose
//                                gradient is at least 1e-3 of the largest one.
//                                The first update is about lr * g / (|g| + eps):
//                                where |g| is as small as the gradients' rounding
//                                differences (~1e-5 of the largest), it follows
//                                that noise, in either build; the skipped share
//                                is printed.
// Exit status 0 when they hold, 1 (with the first offender named) when not.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/ops.hpp"
#include "core/rng.hpp"
#include "kernels/kernels.hpp"
#include "nn/model.hpp"
#include "nn/optim.hpp"

using namespace llm;

namespace {

constexpr float kLr = 1e-3f;

// The quantities, in file order: every one a named float vector.
struct Results {
    std::vector<std::string> names;
    std::vector<std::vector<float>> values;
    void add(const std::string& name, std::span<const float> v) {
        names.push_back(name);
        values.emplace_back(v.begin(), v.end());
    }
};

Results one_step() {
    ModelConfig cfg;
    cfg.vocab_size = 50, cfg.d_model = 64, cfg.num_heads = 4, cfg.d_ff = 128, cfg.num_layers = 2, cfg.max_len = 24;
    const int B = 8, T = 24;                         // T 24: attention's [T, T] products are not multiples of a tile
    Rng data(3);
    std::vector<int> ids(std::size_t(B) * T), labels(B);
    Tensor pad = Tensor::zeros({B, T});
    for (int b = 0; b < B; ++b) {
        const int len = 4 + static_cast<int>(data.below(T - 3));
        for (int t = 0; t < T; ++t) {
            ids[std::size_t(b) * T + t] = t < len ? 2 + static_cast<int>(data.below(48)) : 0;
            pad.data()[std::size_t(b) * T + t] = t < len ? 0.0f : 1.0f;
        }
        labels[std::size_t(b)] = static_cast<int>(data.below(3));
    }
    MiniLLM model(cfg, 11);
    AdamW::Options o;
    o.lr = kLr;
    AdamW opt(model.named_parameters(), o);
    Rng drop(5);
    Results r;
    for (const auto& [name, p] : model.named_parameters()) r.add("p0 " + name, p.data());
    const Tensor logits = model.forward(ids, pad, &drop).logits;
    Tensor loss = cross_entropy(logits, labels);
    loss.backward();
    r.add("loss", loss.data());
    r.add("logits", logits.data());
    for (const auto& [name, p] : model.named_parameters()) r.add("grad " + name, p.grad());
    opt.step();
    for (const auto& [name, p] : model.named_parameters()) r.add("p1 " + name, p.data());
    return r;
}

// File: per quantity, a line "name count", then count floats as raw bytes.
void write(const std::string& path, const Results& r) {
    std::ofstream f(path, std::ios::binary);
    for (std::size_t i = 0; i < r.names.size(); ++i) {
        f << r.names[i] << ' ' << r.values[i].size() << '\n';
        f.write(reinterpret_cast<const char*>(r.values[i].data()), std::streamsize(r.values[i].size() * sizeof(float)));
    }
    if (!f) throw std::runtime_error("twin: cannot write " + path);
}

Results read(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("twin: cannot read " + path);
    Results r;
    std::string name;
    while (std::getline(f, name)) {
        const std::size_t space = name.rfind(' ');
        const std::size_t n = std::stoul(name.substr(space + 1));
        std::vector<float> v(n);
        f.read(reinterpret_cast<char*>(v.data()), std::streamsize(n * sizeof(float)));
        r.names.push_back(name.substr(0, space));
        r.values.push_back(std::move(v));
    }
    return r;
}

float max_abs(std::span<const float> v) {
    float m = 0.0f;
    for (float x : v) m = std::max(m, std::fabs(x));
    return m;
}

const std::vector<float>& find(const Results& r, const std::string& name) {
    for (std::size_t i = 0; i < r.names.size(); ++i)
        if (r.names[i] == name) return r.values[i];
    throw std::runtime_error("twin: no quantity '" + name + "'");
}

// |fast - readable| <= tol * scale, element by element; prints the worst ratio.
bool close(const std::string& what, std::span<const float> fast, std::span<const float> slow, float scale, float tol,
           std::span<const float> skip_below = {}, float skip = 0.0f) {
    float worst = 0.0f;
    std::size_t skipped = 0;
    for (std::size_t i = 0; i < fast.size(); ++i) {
        if (!skip_below.empty() && std::fabs(skip_below[i]) < skip) {
            ++skipped;
            continue;
        }
        const float d = std::fabs(fast[i] - slow[i]) / scale;
        if (!(d <= tol)) {
            std::printf("twin: %s[%zu] differs: fast %.9g, readable %.9g (|diff| %.3g of %.3g, tolerance %.3g)\n",
                        what.c_str(), i, double(fast[i]), double(slow[i]), double(d), double(scale), double(tol));
            return false;
        }
        worst = std::max(worst, d);
    }
    std::printf("  %-52s max |fast - readable| = %.2e of %.3g", what.c_str(), double(worst), double(scale));
    if (skipped) std::printf("  (%zu of %zu skipped: tiny gradient)", skipped, fast.size());
    std::printf("\n");
    return true;
}

int compare_close(const Results& fast, const Results& slow) {
    if (fast.names != slow.names) return std::printf("twin: the two files hold different quantities\n"), 1;
    bool ok = true;
    for (std::size_t i = 0; i < fast.names.size() && ok; ++i) {
        const std::string& name = fast.names[i];
        const std::vector<float>& a = fast.values[i];
        const std::vector<float>& b = slow.values[i];
        if (a.size() != b.size()) return std::printf("twin: %s has different sizes\n", name.c_str()), 1;
        if (name.rfind("p0 ", 0) == 0) {
            ok = a == b;                              // the initial weights: no GEMM involved, equal bits
            if (!ok) std::printf("twin: %s differs: the initialisation is not the same\n", name.c_str());
        } else if (name.rfind("p1 ", 0) == 0) {       // the update p1 - p0, against the learning rate
            const std::string base = name.substr(3);
            const std::vector<float>& p0 = find(fast, "p0 " + base);
            const std::vector<float>& g = find(fast, "grad " + base);
            std::vector<float> da(a.size()), db(a.size());
            for (std::size_t j = 0; j < a.size(); ++j) da[j] = a[j] - p0[j], db[j] = b[j] - p0[j];
            ok = close("update " + base, da, db, kLr, 1e-3f, g, 1e-3f * max_abs(g));
        } else {
            ok = close(name, a, b, std::max(max_abs(a), 1e-30f), 1e-5f);
        }
    }
    return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::vector<std::string> args(argv + 1, argv + argc);
        if (args.size() == 2 && args[0] == "run") {
            write(args[1], one_step());
            std::printf("twin: %s build, %d thread(s) -> %s\n", kernels::readable ? "readable" : "fast",
                        kernels::num_threads(), args[1].c_str());
            return 0;
        }
        if (args.size() == 3 && args[0] == "same") {
            std::ifstream a(args[1], std::ios::binary), b(args[2], std::ios::binary);
            const std::string x{std::istreambuf_iterator<char>(a), {}}, y{std::istreambuf_iterator<char>(b), {}};
            const bool same = !x.empty() && x == y;
            std::printf("twin: %s and %s %s\n", args[1].c_str(), args[2].c_str(),
                        same ? "hold the same bytes" : "DIFFER");
            return same ? 0 : 1;
        }
        if (args.size() == 3 && args[0] == "close") {
            const int rc = compare_close(read(args[1]), read(args[2]));
            std::printf("twin: fast and readable builds %s\n", rc == 0 ? "agree within the tolerances" : "DISAGREE");
            return rc;
        }
        std::fprintf(stderr, "usage: twin run FILE | twin same A B | twin close FAST READABLE\n");
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
