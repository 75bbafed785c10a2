// Lesson 1 — Self-attention
//
//   Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V
//
// Goals
//   1. Follow one sentence through attention, step by step: embeddings, the
//      three projections Q, K, V, the scores, the weights, the output.
//   2. See a causal mask at work (a decoder may not look at future words).
//   3. Measure, not assert, why the scores are divided by sqrt(d_k).
//   4. Mask padding: a padded key gets exactly zero weight, and a query with
//      nothing to attend to gets zeros, not NaN.
//   5. Count what attention costs: O(T^2 d) time, O(T^2) memory.
//   6. Check the gradients against finite differences.
//
// What to look at
//   - the printed weight matrix: every row sums to 1; the two "the" rows are
//     identical (attention sees words, not positions — lesson 3 fixes that);
//   - out/lesson1/attention_weights.svg: full attention next to causal;
//   - the sqrt(d_k) table: without the scaling the softmax saturates and the
//     gradient that reaches the scores shrinks as d_k grows (the lesson
//     prints by how much).
//
// Run: make lesson1, or build/lesson1 --help for the flags of the exercises
// at the end ("Your turn"). Every self-check the lesson prints is also a real
// check: if one fails, the program names it on stderr and exits with status 1.
//
// Shapes use the names of src/core/tensor.hpp: T tokens, C = d_model, D = d_k.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixtures/lesson_cli.hpp"
#include "nn/attention.hpp"
#include "nn/init.hpp"
#include "core/ops.hpp"
#include "viz/plot.hpp"
#include "viz/report.hpp"
#include "core/rng.hpp"

using namespace llm;

namespace {

constexpr int kModel = 16;    // C = d_model = d_k here (one head)

// What the flags change (build/lesson1 --help).
struct Settings {
    std::uint64_t seed = 1;   // --seed: the embeddings; the projections use seed + 1
    bool no_scale = false;    // --no-scale: sections 3-4 and 6 without the division by sqrt(d_k)
    int extra_dk = 0;         // --dk N: one more d_k in section 5's table (0: none)
};
Settings settings;

// The running example: its words, a vocabulary, and the random projections.
struct Example {
    std::vector<std::string> vocab = {"the", "cat", "sat", "on", "mat", "dog", "ran", "<pad>"};
    std::vector<std::string> words = {"the", "cat", "sat", "on", "the", "mat"};
    std::vector<int> ids;         // [T]
    Tensor table;                 // [V, C] one embedding row per vocabulary word
    Tensor Wq, Wk, Wv;            // [C, C] each, torch.nn.Linear layout (out, in)
    Tensor x, q, k, v;            // [T, C] each
    Attention full, causal;       // weights [T, T]
};

int id_of(const Example& ex, const std::string& w) {
    for (std::size_t i = 0; i < ex.vocab.size(); ++i)
        if (ex.vocab[i] == w) return static_cast<int>(i);
    throw std::invalid_argument("not in the vocabulary: " + w);
}

std::string show(float v) { return std::isnan(v) ? "nan" : report::fixed(v, 3); }   // NaN without its sign bit

std::string vec_head(std::span<const float> v, int n) {   // "[ 0.12, -1.03, ...]"
    std::string s = "[";
    for (int i = 0; i < n; ++i) s += (i ? ", " : "") + report::fixed(v[std::size_t(i)], 2);
    return s + ", ...]";
}

// Attention as the lesson runs it: scaled, or with --no-scale unscaled (Q is
// multiplied by sqrt(d_k) = 4 first, which cancels the division exactly).
Attention attend(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor* mask = nullptr) {
    const Tensor qq = settings.no_scale ? scale(q, std::sqrt(static_cast<float>(q.dim(-1)))) : q;
    return mask ? scaled_dot_product_attention(qq, k, v, *mask) : scaled_dot_product_attention(qq, k, v);
}

// ---- 1. A sentence as vectors ------------------------------------------------
void section_embeddings(Example& ex) {
    report::section("1. A sentence as vectors");
    Rng rng(settings.seed);
    for (const auto& w : ex.words) ex.ids.push_back(id_of(ex, w));
    const int V = static_cast<int>(ex.vocab.size()), T = static_cast<int>(ex.words.size());
    ex.table = init::normal({V, kModel}, 1.0f, rng);                          // [V, C] N(0, 1), as nn.Embedding
    ex.table.set_requires_grad(false);
    ex.x = embedding(ex.table, ex.ids, {T});                                  // [T, C]
    report::say("Each word is looked up in an embedding table (random here, N(0, 1), seed " +
                std::to_string(settings.seed) + "). "
                "\"the\" appears twice and gets the same vector both times.");
    report::printf("\n");
    report::shape("embedding table", ex.table, "V = 8 words, C = d_model = 16");
    report::shape("x = table[ids]", ex.x, "T = 6 tokens");
    for (int t = 0; t < T; ++t)
        report::printf("  x[%d] %-4s %s\n", t, ex.words[std::size_t(t)].c_str(),
                    vec_head(ex.x.data().subspan(std::size_t(t) * kModel), 5).c_str());
}

// ---- 2. Queries, keys, values --------------------------------------------------
void section_projections(Example& ex) {
    report::section("2. Queries, keys and values: three linear projections");
    Rng rng(settings.seed + 1);
    // Xavier-uniform, as torch.nn.MultiheadAttention initialises its in_proj.
    ex.Wq = init::xavier_uniform(kModel, kModel, rng);                        // [C, C]
    ex.Wk = init::xavier_uniform(kModel, kModel, rng);                        // [C, C]
    ex.Wv = init::xavier_uniform(kModel, kModel, rng);                        // [C, C]
    ex.q = linear(ex.x, ex.Wq);                                               // [T, D]  what each word looks for
    ex.k = linear(ex.x, ex.Wk);                                               // [T, D]  what each word offers to be found by
    ex.v = linear(ex.x, ex.Wv);                                               // [T, D]  what each word passes on
    report::say("Q = x Wq^T, K = x Wk^T, V = x Wv^T. The weights are untrained (Xavier-uniform, seed " +
                std::to_string(settings.seed + 1) + "): "
                "everything below is what a RANDOM attention layer does, not a learned one.");
    report::printf("\n");
    report::shape("Wq, Wk, Wv", ex.Wq, "[out, in], each");
    report::shape("Q = x Wq^T", ex.q, "T queries of size d_k = 16");
    report::shape("K = x Wk^T", ex.k, "T keys");
    report::shape("V = x Wv^T", ex.v, "T values");
}

// ---- 3. Scores, weights, output -------------------------------------------------
void section_attention(Example& ex) {
    report::section("3. Scores, weights and output");
    const int T = static_cast<int>(ex.words.size());
    ex.full = attend(ex.q, ex.k, ex.v);                                       // scores, weights [T, T]; output [T, D]
    if (settings.no_scale) report::say("--no-scale: the scores below are Q K^T, NOT divided by sqrt(16) = 4.");
    report::shape("scores", ex.full.scores, settings.no_scale ? "Q K^T; row t: how well query t matches each key"
                                                              : "Q K^T / sqrt(16); row t: how well query t matches each key");
    report::shape("weights", ex.full.weights, "softmax(scores), over each row (the keys)");
    report::shape("output", ex.full.output, "weights V; row t: a weighted average of the values");
    report::printf("\nScores (rows: queries, columns: keys):\n");
    report::matrix(ex.full.scores.data(), T, T, ex.words, ex.words, 2);
    report::printf("\nWeights:\n");
    report::matrix(ex.full.weights.data(), T, T, ex.words, ex.words, 3);

    float worst_sum = 0.0f, row_max_lo = 1.0f, row_max_hi = 0.0f, same_the = 0.0f;
    for (int t = 0; t < T; ++t) {
        float s = 0.0f, mx = 0.0f;
        for (int j = 0; j < T; ++j) {
            s += ex.full.weights.at({t, j});
            mx = std::max(mx, ex.full.weights.at({t, j}));
        }
        worst_sum = std::max(worst_sum, std::abs(s - 1.0f));
        row_max_lo = std::min(row_max_lo, mx);
        row_max_hi = std::max(row_max_hi, mx);
    }
    for (int j = 0; j < T; ++j) same_the = std::max(same_the, std::abs(ex.full.weights.at({0, j}) - ex.full.weights.at({4, j})));
    report::printf("\n  every row sums to 1:          max |row sum - 1| = %s\n", report::sci(worst_sum, 1).c_str());
    report::printf("  largest weight of each row:   between %.3f and %.3f (uniform would be 1/6 = 0.167)\n",
                static_cast<double>(row_max_lo), static_cast<double>(row_max_hi));
    report::printf("  rows \"the\"(0) and \"the\"(4):   max difference = %s  (same word, same query: same row)\n",
                report::fixed(same_the, 6).c_str());
    lesson::check(worst_sum < 1e-6f, "section 3: every row of the weights sums to 1");
    lesson::check(same_the == 0.0f, "section 3: the two \"the\" rows are identical");

    // The output row is the weights' average of the value rows; check row 1 ("cat") by hand.
    float err = 0.0f;
    for (int d = 0; d < kModel; ++d) {
        float acc = 0.0f;
        for (int j = 0; j < T; ++j) acc += ex.full.weights.at({1, j}) * ex.v.at({j, d});
        err = std::max(err, std::abs(acc - ex.full.output.at({1, d})));
    }
    report::printf("  output[\"cat\"] = sum_j w[cat, j] * V[j], by hand: max difference = %s\n",
                report::sci(err, 1).c_str());
    lesson::check(err < 1e-5f, "section 3: the output row of \"cat\" equals its weighted sum of values");
}

// ---- 4. The causal mask ------------------------------------------------------------
void section_causal(Example& ex, report::Figures& figs) {
    report::section("4. The causal mask: no looking ahead");
    const int T = static_cast<int>(ex.words.size());
    const Tensor mask = causal_mask(T);                                       // [T, T] 1 = blocked (a future key)
    ex.causal = attend(ex.q, ex.k, ex.v, &mask);                              // weights [T, T]
    report::say("A decoder predicts word t+1 from words 0..t, so query t must not see keys after t. "
                "The mask (1 = blocked) removes them before the softmax; the remaining weights of "
                "each row still sum to 1.");
    report::printf("\n");
    report::shape("mask", mask, "causal_mask(T): 1 above the diagonal");
    report::shape("weights", ex.causal.weights, "softmax(scores, mask)");
    report::printf("\nCausal weights:\n");
    report::matrix(ex.causal.weights.data(), T, T, ex.words, ex.words, 3);
    report::printf("\n  the first word can only attend to itself: w[0, 0] = %.3f\n",
                static_cast<double>(ex.causal.weights.at({0, 0})));
    float above = 0.0f;                                                       // weight on a future key
    for (int i = 0; i < T; ++i)
        for (int j = i + 1; j < T; ++j) above = std::max(above, ex.causal.weights.at({i, j}));
    report::printf("  weight on a future key (above the diagonal): max = %s\n", report::fixed(above, 6).c_str());
    lesson::check(ex.causal.weights.at({0, 0}) == 1.0f, "section 4: the first word attends only to itself");
    lesson::check(above == 0.0f, "section 4: no weight on a future key");

    // Figure: both weight matrices side by side, on one colour scale.
    std::vector<float> panels(ex.full.weights.data().begin(), ex.full.weights.data().end());   // [2, T, T]
    panels.insert(panels.end(), ex.causal.weights.data().begin(), ex.causal.weights.data().end());
    const std::vector<std::string> titles = {"no mask", "causal mask (keys after the query: 0)"};
    lesson::save_heatmap_grid(figs, "attention_weights", panels, T, T, ex.words, ex.words, titles, 2,
                              {.title = "Self-attention weights (untrained projections)",
                               .x_title = "key", .y_title = "query",
                               .colorbar_title = "attention weight", .vmin = 0.0, .vmax = 1.0},
                              "weights with words on both axes: no mask | causal mask");
}

// ---- 5. Why divide by sqrt(d_k)? ----------------------------------------------------
// For each d_k: draw q and 16 keys with N(0, 1) entries, many times. Compare
// the raw dot products q.k with q.k / sqrt(d_k): their variance, the softmax
// they give (largest weight, entropy), and the gradient that the softmax lets
// through to the scores for a random upstream gradient (our autograd).
constexpr int kDraws = 500, kKeys = 16;                                       // R draws of (q, 16 keys)

struct SoftmaxStats { double var, max_w, entropy, grad, saturated; };

// R draws of one query and S keys with N(0, 1) entries of size dk: the raw dot products [R, S].
std::vector<float> draw_dots(int dk, Rng& rng) {
    std::vector<float> dots(std::size_t(kDraws) * kKeys);                     // [R, S] raw q.k
    std::vector<float> q(static_cast<std::size_t>(dk));                       // [D]
    for (int r = 0; r < kDraws; ++r) {
        for (float& x : q) x = rng.normal();
        for (int j = 0; j < kKeys; ++j) {                                     // key j, drawn entry by entry
            double dot = 0;
            for (float qi : q) dot += double(qi) * rng.normal();
            dots[std::size_t(r) * kKeys + j] = static_cast<float>(dot);
        }
    }
    return dots;
}

// The softmax of s * dots, row by row, and the gradient it passes to the scores.
SoftmaxStats softmax_stats(const std::vector<float>& dots, float s) {         // dots [R, S]
    const int R = kDraws, S = kKeys;
    Tensor scores = Tensor::from({R, S}, dots, true);                         // [R, S] a leaf that wants a gradient
    for (float& x : scores.data()) x *= s;
    Tensor w = softmax(scores);                                               // [R, S]
    Rng grng(7);
    std::vector<float> g(std::size_t(R) * S);                                // [R, S] upstream gradient dL/dw
    for (float& x : g) x = grng.normal();
    w.backward(g);                                                            // dL/dscores into scores.grad()
    SoftmaxStats st{0, 0, 0, 0, 0};
    double mean = 0;
    for (float x : scores.data()) mean += x;
    mean /= R * S;
    for (float x : scores.data()) st.var += (x - mean) * (x - mean);
    st.var /= R * S - 1;
    for (int r = 0; r < R; ++r) {
        double mx = 0, h = 0, gn = 0;
        for (int j = 0; j < S; ++j) {
            const double p = w.at({r, j}), gr = scores.grad()[std::size_t(r) * S + j];
            mx = std::max(mx, p);
            if (p > 0) h -= p * std::log(p);
            gn += gr * gr;
        }
        st.max_w += mx / R;
        st.entropy += h / R;
        st.grad += std::sqrt(gn) / R;
        st.saturated += (mx > 0.99 ? 100.0 : 0.0) / R;
    }
    return st;
}

void sqrt_dk_figures(report::Figures& figs, const std::vector<float>& xs, const std::vector<SoftmaxStats>& raw,
                     const std::vector<SoftmaxStats>& sc) {
    std::vector<float> maxw_raw, maxw_sc, grad_raw, grad_sc;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        maxw_raw.push_back(float(raw[i].max_w));
        maxw_sc.push_back(float(sc[i].max_w));
        grad_raw.push_back(float(raw[i].grad));
        grad_sc.push_back(float(sc[i].grad));
    }
    const std::vector<float> uniform(xs.size(), 1.0f / kKeys);               // 1/16: every key equal
    const plot::Series mw[] = {{"q.k (raw)", xs, maxw_raw}, {"q.k / sqrt(d_k)", xs, maxw_sc},
                               {"uniform (1/16)", xs, uniform}};
    figs.save("sqrt_dk_max_weight.svg",
              plot::line_chart_svg(mw, {.title = "Largest softmax weight over 16 keys (mean of 500 draws)",
                                        .x_title = "d_k", .y_title = "largest weight",
                                        .log_x = true, .markers = true}),
              "softmax saturation vs d_k, with and without scaling");
    const plot::Series gr[] = {{"q.k (raw)", xs, grad_raw}, {"q.k / sqrt(d_k)", xs, grad_sc}};
    figs.save("sqrt_dk_gradient.svg",
              plot::line_chart_svg(gr, {.title = "Gradient reaching the scores through the softmax",
                                        .x_title = "d_k", .y_title = "mean |dL/dscores| (log)",
                                        .log_x = true, .log_y = true, .markers = true}),
              "gradient norm at the scores vs d_k (log-log)");
}

void section_sqrt_dk(report::Figures& figs) {
    report::section("5. Why divide by sqrt(d_k)? A measurement");
    std::vector<int> dks = {4, 16, 64, 256, 1024};
    if (settings.extra_dk > 0 && std::find(dks.begin(), dks.end(), settings.extra_dk) == dks.end()) {
        dks.push_back(settings.extra_dk);
        std::sort(dks.begin(), dks.end());
    }
    report::say("For each d_k, 500 draws of one query and 16 keys with N(0, 1) entries (8000 dot "
                "products), and a softmax over the 16 keys of each draw, raw (q.k) or scaled "
                "(q.k / sqrt(d_k)). For the gradient, L = sum(weights * g) with g a fixed N(0, 1) "
                "upstream gradient: the scores are a leaf tensor, and backward() gives dL/dscores.");
    report::printf("\n");
    report::Table tab({"d_k", "var raw", "var scaled", "max w raw", "max w scaled", "H raw", "H scaled",
                       "|g| raw", "|g| scaled", "saturated raw"});
    std::vector<float> xs;
    std::vector<SoftmaxStats> raws, scs;
    Rng rng(3);
    for (int dk : dks) {
        const std::vector<float> dots = draw_dots(dk, rng);                   // [R, S]
        const SoftmaxStats raw = softmax_stats(dots, 1.0f);
        const SoftmaxStats sc = softmax_stats(dots, 1.0f / std::sqrt(static_cast<float>(dk)));
        tab.row({std::to_string(dk), report::fixed(raw.var, 1), report::fixed(sc.var, 3), report::fixed(raw.max_w, 3),
                 report::fixed(sc.max_w, 3), report::fixed(raw.entropy, 3), report::fixed(sc.entropy, 3),
                 report::fixed(raw.grad, 3), report::fixed(sc.grad, 3), report::fixed(raw.saturated, 1) + " %"});
        xs.push_back(float(dk));
        raws.push_back(raw);
        scs.push_back(sc);
        lesson::check(std::abs(sc.var - 1.0) < 0.15, "section 5: the scaled scores have variance about 1");
    }
    tab.print();
    report::printf("  var: of the scores; max w: the largest weight of a row; H: its entropy (nats);\n"
                "  |g|: norm of dL/dscores for a row; saturated: rows whose largest weight is > 0.99.\n\n");
    const SoftmaxStats& last_raw = raws.back();
    const SoftmaxStats& last_sc = scs.back();
    lesson::check(last_raw.max_w > last_sc.max_w && last_raw.grad < last_sc.grad,
                  "section 5: at the largest d_k the raw softmax is more peaked and passes less gradient");
    char buf[600];
    std::snprintf(buf, sizeof buf,
                  "Read the table: var(q.k) grows like d_k, so raw scores spread further apart as d_k "
                  "grows and the softmax concentrates on one key. At d_k = %d without scaling, the "
                  "largest weight is %.3f on average (scaled: %.3f), the entropy %.3f nats (uniform: 2.773), "
                  "%.1f %% of the rows are saturated, and the gradient reaching the scores is %.1f times "
                  "smaller than with scaling (%.3f vs %.3f). Dividing by sqrt(d_k) keeps the variance "
                  "at 1, and the softmax and its gradient about the same from d_k = 4 to d_k = %d.",
                  dks.back(), last_raw.max_w, last_sc.max_w, last_raw.entropy, last_raw.saturated,
                  last_sc.grad / last_raw.grad, last_raw.grad, last_sc.grad, dks.back());
    report::say(buf);
    sqrt_dk_figures(figs, xs, raws, scs);
}

void fully_masked(const Attention& a);

// ---- 6. Padding masks ------------------------------------------------------------------
void section_padding(Example& ex, report::Figures& figs) {
    report::section("6. Padding: masked keys get exactly zero weight");
    const std::vector<std::vector<std::string>> batch = {
        {"the", "cat", "sat", "on", "the", "mat"},
        {"the", "dog", "ran", "<pad>", "<pad>", "<pad>"},
        {"<pad>", "<pad>", "<pad>", "<pad>", "<pad>", "<pad>"}};              // an empty line in the batch
    const int B = 3, T = 6;
    std::vector<int> ids;
    std::vector<float> pad_values;
    for (const auto& s : batch)
        for (const auto& w : s) {
            ids.push_back(id_of(ex, w));
            pad_values.push_back(w == "<pad>" ? 1.0f : 0.0f);
        }
    const Tensor pad = Tensor::from({B, T}, pad_values);                      // [B, T] 1 = padding
    const Tensor mask = reshape(pad, {B, 1, T});                              // [B, 1, T] broadcasts over the queries
    Tensor x = embedding(ex.table, ids, {B, T});                              // [B, T, C]
    Tensor q = linear(x, ex.Wq), k = linear(x, ex.Wk), v = linear(x, ex.Wv);  // [B, T, D] each
    Attention a = attend(q, k, v, &mask);                                     // weights [B, T, T], output [B, T, D]
    report::say("Sentences in a batch share one length T, so short ones are padded. A mask "
                "(1 = padding) over the keys keeps every query from reading a pad. Sentence 3 is "
                "all padding, the worst case: none of its keys may be read.");
    report::printf("\n");
    report::shape("pad", pad, "1 = padding");
    report::shape("mask", mask, "pad as [B, 1, T]: broadcasts to the scores [B, T, T]");
    report::shape("weights", a.weights, "");
    report::shape("output", a.output, "");

    const std::vector<std::string>& s2 = batch[1];
    report::printf("\nSentence 2, weights (keys 3..5 are padding):\n");
    report::matrix(a.weights.data().subspan(std::size_t(T) * T, std::size_t(T) * T), T, T, s2, s2, 3);
    float on_pad = 0.0f;
    int nonzero_on_pad = 0;
    for (int b = 0; b < 2; ++b)
        for (int i = 0; i < T; ++i)
            for (int j = 0; j < T; ++j)
                if (pad.at({b, j}) == 1.0f) {
                    on_pad = std::max(on_pad, a.weights.at({b, i, j}));
                    nonzero_on_pad += a.weights.at({b, i, j}) != 0.0f;
                }
    report::printf("\n  weight on padded keys, sentences 1-2: max = %s, entries != 0: %d\n",
                report::fixed(on_pad, 6).c_str(), nonzero_on_pad);
    lesson::check(nonzero_on_pad == 0, "section 6: padded keys get exactly zero weight");
    report::say("(The rows of the pad QUERIES are filled too: they read the real words. Their "
                "outputs are simply ignored later, e.g. by a masked mean over real tokens.)");
    fully_masked(a);
    lesson::save_heatmap(figs, "padding_weights", a.weights.data().subspan(std::size_t(T) * T, std::size_t(T) * T), T,
                         T, s2, s2,
                         {.title = "Sentence 2 with padding: the pad columns are exactly 0",
                          .x_title = "key", .y_title = "query", .colorbar_title = "attention weight",
                          .vmin = 0.0, .vmax = 1.0},
                         "weights of a padded sentence");
}

// Sentence 3 of section 6: every key blocked. Our softmax, and the textbook recipe.
void fully_masked(const Attention& a) {                                       // weights [B, T, T], output [B, T, D]
    const int T = a.weights.dim(2);
    int nans = 0;
    float biggest = 0.0f;
    for (int i = 0; i < T; ++i)
        for (int d = 0; d < kModel; ++d) {
            nans += std::isnan(a.output.at({2, i, d}));
            biggest = std::max(biggest, std::abs(a.output.at({2, i, d})));
        }
    report::printf("\nSentence 3, every key blocked:\n  weights row 0:");
    for (int j = 0; j < T; ++j) report::printf(" %.3f", static_cast<double>(a.weights.at({2, 0, j})));
    report::printf("\n  outputs: max |value| = %.3f, NaN count = %d\n", static_cast<double>(biggest), nans);
    lesson::check(nans == 0 && biggest == 0.0f, "section 6: a fully masked row gives zeros, not NaN");

    // The textbook recipe: blocked scores set to -inf, then exp(s - max) / sum.
    std::vector<float> row(std::size_t(T), -INFINITY);                       // [T] every score blocked
    float m = -INFINITY, z = 0.0f;
    for (float s : row) m = std::max(m, s);                                  // max = -inf
    for (float& s : row) z += (s = std::exp(s - m));                         // exp(-inf - (-inf)) = exp(NaN)
    report::printf("  the textbook recipe (-inf scores, exp(s - max) / sum) on the same row:");
    for (float s : row) report::printf(" %s", show(s / z).c_str());
    report::printf("\n");
    report::say("-inf - (-inf) is NaN, and one NaN poisons everything downstream. Our softmax "
                "(src/core/ops.cpp) skips the blocked entries instead and leaves a row with no "
                "allowed key at zero.");
}

// ---- 7. What attention costs ---------------------------------------------------------
void section_cost() {
    report::section("7. What attention costs: O(T^2 d) time, O(T^2) memory");
    const int D = 64;
    report::say("One head, d_k = 64. Q K^T is a [T, D] x [D, T] product (2 T^2 D flops), and the "
                "weights times V another 2 T^2 D. The weight matrix holds T^2 floats per head and "
                "per sequence. The projections (Q, K, V and the output, C = 64) cost 8 T C^2 flops: "
                "linear in T. For T up to 1024 the attention is actually run and the entry count "
                "read from the tensor it returns.");
    report::printf("\n");
    auto bytes = [](double b) {                                               // 1024 -> "1 KiB"
        const char* unit[] = {"B", "KiB", "MiB", "GiB"};
        int u = 0;
        while (b >= 1024 && u < 3) { b /= 1024; ++u; }
        return report::num(b) + " " + unit[u];
    };
    report::Table tab({"T", "T^2", "weights tensor (run)", "flops QK^T + AV", "weights, fp32",
                       "attention / projections"});
    Rng rng(4);
    for (int T : {16, 64, 256, 1024, 4096}) {
        std::string measured = "(not run)";
        if (T <= 1024) {
            NoGrad no_grad;
            Tensor q = Tensor::zeros({T, D}), k = Tensor::zeros({T, D}), v = Tensor::zeros({T, D});   // [T, D] each
            for (Tensor* t : {&q, &k, &v})
                for (float& x : t->data()) x = rng.normal();
            Attention a = scaled_dot_product_attention(q, k, v);              // weights [T, T]
            measured = std::to_string(a.weights.numel()) + " entries";
            lesson::check(a.weights.numel() == std::size_t(T) * std::size_t(T), "section 7: the weights hold T^2 entries");
        }
        const double t2 = double(T) * T;
        const double flops = 4.0 * t2 * D, proj = 8.0 * T * D * D;
        tab.row({std::to_string(T), std::to_string(static_cast<long long>(t2)), measured, report::sci(flops, 2),
                 bytes(4.0 * t2), report::fixed(flops / proj, 3)});
    }
    tab.print();
    report::printf("\n");
    report::say("Multiply T by 4 and the weights and the flops grow 16-fold. At T = 4096 one head of "
                "one sequence needs 64 MiB for its weights alone (more for the backward, which keeps "
                "them). For short sequences the projections dominate; past T = 2C = 128 the attention "
                "itself does.");
}

// ---- 8. Gradient check ----------------------------------------------------------------
void section_gradcheck(const Example& ex) {
    report::section("8. The gradients, checked against finite differences");
    // Leaves: copies of the sentence's Q, K, V that ask for gradients.
    std::vector<Tensor> in = {ex.q.detach(), ex.k.detach(), ex.v.detach()};   // [T, D] each
    for (Tensor& t : in) t.set_requires_grad(true);
    const int T = in[0].dim(0);
    Rng rng(5);
    std::vector<float> R(std::size_t(T) * kModel);                            // fixed random weights for L
    for (float& r : R) r = rng.normal();
    auto loss = [&]() {                                                       // L = sum(output * R), in double
        Attention a = scaled_dot_product_attention(in[0], in[1], in[2]);      // output [T, D]
        double L = 0;
        for (std::size_t i = 0; i < R.size(); ++i) L += double(a.output.data()[i]) * R[i];
        return L;
    };
    scaled_dot_product_attention(in[0], in[1], in[2]).output.backward(R);     // analytic dL/dq, dL/dk, dL/dv

    report::say("L = sum(output * R) for a fixed random R. Autograd gives dL/dQ, dL/dK, dL/dV in one "
                "backward pass; the central difference (L(x + h) - L(x - h)) / 2h, h = 1e-2, "
                "estimates each of the 288 entries separately (576 forward passes).");
    report::printf("\n");
    report::Table tab({"input", "entries", "max |autograd|", "max |autograd - finite diff|"});
    const char* names[] = {"Q", "K", "V"};
    const double h = 1e-2;
    NoGrad no_grad;
    for (int n = 0; n < 3; ++n) {
        double worst = 0, biggest = 0;
        for (std::size_t i = 0; i < in[std::size_t(n)].numel(); ++i) {
            float& x = in[std::size_t(n)].data()[i];
            const float saved = x;
            x = static_cast<float>(saved + h);
            const double up = loss();
            x = static_cast<float>(saved - h);
            const double down = loss();
            x = saved;
            const double g = in[std::size_t(n)].grad()[i];
            worst = std::max(worst, std::abs((up - down) / (2 * h) - g));
            biggest = std::max(biggest, std::abs(g));
        }
        tab.row({names[n], std::to_string(in[std::size_t(n)].numel()), report::fixed(biggest, 3), report::sci(worst, 1)});
        lesson::check(worst < 1e-2 * std::max(1.0, biggest), std::string("section 8: autograd agrees with finite differences for ") + names[n]);
    }
    tab.print();
    report::printf("\n");
    report::say("The differences are float32 rounding and the h^2 truncation of the central "
                "difference; a wrong backward formula would be off by the size of the gradient "
                "itself.");
}

}  // namespace

int main(int argc, char** argv) {
    lesson::Flags flags("lesson1", "Lesson 1: self-attention, one sentence at a time.", "out/lesson1");
    flags.seed_help("the embeddings (seed N) and the projections (seed N + 1)")
        .add("--no-scale", settings.no_scale, "sections 3, 4 and 6 without the division by sqrt(d_k)")
        .add("--dk", settings.extra_dk, 1, 8192, "one more d_k in section 5's table (none by default)");
    return lesson::run(argc, argv, flags, [&] {
        settings.seed = flags.seed;
        report::printf("Lesson 1 — Self-attention\n");
        report::printf("Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V, one sentence at a time.\n");
        report::Figures figs(flags.out_dir);
        Example ex;
        section_embeddings(ex);
        section_projections(ex);
        section_attention(ex);
        section_causal(ex, figs);
        section_sqrt_dk(figs);
        section_padding(ex, figs);
        section_cost();
        section_gradcheck(ex);
        figs.list();
        lesson::print_exercises(1);
        report::write_page(figs, {"Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V"});   // out/lesson1/index.html
    });
}
