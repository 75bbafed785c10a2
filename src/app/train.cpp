// Training loop, evaluation and progress output (see train.hpp).
#include "app/train.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "core/ops.hpp"
#include "nn/optim.hpp"
#include "viz/report.hpp"

namespace llm::train {

namespace {

Tensor pad_tensor(const TokenBatch& b) {                                          // [B, T], 1 = padding
    return Tensor::from({static_cast<int>(b.B), static_cast<int>(b.T)}, b.pad_mask);
}

double now_seconds() {
    using clock = std::chrono::steady_clock;
    return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

std::string pct(double v) {                                                       // 0.8712 -> "87.12%"
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * v);
    return buf;
}

// "NaN", "+inf" or "-inf" (std::to_string would print "-nan" for some NaNs).
std::string non_finite(double v) { return std::isnan(v) ? "NaN" : v > 0 ? "+inf" : "-inf"; }

// Width of the epoch column: "epoch" or "12/20".
int epoch_width(int epochs) { return std::max(5, 2 * static_cast<int>(std::to_string(epochs).size()) + 1); }

}  // namespace

// ---------------------------------------------------------------------------
// Adapters

Classifier classifier(const MiniLLM& model) {
    Classifier c;
    c.name = "transformer";
    c.params = model.named_parameters();
    c.max_len = static_cast<std::size_t>(model.config().max_len);
    c.logits = [&model](const TokenBatch& b, Rng* rng) {
        return model.forward(b.ids, pad_tensor(b), rng).logits;                  // [B, K]
    };
    return c;
}

Classifier classifier(const BagOfWords& model, std::size_t max_len) {
    Classifier c;
    c.name = "bag of words";
    c.params = model.named_parameters();
    c.max_len = max_len;
    c.logits = [&model](const TokenBatch& b, Rng*) {                              // no dropout in this model
        return model.forward(b.ids, pad_tensor(b));                               // [B, K]
    };
    return c;
}

// ---------------------------------------------------------------------------
// Evaluation

namespace {

// log-probabilities [B, K] of a batch, evaluation mode, no graph.
Tensor eval_log_probs(const Classifier& model, const TokenBatch& b) {
    NoGrad no_grad;
    return log_softmax(model.logits(b, nullptr));                                 // [B, K]
}

}  // namespace

Evaluation evaluate(const Classifier& model, const Vocab& vocab, std::span<const Example> examples,
                    std::size_t eval_batch_size) {
    if (examples.empty()) throw std::invalid_argument("evaluate: no examples");
    if (eval_batch_size == 0) throw std::invalid_argument("evaluate: eval_batch_size must be positive");
    Evaluation ev;
    double loss_sum = 0.0;
    std::size_t correct = 0;
    std::vector<std::size_t> idx;
    for (std::size_t start = 0; start < examples.size(); start += eval_batch_size) {
        idx.resize(std::min(eval_batch_size, examples.size() - start));
        std::iota(idx.begin(), idx.end(), start);
        const ExampleBatch batch = make_example_batch(vocab, examples, idx, model.max_len);
        const Tensor logp = eval_log_probs(model, batch.tokens);                  // [B, K]
        const auto K = static_cast<std::size_t>(logp.dim(1));
        ev.num_classes = K;
        ev.truncated += batch.tokens.truncated;
        const auto lp = logp.data();
        for (std::size_t r = 0; r < idx.size(); ++r) {
            const float* row = lp.data() + r * K;
            const auto label = static_cast<std::size_t>(batch.labels[r]);
            if (label >= K)
                throw std::invalid_argument("evaluate: label " + std::to_string(label) + " but the model has " +
                                            std::to_string(K) + " classes");
            const auto best = static_cast<std::size_t>(std::max_element(row, row + K) - row);
            loss_sum -= row[label];
            correct += best == label;
            ev.predicted.push_back(static_cast<int>(best));
            for (std::size_t k = 0; k < K; ++k) ev.probabilities.push_back(std::exp(row[k]));
        }
    }
    ev.loss = loss_sum / static_cast<double>(examples.size());
    ev.accuracy = static_cast<double>(correct) / static_cast<double>(examples.size());
    return ev;
}

std::vector<float> predict_probabilities(const Classifier& model, const Vocab& vocab,
                                         std::span<const std::string> texts, std::size_t eval_batch_size) {
    if (eval_batch_size == 0) throw std::invalid_argument("predict_probabilities: eval_batch_size must be positive");
    std::vector<float> probs;
    for (std::size_t start = 0; start < texts.size(); start += eval_batch_size) {
        const auto chunk = texts.subspan(start, std::min(eval_batch_size, texts.size() - start));
        const TokenBatch batch = make_batch(vocab, chunk, model.max_len);
        const Tensor logp = eval_log_probs(model, batch);                         // [B, K]
        for (const float v : logp.data()) probs.push_back(std::exp(v));
    }
    return probs;
}

double accuracy_on(std::span<const Example> examples, std::span<const int> predicted,
                   std::span<const std::size_t> indices) {
    if (predicted.size() != examples.size())
        throw std::invalid_argument("accuracy_on: " + std::to_string(predicted.size()) + " predictions for " +
                                    std::to_string(examples.size()) + " examples");
    if (indices.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::size_t correct = 0;
    for (const std::size_t i : indices) {
        if (i >= examples.size()) throw std::out_of_range("accuracy_on: index " + std::to_string(i) + " out of range");
        correct += examples[i].label == predicted[i];
    }
    return static_cast<double>(correct) / static_cast<double>(indices.size());
}

std::vector<std::size_t> confusion_matrix(std::span<const Example> examples, std::span<const int> predicted,
                                          std::size_t num_classes) {
    if (predicted.size() != examples.size())
        throw std::invalid_argument("confusion_matrix: " + std::to_string(predicted.size()) + " predictions for " +
                                    std::to_string(examples.size()) + " examples");
    std::vector<std::size_t> m(num_classes * num_classes, 0);
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const auto t = static_cast<std::size_t>(examples[i].label), p = static_cast<std::size_t>(predicted[i]);
        if (t >= num_classes || p >= num_classes) throw std::out_of_range("confusion_matrix: class out of range");
        ++m[t * num_classes + p];
    }
    return m;
}

// ---------------------------------------------------------------------------
// Training

void Options::validate() const {
    auto fail = [](const std::string& why) { throw std::invalid_argument("training options: " + why); };
    if (epochs < 1) fail("epochs must be at least 1, got " + std::to_string(epochs));
    if (batch_size < 1) fail("batch_size must be at least 1");
    if (!(lr > 0.0f) || !std::isfinite(lr)) fail("lr must be a positive number, got " + std::to_string(lr));
    if (!(warmup >= 0.0f && warmup < 1.0f)) fail("warmup must be in [0, 1), got " + std::to_string(warmup));
    if (!(min_lr_ratio >= 0.0f && min_lr_ratio <= 1.0f)) fail("min_lr_ratio must be in [0, 1]");
    if (!(weight_decay >= 0.0f) || !std::isfinite(weight_decay)) fail("weight_decay must be >= 0");
    if (!(clip_norm > 0.0f) || !std::isfinite(clip_norm)) fail("clip_norm must be positive");
    if (eval_batch_size < 1) fail("eval_batch_size must be at least 1");
}

// Columns (widths): epoch, batch loss (9), train loss (7) and accuracy (7),
// test loss (7) and accuracy (7), lr (8), then time (7) and tokens/s (9).
std::string epoch_line(const EpochRecord& r, int epochs, bool timing) {
    char buf[256];
    const std::string e = std::to_string(r.epoch) + "/" + std::to_string(epochs);
    std::snprintf(buf, sizeof buf, "  %*s  %9.4f  %7.4f  %7s  %7.4f  %7s  %.2e", epoch_width(epochs), e.c_str(),
                  r.running_loss, r.train_loss, pct(r.train_accuracy).c_str(), r.test_loss,
                  pct(r.test_accuracy).c_str(), static_cast<double>(r.lr));
    std::string line = buf;
    if (timing) {
        std::snprintf(buf, sizeof buf, "  %5.1f s  %9s", r.seconds, report::thousands(r.tokens_per_second).c_str());
        line += buf;
    }
    return line;
}

namespace {

// Two header lines over the columns of epoch_line.
std::string epoch_header(int epochs, bool timing) {
    char buf[512];
    const int w = epoch_width(epochs);
    std::snprintf(buf, sizeof buf, "  %*s  %9s  %16s  %16s\n  %*s  %9s  %7s  %7s  %7s  %7s  %8s", w, "", "batches",
                  "train (eval)", "test (eval)", w, "epoch", "loss", "loss", "acc", "loss", "acc", "lr");
    std::string text = buf;
    if (timing) text += "     time   tokens/s";
    return text;
}

// The in-place progress line of Progress::bar.
class Bar {
public:
    explicit Bar(std::FILE* out) : out_(out) {}
    void draw(const std::string& text) {
        std::fputc('\r', out_);
        std::fputs(text.c_str(), out_);
        for (std::size_t i = text.size(); i < last_; ++i) std::fputc(' ', out_);
        last_ = text.size();
        std::fflush(out_);
    }
    void clear() {
        if (last_ == 0) return;
        std::fputc('\r', out_);
        for (std::size_t i = 0; i < last_; ++i) std::fputc(' ', out_);
        std::fputc('\r', out_);
        last_ = 0;
    }
private:
    std::FILE* out_;
    std::size_t last_ = 0;
};

std::vector<std::vector<float>> snapshot(const NamedTensors& params) {
    std::vector<std::vector<float>> s;
    for (const auto& [name, p] : params) s.emplace_back(p.data().begin(), p.data().end());
    return s;
}

void restore(const NamedTensors& params, const std::vector<std::vector<float>>& s) {
    for (std::size_t k = 0; k < params.size(); ++k) {
        Tensor p = params[k].second;
        std::copy(s[k].begin(), s[k].end(), p.data().begin());
    }
}

// The running numbers of one epoch (dropout on: what the optimizer saw).
struct Tally {
    double loss_sum = 0.0;
    std::size_t seen = 0, correct = 0, tokens = 0;
    void add(const Tensor& logits, const ExampleBatch& batch, float loss) {   // logits [B, K]
        const auto B = batch.labels.size(), K = static_cast<std::size_t>(logits.dim(1));
        const auto lg = logits.data();
        for (std::size_t r = 0; r < B; ++r) {
            const float* row = lg.data() + r * K;
            correct += static_cast<int>(std::max_element(row, row + K) - row) == batch.labels[r];
        }
        for (const std::size_t len : batch.tokens.lengths) tokens += len;
        loss_sum += static_cast<double>(loss) * static_cast<double>(B);
        seen += B;
    }
};

// One optimizer step on one batch, counted into `tally`. Returns "" or, when
// the loss or the gradient is not finite (nothing updated then), what went wrong.
std::string train_step(Classifier& model, AdamW& optimizer, const ExampleBatch& batch, Rng& dropout_rng, float lr,
                       float clip_norm, Tally& tally) {
    optimizer.zero_grad();
    const Tensor logits = model.logits(batch.tokens, &dropout_rng);       // [B, K], dropout on
    Tensor loss = cross_entropy(logits, batch.labels);                    // []
    const float loss_value = loss.item();
    if (!std::isfinite(loss_value)) return "the loss is " + non_finite(loss_value);
    loss.backward();
    const float norm = clip_grad_norm(model.params, clip_norm);           // norm before clipping
    if (!std::isfinite(norm)) return "the gradient norm is " + non_finite(norm);
    optimizer.set_lr(lr);
    optimizer.step();
    tally.add(logits, batch, loss_value);
    return "";
}

// "  2/8 [####......] 40/113 loss 0.4321 acc 87.50% lr 2.95e-03 35,104 tok/s"
std::string bar_text(int epoch, int epochs, int step, int steps, const Tally& t, float lr, double seconds, bool timing) {
    char buf[200];
    const int width = 10, filled = (step + 1) * width / steps;
    std::snprintf(buf, sizeof buf, "  %d/%d [%s%s] %d/%d loss %.4f acc %s lr %.2e", epoch, epochs,
                  std::string(static_cast<std::size_t>(filled), '#').c_str(),
                  std::string(static_cast<std::size_t>(width - filled), '.').c_str(), step + 1, steps,
                  t.loss_sum / static_cast<double>(t.seen),
                  pct(static_cast<double>(t.correct) / static_cast<double>(t.seen)).c_str(), static_cast<double>(lr));
    std::string text = buf;
    if (timing && seconds > 0.0)
        text.append(" ").append(report::thousands(static_cast<double>(t.tokens) / seconds)).append(" tok/s");
    return text;
}

// The record of an epoch: its running numbers, then both splits evaluated
// (dropout off, whole splits); the test split's evaluation also goes to *on_test.
EpochRecord end_of_epoch(Classifier& model, const Vocab& vocab, std::span<const Example> train,
                         std::span<const Example> test, const Options& opt, int epoch, const Tally& t, float lr,
                         Evaluation* on_test) {
    EpochRecord rec;
    rec.epoch = epoch;
    rec.running_loss = t.loss_sum / static_cast<double>(t.seen);
    rec.lr = lr;
    const Evaluation on_train = evaluate(model, vocab, train, opt.eval_batch_size);
    rec.train_loss = on_train.loss;
    rec.train_accuracy = on_train.accuracy;
    rec.test_loss = rec.test_accuracy = std::numeric_limits<double>::quiet_NaN();
    if (!test.empty()) {
        *on_test = evaluate(model, vocab, test, opt.eval_batch_size);
        rec.test_loss = on_test->loss;
        rec.test_accuracy = on_test->accuracy;
    }
    return rec;
}

}  // namespace

Result fit(Classifier& model, const Vocab& vocab, std::span<const Example> train, std::span<const Example> test,
           const Options& opt) {
    opt.validate();
    if (train.empty()) throw std::invalid_argument("fit: the training split is empty");
    const std::size_t N = train.size();
    const int steps_per_epoch = static_cast<int>((N + opt.batch_size - 1) / opt.batch_size);
    const int total_steps = opt.epochs * steps_per_epoch;
    const WarmupCosine schedule{opt.lr, static_cast<int>(std::lround(opt.warmup * static_cast<float>(total_steps))),
                                total_steps, opt.min_lr_ratio};
    AdamW optimizer(model.params, {.lr = opt.lr, .weight_decay = opt.weight_decay});
    Rng shuffle_rng(opt.seed);                 // the order of the examples, epoch after epoch
    Rng dropout_rng(opt.seed + 1);             // the dropout masks

    Result result;
    auto last_good = snapshot(model.params);   // the parameters to go back to if training diverges
    int last_good_epoch = 0;
    const bool show = opt.progress != Progress::none;
    Bar bar(opt.out);
    const auto print = [&](const std::string& line) {
        if (opt.print) opt.print(line);
        else std::fprintf(opt.out, "%s\n", line.c_str());
    };
    if (show) print(epoch_header(opt.epochs, opt.timing));

    auto stop = [&](const std::string& what) {
        bar.clear();
        restore(model.params, last_good);
        result.diverged = true;
        result.restored_epoch = last_good_epoch;
        result.stop_reason = what + "; the " + model.name + " is back to its parameters " +
                             (last_good_epoch == 0 ? std::string("before training")
                                                   : "after epoch " + std::to_string(last_good_epoch));
        if (show) print("  training stopped: " + result.stop_reason);
        std::fflush(opt.out);
        return result;
    };

    std::vector<std::size_t> order(N);
    std::iota(order.begin(), order.end(), 0);
    for (int epoch = 1; epoch <= opt.epochs; ++epoch) {
        const double t0 = now_seconds();
        double train_seconds = 0.0;
        shuffle_rng.shuffle(order);
        Tally tally;
        float lr = 0.0f;
        for (int step = 0; step < steps_per_epoch; ++step) {
            if (opt.before_step) opt.before_step(epoch, step);
            const std::size_t begin = static_cast<std::size_t>(step) * opt.batch_size;
            const std::span<const std::size_t> idx(order.data() + begin, std::min(opt.batch_size, N - begin));
            const ExampleBatch batch = make_example_batch(vocab, train, idx, model.max_len);   // ids [B, T]

            lr = schedule.at(result.steps);
            const std::string trouble = train_step(model, optimizer, batch, dropout_rng, lr, opt.clip_norm, tally);
            if (!trouble.empty()) {
                char at[96];
                std::snprintf(at, sizeof at, " at epoch %d, step %d/%d (lr %.2e)", epoch, step + 1, steps_per_epoch,
                              static_cast<double>(lr));
                return stop(trouble + at);
            }
            ++result.steps;
            train_seconds = now_seconds() - t0;
            if (opt.progress == Progress::bar)
                bar.draw(bar_text(epoch, opt.epochs, step, steps_per_epoch, tally, lr, train_seconds, opt.timing));
        }

        EpochRecord rec = end_of_epoch(model, vocab, train, test, opt, epoch, tally, lr, &result.test);
        if (!std::isfinite(rec.train_loss) || (!test.empty() && !std::isfinite(rec.test_loss)))
            return stop("the evaluation loss is not finite after epoch " + std::to_string(epoch));
        rec.seconds = now_seconds() - t0;
        rec.tokens_per_second = train_seconds > 0.0 ? static_cast<double>(tally.tokens) / train_seconds : 0.0;
        result.history.push_back(rec);
        last_good = snapshot(model.params);
        last_good_epoch = epoch;
        if (show) {
            bar.clear();
            print(epoch_line(rec, opt.epochs, opt.timing));
            std::fflush(opt.out);
        }
    }
    return result;
}

}  // namespace llm::train
