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
// Run: make lesson3, or build/lesson3 --help for the flags of the exercises
// at the end ("Your turn"). Every self-check is a real check: a failure is
// named on stderr, exit 1.
//
// Shapes: T tokens (positions), C = d_model, L = rows of a PE table.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixtures/lesson_cli.hpp"
#include "nn/attention.hpp"
#include "core/ops.hpp"
#include "viz/plot.hpp"
#include "nn/positional.hpp"
#include "viz/report.hpp"
#include "core/rng.hpp"

using namespace llm;

namespace {

// What the flags change (build/lesson3 --help).
struct Settings {
    int d_model = 128;            // --d-model: C for sections 1-4 and 6
    int shift = 0;                // --shift K: one more k in section 4's tables (0: none)
    std::uint64_t seed = 1;       // --seed: section 5's layer and embeddings (N + 2), section 6's table (N + 3)
};
Settings settings;
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

// Five sine columns of the table against the position: each drawn from the
// formula every 0.05 position (the wave it is), with the table's own values at
// the integer positions as dots (all that the model ever sees).
void pe_curves(const Tensor& pe, report::Figures& figs) {                     // pe [L, C]
    const int C = settings.d_model, last = 32;                                // positions 0 .. 32
    std::vector<int> dims;
    for (int d : {0, 8, 16, 32, 64})
        if (d < C) dims.push_back(d);
    std::vector<float> xs_fine, xs_int;
    for (int i = 0; i <= 20 * last; ++i) xs_fine.push_back(float(i) / 20.0f);
    for (int p = 0; p <= last; ++p) xs_int.push_back(float(p));
    std::vector<std::vector<float>> fine(dims.size()), ints(dims.size());
    std::vector<plot::Series> series;
    for (std::size_t k = 0; k < dims.size(); ++k) {
        const int d = dims[k];
        for (float x : xs_fine) fine[k].push_back(float(std::sin(x * omega(d / 2, C))));
        for (int p = 0; p <= last; ++p) ints[k].push_back(pe.at({p, d}));
    }
    for (std::size_t k = 0; k < dims.size(); ++k) {
        const std::string name = "dim " + std::to_string(dims[k]) + " (wavelength " +
                                 report::fixed(2 * std::numbers::pi / omega(dims[k] / 2, C), 1) + ")";
        series.push_back({.name = name, .x = xs_fine, .y = fine[k], .colour = int(k)});
        series.push_back({.name = "", .x = xs_int, .y = ints[k], .colour = int(k), .line = false});
    }
    figs.save("pe_curves.svg",
              plot::line_chart_svg(series, {.title = "PE[pos, d] = sin(pos * w_i) for five sine dimensions (C = " +
                                                         std::to_string(C) + "); dots: the integer positions",
                                            .x_title = "position", .y_title = "PE value"}),
              "five dimensions against the position: faster to slower waves, integer positions marked");
}

// ---- 1. The sinusoidal table ---------------------------------------------------------------------
void section_table(report::Figures& figs) {
    report::section("1. The sinusoidal table");
    const Tensor pe = sinusoidal_encoding(kLen, settings.d_model);                      // [L, C]
    report::say("One row per position, one column per dimension; column pairs (2i, 2i+1) hold the "
                "sine and the cosine of the same angle pos * w_i. Nothing is learned: the table is "
                "a function of (pos, i) alone.");
    report::printf("\n");
    const int C = settings.d_model;
    report::shape("pe = sinusoidal_encoding", pe, "L = 64 positions, C = " + std::to_string(C) + " dimensions");
    report::printf("\nThe first 5 positions, dimensions 0..5 and %d..%d:\n", C - 2, C - 1);
    const std::vector<int> cols = {0, 1, 2, 3, 4, 5, C - 2, C - 1};
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
    lesson::save_heatmap(figs, "pe_heatmap", pe.data(), kLen, std::size_t(C), {}, {},
                         {.title = "Sinusoidal positional encoding (64 positions x " + std::to_string(C) + " dimensions)",
                          .x_title = "dimension", .y_title = "position", .colorbar_title = "PE value",
                          .cmap = plot::Colormap::diverging, .vmin = -1.0, .vmax = 1.0},
                         "the PE table: position x dimension, diverging colours");
    pe_curves(pe, figs);
}

// ---- 2. Frequencies and wavelengths ---------------------------------------------------------------
void section_wavelengths() {
    report::section("2. Frequencies: from 2 pi to 10000 x 2 pi");
    const int C = settings.d_model, last = C / 2 - 1;
    report::say("Pair i turns at w_i = 10000^(-2i/C) radians per position, so it repeats every "
                "2 pi / w_i positions. The wavelengths grow geometrically, by 10000^(2/C) = " +
                report::fixed(std::pow(10000.0, 2.0 / C), 3) + " per pair at C = " + std::to_string(C) + ":");
    report::printf("\n");
    report::Table tab({"pair i", "dims", "w_i (rad / position)", "wavelength (positions)"});
    std::vector<int> pairs;
    for (int i : {0, 1, 2, 4, 8, 16, 32, 48})
        if (i < last) pairs.push_back(i);
    pairs.push_back(last);
    for (int i : pairs) {
        const double w = omega(i, settings.d_model);
        tab.row({std::to_string(i), std::to_string(2 * i) + ", " + std::to_string(2 * i + 1), report::sci(w, 3),
                 report::fixed(2 * std::numbers::pi / w, 1)});
    }
    tab.print();
    report::printf("  (2 pi = %.3f; 10000 x 2 pi = %.1f; the last pair, i = %d, stops short of it)\n",
                2 * std::numbers::pi, 20000 * std::numbers::pi, last);
}

// ---- 3. Bounded, and different at every position ------------------------------------------------------
void section_bounded_unique() {
    report::section("3. Bounded, and different at every position");
    const int L = 1000;
    const Tensor pe = sinusoidal_encoding(L, settings.d_model);                         // [L, C]
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
            for (int c = 0; c < settings.d_model; ++c) d2 += (double(a[c]) - b[c]) * (double(a[c]) - b[c]);
            if (d2 < dmin) { dmin = d2; pa = p; pb = q; }
        }
    report::shape("pe", pe, "positions 0 .. 999");
    report::printf("\n  max |PE| over all entries:                      %.6f\n", static_cast<double>(max_abs));
    report::printf("  |PE(pos)| for every pos, between:               %.6f and %.6f  (sqrt(C/2) = %.6f)\n", nmin, nmax,
                std::sqrt(settings.d_model / 2.0));
    report::printf("  smallest |PE(p) - PE(q)|, p != q (%d pairs):  %.4f, at a gap |p - q| = %d\n", L * (L - 1) / 2,
                std::sqrt(dmin), pb - pa);
    double gap1 = 0;                                                          // |PE(p) - PE(p+1)|^2 = C - 2 sum_i cos(w_i)
    for (int i = 0; i < settings.d_model / 2; ++i) gap1 += std::cos(omega(i, settings.d_model));
    double nb_min = 1e9, nb_max = 0;                                          // neighbours, measured
    for (int q = 0; q + 1 < L; ++q) {
        const auto a = row(pe, q), b = row(pe, q + 1);
        double d2 = 0;
        for (int c = 0; c < settings.d_model; ++c) d2 += (double(a[c]) - b[c]) * (double(a[c]) - b[c]);
        nb_min = std::min(nb_min, std::sqrt(d2));
        nb_max = std::max(nb_max, std::sqrt(d2));
    }
    report::printf("  |PE(p) - PE(p + 1)| over p = 0 .. %d:  between %.4f and %.4f;  formula sqrt(C - 2 sum_i cos(w_i)) = %.4f\n",
                L - 2, nb_min, nb_max, std::sqrt(settings.d_model - 2 * gap1));
    const double half_c = std::sqrt(settings.d_model / 2.0);
    lesson::check(max_abs <= 1.0f, "section 3: |PE| <= 1");
    lesson::check(nmax - nmin < 1e-4 && std::abs(nmax - half_c) < 1e-4, "section 3: every |PE(pos)| = sqrt(C/2)");
    lesson::check(dmin > 0, "section 3: no two positions share a vector");
    lesson::check(nb_max - nb_min < 1e-3 && std::abs(nb_max - std::sqrt(settings.d_model - 2 * gap1)) < 1e-3,
                  "section 3: every neighbour distance follows the formula");
    report::say("\nEvery vector has the same length (each pair contributes sin^2 + cos^2 = 1), so "
                "PE never outgrows the embeddings it is added to. No two of the 1000 positions "
                "share a vector: the closest ones are neighbours, and all neighbours are the same "
                "distance apart (the distance depends only on the gap, see section 4).");
}

// Cosine similarity of PE(p) and PE(p + k) at four p, next to the formula.
void similarity_table(const Tensor& pe, const std::vector<int>& ks) {        // pe [L, C]
    const int C = settings.d_model;
    report::printf("\nCosine similarity between PE(p) and PE(p + k), at C = %d:\n\n", C);
    report::Table cs({"k", "p = 0", "p = 10", "p = 25", "p = 40", "(2/C) sum_i cos(k w_i)"});
    for (int k : ks) {
        std::vector<std::string> cells = {std::to_string(k)};
        double lo = 2, hi = -2;
        for (int p : {0, 10, 25, 40}) {
            const double c = cosine(row(pe, p), row(pe, p + k));
            lo = std::min(lo, c), hi = std::max(hi, c);
            cells.push_back(report::fixed(c, 6));
        }
        double f = 0;
        for (int i = 0; i < C / 2; ++i) f += std::cos(k * omega(i, C));
        cells.push_back(report::fixed(2.0 * f / C, 6));
        cs.row(cells);
        lesson::check(hi - lo < 1e-5 && std::abs(hi - 2.0 * f / C) < 1e-5,
                      "section 4: the similarity at distance k does not depend on p and follows the formula");
    }
    cs.print();
    report::printf("\n");
}

// ---- 4. PE(pos + k) is a rotation of PE(pos); similarity depends on distance only ----------------
void section_rotation(report::Figures& figs) {
    report::section("4. Shifting by k positions is one fixed linear map");
    const Tensor pe = sinusoidal_encoding(kLen, settings.d_model);                      // [L, C]
    report::say("For each k, build M_k: a [C, C] block-diagonal matrix with one 2 x 2 rotation by "
                "k * w_i per pair (shift_matrix in this file). The same M_k must take PE(pos) to "
                "PE(pos + k) for every pos. Vaswani et al. chose sinusoids for this property: an "
                "offset of k positions is a linear function of the encoding, the kind of map a "
                "projection can learn.");
    report::printf("\n");
    const Tensor M = shift_matrix(5, settings.d_model);                                 // [C, C]
    report::shape("M_5", M, std::to_string(settings.d_model / 2) + " blocks of 2 x 2 on the diagonal, 0 elsewhere");
    report::printf("\n");
    report::Table tab({"k", "positions checked", "max |PE(pos + k) - M_k PE(pos)|"});
    std::vector<int> ks = {1, 5, 10, 20};
    if (settings.shift > 0 && std::find(ks.begin(), ks.end(), settings.shift) == ks.end()) {
        ks.push_back(settings.shift);
        std::sort(ks.begin(), ks.end());
    }
    for (int k : ks) {
        const float err = rotation_error(pe, k, 0, kLen);
        tab.row({std::to_string(k), "0 .. " + std::to_string(kLen - 1 - k), report::sci(err, 1)});
        lesson::check(err < 1e-5f, "section 4: PE(pos + k) = M_k PE(pos) up to float rounding");
    }
    tab.print();
    similarity_table(pe, ks);
    report::say("The rows do not depend on p: PE(p) . PE(p + k) = sum_i cos(k w_i), whatever p. "
                "Similarity falls with distance (not monotonically forever: it is a sum of "
                "cosines), and the heatmap below is constant along each diagonal.");

    std::vector<float> sim(std::size_t(kLen) * kLen);                         // [L, L]
    for (int p = 0; p < kLen; ++p)
        for (int q = 0; q < kLen; ++q) sim[std::size_t(p) * kLen + q] = float(cosine(row(pe, p), row(pe, q)));
    lesson::save_heatmap(figs, "pe_similarity", sim, kLen, kLen, {}, {},
                         {.title = "Cosine similarity between positions (C = " + std::to_string(settings.d_model) + ")",
                          .x_title = "position q", .y_title = "position p", .colorbar_title = "cos(PE(p), PE(q))"},
                         "cosine similarity of every pair of positions");
}

// ---- 5. Why attention needs positions ----------------------------------------------------------------
void section_permutation() {
    report::section("5. Without positions, attention cannot see word order");
    const std::vector<std::string> words = {"the", "cat", "sat", "on", "the", "mat"};
    const std::vector<int> ids = {0, 1, 2, 3, 0, 4};
    const std::vector<int> perm = {5, 2, 0, 4, 1, 3};                         // shuffled[t] = original[perm[t]]
    const int T = 6, C = 64, H = 4;
    Rng rng(settings.seed + 2);
    MultiHeadAttention mha(C, H, rng);
    Tensor table = Tensor::zeros({5, C});                                     // [V, C] random embeddings
    for (float& v : table.data()) v = rng.normal();
    std::vector<int> ids_shuffled;
    for (int t : perm) ids_shuffled.push_back(ids[std::size_t(t)]);
    NoGrad no_grad;
    const Tensor pe = sinusoidal_encoding(T, C);                              // [T, C]
    const Tensor x = embedding(table, ids, {1, T});                           // [1, T, C]
    const Tensor xs = embedding(table, ids_shuffled, {1, T});                 // [1, T, C]

    std::string sentence, shuffled;                                           // data: printed as they are
    for (const auto& w : words) sentence += (sentence.empty() ? "" : " ") + w;
    for (int t : perm) shuffled += (shuffled.empty() ? "" : " ") + words[std::size_t(t)];
    report::printf("  sentence:  %s \n", sentence.c_str());
    report::printf("  shuffled:  %s \n\n", shuffled.c_str());
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
    tab.data({0});                                                            // the words of the sentence
    for (int t = 0; t < T; ++t)
        tab.row({words[std::size_t(perm[std::size_t(t)])] + " (" + std::to_string(t) + " <- " +
                     std::to_string(perm[std::size_t(t)]) + ")",
                 report::sci(without[std::size_t(t)], 1), report::fixed(with[std::size_t(t)], 3)});
    const float without_max = *std::max_element(without.begin(), without.end());
    const float with_min = *std::min_element(with.begin(), with.end());
    tab.print();
    report::printf("  no PE: largest difference %s (float rounding);  with PE: smallest difference %s\n",
                report::sci(without_max, 1).c_str(), report::fixed(with_min, 3).c_str());
    lesson::check(without_max < 1e-5f, "section 5: without PE, attention is permutation-equivariant");
    lesson::check(with_min > 1e-2f, "section 5: with PE, every word's output changes when it moves");
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
    Rng rng(settings.seed + 3);
    LearnedPositionalEmbedding learned(max_len, settings.d_model, rng);                 // weight [64, 128], N(0, 1)
    NamedTensors p;
    learned.parameters("pos.", p);
    report::shape("learned.weight", learned.weight, "one trainable row per position, N(0, 1) at init");
    report::printf("\n  parameters:  learned table %zu (= max_len x C = %d x %d),  sinusoidal 0\n\n",
                learned.weight.numel(), max_len, settings.d_model);
    report::say("A learned table is trained with the model (BERT and GPT-2 use one). At "
                "initialisation it is noise; what it becomes depends on the data it is trained "
                "on. It has a row for positions 0 .. max_len - 1 and no more:");

    const int T = 80;                                                         // longer than the table
    Tensor x = Tensor::zeros({1, T, settings.d_model});                                 // [1, 80, C]
    report::printf("\n  add_positions(x [1, %d, %d], learned [%d, %d]) throws:\n", T, settings.d_model, max_len, settings.d_model);
    try {
        add_positions(x, learned.weight);
        report::printf("    (nothing: unexpected)\n");
        lesson::check(false, "section 6: a learned table refuses positions past its length");
    } catch (const std::invalid_argument& e) {
        report::printf("    std::invalid_argument: %s\n", e.what());
    }

    const int far = 1024;
    const Tensor pe = sinusoidal_encoding(far, settings.d_model);                       // [1024, C] any length is a formula away
    const Tensor y = add_positions(x, pe);                                    // [1, 80, C] fine
    float max_abs = 0.0f;
    for (int p2 = max_len; p2 < far; ++p2)
        for (float v : row(pe, p2)) max_abs = std::max(max_abs, std::abs(v));
    report::printf("\n  the sinusoid has no such limit: add_positions(x, sinusoidal_encoding(%d, %d)) -> %s\n", far, settings.d_model,
                to_string(y.shape()).c_str());
    report::printf("  positions %d .. %d, never in a table of length %d:\n", max_len, far - 1, max_len);
    report::printf("    max |PE|                                  %.6f\n", static_cast<double>(max_abs));
    for (int k : {1, 20})
        report::printf("    max |PE(pos + %2d) - M_%-2d PE(pos)|         %s\n", k, k,
                    report::sci(rotation_error(pe, k, max_len, far), 1).c_str());
    lesson::check(max_abs <= 1.0f && rotation_error(pe, 20, max_len, far) < 1e-4f,
                  "section 6: past the table, the sinusoid stays bounded and keeps its shift structure");
    report::say("\nThe formula gives vectors for any position, bounded and with the same shift "
                "structure as the positions seen in training. That does not guarantee a model "
                "trained on short sequences handles long ones well (the rest of the model never "
                "saw those angles), only that the encoding itself is defined and well-behaved there.");
}

}  // namespace

int main(int argc, char** argv) {
    lesson::Flags flags("lesson3", "Lesson 3: positional encoding.", "out/lesson3");
    flags.seed_help("section 5's attention layer and embeddings (seed N + 2), section 6's learned table (N + 3)")
        .add("--d-model", settings.d_model, 8, 1024, "C of the PE table (sections 1-4 and 6), an even number")
        .add("--shift", settings.shift, 0, 23, "one more k in section 4's tables (p + k must stay below 64), 0 for none");
    return lesson::run(argc, argv, flags, [&] {
        if (settings.d_model % 2 != 0) throw lesson::UsageError("--d-model must be even (sin, cos pairs)");
        settings.seed = flags.seed;
        report::printf("Lesson 3 — Positional encoding\n");
        report::printf("Attention sees a set of words; PE adds where each word stands.\n");
        report::Figures figs(flags.out_dir);
        section_table(figs);
        section_wavelengths();
        section_bounded_unique();
        section_rotation(figs);
        section_permutation();
        section_learned();
        figs.list();
        lesson::print_exercises(3);
        report::write_page(figs, {"PE[pos, 2i]   = sin(pos * w_i)        w_i = 10000^(-2i / C)", "PE[pos, 2i+1] = cos(pos * w_i)"});
    });
}
