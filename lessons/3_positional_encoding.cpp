// Lesson 3 — Positional encoding
//
//   PE[pos, 2i]   = sin(pos * w_i)        w_i = 10000^(-2i / C)
//   PE[pos, 2i+1] = cos(pos * w_i)
//
// Goals
//   1. Build the sinusoidal table of the original Transformer and look at it:
//      as a heatmap, as curves, through its frequencies.
//   2. Check its properties with numbers: bounded, different at every
//      position, PE(pos + k) a fixed rotation of PE(pos), similarity that
//      depends only on the distance.
//   3. See why attention needs it: without positions, self-attention is
//      permutation-equivariant (shuffle the words, get the same outputs
//      shuffled).
//   4. Compare with a learned table: its parameters, and what happens past
//      its length.
//
// What to look at
//   - out/lesson3/pe_heatmap.svg: fast stripes on the left (small i), slow on
//     the right;
//   - the rotation error (section 4): float rounding, not approximation;
//   - the permutation test (section 5): 0 without PE, clearly not 0 with it.
//
// Shapes: T tokens (positions), C = d_model, L = rows of a PE table.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/attention.hpp"
#include "core/ops.hpp"
#include "viz/plot.hpp"
#include "nn/positional.hpp"
#include "viz/report.hpp"
#include "core/rng.hpp"

using namespace llm;

namespace {

constexpr int kModel = 128;       // C for the whole lesson
constexpr int kLen = 64;          // positions shown in the figures

double omega(int i, int C) { return std::pow(10000.0, -2.0 * i / C); }        // angular frequency of pair i

std::span<const float> row(const Tensor& t, int r) {                         // row r of a [L, C] tensor
    return t.data().subspan(std::size_t(r) * t.dim(1), std::size_t(t.dim(1)));
}

double dot(std::span<const float> a, std::span<const float> b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
    return s;
}

double cosine(std::span<const float> a, std::span<const float> b) { return dot(a, b) / std::sqrt(dot(a, a) * dot(b, b)); }

// The [C, C] matrix that maps PE(pos) to PE(pos + k) for every pos: one 2 x 2
// rotation per (sin, cos) pair, by the angle k * w_i:
//   sin((p + k) w) =  cos(k w) sin(p w) + sin(k w) cos(p w)
//   cos((p + k) w) = -sin(k w) sin(p w) + cos(k w) cos(p w)
Tensor shift_matrix(int k, int C) {
    Tensor M = Tensor::zeros({C, C});                                         // [C, C]
    for (int i = 0; i < C / 2; ++i) {
        const double a = k * omega(i, C);
        const int r = 2 * i;
        M.data()[std::size_t(r) * C + r] = float(std::cos(a));
        M.data()[std::size_t(r) * C + r + 1] = float(std::sin(a));
        M.data()[std::size_t(r + 1) * C + r] = float(-std::sin(a));
        M.data()[std::size_t(r + 1) * C + r + 1] = float(std::cos(a));
    }
    return M;
}

// Max |PE(p + k) - M_k PE(p)| over p = first .. last - k.
float rotation_error(const Tensor& pe, int k, int first, int last) {
    const int C = pe.dim(1);
    Tensor from = narrow(pe, 0, first, last - first - k);                     // [n, C] PE(p)
    Tensor to = narrow(pe, 0, first + k, last - first - k);                   // [n, C] PE(p + k)
    Tensor moved = linear(from, shift_matrix(k, C));                          // [n, C] M_k PE(p), as x M^T
    float err = 0.0f;
    for (std::size_t i = 0; i < to.numel(); ++i) err = std::max(err, std::abs(moved.data()[i] - to.data()[i]));
    return err;
}

// ---- 1. The sinusoidal table ---------------------------------------------------------------------
void section_table(report::Figures& figs) {
    report::section("1. The sinusoidal table");
    const Tensor pe = sinusoidal_encoding(kLen, kModel);                      // [L, C]
    report::say("One row per position, one column per dimension; column pairs (2i, 2i+1) hold the "
                "sine and the cosine of the same angle pos * w_i. Nothing is learned: the table is "
                "a function of (pos, i) alone.");
    report::printf("\n");
    report::shape("pe = sinusoidal_encoding", pe, "L = 64 positions, C = 128 dimensions");
    report::printf("\nThe first 5 positions, dimensions 0..5 and 126..127:\n");
    const std::vector<int> cols = {0, 1, 2, 3, 4, 5, 126, 127};
    std::vector<float> corner;
    std::vector<std::string> rlab, clab;
    for (int p = 0; p < 5; ++p) {
        rlab.push_back("pos " + std::to_string(p));
        for (int c : cols) corner.push_back(pe.at({p, c}));
    }
    for (int c : cols) clab.push_back(std::string("d").append(std::to_string(c)));
    report::matrix(corner, 5, cols.size(), rlab, clab, 3);
    report::say("\nPosition 0 is (0, 1, 0, 1, ...): every sine 0, every cosine 1. The last pair turns "
                "so slowly that it has barely moved after 4 positions.");
    figs.save("pe_heatmap.svg",
              plot::heatmap_svg(pe.data(), kLen, kModel, {}, {},
                                {.title = "Sinusoidal positional encoding (64 positions x 128 dimensions)",
                                 .x_title = "dimension", .y_title = "position", .colorbar_title = "PE value",
                                 .cmap = plot::Colormap::diverging, .vmin = -1.0, .vmax = 1.0}),
              "the PE table: position x dimension, diverging colours");

    // Curves: some sine columns against the position.
    std::vector<float> xs;
    for (int p = 0; p < kLen; ++p) xs.push_back(float(p));
    std::vector<std::vector<float>> ys;
    std::vector<std::string> names;
    for (int d : {0, 8, 16, 32, 64}) {
        std::vector<float> y;
        for (int p = 0; p < kLen; ++p) y.push_back(pe.at({p, d}));
        ys.push_back(y);
        names.push_back("dim " + std::to_string(d) + " (wavelength " +
                        report::fixed(2 * std::numbers::pi / omega(d / 2, kModel), 1) + ")");
    }
    std::vector<plot::Series> series;
    for (std::size_t s = 0; s < ys.size(); ++s) series.push_back({names[s], xs, ys[s]});
    figs.save("pe_curves.svg",
              plot::line_chart_svg(series, {.title = "PE[pos, d] for five sine dimensions (C = 128)",
                                            .x_title = "position", .y_title = "PE value"}),
              "five dimensions against the position: faster to slower waves");
}

// ---- 2. Frequencies and wavelengths ---------------------------------------------------------------
void section_wavelengths() {
    report::section("2. Frequencies: from 2 pi to 10000 x 2 pi");
    report::say("Pair i turns at w_i = 10000^(-2i/C) radians per position, so it repeats every "
                "2 pi / w_i positions. The wavelengths grow geometrically, by 10000^(2/C) = 1.155 "
                "per pair at C = 128:");
    report::printf("\n");
    report::Table tab({"pair i", "dims", "w_i (rad / position)", "wavelength (positions)"});
    for (int i : {0, 1, 2, 4, 8, 16, 32, 48, 63}) {
        const double w = omega(i, kModel);
        tab.row({std::to_string(i), std::to_string(2 * i) + ", " + std::to_string(2 * i + 1), report::sci(w, 3),
                 report::fixed(2 * std::numbers::pi / w, 1)});
    }
    tab.print();
    report::printf("  (2 pi = %.3f; 10000 x 2 pi = %.1f; the last pair, i = 63, stops just short of it)\n",
                2 * std::numbers::pi, 20000 * std::numbers::pi);
}

// ---- 3. Bounded, and different at every position ------------------------------------------------------
void section_bounded_unique() {
    report::section("3. Bounded, and different at every position");
    const int L = 1000;
    const Tensor pe = sinusoidal_encoding(L, kModel);                         // [L, C]
    float max_abs = 0.0f;
    for (float v : pe.data()) max_abs = std::max(max_abs, std::abs(v));
    double nmin = 1e9, nmax = 0;
    for (int p = 0; p < L; ++p) {
        const double n = std::sqrt(dot(row(pe, p), row(pe, p)));
        nmin = std::min(nmin, n);
        nmax = std::max(nmax, n);
    }
    double dmin = 1e9;
    int pa = 0, pb = 0;
    for (int p = 0; p < L; ++p)
        for (int q = p + 1; q < L; ++q) {
            const auto a = row(pe, p), b = row(pe, q);
            double d2 = 0;
            for (int c = 0; c < kModel; ++c) d2 += (double(a[c]) - b[c]) * (double(a[c]) - b[c]);
            if (d2 < dmin) { dmin = d2; pa = p; pb = q; }
        }
    report::shape("pe", pe, "positions 0 .. 999");
    report::printf("\n  max |PE| over all entries:                      %.6f\n", static_cast<double>(max_abs));
    report::printf("  |PE(pos)| for every pos, between:               %.6f and %.6f  (sqrt(C/2) = %.6f)\n", nmin, nmax,
                std::sqrt(kModel / 2.0));
    report::printf("  smallest |PE(p) - PE(q)|, p != q (%d pairs):  %.4f, at a gap |p - q| = %d\n", L * (L - 1) / 2,
                std::sqrt(dmin), pb - pa);
    double gap1 = 0;                                                          // |PE(p) - PE(p+1)|^2 = C - 2 sum_i cos(w_i)
    for (int i = 0; i < kModel / 2; ++i) gap1 += std::cos(omega(i, kModel));
    double nb_min = 1e9, nb_max = 0;                                          // neighbours, measured
    for (int q = 0; q + 1 < L; ++q) {
        const auto a = row(pe, q), b = row(pe, q + 1);
        double d2 = 0;
        for (int c = 0; c < kModel; ++c) d2 += (double(a[c]) - b[c]) * (double(a[c]) - b[c]);
        nb_min = std::min(nb_min, std::sqrt(d2));
        nb_max = std::max(nb_max, std::sqrt(d2));
    }
    report::printf("  |PE(p) - PE(p + 1)| over p = 0 .. %d:  between %.4f and %.4f;  formula sqrt(C - 2 sum_i cos(w_i)) = %.4f\n",
                L - 2, nb_min, nb_max, std::sqrt(kModel - 2 * gap1));
    report::say("\nEvery vector has the same length (each pair contributes sin^2 + cos^2 = 1), so "
                "PE never outgrows the embeddings it is added to. No two of the 1000 positions "
                "share a vector: the closest ones are neighbours, and all neighbours are the same "
                "distance apart (the distance depends only on the gap, see section 4).");
}

// ---- 4. PE(pos + k) is a rotation of PE(pos); similarity depends on distance only ----------------
void section_rotation(report::Figures& figs) {
    report::section("4. Shifting by k positions is one fixed linear map");
    const Tensor pe = sinusoidal_encoding(kLen, kModel);                      // [L, C]
    report::say("For each k, build M_k: a [C, C] block-diagonal matrix with one 2 x 2 rotation by "
                "k * w_i per pair (shift_matrix in this file). The same M_k must take PE(pos) to "
                "PE(pos + k) for every pos. Vaswani et al. chose sinusoids for this property: an "
                "offset of k positions is a linear function of the encoding, the kind of map a "
                "projection can learn.");
    report::printf("\n");
    const Tensor M = shift_matrix(5, kModel);                                 // [C, C]
    report::shape("M_5", M, "64 blocks of 2 x 2 on the diagonal, 0 elsewhere");
    report::printf("\n");
    report::Table tab({"k", "positions checked", "max |PE(pos + k) - M_k PE(pos)|"});
    for (int k : {1, 5, 10, 20})
        tab.row({std::to_string(k), "0 .. " + std::to_string(kLen - 1 - k), report::sci(rotation_error(pe, k, 0, kLen), 1)});
    tab.print();

    report::printf("\nCosine similarity between PE(p) and PE(p + k), at C = 128:\n\n");
    report::Table cs({"k", "p = 0", "p = 10", "p = 25", "p = 40", "(2/C) sum_i cos(k w_i)"});
    for (int k : {1, 5, 10, 20}) {
        std::vector<std::string> cells = {std::to_string(k)};
        for (int p : {0, 10, 25, 40}) cells.push_back(report::fixed(cosine(row(pe, p), row(pe, p + k)), 6));
        double f = 0;
        for (int i = 0; i < kModel / 2; ++i) f += std::cos(k * omega(i, kModel));
        cells.push_back(report::fixed(2.0 * f / kModel, 6));
        cs.row(cells);
    }
    cs.print();
    report::say("\nThe rows do not depend on p: PE(p) . PE(p + k) = sum_i cos(k w_i), whatever p. "
                "Similarity falls with distance (not monotonically forever: it is a sum of "
                "cosines), and the heatmap below is constant along each diagonal.");

    std::vector<float> sim(std::size_t(kLen) * kLen);                         // [L, L]
    for (int p = 0; p < kLen; ++p)
        for (int q = 0; q < kLen; ++q) sim[std::size_t(p) * kLen + q] = float(cosine(row(pe, p), row(pe, q)));
    figs.save("pe_similarity.svg",
              plot::heatmap_svg(sim, kLen, kLen, {}, {},
                                {.title = "Cosine similarity between positions (C = 128)",
                                 .x_title = "position q", .y_title = "position p", .colorbar_title = "cos(PE(p), PE(q))"}),
              "cosine similarity of every pair of positions");
}

// ---- 5. Why attention needs positions ----------------------------------------------------------------
void section_permutation() {
    report::section("5. Without positions, attention cannot see word order");
    const std::vector<std::string> words = {"the", "cat", "sat", "on", "the", "mat"};
    const std::vector<int> ids = {0, 1, 2, 3, 0, 4};
    const std::vector<int> perm = {5, 2, 0, 4, 1, 3};                         // shuffled[t] = original[perm[t]]
    const int T = 6, C = 64, H = 4;
    Rng rng(3);
    MultiHeadAttention mha(C, H, rng);
    Tensor table = Tensor::zeros({5, C});                                     // [V, C] random embeddings
    for (float& v : table.data()) v = rng.normal();
    std::vector<int> ids_shuffled;
    for (int t : perm) ids_shuffled.push_back(ids[std::size_t(t)]);
    NoGrad no_grad;
    const Tensor pe = sinusoidal_encoding(T, C);                              // [T, C]
    const Tensor x = embedding(table, ids, {1, T});                           // [1, T, C]
    const Tensor xs = embedding(table, ids_shuffled, {1, T});                 // [1, T, C]

    report::printf("  sentence:  ");
    for (const auto& w : words) report::printf("%s ", w.c_str());
    report::printf("\n  shuffled:  ");
    for (int t : perm) report::printf("%s ", words[std::size_t(t)].c_str());
    report::printf("\n\n");
    report::shape("x, x_shuffled", x, "embeddings only");
    report::shape("out = MHA(x)", mha.forward(x).out, "C = 64, 4 heads, untrained");

    // For each word of the shuffled sentence: its output row vs the original row of the same word.
    auto compare = [&](const Tensor& a, const Tensor& b) {                    // a = MHA(original), b = MHA(shuffled)
        std::vector<float> d;
        for (int t = 0; t < T; ++t) {
            float m = 0.0f;
            for (int c = 0; c < C; ++c) m = std::max(m, std::abs(b.at({0, t, c}) - a.at({0, perm[std::size_t(t)], c})));
            d.push_back(m);
        }
        return d;
    };
    const std::vector<float> without = compare(mha.forward(x).out, mha.forward(xs).out);
    const std::vector<float> with = compare(mha.forward(add_positions(x, pe)).out, mha.forward(add_positions(xs, pe)).out);
    report::printf("\n");
    report::Table tab({"word (new position <- old)", "max |out difference|, no PE", "with PE"});
    for (int t = 0; t < T; ++t)
        tab.row({words[std::size_t(perm[std::size_t(t)])] + " (" + std::to_string(t) + " <- " +
                     std::to_string(perm[std::size_t(t)]) + ")",
                 report::sci(without[std::size_t(t)], 1), report::fixed(with[std::size_t(t)], 3)});
    tab.print();
    report::say("\nWithout PE each word's output is the same wherever the word stands, up to float "
                "rounding (the sum over the keys is taken in another order): attention sums over "
                "the keys, and a sum does not care about order. MHA(shuffled x) = shuffled MHA(x): the layer is permutation-equivariant, "
                "it sees a bag of words. With PE added the same word at another position is a "
                "different vector, and the outputs change.");
}

// ---- 6. Learned positions, and going past the table ----------------------------------------------------
void section_learned() {
    report::section("6. A learned table, and sequences longer than the table");
    const int max_len = kLen;
    Rng rng(4);
    LearnedPositionalEmbedding learned(max_len, kModel, rng);                 // weight [64, 128], N(0, 1)
    NamedTensors p;
    learned.parameters("pos.", p);
    report::shape("learned.weight", learned.weight, "one trainable row per position, N(0, 1) at init");
    report::printf("\n  parameters:  learned table %zu (= max_len x C = %d x %d),  sinusoidal 0\n\n",
                learned.weight.numel(), max_len, kModel);
    report::say("A learned table is trained with the model (BERT and GPT-2 use one). At "
                "initialisation it is noise; what it becomes depends on the data it is trained "
                "on. It has a row for positions 0 .. max_len - 1 and no more:");

    const int T = 80;                                                         // longer than the table
    Tensor x = Tensor::zeros({1, T, kModel});                                 // [1, 80, C]
    report::printf("\n  add_positions(x [1, %d, %d], learned [%d, %d]) throws:\n", T, kModel, max_len, kModel);
    try {
        add_positions(x, learned.weight);
        report::printf("    (nothing: unexpected)\n");
    } catch (const std::invalid_argument& e) {
        report::printf("    std::invalid_argument: %s\n", e.what());
    }

    const int far = 1024;
    const Tensor pe = sinusoidal_encoding(far, kModel);                       // [1024, C] any length is a formula away
    const Tensor y = add_positions(x, pe);                                    // [1, 80, C] fine
    float max_abs = 0.0f;
    for (int p2 = max_len; p2 < far; ++p2)
        for (float v : row(pe, p2)) max_abs = std::max(max_abs, std::abs(v));
    report::printf("\n  the sinusoid has no such limit: add_positions(x, sinusoidal_encoding(%d, %d)) -> %s\n", far, kModel,
                to_string(y.shape()).c_str());
    report::printf("  positions %d .. %d, never in a table of length %d:\n", max_len, far - 1, max_len);
    report::printf("    max |PE|                                  %.6f\n", static_cast<double>(max_abs));
    for (int k : {1, 20})
        report::printf("    max |PE(pos + %2d) - M_%-2d PE(pos)|         %s\n", k, k,
                    report::sci(rotation_error(pe, k, max_len, far), 1).c_str());
    report::say("\nThe formula gives vectors for any position, bounded and with the same shift "
                "structure as the positions seen in training. That does not guarantee a model "
                "trained on short sequences handles long ones well (the rest of the model never "
                "saw those angles), only that the encoding itself is defined and well-behaved there.");
}

}  // namespace

int main() {
    report::printf("Lesson 3 — Positional encoding\n");
    report::printf("Attention sees a set of words; PE adds where each word stands.\n");
    report::Figures figs("out/lesson3");
    section_table(figs);
    section_wavelengths();
    section_bounded_unique();
    section_rotation(figs);
    section_permutation();
    section_learned();
    figs.list();
    report::write_page(figs, {"PE[pos, 2i]   = sin(pos * w_i)        w_i = 10000^(-2i / C)", "PE[pos, 2i+1] = cos(pos * w_i)"});
    return 0;
}
