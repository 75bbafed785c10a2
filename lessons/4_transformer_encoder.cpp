// Lesson 4 — The transformer encoder.
//
// Lessons 1–3 built attention, multi-head attention and positional encoding.
// This lesson assembles them into the encoder of "Attention Is All You Need"
// (src/nn/encoder.hpp) and measures what each added piece does:
//
//   1. LayerNorm: every token vector rescaled to mean 0, variance 1.
//   2. The feed-forward network: applied to each token on its own.
//   3. The encoder block, one forward pass step by step, with its shapes.
//   4. A stack of N blocks, and where its parameters are (the workshop's
//      large configuration, next to published model sizes).
//   5. Why residual connections, and where to put the LayerNorm: gradients
//      and token similarity through a 12-layer stack, four wirings.
//   6. An application: a classification task that needs word order, which an
//      encoder learns and a bag of words cannot.
//   7. Inside the trained encoder: token vectors and attention, layer by layer.
//
// Run: make lesson4   (figures in out/lesson4/), or build/lesson4 --help for
// the flags of the exercises at the end ("Your turn"). Every number is
// computed by this program from a fixed seed: two runs print the same bytes.
// Every self-check is a real check: a failure is named on stderr, exit 1.
// Layers and heads are numbered from 1.
//
// Shapes use the names of src/core/tensor.hpp: B batch, T tokens, C d_model,
// H heads, D head size, F feed-forward width, V vocabulary, K classes.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "nn/encoder.hpp"
#include "nn/init.hpp"
#include "nn/model.hpp"
#include "core/ops.hpp"
#include "nn/optim.hpp"
#include "viz/i18n.hpp"
#include "viz/plot.hpp"
#include "nn/positional.hpp"
#include "viz/report.hpp"
#include "fixtures/lesson_cli.hpp"
#include "fixtures/tasks.hpp"

using namespace llm;

namespace {

// ---------------------------------------------------------------------------
// Small measuring helpers (plain loops over a tensor's values)

// 24035843 -> "24,035,843" (report::thousands, the one formatter)
std::string commas(std::size_t n) { return report::thousands(static_cast<double>(n)); }

// One token's C values in x [B, T, C]: token t of sequence b is row b*T + t.
std::span<const float> token_row(const Tensor& x, int row) {
    const auto C = static_cast<std::size_t>(x.dim(-1));
    return x.data().subspan(static_cast<std::size_t>(row) * C, C);
}

struct MeanStd { double mean, std; };
MeanStd mean_std(std::span<const float> v) {   // over the features; biased variance, as LayerNorm
    double m = 0, s = 0;
    for (float f : v) m += f;
    m /= static_cast<double>(v.size());
    for (float f : v) s += (f - m) * (f - m);
    return {m, std::sqrt(s / static_cast<double>(v.size()))};
}

// report::fixed, without the "-0.00" of a tiny negative number.
std::string fx(double v, int precision) {
    return report::fixed(std::fabs(v) < 0.5 * std::pow(10.0, -precision) ? 0.0 : v, precision);
}

// Paragraphs built from measured pieces are translated piece by piece
// (viz/i18n.hpp: a key is a fixed text with its numbers abstracted); in
// English every piece is the text itself.
using i18n::tr;

// "; " between the items of a list, with French's space before the semicolon.
std::string list_separator() { return i18n::language() == i18n::Lang::fr ? " ; " : "; "; }

double l2(std::span<const float> v) {
    double s = 0;
    for (float f : v) s += static_cast<double>(f) * f;
    return std::sqrt(s);
}

using lesson::max_abs_diff;

// What the flags change (build/lesson4 --help): the order task of sections 6-7.
struct Settings {
    int steps = 400;              // --steps: training steps
    int layers = 2;               // --layers: encoder blocks
    bool pre_ln = false;          // --pre-ln: pre-LN blocks instead of post-LN
    bool no_pe = false;           // --no-pe: no positional encoding (the encoder then sees a bag of tokens)
    std::uint64_t seed = 1;       // --seed: the models' initialisation (N) and the training batches (1000 + N)
};
Settings settings;

// For sequence b of h [B, T, C], its first `len` tokens: the mean L2 norm of
// a token vector, and the mean cosine similarity over all pairs of tokens.
struct TokenGeometry { double norm, cosine; };
TokenGeometry token_geometry(const Tensor& h, int b, int len) {
    const int T = h.dim(1);
    double norm = 0, cos = 0;
    int pairs = 0;
    for (int i = 0; i < len; ++i) {
        const auto u = token_row(h, b * T + i);
        norm += l2(u);
        for (int j = i + 1; j < len; ++j) {
            const auto v = token_row(h, b * T + j);
            double dot = 0;
            for (std::size_t c = 0; c < u.size(); ++c) dot += static_cast<double>(u[c]) * v[c];
            cos += dot / (l2(u) * l2(v));
            ++pairs;
        }
    }
    return {norm / len, pairs ? cos / pairs : 1.0};
}

// The feed-forward network of a block, written out: linear2(relu(linear1(x))).
Tensor feed_forward(const EncoderBlock& blk, const Tensor& x) {               // x [B, T, C]
    Tensor hidden = linear(x, blk.linear1_weight, blk.linear1_bias);          // [B, T, F]
    return linear(relu(hidden), blk.linear2_weight, blk.linear2_bias);        // [B, T, C]
}

}  // namespace

// ---------------------------------------------------------------------------
// 1. Layer normalization
//
// LayerNorm(x) = (x - mean(x)) / sqrt(var(x) + eps) * gamma + beta, with the
// mean and variance taken over the C features of ONE token. Every token is
// normalised on its own: nothing is shared across tokens or across the batch.
// gamma and beta (2C parameters) start at 1 and 0 and are learned.

void layer_norm_demo() {
    report::section("1. Layer normalization: each token rescaled to mean 0, variance 1");
    const int C = 64;
    struct Tok { std::string name; float scale, shift; };
    const std::vector<Tok> toks = {{"tiny  (x0.01)", 0.01f, 0.0f}, {"unit  (x1)", 1.0f, 0.0f},
                                   {"large (x100)", 100.0f, 0.0f}, {"shifted (+5)", 1.0f, 5.0f}};
    const int T = static_cast<int>(toks.size());
    Rng rng(1);
    std::vector<float> v;
    for (const Tok& t : toks)
        for (int c = 0; c < C; ++c) v.push_back(t.shift + t.scale * rng.normal());
    Tensor x = Tensor::from({1, T, C}, v);                                   // [1, T, C] four tokens, very different scales
    LayerNorm ln(C);                                                          // gamma [C] = 1, beta [C] = 0
    Tensor y = ln.forward(x);                                                 // [1, T, C]
    report::shape("x", x, "4 tokens of 64 features, drawn N(shift, scale^2)");
    report::shape("LayerNorm(x)", y, "same shape: LayerNorm never mixes tokens");
    report::printf("\n");

    report::Table tab({"token", "mean before", "std before", "mean after", "std after"});
    for (int t = 0; t < T; ++t) {
        const MeanStd a = mean_std(token_row(x, t)), b = mean_std(token_row(y, t));
        tab.row({toks[static_cast<std::size_t>(t)].name, fx(a.mean, 4), fx(a.std, 4), fx(b.mean, 4), fx(b.std, 4)});
        lesson::check(std::abs(b.mean) < 1e-5 && (t == 0 || std::abs(b.std - 1) < 1e-3),
                      "section 1: LayerNorm gives each token mean 0 and std 1 (the tiny token aside)");
    }
    tab.print();
    report::printf("\n");
    const double tiny_var = std::pow(mean_std(token_row(x, 0)).std, 2);
    report::say("Whatever the scale or offset, each token comes out with mean 0 and standard deviation 1, except "
                "the tiny one: its variance (" + report::sci(tiny_var, 2) + ") is comparable to eps = 1e-5 in "
                "sqrt(var + eps), so it is scaled to std sqrt(var / (var + eps)) = " +
                report::fixed(std::sqrt(tiny_var / (tiny_var + 1e-5)), 4) + " instead of 1. That is eps's job: "
                "never divide by (almost) zero. After this, gamma and beta (learned, " + std::to_string(2 * C) +
                " parameters here) give each feature back the scale and offset the model wants.");
}

// ---------------------------------------------------------------------------
// 2. The feed-forward network
//
// FFN(x) = linear2(ReLU(linear1(x))): C -> F -> C, with F = 4C in the paper.
// Its weights act on the last dimension only, so each token goes through the
// same small MLP on its own. Attention is the only place tokens exchange
// information. We measure this by changing token 0 and watching which outputs move.

void feed_forward_demo() {
    report::section("2. The feed-forward network: the same MLP, applied to each token separately");
    const int B = 1, T = 5, C = 16, H = 4, F = 64;
    Rng rng(2);
    EncoderBlock blk(EncoderConfig{C, H, F, 0.0f, Activation::relu, false}, rng);
    Tensor x = init::normal({B, T, C}, 1.0f, rng);                          // [B, T, C]
    Tensor x2 = x.detach();                                                  // [B, T, C] the same tokens ...
    for (int c = 0; c < C; ++c) x2.data()[static_cast<std::size_t>(c)] += 1.0f;   // ... but token 0 moved by 1 in every feature

    Tensor ffn_a = feed_forward(blk, x), ffn_b = feed_forward(blk, x2);      // [B, T, C] each
    Tensor att_a = blk.self_attn.forward(x).out, att_b = blk.self_attn.forward(x2).out;   // [B, T, C] each
    report::shape("x", x, "input tokens");
    report::shape("linear1(x)", linear(x, blk.linear1_weight, blk.linear1_bias), "hidden layer, F = 4C");
    report::shape("FFN(x)", ffn_a, "back to C");
    report::printf("\n");
    report::Table tab({"token", "|change| of FFN output", "|change| of attention output"});
    for (int t = 0; t < T; ++t) {
        std::vector<float> df, da;
        for (int c = 0; c < C; ++c) {
            const std::size_t k = static_cast<std::size_t>(t * C + c);
            df.push_back(ffn_b.data()[k] - ffn_a.data()[k]);
            da.push_back(att_b.data()[k] - att_a.data()[k]);
        }
        tab.row({"token " + std::to_string(t) + (t == 0 ? " (changed)" : ""), report::fixed(l2(df), 4),
                 report::fixed(l2(da), 4)});
        lesson::check((t == 0) == (l2(df) > 0), "section 2: changing token 0 changes the FFN output of token 0 only");
        lesson::check(l2(da) > 0, "section 2: changing token 0 changes every token's attention output");
    }
    tab.print();
    report::printf("\n");
    report::say("Changing token 0 changes the FFN output of token 0 only (exact zeros elsewhere): the FFN never "
                "looks at other tokens. The attention output changes for every token, because every query "
                "attends to token 0's key and value. Attention moves information between tokens; the FFN "
                "transforms each token's vector. The FFN holds most of a block's parameters: 2*C*F + F + C = " +
                commas(static_cast<std::size_t>(2 * C * F + F + C)) + " here, against 4*C*C + 4*C = " +
                commas(static_cast<std::size_t>(4 * C * C + 4 * C)) + " for the attention.");
}

// ---------------------------------------------------------------------------
// 3. The encoder block, step by step (post-LN, as the paper and the workshop)
//
//   h   = LN1(x + MHA(x))        residual connection, then normalise
//   out = LN2(h + FFN(h))
//
// We compute it by hand from an EncoderBlock's own parameters and check that
// the result equals EncoderBlock::forward exactly.

void block_walkthrough() {
    report::section("3. The encoder block: one forward pass, step by step");
    const int B = 2, T = 6, C = 16, H = 4, F = 64;
    Rng rng(3);
    EncoderBlock blk(EncoderConfig{C, H, F, 0.0f, Activation::relu, false}, rng);
    Tensor x = init::normal({B, T, C}, 1.0f, rng);                           // [B, T, C]

    MultiHeadAttention::Output a = blk.self_attn.forward(x);                  // out [B, T, C], weights [B, H, T, T]
    Tensor sum1 = add(x, a.out);                                              // [B, T, C] residual: x + MHA(x)
    Tensor h = blk.norm1.forward(sum1);                                       // [B, T, C]
    Tensor hidden = relu(linear(h, blk.linear1_weight, blk.linear1_bias));    // [B, T, F]
    Tensor ffn = linear(hidden, blk.linear2_weight, blk.linear2_bias);         // [B, T, C]
    Tensor sum2 = add(h, ffn);                                                // [B, T, C] residual: h + FFN(h)
    Tensor out = blk.norm2.forward(sum2);                                     // [B, T, C]

    report::shape("x", x, "B=2 sequences of T=6 tokens, C=16");
    report::shape("attention weights", a.weights, "[B, H, T, T]: H=4 heads, each a T x T table");
    report::shape("MHA(x)", a.out, "heads merged and projected back to C");
    report::shape("x + MHA(x)", sum1, "residual connection");
    report::shape("h = LN1(x + MHA(x))", h, "each token normalised");
    report::shape("ReLU(linear1(h))", hidden, "FFN hidden layer, F = 4C = 64");
    report::shape("FFN(h) = linear2(...)", ffn, "back to C");
    report::shape("h + FFN(h)", sum2, "residual connection");
    report::shape("out = LN2(h + FFN(h))", out, "same shape as x: blocks can be stacked");
    const double diff = max_abs_diff(out, blk.forward(x, nullptr, nullptr).out);
    lesson::check(diff < 1e-6, "section 3: the block computed by hand equals EncoderBlock::forward");
    report::printf("\n");
    report::say("These seven operations are the whole block: computed by hand they give EncoderBlock::forward's "
                "output, max |difference| = " + report::sci(diff, 1) + ". The output has the input's shape, which "
                "is what lets us stack blocks.");
}

// Published model sizes next to the large configuration's count.
void published_sizes(std::size_t total) {
    report::printf("\n");
    report::say("For scale, published sizes (the papers' figures, not computed here):");
    report::printf("\n");
    report::Table known({"model", "published parameters", "x ours"});
    struct Known { const char* name; double params; const char* shown; };
    const std::vector<Known> models = {
        {"Transformer base (Vaswani et al. 2017)", 65e6, "65M"},
        {"BERT-base (Devlin et al. 2019)", 110e6, "110M"},
        {"GPT-2 small (Radford et al. 2019)", 124e6, "124M (the paper's table: 117M)"},
        {"BERT-large (Devlin et al. 2019)", 340e6, "340M"},
        {"GPT-2 XL (Radford et al. 2019)", 1.5e9, "1.5B"},
        {"GPT-3 (Brown et al. 2020)", 175e9, "175B"},
    };
    known.row({"this lesson's large MiniLLM (counted)", commas(total), "1"});
    for (const Known& m : models)
        known.row({m.name, m.shown, m.params / static_cast<double>(total) < 100
                                        ? report::fixed(m.params / static_cast<double>(total), 1)
                                        : commas(static_cast<std::size_t>(std::lround(m.params / static_cast<double>(total))))});
    known.print();
    report::printf("\n");
    report::say("Transformer base is an encoder AND a decoder (6 layers each) with a 37,000-token vocabulary; the "
                "others are stacks of 12 to 96 layers of width 768 to 12,288 (the papers' figures). Same blocks, "
                "more and wider.");
}

// ---------------------------------------------------------------------------
// 4. A stack of N blocks and its parameter count
//
// The workshop's large configuration: V = 10,000, C = 512, H = 8, F = 2,048,
// 6 layers, 3 classes (the base Transformer's sizes). We build the real
// MiniLLM and count its named parameters by component, next to the formula.

void parameter_count(report::Figures& figs) {
    report::section("4. A stack of 6 blocks: where the parameters are");
    ModelConfig cfg;
    cfg.vocab_size = 10000;
    cfg.d_model = 512;
    cfg.num_heads = 8;
    cfg.d_ff = 2048;
    cfg.num_layers = 6;
    cfg.num_classes = 3;
    cfg.max_len = 512;
    MiniLLM model(cfg, 4);
    const NamedTensors params = model.named_parameters();

    // Sum the counted parameters by component, from the names.
    auto count = [&](auto&& keep) {
        std::size_t n = 0;
        for (const auto& [name, t] : params)
            if (keep(name)) n += t.numel();
        return n;
    };
    auto has = [](const std::string& s, const char* part) { return s.find(part) != std::string::npos; };
    const std::size_t emb = count([&](const std::string& n) { return n == "embedding.weight"; });
    const std::size_t attn0 = count([&](const std::string& n) { return has(n, "layers.0.self_attn."); });
    const std::size_t ffn0 = count([&](const std::string& n) { return has(n, "layers.0.linear"); });
    const std::size_t norm0 = count([&](const std::string& n) { return has(n, "layers.0.norm"); });
    const std::size_t layers = count([&](const std::string& n) { return has(n, "encoder.layers."); });
    const std::size_t cls = count([&](const std::string& n) { return has(n, "classifier."); });
    const std::size_t total = model.num_parameters();

    // The same by formula.
    const std::size_t V = 10000, C = 512, F = 2048, L = 6, K = 3;
    const std::size_t f_emb = V * C, f_attn = 4 * C * C + 4 * C, f_ffn = 2 * C * F + F + C, f_norm = 4 * C,
                      f_layers = L * (f_attn + f_ffn + f_norm), f_cls = K * C + K, f_total = f_emb + f_layers + f_cls;
    auto pct = [&](std::size_t n) { return report::fixed(100.0 * static_cast<double>(n) / static_cast<double>(total), 2) + "%"; };
    auto same = [](std::size_t a, std::size_t b) { return a == b ? "yes" : "NO"; };

    report::say("MiniLLM(V=10000, C=512, H=8, F=2048, 6 layers, K=3, post-LN) built and counted from its "
                "named_parameters():");
    report::printf("\n");
    report::Table tab({"component", "formula", "counted", "formula agrees", "share"});
    tab.row({"embedding", "V*C", commas(emb), same(emb, f_emb), pct(emb)});
    tab.row({"one layer: attention", "4C^2 + 4C", commas(attn0), same(attn0, f_attn), pct(attn0)});
    tab.row({"one layer: FFN", "2CF + F + C", commas(ffn0), same(ffn0, f_ffn), pct(ffn0)});
    tab.row({"one layer: 2 LayerNorms", "4C", commas(norm0), same(norm0, f_norm), pct(norm0)});
    tab.row({"all 6 layers", "6 x (3 rows above)", commas(layers), same(layers, f_layers), pct(layers)});
    tab.row({"classifier", "K*C + K", commas(cls), same(cls, f_cls), pct(cls)});
    tab.row({"total", "", commas(total), same(total, f_total), "100.00%"});
    tab.print();
    lesson::check(emb == f_emb && attn0 == f_attn && ffn0 == f_ffn && norm0 == f_norm && layers == f_layers &&
                      cls == f_cls && total == f_total,
                  "section 4: every counted parameter group equals its formula");
    const std::size_t notebook = emb + layers;                               // embedding + 6-layer encoder stack
    report::printf("\n  the workshop notebook's count (embedding + 6-layer encoder stack):  %s\n", commas(notebook).c_str());
    report::printf("  our count (the whole MiniLLM, with the classifier head):          %s\n", commas(total).c_str());
    report::say("The two differ by " + commas(total - notebook) + " = K*C + K, the classifier head (3 x 512 weights + "
                "3 biases), which the notebook's count leaves out; the positional table is in neither (it is "
                "computed, not learned).");
    report::printf("\n");
    report::say("Attention: W_q, W_k, W_v, W_o (C x C each) and their biases. FFN: linear1 [F, C] + [F], linear2 "
                "[C, F] + [C]. LayerNorm: gamma and beta, C each. The positional encoding table [512, 512] is "
                "computed, not learned: 0 parameters. In each layer "
                "the FFN holds twice as many parameters as the attention (" +
                report::fixed(static_cast<double>(ffn0) / static_cast<double>(attn0), 2) +
                "x); the embedding table alone is " + pct(emb) + " of the model.");

    published_sizes(total);
    const std::vector<std::string> cats = {"embedding", "attention x6", "FFN x6", "LayerNorms x6 (" + commas(6 * norm0) + ")",
                                           "classifier (" + commas(cls) + ")"};
    const std::vector<float> millions = {static_cast<float>(emb) / 1e6f, static_cast<float>(6 * attn0) / 1e6f,
                                         static_cast<float>(6 * ffn0) / 1e6f, static_cast<float>(6 * norm0) / 1e6f,
                                         static_cast<float>(cls) / 1e6f};
    const std::vector<plot::BarSeries> bars = {{"", millions}};
    figs.save("parameters_by_component.svg",
              plot::bar_chart_svg(cats, bars, {.title = "Where the " + commas(total) + " parameters are",
                                               .x_title = "", .y_title = "parameters (millions)"}),
              "parameter count of the workshop's large configuration, by component");
}

// ---------------------------------------------------------------------------
// 5. Why residual connections, and where to normalise
//
// A 12-layer stack (C = 64, H = 4, F = 256) at initialisation, wired four
// ways from the SAME parameters. The first two are EncoderBlock::forward
// (checked below); the last two delete the residual "x +".

enum class Wiring { post_ln, pre_ln, post_ln_no_residual, no_residual_no_norm };

Tensor wired_block(const EncoderBlock& blk, const Tensor& x, Wiring w) {     // x [B, T, C] -> [B, T, C]
    auto mha = [&](const Tensor& in) { return blk.self_attn.forward(in).out; };
    switch (w) {
        case Wiring::post_ln: {
            Tensor h = blk.norm1.forward(add(x, mha(x)));                     // LN1(x + MHA(x))
            return blk.norm2.forward(add(h, feed_forward(blk, h)));           // LN2(h + FFN(h))
        }
        case Wiring::pre_ln: {
            Tensor h = add(x, mha(blk.norm1.forward(x)));                     // x + MHA(LN1(x))
            return add(h, feed_forward(blk, blk.norm2.forward(h)));           // h + FFN(LN2(h))
        }
        case Wiring::post_ln_no_residual: {
            Tensor h = blk.norm1.forward(mha(x));                             // LN1(MHA(x))
            return blk.norm2.forward(feed_forward(blk, h));                   // LN2(FFN(h))
        }
        case Wiring::no_residual_no_norm: {
            Tensor h = mha(x);                                                // MHA(x)
            return feed_forward(blk, h);                                      // FFN(h)
        }
    }
    return x;
}

// The experiment of section 5: 12 blocks, 4 wirings, 4 initialisations.
constexpr int kDepth = 12, kInits = 4;
const std::vector<Wiring> kWirings = {Wiring::post_ln, Wiring::pre_ln, Wiring::post_ln_no_residual,
                                      Wiring::no_residual_no_norm};

struct DepthProfiles {
    std::vector<std::vector<float>> grad, cosine;   // [wiring][l = 0..L]: |dL/dh_l|, mean token cosine at h_l
    std::vector<std::vector<float>> pgrad;          // [wiring][layer 0..L-1]: |dL/dW| of the layer's parameters
    double check_post = 0, check_pre = 0;           // our wirings vs the library's Encoder
};

// Means over kInits random initialisations, per wiring and depth.
DepthProfiles measure_wirings() {
    const int B = 8, T = 16, C = 64, H = 4, F = 256, L = kDepth, inits = kInits;
    const EncoderConfig post_cfg{C, H, F, 0.0f, Activation::relu, false}, pre_cfg{C, H, F, 0.0f, Activation::relu, true};
    const std::vector<Wiring>& wirings = kWirings;
    const std::size_t NW = wirings.size();
    std::vector<std::vector<float>> grad(NW, std::vector<float>(L + 1, 0.0f)), cosine = grad;
    std::vector<std::vector<float>> pgrad(NW, std::vector<float>(L, 0.0f));
    double check_post = 0, check_pre = 0;
    for (int seed = 0; seed < inits; ++seed) {
        Rng rng(500 + static_cast<std::uint64_t>(seed));
        Encoder enc(post_cfg, L, rng);                                       // 12 blocks; shared by all wirings
        Tensor x0 = init::normal({B, T, C}, 1.0f, rng);                      // [B, T, C] unit-variance inputs
        Tensor r = init::normal({B, T, C}, 1.0f, rng);                       // [B, T, C] fixed random direction
        r.set_requires_grad(false);
        LayerNorm final_norm(C);                                             // pre-LN stacks end with one more LN
        {   // the library's stacks give the same outputs as our post-LN and pre-LN wirings
            Rng rng_pre(500 + static_cast<std::uint64_t>(seed));
            Encoder enc_pre(pre_cfg, L, rng_pre);                            // same draws, so the same weights
            Tensor hp = x0, hq = x0;                                         // [B, T, C]
            for (const EncoderBlock& blk : enc.layers) {
                hp = wired_block(blk, hp, Wiring::post_ln);
                hq = wired_block(blk, hq, Wiring::pre_ln);
            }
            check_post = std::max(check_post, max_abs_diff(hp, enc.forward(x0, nullptr, nullptr).out));
            lesson::check(check_post < 1e-5, "section 5: our post-LN wiring equals the library's Encoder");
            check_pre = std::max(check_pre, max_abs_diff(final_norm.forward(hq), enc_pre.forward(x0, nullptr, nullptr).out));
            lesson::check(check_pre < 1e-5, "section 5: our pre-LN wiring equals the library's Encoder");
        }
        for (std::size_t w = 0; w < NW; ++w) {
            NamedTensors params;
            enc.parameters("", params);
            for (auto& [name, p] : params) p.zero_grad();
            Tensor x = x0.detach();                                          // [B, T, C] a fresh leaf ...
            x.set_requires_grad(true);                                       // ... whose gradient we read
            std::vector<Tensor> hs = {x};                                    // h_0 = x, h_l = output of layer l, each [B, T, C]
            for (const EncoderBlock& blk : enc.layers) hs.push_back(wired_block(blk, hs.back(), wirings[w]));
            Tensor out = wirings[w] == Wiring::pre_ln ? final_norm.forward(hs.back()) : hs.back();   // [B, T, C]
            // A simple loss: the output projected on a fixed random direction,
            // L = sum(out * r) / (B*T). dL/dout = r / (B*T) for every wiring.
            Tensor loss = scale(sum(mul(out, r)), 1.0f / static_cast<float>(B * T));   // []
            loss.backward();
            for (int l = 0; l <= L; ++l) {
                grad[w][static_cast<std::size_t>(l)] += static_cast<float>(l2(hs[static_cast<std::size_t>(l)].grad()) / inits);
                double cos = 0;
                for (int b = 0; b < B; ++b) cos += token_geometry(hs[static_cast<std::size_t>(l)], b, T).cosine / B;
                cosine[w][static_cast<std::size_t>(l)] += static_cast<float>(cos / inits);
            }
            for (int l = 0; l < L; ++l) {
                NamedTensors lp;
                enc.layers[static_cast<std::size_t>(l)].parameters("", lp);
                double sq = 0;
                for (const auto& [name, p] : lp) sq += std::pow(l2(p.grad()), 2);
                pgrad[w][static_cast<std::size_t>(l)] += static_cast<float>(std::sqrt(sq) / inits);
            }
        }
    }
    return {grad, cosine, pgrad, check_post, check_pre};
}

// Section 5's two figures: gradient norm and token similarity per depth.
void residual_figures(report::Figures& figs, const DepthProfiles& m) {
    const std::vector<std::string> legend = {"post-LN + residual (paper, workshop)", "pre-LN + residual (GPT-2)",
                                             "post-LN, no residual", "no residual, no LayerNorm"};
    const int L = kDepth;
    const std::size_t NW = kWirings.size();
    const auto& grad = m.grad;
    const auto& cosine = m.cosine;
    std::vector<float> depth;
    for (int l = 0; l <= L; ++l) depth.push_back(static_cast<float>(l));
    std::vector<plot::Series> gs, cs;
    for (std::size_t w = 0; w < NW; ++w) {
        gs.push_back({legend[w], depth, grad[w]});
        cs.push_back({legend[w], depth, cosine[w]});
    }
    figs.save("residual_gradient_norms.svg",
              plot::line_chart_svg(gs, {.title = "Gradient reaching each depth of a 12-layer stack (at init)",
                                        .x_title = "l  (h_0 = stack input, h_l = output of layer l)",
                                        .y_title = "|dL/dh_l|  (log scale)", .log_y = true, .markers = true,
                                        .integer_x = true}),
              "gradient norm per depth, 4 wirings (log y)");
    figs.save("residual_token_similarity.svg",
              plot::line_chart_svg(cs, {.title = "How alike the tokens of a sequence become (at init)",
                                        .x_title = "l  (h_0 = stack input, h_l = output of layer l)",
                                        .y_title = "mean cosine similarity between tokens", .markers = true,
                                        .integer_x = true}),
              "mean pairwise token cosine per depth, 4 wirings");
}

void residual_experiment(report::Figures& figs) {
    report::section("5. Why residual connections, and where to put the LayerNorm (12 layers)");
    const int L = kDepth, inits = kInits;
    const std::vector<std::string> names = {"post-LN (paper)", "pre-LN (GPT-2)", "post-LN, no residual",
                                            "no residual, no LN"};
    const std::size_t NW = kWirings.size();
    const DepthProfiles m = measure_wirings();
    const auto& grad = m.grad;
    const auto& cosine = m.cosine;
    const auto& pgrad = m.pgrad;
    const double check_post = m.check_post, check_pre = m.check_pre;

    report::say("Same 12 blocks (C=64, H=4, F=256), four wirings. Inputs x ~ N(0, 1) of shape [8, 16, 64]; loss "
                "L = sum(out * r) / (B*T) for a fixed random r, so the gradient entering the top is the same for "
                "all four. h_0 is the stack's input, h_l the output of layer l. Means over " +
                std::to_string(inits) + " random initialisations.");
    report::say("Check: our post-LN and pre-LN wirings equal the library's Encoder (max |diff| " +
                report::sci(check_post, 1) + " and " + report::sci(check_pre, 1) + ").");
    report::printf("\n");
    report::Table tab({"wiring", "|dL/dh_12|", "|dL/dh_0|", "|dL/dW| layer 1", "|dL/dW| layer 12", "cos at h_12"});
    for (std::size_t w = 0; w < NW; ++w)
        tab.row({names[w], report::sci(grad[w][L], 2), report::sci(grad[w][0], 2), report::sci(pgrad[w][0], 2),
                 report::sci(pgrad[w][L - 1], 2), fx(cosine[w][L], 3)});
    tab.print();
    report::printf("  (|dL/dW|: norm of the gradient of all a layer's parameters; cos: mean cosine similarity\n"
                "   between the tokens of a sequence)\n");
    report::printf("\n");
    // The range of |dL/dh_l| / |dL/dh_12| over the depths, per wiring.
    auto ratio_range = [&](std::size_t w) {
        float lo = grad[w][0], hi = grad[w][0];
        for (float g : grad[w]) lo = std::min(lo, g), hi = std::max(hi, g);
        return "[" + report::fixed(lo / grad[w][L], 2) + ", " + report::fixed(hi / grad[w][L], 2) + "]";
    };
    const double per_layer = std::pow(static_cast<double>(grad[3][0] / grad[3][L]), 1.0 / L);
    report::say("What we measure. With a residual connection (first two rows) the gradient keeps its size all the "
                "way down: the ratio |dL/dh_l| / |dL/dh_12| stays within " + ratio_range(0) + " for post-LN and " +
                ratio_range(1) + " for pre-LN. Why: a residual sublayer computes h + f(h), whose Jacobian is "
                "I + f'(h); the identity term gives the gradient a direct path down, whatever f does. Remove the "
                "residual AND the LayerNorm and the gradient is multiplied by " + report::fixed(per_layer, 3) +
                " per layer on average: at the input it is " +
                report::sci(grad[3][0] / grad[3][L], 0) + " of its size at the top, nothing left to learn from.");
    report::printf("\n");
    report::say("Remove only the residual, keeping the LayerNorms: the ratio stays within " + ratio_range(2) +
                ", but the last column shows what is lost: the tokens' vectors become identical "
                "(cosine " + fx(cosine[2][L], 3) + "; already " + fx(cosine[2][1], 2) +
                " after one layer). Attention outputs weighted averages of the tokens; without \"x +\" to carry "
                "each token's own vector forward, a few rounds of averaging leave one vector for the whole "
                "sequence. With residuals the tokens stay distinguishable (cosine " + fx(cosine[0][L], 2) +
                " post-LN, " + fx(cosine[1][L], 2) + " pre-LN, from " + fx(cosine[0][0], 2) + " at the input).");
    report::printf("\n");
    report::say("Post-LN vs pre-LN: at initialisation and 12 layers both deliver the gradient to the bottom. Their "
                "parameter gradients differ: from layer 1 to layer 12 they go from " + report::fixed(pgrad[0][0], 2) +
                " to " + report::fixed(pgrad[0][L - 1], 2) + " post-LN, and from " + report::fixed(pgrad[1][0], 2) +
                " to " + report::fixed(pgrad[1][L - 1], 2) + " pre-LN. "
                "Pre-LN's known advantage (deep stacks train without a learning-rate warmup, Xiong et al. 2020) "
                "is about training dynamics, which this measurement at initialisation does not test.");

    residual_figures(figs, m);
}

// ---------------------------------------------------------------------------
// 6. An application: a classification that needs word order
//
// The order task (lessons/fixtures/tasks.hpp): random letters in which A and B each occur
// once; the label says whether A comes before B. Both classes contain exactly
// the same bags of tokens, so a bag of words cannot beat chance; an encoder
// sees positions (sinusoidal PE) and can compare them.

struct OrderSetup {
    OrderTaskConfig task{16, 6, 12};          // V = 16 (12 letters c..n), lengths 6..12
    ModelConfig model() const {
        ModelConfig m;
        m.vocab_size = task.vocab_size;
        m.d_model = 32;
        m.num_heads = 4;
        m.d_ff = 64;
        m.num_layers = settings.layers;
        m.num_classes = 2;
        m.pre_norm = settings.pre_ln;
        m.max_len = task.max_len;
        m.dropout = 0.0f;                     // endless fresh data: nothing to regularise
        return m;
    }
    int steps = settings.steps, batch = 64, eval_every = 25, test_size = 1000;
    float lr = 3e-3f;
    std::uint64_t model_seed = settings.seed, train_seed = 1000 + settings.seed, test_seed = 7;
};

double accuracy(const Tensor& logits, const std::vector<int>& labels) {      // logits [N, 2]
    int ok = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const int pred = logits.data()[2 * i + 1] > logits.data()[2 * i] ? 1 : 0;
        ok += pred == labels[i];
    }
    return static_cast<double>(ok) / static_cast<double>(labels.size());
}

// What section 6's final accuracies say, and only that (in the reader's language).
std::string order_task_verdict(double enc, double bow) {
    std::string v = std::abs(bow - 0.5) < 0.05
                        ? "The bag of words stays at chance: the two labels give it the same multisets of tokens, so "
                          "there is nothing to learn. "
                        : "The bag of words ends at " + report::fixed(100 * bow, 1) + "%, away from chance: with the "
                          "same multisets of tokens for both labels, this is luck of the test set or of training. ";
    v = tr(v);
    if (enc >= 0.9)
        v += tr(settings.no_pe ? "The encoder, WITHOUT positional encoding, still learns the task: "
                                 "something else tells it the order (look at section 7). "
                               : "The encoder also sees positions, and learns the task. Section 7 checks "
                                 "that positions are what it uses.");
    else
        v += tr("The encoder does not learn the task in this setting (" + report::fixed(100 * enc, 1) + "%)" +
                (settings.no_pe ? ": without positional encoding it sees a bag of tokens too." : "."));
    return v;
}

// The test set's share of label 1, and how many of its sequences training also drew.
std::string test_set_facts(const OrderBatch& test, const std::set<std::vector<int>>& seen) {
    int overlap = 0, ones = 0;
    for (int i = 0; i < test.B; ++i)
        overlap += seen.count(std::vector<int>(test.ids.begin() + i * test.T,
                                               test.ids.begin() + i * test.T + test.lengths[static_cast<std::size_t>(i)])) > 0;
    for (int y : test.labels) ones += y;
    return "the test set has " + report::fixed(100.0 * ones / test.B, 1) + "% label 1; " + std::to_string(overlap) +
           " of its " + std::to_string(test.B) + " sequences also occur among the " + commas(seen.size()) +
           " distinct training sequences";
}

// Test accuracy while training, both models, and chance.
void order_accuracy_figure(report::Figures& figs, const std::vector<float>& steps, const std::vector<float>& enc,
                           const std::vector<float>& bow) {
    const std::vector<float> chance(steps.size(), 0.5f);
    const std::vector<plot::Series> acc = {{"encoder (" + std::to_string(settings.layers) + " blocks)", steps, enc},
                                           {"bag of words", steps, bow},
                                           {"chance", steps, chance}};
    figs.save("order_task_accuracy.svg",
              plot::line_chart_svg(acc, {.title = "Does A come before B? Test accuracy while training",
                                         .x_title = "training step", .y_title = "test accuracy (1000 examples)",
                                         .markers = true}),
              "order task: test accuracy, encoder vs bag of words");
}

// The training loss per step: raw (one batch, faint), its mean over the last
// 25 steps, and the chance level ln 2.
void order_loss_figure(report::Figures& figs, const std::vector<float>& steps, const std::vector<float>& enc,
                       const std::vector<float>& bow) {
    auto smooth = [](const std::vector<float>& v) {                           // trailing mean over 25 steps
        std::vector<float> out;
        double sum = 0;
        for (std::size_t i = 0; i < v.size(); ++i) {
            sum += v[i] - (i >= 25 ? v[i - 25] : 0.0f);
            out.push_back(static_cast<float>(sum / static_cast<double>(std::min<std::size_t>(i + 1, 25))));
        }
        return out;
    };
    const std::vector<float> enc_s = smooth(enc), bow_s = smooth(bow), chance(steps.size(), std::log(2.0f));
    const std::vector<plot::Series> loss = {                                 // drawn in this order: chance on top
        {.name = "", .x = steps, .y = enc, .colour = 0, .opacity = 0.25},
        {.name = "", .x = steps, .y = bow, .colour = 1, .opacity = 0.25},
        {.name = "encoder, mean of the last 25 steps", .x = steps, .y = enc_s, .colour = 0},
        {.name = "bag of words, mean of the last 25 steps", .x = steps, .y = bow_s, .colour = 1},
        {.name = "chance: ln 2 = 0.693", .x = steps, .y = chance, .colour = 17}};   // 17: grey, dashed
    figs.save("order_task_loss.svg",
              plot::line_chart_svg(loss, {.title = "Does A come before B? Training loss (faint: each batch of 64)",
                                          .x_title = "training step", .y_title = "cross-entropy"}),
              "order task: training loss per step, smoothed, with chance");
}

struct Trained {
    MiniLLM encoder_model;
    MiniLLM untrained;                        // the same model before training, for section 7
    OrderBatch test;
};

// Train loss in section 6's table: the mean over the last 25 steps (one batch is noisy).
std::string recent(const std::vector<float>& v) {
    const std::size_t n = std::min<std::size_t>(25, v.size());
    double m = 0;
    for (std::size_t i = v.size() - n; i < v.size(); ++i) m += v[i] / static_cast<double>(n);
    return report::fixed(m, 3);
}

// The first 4 test examples (the test set's seed, drawn again).
void show_order_examples(const OrderSetup& s) {
    Rng show_rng(s.test_seed);

    const OrderBatch show = order_task_batch(s.task, 4, show_rng);          // the first 4 test examples
    report::say("Each example: random letters (c..n) with A and B placed once each; label 1 if A comes first. "
                "Lengths 6 to 12, padded. A few of the test examples:");
    report::printf("\n");
    for (int i = 0; i < show.B; ++i) {
        std::string line;
        for (int t = 0; t < show.lengths[static_cast<std::size_t>(i)]; ++t)
            line += order_task_token(show.ids[static_cast<std::size_t>(i * show.T + t)]) + " ";
        report::printf("    %-26s label %d\n", line.c_str(), show.labels[static_cast<std::size_t>(i)]);
    }
    report::printf("\n");
}

Trained order_task(const OrderSetup& s, report::Figures& figs) {
    report::section("6. An application: a classification that needs word order");
    Rng test_rng(s.test_seed);
    OrderBatch test = order_task_batch(s.task, s.test_size, test_rng);      // ids [N, T], pad [N, T], labels [N]
    show_order_examples(s);

    const ModelConfig mc = s.model();
    MiniLLM enc(mc, s.model_seed), untrained(mc, s.model_seed);
    if (settings.no_pe) {                                                    // --no-pe: the PE table set to zeros
        enc.positions = Tensor::zeros({mc.max_len, mc.d_model});
        untrained.positions = Tensor::zeros({mc.max_len, mc.d_model});
    }
    BagOfWords bow(mc.vocab_size, mc.d_model, 2, s.model_seed);
    const NamedTensors pe = enc.named_parameters(), pb = bow.named_parameters();
    report::say_verbatim(
        tr("Encoder: MiniLLM(V=16, C=32, H=4, F=64, " + std::to_string(mc.num_layers) + " layers, K=2): embedding" +
           (settings.no_pe ? " (NO positional encoding: --no-pe)" : " + sinusoidal PE") + " + " +
           std::to_string(mc.num_layers) + (mc.pre_norm ? " pre-LN" : " post-LN") + " blocks + mean over real "
           "tokens + linear, " + commas(count_parameters(pe)) + " parameters.") + " " +
        tr("Bag of words: BagOfWords(V=16, C=32, K=2): the same embedding, mean and linear, no "
           "attention, no positions, " + commas(count_parameters(pb)) + " parameters. Both: AdamW (lr " +
           report::num(s.lr) + ", warmup 40 steps then cosine), gradients clipped at norm 1, " +
           std::to_string(s.steps) + " steps of " + std::to_string(s.batch) +
           " fresh examples (the same batches for both), no dropout. Test: " + std::to_string(s.test_size) +
           " examples from another seed."));
    report::printf("\n");

    AdamW opt_e(pe, {.lr = s.lr}), opt_b(pb, {.lr = s.lr});
    const WarmupCosine sched{s.lr, 40, s.steps, 0.1f};
    Rng train_rng(s.train_seed);
    std::set<std::vector<int>> seen;                                         // training sequences, to check the test set
    std::vector<float> eval_steps, acc_e, acc_b, loss_steps, loss_e, loss_b;
    auto evaluate = [&](int step) {
        NoGrad ng;
        eval_steps.push_back(static_cast<float>(step));
        acc_e.push_back(static_cast<float>(accuracy(enc.forward(test.ids, test.pad, nullptr).logits, test.labels)));
        acc_b.push_back(static_cast<float>(accuracy(bow.forward(test.ids, test.pad), test.labels)));
    };
    report::Table tab({"step", "encoder: train loss", "test accuracy", "bag of words: train loss", "test accuracy"});
    evaluate(0);
    tab.row({"0", "", report::fixed(acc_e.back(), 3), "", report::fixed(acc_b.back(), 3)});
    for (int step = 0; step < s.steps; ++step) {
        const OrderBatch b = order_task_batch(s.task, s.batch, train_rng);  // ids [64, T], pad [64, T], labels [64]
        for (int i = 0; i < b.B; ++i)
            seen.insert(std::vector<int>(b.ids.begin() + i * b.T, b.ids.begin() + i * b.T + b.lengths[static_cast<std::size_t>(i)]));
        opt_e.set_lr(sched.at(step));
        opt_b.set_lr(sched.at(step));

        opt_e.zero_grad();
        Tensor le = cross_entropy(enc.forward(b.ids, b.pad, nullptr).logits, b.labels);   // [] (logits [64, 2])
        le.backward();
        clip_grad_norm(pe, 1.0f);
        opt_e.step();

        opt_b.zero_grad();
        Tensor lb = cross_entropy(bow.forward(b.ids, b.pad), b.labels);                   // [] (logits [64, 2])
        lb.backward();
        clip_grad_norm(pb, 1.0f);
        opt_b.step();

        loss_steps.push_back(static_cast<float>(step + 1));
        loss_e.push_back(le.item());
        loss_b.push_back(lb.item());
        if ((step + 1) % s.eval_every == 0) {
            evaluate(step + 1);
            if ((step + 1) % 100 == 0)
                tab.row({std::to_string(step + 1), recent(loss_e), report::fixed(acc_e.back(), 3), recent(loss_b),
                         report::fixed(acc_b.back(), 3)});
        }
    }
    tab.print();
    report::printf("  (train loss: mean over the last 25 steps; ln 2 = 0.693 is a coin flip)\n");
    report::printf("\n");
    report::say_verbatim(tr("Final test accuracy: encoder " + report::fixed(100 * acc_e.back(), 1) + "%, bag of words " +
                            report::fixed(100 * acc_b.back(), 1) + "%") + " (" + tr(test_set_facts(test, seen)) + "). " +
                         order_task_verdict(acc_e.back(), acc_b.back()));
    order_accuracy_figure(figs, eval_steps, acc_e, acc_b);
    order_loss_figure(figs, loss_steps, loss_e, loss_b);
    return {enc, untrained, test};
}

// ---------------------------------------------------------------------------
// 7. Inside the trained encoder, layer by layer
//
// MiniLLM::forward returns only logits and attention, so we rewrite its first
// lines to keep the hidden states (and check the logits are the same).

struct Inside {
    Encoder::Output enc;                     // out [N, T, C], per layer attention [N, H, T, T] and hidden [N, T, C]
    Tensor input;                            // [N, T, C] embedding * sqrt(C) (+ PE)
    Tensor logits;                           // [N, 2]
};

Inside run_inside(const MiniLLM& m, const OrderBatch& b, bool with_positions) {
    NoGrad ng;
    const int C = m.config().d_model;
    Tensor x = llm::embedding(m.embedding, b.ids, {b.B, b.T});                // [N, T, C]
    x = scale(x, std::sqrt(static_cast<float>(C)));                           // [N, T, C]
    if (with_positions) x = add_positions(x, m.positions);                    // [N, T, C] + PE[:T]
    Encoder::Output e = m.encoder.forward(x, &b.pad, nullptr);                // out [N, T, C]
    Tensor logits = linear(masked_mean(e.out, b.pad), m.classifier_weight, m.classifier_bias);   // [N, 2]
    return {e, x, logits};
}

// For each layer and head (row l*H + h), the mean over the test sequences of
// the attention weight A -> B, B -> A, A -> A, B -> B (query -> key), and of
// the mean weight from the other tokens ("letters") to A and to B.
std::vector<std::vector<double>> marker_attention(const std::vector<Tensor>& attention, const OrderBatch& test) {
    std::vector<std::vector<double>> rows;
    for (const Tensor& a : attention) {                                      // [N, H, T, T]
        const int H = a.dim(1), T = a.dim(2);
        for (int h = 0; h < H; ++h) {
            std::vector<double> m(6, 0.0);
            for (int n = 0; n < test.B; ++n) {
                const int len = test.lengths[static_cast<std::size_t>(n)];
                int pa = 0, pb = 0;
                for (int t = 0; t < len; ++t) {
                    const int id = test.ids[static_cast<std::size_t>(n * T + t)];
                    if (id == order_a) pa = t;
                    if (id == order_b) pb = t;
                }
                auto w = [&](int q, int k) { return static_cast<double>(a.data()[static_cast<std::size_t>(((n * H + h) * T + q) * T + k)]); };
                m[0] += w(pa, pb), m[1] += w(pb, pa), m[2] += w(pa, pa), m[3] += w(pb, pb);
                for (int q = 0; q < len; ++q)
                    if (q != pa && q != pb) m[4] += w(q, pa) / (len - 2), m[5] += w(q, pb) / (len - 2);
            }
            for (double& v : m) v /= test.B;
            rows.push_back(m);
        }
    }
    return rows;
}

// One example's attention, every layer (row) and head (column), real tokens only.
void attention_grid(report::Figures& figs, const Inside& in, int s, const std::vector<std::string>& toks,
                    const std::string& file, const std::string& which) {
    const int L = static_cast<int>(in.enc.attention.size()), H = in.enc.attention[0].dim(1);
    const int T = in.enc.attention[0].dim(2), len = static_cast<int>(toks.size());
    std::vector<float> panels;                                           // [L*H, len, len]
    std::vector<std::string> titles;
    for (int l = 0; l < L; ++l) {
        const Tensor& a = in.enc.attention[static_cast<std::size_t>(l)]; // [N, H, T, T]
        for (int h = 0; h < H; ++h) {
            titles.push_back("layer " + std::to_string(l + 1) + ", head " + std::to_string(h + 1));
            for (int i = 0; i < len; ++i)
                for (int j = 0; j < len; ++j)
                    panels.push_back(a.data()[static_cast<std::size_t>(((s * H + h) * T + i) * T + j)]);
        }
    }
    lesson::save_heatmap_grid(figs, file, panels, static_cast<std::size_t>(len), static_cast<std::size_t>(len), toks,
                              toks, titles, static_cast<std::size_t>(H),
                              {.title = which + " encoder, order task: attention of each layer (row) and head",
                               .x_title = "key", .y_title = "query", .colorbar_title = "attention weight",
                               .vmin = 0.0, .vmax = 1.0},
                              "attention weights, layers x heads, test example " + std::to_string(s) + " (" + which + ")");
}

// Prints one model's table of mean attention between markers; returns its
// entries above 0.9 (from that query, the head looks almost only at that key),
// as "layer 1 head 2 B -> A" (in the reader's language).
const std::vector<std::string> kMarkerCols = {"A -> B", "B -> A", "A -> A", "B -> B", "letters -> A", "letters -> B"};

std::string attention_table(const std::vector<std::vector<double>>& means, const std::string& which, int L, int H) {
    const std::vector<std::string>& cols = kMarkerCols;
    std::vector<std::string> headers = {which + ": layer, head"};
    headers.insert(headers.end(), cols.begin(), cols.end());
    report::Table table(headers);
    std::string focused;
    for (int l = 0; l < L; ++l)
        for (int h = 0; h < H; ++h) {
            const auto& m = means[static_cast<std::size_t>(l * H + h)];
            std::vector<std::string> row = {std::to_string(l + 1) + ", " + std::to_string(h + 1)};
            for (std::size_t c = 0; c < cols.size(); ++c) {
                row.push_back(report::fixed(m[c], 3));
                if (m[c] > 0.9)
                    focused += (focused.empty() ? "" : list_separator()) +
                               tr("layer " + std::to_string(l + 1) + " head " + std::to_string(h + 1)) + " " + tr(cols[c]);
            }
            table.row(row);
        }
    table.print();
    report::printf("\n");
    return focused.empty() ? tr("none") : focused;
}

// What section 7's attention tables say, from their numbers: the heads that
// focus, the largest change training made, and the untrained baseline.
void attention_summary(const Trained& trained, const Inside& before, int s, int len,
                       const std::vector<std::vector<double>>& m_after, const std::vector<std::vector<double>>& m_before,
                       const std::string& focused_after, const std::string& focused_before) {
    const int L = static_cast<int>(before.enc.attention.size()), H = trained.encoder_model.config().num_heads;
    const std::vector<std::string>& cols = kMarkerCols;
    // The entry that training increased the most, and the untrained last layer's range.
    std::size_t best_k = 0, best_c = 0;
    for (std::size_t k = 0; k < m_after.size(); ++k)
        for (std::size_t c = 0; c < cols.size(); ++c)
            if (m_after[k][c] - m_before[k][c] > m_after[best_k][best_c] - m_before[best_k][best_c]) best_k = k, best_c = c;
    const std::string best = tr("layer " + std::to_string(best_k / static_cast<std::size_t>(H) + 1) + " head " +
                                std::to_string(best_k % static_cast<std::size_t>(H) + 1)) + " " + tr(cols[best_c]) + ", " +
                             tr("from " + report::fixed(m_before[best_k][best_c], 3) + " to " +
                                report::fixed(m_after[best_k][best_c], 3));
    double last_lo = 1, last_hi = 0;
    for (int h = 0; h < H; ++h)
        for (double v : m_before[static_cast<std::size_t>((L - 1) * H + h)]) last_lo = std::min(last_lo, v), last_hi = std::max(last_hi, v);
    report::say_verbatim(tr("Mean weights above 0.9 (from that query, the head looks almost only at that key).") + " " +
                         tr("Trained:") + " " + focused_after + ". " + tr("Untrained:") + " " + focused_before + ".");
    report::printf("\n");
    // The largest untrained weight of layer 1 on the example sequence: random
    // projections already make attention uneven before any training.
    float first_max = 0.0f;
    {
        const Tensor& a1 = before.enc.attention[0];                           // [N, H, T, T]
        const int H = a1.dim(1), T = a1.dim(2);
        for (int h = 0; h < H; ++h)
            for (int q = 0; q < len; ++q)
                for (int k = 0; k < len; ++k)
                    first_max = std::max(first_max, a1.data()[static_cast<std::size_t>(((s * H + h) * T + q) * T + k)]);
    }
    report::say_verbatim(
        tr("Uneven weights alone are not a sign of learning: before training, the largest weight of layer 1 "
           "on the example sequence is already " + report::fixed(first_max, 2) + " (uniform would be " +
           report::fixed(1.0 / len, 2) + "), only because the random projections give random scores.") + " " +
        tr("Its input, embedding * sqrt(C) + PE, is not normalised (norm " +
           report::fixed(token_geometry(before.input, s, len).norm, 1) + " here).") + " " +
        tr("Layer " + std::to_string(L) +
           (!trained.encoder_model.config().pre_norm && L > 1
                ? " receives LayerNorm'ed vectors (norm " + report::fixed(std::sqrt(32.0), 2) + ") and its"
                : std::string("'s")) +
           " untrained mean entries stay between " + report::fixed(last_lo, 3) + " and " +
           report::fixed(last_hi, 3) + ", near 1/length.") + " " +
        tr("What training changed is where the weight goes; the largest increase in the tables is") + " " + best + ". " +
        tr("What the later layers compute from the vectors gathered this way is not visible in attention weights."));
}

void inside_the_encoder(const Trained& run, report::Figures& figs) {
    report::section("7. Inside the trained encoder: token vectors and attention, layer by layer");
    const OrderBatch& test = run.test;
    const Inside trained = run_inside(run.encoder_model, test, true), before = run_inside(run.untrained, test, true);
    double diff;
    {
        NoGrad ng;
        diff = max_abs_diff(trained.logits, run.encoder_model.forward(test.ids, test.pad, nullptr).logits);
    }
    lesson::check(diff < 1e-6, "section 7: the hidden states recomputed step by step give MiniLLM::forward's logits");
    const Inside no_pe = run_inside(run.encoder_model, test, false);
    report::say("Hidden states recomputed step by step (logits equal MiniLLM::forward's: max |diff| " +
                report::sci(diff, 1) + "). Ablation: the same trained weights with the positional encoding "
                "removed score " + report::fixed(100 * accuracy(no_pe.logits, test.labels), 1) +
                "% (with it: " + report::fixed(100 * accuracy(trained.logits, test.labels), 1) +
                "%). Without positions, attention and the mean are blind to order, so the model sees a bag.");

    // One test sequence: the first of length >= 10.
    int s = 0;
    while (test.lengths[static_cast<std::size_t>(s)] < 10) ++s;
    const int len = test.lengths[static_cast<std::size_t>(s)];
    std::vector<std::string> toks;
    std::string sentence;
    for (int t = 0; t < len; ++t) {
        toks.push_back(order_task_token(test.ids[static_cast<std::size_t>(s * test.T + t)]));
        sentence += toks.back() + " ";
    }
    const auto logits_s = trained.logits.data().subspan(2 * static_cast<std::size_t>(s), 2);   // [2] this example's logits
    const int pred = logits_s[1] > logits_s[0] ? 1 : 0;
    report::printf("\n");
    report::say_verbatim(tr("The sequence") + " \"" + sentence.substr(0, sentence.size() - 1) + "\" " +   // data, as it is
                         tr("(test example " + std::to_string(s) + ", label " +
                            std::to_string(test.labels[static_cast<std::size_t>(s)]) + ", predicted " +
                            std::to_string(pred) + "), its token vectors after each layer, before and after "
                            "training (layer 0 = embedding * sqrt(C) + PE):"));
    report::printf("\n");
    report::Table tab({"layer", "untrained: mean |token|", "mean cos(tokens)", "trained: mean |token|", "mean cos(tokens)"});
    const int L = static_cast<int>(trained.enc.hidden.size());
    for (int l = 0; l <= L; ++l) {
        const Tensor& hb = l == 0 ? before.input : before.enc.hidden[static_cast<std::size_t>(l - 1)];   // [N, T, C]
        const Tensor& ha = l == 0 ? trained.input : trained.enc.hidden[static_cast<std::size_t>(l - 1)]; // [N, T, C]
        const TokenGeometry gb = token_geometry(hb, s, len), ga = token_geometry(ha, s, len);
        tab.row({std::to_string(l), report::fixed(gb.norm, 2), report::fixed(gb.cosine, 3), report::fixed(ga.norm, 2),
                 report::fixed(ga.cosine, 3)});
    }
    tab.print();
    report::printf("\n");
    const bool post_ln = !run.encoder_model.config().pre_norm;
    report::say(post_ln ? "Each post-LN block ends with a LayerNorm, so before training every token leaves a layer with norm "
                          "sqrt(C) = " + report::fixed(std::sqrt(32.0), 2) + " exactly (gamma = 1, beta = 0); training "
                          "moves gamma and beta, and the norms with them. The cosine column says how alike the tokens "
                          "of this sequence are after each layer."
                        : std::string("These pre-LN blocks (--pre-ln) normalise the input of each sublayer, not their "
                                      "output: the vectors between layers are not normalised, and their norms are what "
                                      "the table measures. The cosine column says how alike the tokens of this "
                                      "sequence are after each layer."));

    // Attention: every layer and head on this sequence, real tokens only,
    // after training and (same figure layout) before.
    const int H = run.encoder_model.config().num_heads;
    attention_grid(figs, trained, s, toks, "attention_layers_heads_trained", "Trained");
    attention_grid(figs, before, s, toks, "attention_layers_heads_untrained", "Untrained");

    // Over the whole test set: how much A's query takes from B, and B's from A.
    report::printf("\n");
    double uniform = 0;
    for (int len_i : test.lengths) uniform += 1.0 / len_i / test.B;
    report::say("Over all " + std::to_string(test.B) + " test sequences, the mean attention weight from a query "
                "token to a key token, per layer and head (\"letters\" = the other tokens; uniform attention "
                "would give 1/length, " + report::fixed(uniform, 3) + " on average):");
    report::printf("\n");
    const auto m_after = marker_attention(trained.enc.attention, test);      // [L*H][6]
    const auto m_before = marker_attention(before.enc.attention, test);     // [L*H][6]
    const std::string focused_after = attention_table(m_after, "trained", L, H);
    const std::string focused_before = attention_table(m_before, "untrained", L, H);
    attention_summary(run, before, s, len, m_after, m_before, focused_after, focused_before);
}

// ---------------------------------------------------------------------------

int main(int argc, char** argv) {
    lesson::Flags flags("lesson4", "Lesson 4: the transformer encoder.", "out/lesson4");
    flags.seed_help("the order task's models (seed N) and its training batches (seed 1000 + N)")
        .add("--steps", settings.steps, 25, 4000, "training steps of the order task (sections 6-7)")
        .add("--layers", settings.layers, 1, 6, "encoder blocks of the order task's model")
        .add("--pre-ln", settings.pre_ln, "pre-LN blocks for the order task's model (default: post-LN)")
        .add("--no-pe", settings.no_pe, "train the order task's encoder without positional encoding");
    return lesson::run(argc, argv, flags, [&] {
        settings.seed = flags.seed;
        report::printf("Lesson 4 — The transformer encoder\n\n");
        report::say("Goals: see what LayerNorm, the feed-forward network and residual connections each do, walk "
                    "through one encoder block and a stack of them, count their parameters, and train an encoder on "
                    "a task that a bag of words cannot solve. Every number below is measured by this program.");
        report::Figures figs(flags.out_dir);
        layer_norm_demo();
        feed_forward_demo();
        block_walkthrough();
        parameter_count(figs);
        residual_experiment(figs);
        const OrderSetup setup;
        const Trained run = order_task(setup, figs);
        inside_the_encoder(run, figs);
        figs.list();
        lesson::print_exercises(4);
        report::write_page(figs, {"LayerNorm(x) = gamma * (x - mean(x)) / sqrt(var(x) + eps) + beta",
                                  "FFN(x) = W_2 act(W_1 x + b_1) + b_2", "x = LN1(x + MHA(x));   x = LN2(x + FFN(x))"});
    });
}
