// Lesson 2 — Multi-head attention
//
//   MultiHead(x) = Concat(head_1, ..., head_H) W_o^T
//   head_h       = softmax(Q_h K_h^T / sqrt(D)) V_h ,  D = C / H
//
// Goals
//   1. Follow the shapes through torch.nn.MultiheadAttention's computation:
//      one [3C, C] projection, the split into H heads of size D = C / H, H
//      attentions side by side, the merge, the output projection.
//   2. Look at every head of an (untrained) layer on one sentence.
//   3. One head against four, as an experiment: the same layer size, the
//      same data and the same number of steps, on a task that needs reading
//      two places at once. What changes is measured, with three seeds.
//   4. Count the parameters and flops as H varies at d_model = 512.
//
// What to look at
//   - the shape walk-through (section 1), and that the hand-written steps give
//     exactly the module's output;
//   - out/lesson2/two_slot_accuracy.svg: the learning curves, 1 head vs 4;
//   - the table of where each trained head looks (section 4);
//   - the complexity table: the parameters do not depend on H.
//
// Run: make lesson2, or build/lesson2 --help for the flags of the exercises
// at the end ("Your turn"). Heads are numbered from 1, here and in lessons 4-5.
// Every self-check is a real check: a failure is named on stderr, exit 1.
//
// Shapes use the names of src/core/tensor.hpp: B batch, T tokens, C = d_model,
// H heads, D = C / H head size.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "nn/attention.hpp"
#include "nn/model.hpp"
#include "fixtures/experiments.hpp"
#include "fixtures/lesson_cli.hpp"
#include "nn/init.hpp"
#include "core/ops.hpp"
#include "nn/optim.hpp"
#include "viz/plot.hpp"
#include "viz/report.hpp"
#include "core/rng.hpp"

using namespace llm;

namespace {

using lesson::max_abs_diff;

// What the flags change (build/lesson2 --help).
struct Settings {
    int heads = 4;               // --heads: the multi-head model of sections 3-5
    int steps = 300;             // --steps: training steps of every run in section 3
    std::uint64_t seed = 1;      // --seed: the three runs per model use seeds N, N+1, N+2
};
Settings settings;


// ---- 1. The shapes, step by step ------------------------------------------------------
void section_shapes() {
    report::section("1. Multi-head attention, shape by shape (C = 512, H = 8, B = 2, T = 6)");
    const int B = 2, T = 6, C = 512, H = 8, D = C / H;
    Rng rng(1);
    MultiHeadAttention mha(C, H, rng);
    Tensor x = Tensor::zeros({B, T, C});                                      // [B, T, C]
    for (float& v : x.data()) v = rng.normal();
    NoGrad no_grad;

    report::say("The layer holds one [3C, C] matrix for the three projections (torch's "
                "in_proj_weight) and one [C, C] output projection. The steps below are what "
                "MultiHeadAttention computes. The readable build (make READABLE=1) runs exactly these "
                "steps in MultiHeadAttention::run (src/nn/attention.cpp); the default build fuses the "
                "middle ones (split, attention, merge) into attention_weights and attention_mix, "
                "which give the same bits (tests/test_modules.cpp checks it, and so does the last "
                "line of this section):");
    report::printf("\n");
    report::shape("x", x, "B sentences of T tokens, C = 512 numbers each");
    report::shape("in_proj_weight", mha.in_proj_weight, "[3C, C]: W_q, W_k, W_v stacked");
    Tensor qkv = linear(x, mha.in_proj_weight, mha.in_proj_bias);            // [B, T, 3C]
    report::shape("qkv = x W^T + b", qkv, "all three projections in one product");
    Tensor q = narrow(qkv, 2, 0, C);                                          // [B, T, C]
    Tensor k = narrow(qkv, 2, C, C);                                          // [B, T, C]
    Tensor v = narrow(qkv, 2, 2 * C, C);                                      // [B, T, C]
    report::shape("q, k, v", q, "qkv cut in three along the last dim");
    report::shape("q viewed as [B, T, H, D]", reshape(q, {B, T, H, D}), "D = C / H = 64: head h owns columns h*64 .. h*64+63");
    Tensor qh = split_heads(q, H), kh = split_heads(k, H), vh = split_heads(v, H);   // [B, H, T, D] each
    report::shape("split_heads(q)", qh, "transpose(1, 2): the heads become a batch dim");
    Attention a = scaled_dot_product_attention(qh, kh, vh);                   // scores, weights [B, H, T, T]; output [B, H, T, D]
    report::shape("scores", a.scores, "Q_h K_h^T / sqrt(64), for every (sentence, head)");
    report::shape("weights", a.weights, "softmax over the keys: B*H = 16 separate T x T matrices");
    report::shape("per-head output", a.output, "weights V_h");
    report::shape("back to [B, T, H, D]", transpose(a.output, 1, 2), "");
    Tensor merged = merge_heads(a.output);                                    // [B, T, C]
    report::shape("merge_heads", merged, "the H heads side by side again: C = H * D");
    Tensor out = linear(merged, mha.out_proj_weight, mha.out_proj_bias);      // [B, T, C]
    report::shape("out = merged W_o^T + b", out, "W_o mixes the heads");

    float col_err = 0.0f;                                                     // head h, column d is column h*D + d of q
    for (int b = 0; b < B; ++b)
        for (int h = 0; h < H; ++h)
            for (int t = 0; t < T; ++t)
                for (int d = 0; d < D; ++d) col_err = std::max(col_err, std::abs(qh.at({b, h, t, d}) - q.at({b, t, h * D + d})));
    const MultiHeadAttention::Output module = mha.forward(x);                // [B, T, C], [B, H, T, T]
    report::printf("\n  split_heads(q)[b, h, t, d] == q[b, t, h*64 + d]:  max difference %s\n",
                report::fixed(col_err, 6).c_str());
    const double out_diff = max_abs_diff(out, module.out), w_diff = max_abs_diff(a.weights, module.weights);
    report::printf("  these steps vs mha.forward(x):  max |out difference| %s, max |weights difference| %s\n",
                report::sci(out_diff, 1).c_str(), report::sci(w_diff, 1).c_str());
    lesson::check(col_err == 0.0f, "section 1: split_heads only moves numbers");
    lesson::check(out_diff == 0.0 && w_diff == 0.0, "section 1: the written-out steps equal mha.forward bit for bit");
    report::say("Splitting heads moves no number into another head's product: it is a reshape "
                "and a transpose. Each head attends with its own 64 columns of Q, K and V.");
}

// ---- 2. Every head on one sentence ------------------------------------------------------
void section_heads(report::Figures& figs) {
    report::section("2. Eight heads on one sentence (untrained)");
    const std::vector<std::string> words = {"the", "cat", "sat", "on", "the", "mat"};
    const int T = 6, C = 512, H = 8;
    Rng rng(2);
    MultiHeadAttention mha(C, H, rng);
    Tensor table = Tensor::zeros({5, C});                                     // [V, C] the, cat, sat, on, mat
    for (float& v : table.data()) v = rng.normal();
    const std::vector<int> ids = {0, 1, 2, 3, 0, 4};
    NoGrad no_grad;
    Tensor x = embedding(table, ids, {1, T});                                 // [1, T, C]
    MultiHeadAttention::Output o = mha.forward(x);                            // weights [1, H, T, T]
    report::shape("x", x, "one sentence, random N(0, 1) embeddings");
    report::shape("weights", o.weights, "one T x T matrix per head");

    std::vector<float> panels(o.weights.data().begin(), o.weights.data().end());   // [H + 1, T, T]
    std::vector<float> avg(std::size_t(T) * T, 0.0f);                                // [T, T] the mean of the heads
    for (int h = 0; h < H; ++h)
        for (std::size_t i = 0; i < avg.size(); ++i) avg[i] += panels[std::size_t(h) * T * T + i] / H;
    panels.insert(panels.end(), avg.begin(), avg.end());
    std::vector<std::string> titles;
    for (int h = 0; h < H; ++h) titles.push_back("head " + std::to_string(h + 1));
    titles.push_back("mean of the 8 heads");

    report::printf("\n");
    report::Table tab({"head", "largest weight", "mean |w - mean of heads|", "key most read by \"cat\""});
    tab.data({3});                                                            // words of the sentence: data
    for (int h = 0; h <= H; ++h) {
        const float* w = &panels[std::size_t(h) * T * T];
        float mx = 0.0f, dev = 0.0f;
        int best = 0;
        for (int i = 0; i < T * T; ++i) {
            mx = std::max(mx, w[i]);
            dev += std::abs(w[i] - avg[std::size_t(i)]) / float(T * T);
        }
        for (int j = 1; j < T; ++j)
            if (w[T + j] > w[T + best]) best = j;
        tab.row({titles[std::size_t(h)], report::fixed(mx, 3), report::fixed(dev, 3), words[std::size_t(best)]});
    }
    tab.print();
    report::printf("\n");
    report::say("The heads disagree, and only because their random projections differ: nothing "
                "was learned, so there is no pattern to interpret. The mean of the heads is "
                "flatter than any one head. Section 5 looks at heads after training.");
    lesson::save_heatmap_grid(figs, "heads_untrained", panels, T, T, words, words, titles, 3,
                              {.title = "Attention weights of 8 untrained heads (C = 512, D = 64)",
                               .x_title = "key", .y_title = "query", .colorbar_title = "attention weight",
                               .vmin = 0.0},
                              "each head's weights on one sentence, and their mean (untrained)");
}

// ---- 3. One head vs four: an experiment ------------------------------------------------------
// The task and the model are in lessons/fixtures/experiments.hpp: read its header comment first.
constexpr int kModel = 16;        // C, for both models
constexpr int kBatch = 64;
constexpr int kEvery = 25;        // evaluate on the test set every 25 steps

// One training run: the model, its optimizer, its batch order, its learning curve.
struct Run {
    Run(int h, std::uint64_t s, TwoSlotModel m, AdamW o, int n_train)
        : heads(h), seed(s), model(std::move(m)), opt(std::move(o)), order_rng(200 + s),
          order(static_cast<std::size_t>(n_train)), next(order.size()) {   // next past the end: shuffle first
        for (int i = 0; i < n_train; ++i) order[std::size_t(i)] = i;
    }
    int heads;
    std::uint64_t seed;
    TwoSlotModel model;
    AdamW opt;
    Rng order_rng;                                                            // shuffles the training set each epoch
    std::vector<int> order;                                                   // the training examples, shuffled
    std::size_t next;                                                         // next example of `order`
    int steps = 0;
    std::vector<float> curve_steps, curve_loss, curve_test;                   // every kEvery steps
    SlotAccuracy train_acc, test_acc;                                         // after the last step
};

Run make_run(const TwoSlotTask& task, int heads, std::uint64_t seed, int n_train) {
    Rng init_rng(100 + seed);
    TwoSlotModel model(task, kModel, heads, init_rng);
    AdamW opt(model.parameters(), AdamW::Options{.lr = 3e-3f});
    return Run(heads, seed, std::move(model), std::move(opt), n_train);
}

// `steps` more steps of AdamW on mini-batches of 64, the curve recorded as it goes.
void train_steps(Run& run, const TwoSlotData& train, const TwoSlotData& test, int steps) {
    double loss_sum = 0;
    for (int i = 0; i < steps; ++i) {
        if (run.next + kBatch > run.order.size()) { run.order_rng.shuffle(run.order); run.next = 0; }
        const TwoSlotData batch = train.subset(std::span<const int>(run.order).subspan(run.next, kBatch));
        run.next += kBatch;
        TwoSlotModel::Output out = run.model.forward(batch);                  // logits [64, 8] twice
        Tensor loss = two_slot_loss(out, batch);                              // []
        run.opt.zero_grad();
        loss.backward();
        run.opt.step();
        loss_sum += loss.item();
        if (++run.steps % kEvery == 0) {
            NoGrad no_grad;
            run.curve_steps.push_back(float(run.steps));
            run.curve_loss.push_back(float(loss_sum / kEvery));
            run.curve_test.push_back(float(two_slot_accuracy(run.model.forward(test), test).both));
            loss_sum = 0;
        }
    }
    NoGrad no_grad;
    run.train_acc = two_slot_accuracy(run.model.forward(train), train);
    run.test_acc = two_slot_accuracy(run.model.forward(test), test);
}

std::string seeds_text() {
    return std::to_string(settings.seed) + ", " + std::to_string(settings.seed + 1) + ", " + std::to_string(settings.seed + 2);
}

std::string run_name(const Run& r) {
    return std::to_string(r.heads) + (r.heads == 1 ? " head" : " heads") + ", seed " + std::to_string(r.seed);
}

struct Experiment {
    TwoSlotTask task{.num_values = 8, .length = 8};
    TwoSlotData train, test;
    std::vector<Run> runs;                                                    // 1 head x 3 seeds, then 4 heads x 3 seeds
};

void section_experiment(Experiment& ex, report::Figures& figs) {
    const int H = settings.heads;
    report::section("3. One head vs " + std::to_string(H) + ": an experiment");
    Rng data_rng(10);
    ex.train = make_two_slot_data(ex.task, 4000, data_rng);                  // 4000 sequences of T = 9
    ex.test = make_two_slot_data(ex.task, 1000, data_rng);                   // 1000 others
    report::say("The two-slot copy task (lessons/fixtures/experiments.hpp): 8 random values in [0, 8), two "
                "positions flagged A and B (different in every example), and a query token \"?\" "
                "at the end. At \"?\" the model must output the value at A (slot A) and the value "
                "at B (slot B): one query has to read two places. Model: token + flag embeddings + "
                "sinusoidal PE -> one MultiHeadAttention (C = 16) -> its output at \"?\" -> a "
                "linear layer to 2 x 8 logits. Loss: the mean of the two cross-entropies. AdamW, "
                "lr 3e-3, batch 64, " + std::to_string(settings.steps) + " steps; 4000 training and 1000 test "
                "sequences; seeds " + seeds_text() + ".");
    report::printf("\n  example:  tokens  ");
    for (int t = 0; t < ex.train.seq_len; ++t)
        report::printf("%s ", t == ex.train.seq_len - 1 ? "?" : std::to_string(ex.train.tokens[std::size_t(t)]).c_str());
    report::printf("\n            flags   ");
    const char* flag_name[] = {".", "A", "B"};
    for (int t = 0; t < ex.train.seq_len; ++t) report::printf("%s ", flag_name[ex.train.flags[std::size_t(t)]]);
    report::printf("   ->  slot A = %d, slot B = %d\n\n", ex.train.target_a[0], ex.train.target_b[0]);

    for (int heads : {1, H})
        for (std::uint64_t seed = settings.seed; seed < settings.seed + 3; ++seed)
            ex.runs.push_back(make_run(ex.task, heads, seed, ex.train.n));
    {
        NoGrad no_grad;
        const TwoSlotData three = ex.train.subset(std::vector<int>{0, 1, 2});
        TwoSlotModel::Output o = ex.runs.back().model.forward(three);
        report::shape("tokens, flags", Tensor::zeros({three.n, three.seq_len}), "ids, shown for N = 3 sequences");
        report::shape("logits_a, logits_b", o.logits_a, "8 scores per sequence, each");
        report::shape("weights", o.weights, "[N, H, T, T] with H = " + std::to_string(H));
        const std::size_t p1 = count_parameters(ex.runs.front().model.parameters());
        const std::size_t pH = count_parameters(ex.runs.back().model.parameters());
        report::printf("  parameters: 1 head %s, %d heads %s (the projections are C x C either way)\n\n",
                    report::thousands(double(p1)).c_str(), H, report::thousands(double(pH)).c_str());
        lesson::check(p1 == pH, "section 3: the two models have the same number of parameters");
    }
    for (Run& r : ex.runs) train_steps(r, ex.train, ex.test, settings.steps);

    report::Table tab({"model", "train: both slots", "test: slot A", "test: slot B", "test: both slots",
                       "first step >= 0.99"});
    for (const Run& r : ex.runs) {
        std::string first = "never";
        for (std::size_t i = 0; i < r.curve_test.size(); ++i)
            if (r.curve_test[i] >= 0.99f) { first = std::to_string(int(r.curve_steps[i])); break; }
        tab.row({run_name(r), report::fixed(r.train_acc.both, 3), report::fixed(r.test_acc.a, 3),
                 report::fixed(r.test_acc.b, 3), report::fixed(r.test_acc.both, 3), first});
    }
    tab.print();
    report::printf("  (accuracy: fraction of sequences right; chance is 1/8 per slot, 1/64 for both;\n"
                "   first step >= 0.99: the first evaluation, every 25 steps, with test accuracy >= 0.99)\n\n");

    std::vector<plot::Series> acc, loss;
    for (const Run& r : ex.runs) {
        acc.push_back({run_name(r), r.curve_steps, r.curve_test});
        loss.push_back({run_name(r), r.curve_steps, r.curve_loss});
    }
    const std::vector<float> chance(ex.runs[0].curve_steps.size(), 1.0f / 64);   // guessing both slots
    acc.push_back({"chance (1/64)", ex.runs[0].curve_steps, chance});
    figs.save("two_slot_accuracy.svg",
              plot::line_chart_svg(acc, {.title = "Two-slot copy: test accuracy (both slots right), C = 16",
                                         .x_title = "training step", .y_title = "test accuracy"}),
              "learning curves: 1 head vs " + std::to_string(H) + " heads, 3 seeds each");
    figs.save("two_slot_loss.svg",
              plot::line_chart_svg(loss, {.title = "Two-slot copy: training loss (mean of the last 25 steps)",
                                          .x_title = "training step", .y_title = "cross-entropy (log)", .log_y = true}),
              "training loss: 1 head vs " + std::to_string(H) + " heads, 3 seeds each");
}

// ---- 4. Can one head do it at all? -------------------------------------------------------------------
void section_longer(Experiment& ex) {
    report::section("4. Is one head unable, or only slower?");
    Run* worst = &ex.runs[0];                                                 // the 1-head run furthest from the goal
    for (int i = 1; i < 3; ++i)
        if (ex.runs[std::size_t(i)].test_acc.both < worst->test_acc.both) worst = &ex.runs[std::size_t(i)];
    report::say("A weighted average of value vectors is all one head can return, yet nothing "
                "proves a single head cannot do this task (its weights on A and B can depend on "
                "the values themselves). So we keep training the weakest 1-head run, with the "
                "same optimizer state and the same data, for 900 more steps:");
    report::printf("\n");
    report::Table tab({"model", "steps", "train: both slots", "test: both slots"});
    tab.row({run_name(*worst), std::to_string(worst->steps), report::fixed(worst->train_acc.both, 3),
             report::fixed(worst->test_acc.both, 3)});
    for (int k = 0; k < 3; ++k) {
        train_steps(*worst, ex.train, ex.test, 300);
        tab.row({run_name(*worst), std::to_string(worst->steps), report::fixed(worst->train_acc.both, 3),
                 report::fixed(worst->test_acc.both, 3)});
    }
    tab.print();
}

// ---- 5. Where the trained heads look ---------------------------------------------------------------
// At the query "?", per head: the mean attention weight on position A, on B,
// and on everything else, over the 1000 test sequences. And one probe of how
// a head could tell the order apart: swap the values at A and B in every test
// sequence and measure how much the head's weight on A moves.
TwoSlotData swap_a_b(const TwoSlotData& d) {                                  // same sequences, values at A and B exchanged
    TwoSlotData s = d;
    for (int n = 0; n < d.n; ++n) {
        const std::size_t row = std::size_t(n) * d.seq_len;
        std::swap(s.tokens[row + std::size_t(d.pos_a[std::size_t(n)])], s.tokens[row + std::size_t(d.pos_b[std::size_t(n)])]);
        std::swap(s.target_a[std::size_t(n)], s.target_b[std::size_t(n)]);
    }
    return s;
}

int first_step_at(const Run& r, float level) {                               // first evaluation >= level, or -1
    for (std::size_t i = 0; i < r.curve_test.size(); ++i)
        if (r.curve_test[i] >= level) return int(r.curve_steps[i]);
    return -1;
}

// Where each head of a run looks from "?": mean weight on A, on B, and how
// much the weight on A moves when the values at A and B swap.
struct Gaze { double a, b, moved; };

std::vector<Gaze> gaze_of(const Run& r, const TwoSlotData& test, const TwoSlotData& swapped) {
    NoGrad no_grad;
    const Tensor w = r.model.forward(test).weights;                           // [N, H, T, T]
    const Tensor ws = r.model.forward(swapped).weights;                       // [N, H, T, T]
    const int H = w.dim(1), T = test.seq_len, N = test.n;
    std::vector<Gaze> out;
    for (int h = 0; h < H; ++h) {
        Gaze g{0, 0, 0};
        int differ = 0;                                                       // sequences whose two values differ
        for (int n = 0; n < N; ++n) {
            const int pa = test.pos_a[std::size_t(n)], pb = test.pos_b[std::size_t(n)];
            g.a += w.at({n, h, T - 1, pa}) / N;
            g.b += w.at({n, h, T - 1, pb}) / N;
            if (test.target_a[std::size_t(n)] != test.target_b[std::size_t(n)]) {
                g.moved += std::abs(w.at({n, h, T - 1, pa}) - ws.at({n, h, T - 1, pa}));
                ++differ;
            }
        }
        g.moved /= differ;
        out.push_back(g);
    }
    return out;
}

// The conclusion of section 5, from the measured numbers only.
void gaze_conclusion(const Experiment& ex, const std::string& head_a, const std::string& head_b, double moved_max,
                     double single_lo, double single_hi) {
    int multi_worst = 0, single_extended = -1;
    bool multi_all = true;
    for (const Run& r : ex.runs)
        if (r.heads > 1) {
            const int first = first_step_at(r, 0.99f);
            multi_all = multi_all && first >= 0;
            multi_worst = std::max(multi_worst, first);
        } else if (r.steps > settings.steps) {
            single_extended = first_step_at(r, 0.99f);
        }
    const std::string H = std::to_string(settings.heads);
    std::string text = "Measured above: ";
    if (!head_a.empty() && !head_b.empty() && moved_max < 0.5 * single_lo)
        text += "in the " + H + "-head model " + head_a + " and " + head_b + ", on average, and their weight on A "
                "moves by at most " + report::fixed(moved_max, 3) + " when the values swap (the single heads: " +
                report::fixed(single_lo, 3) + " to " + report::fixed(single_hi, 3) + "): each of these two heads "
                "reads one place. ";
    else
        text += "no pair of heads of the " + H + "-head model splits the work cleanly (one head with more than 0.9 "
                "on A, another with more than 0.9 on B, both moving less than half as much as the single heads "
                "when the values swap): the table, not a story, says where they look. ";
    text += "A single head that splits its weight between A and B can only tell (a at A, b at B) from "
            "(b at A, a at B) if the weights themselves depend on the values, which the last column measures. ";
    text += multi_all ? "Every " + H + "-head run passed 0.99 test accuracy by step " + std::to_string(multi_worst) + "; "
                      : "Not every " + H + "-head run reached 0.99 test accuracy; ";
    text += single_extended >= 0 ? "the extended 1-head run passed it at step " + std::to_string(single_extended) + "."
                                 : "the extended 1-head run never did.";
    report::say(text);
}

void section_gaze(const Experiment& ex, report::Figures& figs) {
    report::section("5. Where the trained heads look");
    const TwoSlotData swapped = swap_a_b(ex.test);
    std::vector<std::string> names;
    std::vector<float> on_a, on_b, rest;
    std::string head_a, head_b;                                               // clean heads of the multi-head model
    double moved_max = 0;                                                     // of those two heads
    double single_lo = 1, single_hi = 0;                                      // |change of w_A| of the 1-head runs
    report::Table tab({"model", "head", "weight on A", "weight on B", "elsewhere", "|change of w_A| on swap"});
    for (const Run& r : ex.runs) {
        if (r.heads != 1 && r.seed != settings.seed) continue;                // every 1-head run, and one multi-head run
        const std::vector<Gaze> gaze = gaze_of(r, ex.test, swapped);
        const int H = static_cast<int>(gaze.size());
        for (int h = 0; h < H; ++h) {
            const Gaze& g = gaze[std::size_t(h)];
            tab.row({run_name(r) + " (" + std::to_string(r.steps) + " steps)", std::to_string(h + 1), report::fixed(g.a, 3),
                     report::fixed(g.b, 3), report::fixed(1 - g.a - g.b, 3), report::fixed(g.moved, 3)});
            names.push_back(H == 1 ? "1 head, seed " + std::to_string(r.seed) + ", " + std::to_string(r.steps) + " steps"
                                   : std::to_string(H) + " heads (seed " + std::to_string(r.seed) + "): head " + std::to_string(h + 1));
            if (H == 1) single_lo = std::min(single_lo, g.moved), single_hi = std::max(single_hi, g.moved);
            on_a.push_back(float(g.a));
            on_b.push_back(float(g.b));
            rest.push_back(float(1 - g.a - g.b));
            if (H > 1 && g.a > 0.9 && head_a.empty()) {
                head_a = "head " + std::to_string(h + 1) + " puts " + report::fixed(g.a, 3) + " on A";
                moved_max = std::max(moved_max, g.moved);
            } else if (H > 1 && g.b > 0.9 && head_b.empty()) {
                head_b = "head " + std::to_string(h + 1) + " puts " + report::fixed(g.b, 3) + " on B";
                moved_max = std::max(moved_max, g.moved);
            }
        }
    }
    tab.print();
    report::printf("  (|change of w_A| on swap: mean over the test sequences whose two values differ)\n\n");
    gaze_conclusion(ex, head_a, head_b, moved_max, single_lo, single_hi);
    const plot::BarSeries bars[] = {{"on A", on_a}, {"on B", on_b}, {"elsewhere", rest}};
    figs.save("two_slot_heads.svg",
              plot::bar_chart_svg(names, bars, {.title = "Where the query \"?\" looks: mean weight over 1000 test sequences",
                                                .y_title = "mean attention weight"}),
              "where each trained head looks from the query position");
}

// ---- 6. What H changes: parameters, flops, memory ------------------------------------------------
void section_complexity() {
    report::section("6. Complexity: what the number of heads changes (C = 512, T = 128)");
    const int C = 512, T = 128;
    report::Table tab({"H", "D = C/H", "parameters (counted)", "projection flops", "attention flops",
                       "weights per sequence (fp32)"});
    for (int H : {1, 4, 8, 16}) {
        Rng rng(3);
        MultiHeadAttention mha(C, H, rng);
        NamedTensors p;
        mha.parameters("", p);
        const double proj = 2.0 * T * C * (3.0 * C) + 2.0 * T * C * C;        // in_proj + out_proj
        const double attn = 2.0 * H * double(T) * T * (C / H) * 2.0;          // QK^T and AV, every head
        const double bytes = 4.0 * H * double(T) * T;                         // the [H, T, T] weights
        lesson::check(count_parameters(p) == std::size_t(4 * C * C + 4 * C), "section 6: the parameters are 4 C^2 + 4 C for every H");
        tab.row({std::to_string(H), std::to_string(C / H), report::thousands(double(count_parameters(p))), report::sci(proj, 3),
                 report::sci(attn, 3), report::num(bytes / 1024) + " KiB"});
    }
    tab.print();
    report::printf("\n");
    report::say("The parameters are 4 C^2 + 4 C whatever H: the heads cut the same C x C "
                "projections into H slices of D columns, they add none. The flops do not change "
                "either: H heads of size D do H * 2 T^2 D = 2 T^2 C per product. What grows with H "
                "is the memory of the attention weights, one T x T matrix per head, and the "
                "number of (smaller) matrix products.");
}

}  // namespace

int main(int argc, char** argv) {
    lesson::Flags flags("lesson2", "Lesson 2: multi-head attention, and one head against several.", "out/lesson2");
    flags.seed_help("the three training runs of each model use seeds N, N + 1, N + 2")
        .add("--heads", settings.heads, 2, 16, "heads of the multi-head model of sections 3-5: 2, 4, 8 or 16")
        .add("--steps", settings.steps, 25, 3000, "training steps of every run of section 3");
    return lesson::run(argc, argv, flags, [&] {
        if (16 % settings.heads != 0) throw lesson::UsageError("--heads must divide d_model = 16: 2, 4, 8 or 16");
        settings.seed = flags.seed;
        report::printf("Lesson 2 — Multi-head attention\n");
        report::printf("H attentions side by side, each on its own D = C / H columns, then mixed by W_o.\n");
        report::Figures figs(flags.out_dir);
        section_shapes();
        section_heads(figs);
        Experiment ex;
        section_experiment(ex, figs);
        section_longer(ex);
        section_gaze(ex, figs);
        section_complexity();
        figs.list();
        lesson::print_exercises(2);
        report::write_page(figs, {"MultiHead(x) = Concat(head_1, ..., head_H) W_o^T",
                                  "head_h = softmax(Q_h K_h^T / sqrt(D)) V_h,   D = C / H"});
    });
}
