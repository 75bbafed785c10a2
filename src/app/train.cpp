// Training loop, evaluation and progress output (see train.hpp).
#include "app/train.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <functional>
#include <stdexcept>

#include "core/ops.hpp"
#include "kernels/kernels.hpp"
#include "nn/optim.hpp"
#include "viz/i18n.hpp"
#include "viz/report.hpp"

// What fit() prints (the epoch table, why training stopped) is in the
// reader's language (viz/i18n.hpp): words through the catalogue, numbers in
// its format. In English it is the text below, byte for byte.

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

// Width of the epoch column: its header ("epoch", 5 columns) or "12/20".
int epoch_width(int epochs) {
    return std::max(static_cast<int>(report::columns(i18n::tr("epoch"))),
                    2 * static_cast<int>(std::to_string(epochs).size()) + 1);
}

// s right-aligned in w columns (code points: "époque" is 6), as "%*s" does for ASCII.
std::string right(const std::string& s, int w) {
    const int n = static_cast<int>(report::columns(s));
    return std::string(static_cast<std::size_t>(std::max(0, w - n)), ' ') + s;
}

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
// Sentences encoded once: token ids cut to max_len

namespace {

struct Encoded {
    std::vector<std::vector<int>> ids;   // per example, at most max_len ids
    std::vector<std::size_t> lengths;    // ids[i].size()
    std::vector<char> cut;               // 1 when the sentence had more than max_len tokens
    std::vector<int> labels;
};

Encoded encode_all(const Vocab& vocab, std::span<const Example> examples, std::size_t max_len) {
    Encoded e;
    for (std::size_t i = 0; i < examples.size(); ++i) {
        e.ids.push_back(vocab.encode(examples[i].text, max_len));
        if (e.ids.back().empty())
            throw std::invalid_argument("sentence " + std::to_string(i) + " has no tokens");
        e.lengths.push_back(e.ids.back().size());
        e.cut.push_back(e.lengths.back() == max_len && count_tokens(examples[i].text) > max_len);
        e.labels.push_back(examples[i].label);
    }
    return e;
}

// The padded batch of the examples at idx. With word_rng, each real token
// becomes <unk> with probability p (word dropout).
TokenBatch batch_of(const Encoded& e, std::span<const std::size_t> idx, Rng* word_rng = nullptr, float p = 0.0f) {
    TokenBatch b;
    b.B = idx.size();
    for (const std::size_t i : idx) b.T = std::max(b.T, e.lengths[i]);
    b.ids.assign(b.B * b.T, Vocab::pad_id);
    b.pad_mask.assign(b.B * b.T, 1.0f);
    b.lengths.resize(b.B);
    for (std::size_t r = 0; r < b.B; ++r) {
        const std::vector<int>& row = e.ids[idx[r]];
        b.lengths[r] = row.size();
        b.truncated += static_cast<std::size_t>(e.cut[idx[r]]);
        for (std::size_t t = 0; t < row.size(); ++t) {
            const bool drop = word_rng && word_rng->uniform() < p;
            b.ids[r * b.T + t] = drop ? Vocab::unk_id : row[t];
            b.pad_mask[r * b.T + t] = 0.0f;
        }
    }
    return b;
}

// log-probabilities [B, K] of a batch, evaluation mode, no graph.
Tensor eval_log_probs(const Classifier& model, const TokenBatch& b) {
    NoGrad no_grad;
    return log_softmax(model.logits(b, nullptr));                                 // [B, K]
}

// The examples' indices sorted by length (stable): batches of similar lengths
// pad less (a batch is padded to its longest sentence).
std::vector<std::size_t> by_length(const Encoded& e) {
    std::vector<std::size_t> order(e.ids.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return e.lengths[a] < e.lengths[b]; });
    return order;
}

// The log-probabilities of every batch of eval_batch_size examples of
// `order`, in order. The batches go to the threads whole (kernels::parallel_for):
// each runs its forward alone on one thread, every op inside serial, so an
// evaluation's many small ops pay no hand-offs and both cores are busy. A
// batch's result does not depend on the thread that computes it.
std::vector<Tensor> log_probs_of_batches(const Classifier& model, const Encoded& e, std::span<const std::size_t> order,
                                         std::size_t eval_batch_size) {
    const std::size_t batches = (order.size() + eval_batch_size - 1) / eval_batch_size;
    std::vector<Tensor> out(batches);
    kernels::parallel_for(static_cast<int>(batches), [&](int i) {
        const std::size_t start = std::size_t(i) * eval_batch_size;
        out[std::size_t(i)] = eval_log_probs(model, batch_of(e, order.subspan(start, std::min(eval_batch_size, order.size() - start))));
    });
    return out;
}

// Evaluation in batches of similar lengths (sorted, stable); the results go
// back to the examples' own order.
Evaluation evaluate_encoded(const Classifier& model, const Encoded& e, std::size_t eval_batch_size) {
    const std::size_t N = e.ids.size();
    const std::vector<std::size_t> order = by_length(e);
    const std::vector<Tensor> logps = log_probs_of_batches(model, e, order, eval_batch_size);
    Evaluation ev;
    double loss_sum = 0.0;
    std::size_t correct = 0;
    ev.predicted.assign(N, 0);
    for (std::size_t start = 0, i = 0; start < N; start += eval_batch_size, ++i) {
        const std::span<const std::size_t> idx(order.data() + start, std::min(eval_batch_size, N - start));
        for (const std::size_t j : idx) ev.truncated += static_cast<std::size_t>(e.cut[j]);
        const Tensor& logp = logps[i];                                            // [B, K]
        const auto K = static_cast<std::size_t>(logp.dim(1));
        if (ev.num_classes == 0) ev.probabilities.assign(N * K, 0.0f);
        ev.num_classes = K;
        const auto lp = logp.data();
        for (std::size_t r = 0; r < idx.size(); ++r) {
            const float* row = lp.data() + r * K;
            const auto label = static_cast<std::size_t>(e.labels[idx[r]]);
            if (label >= K)
                throw std::invalid_argument("evaluate: label " + std::to_string(label) + " but the model has " +
                                            std::to_string(K) + " classes");
            const auto best = static_cast<std::size_t>(std::max_element(row, row + K) - row);
            loss_sum -= row[label];
            correct += best == label;
            ev.predicted[idx[r]] = static_cast<int>(best);
            for (std::size_t k = 0; k < K; ++k) ev.probabilities[idx[r] * K + k] = std::exp(row[k]);
        }
    }
    ev.loss = loss_sum / static_cast<double>(N);
    ev.accuracy = static_cast<double>(correct) / static_cast<double>(N);
    return ev;
}

}  // namespace

// ---------------------------------------------------------------------------
// Evaluation

Evaluation evaluate(const Classifier& model, const Vocab& vocab, std::span<const Example> examples,
                    std::size_t eval_batch_size) {
    if (examples.empty()) throw std::invalid_argument("evaluate: no examples");
    if (eval_batch_size == 0) throw std::invalid_argument("evaluate: eval_batch_size must be positive");
    return evaluate_encoded(model, encode_all(vocab, examples, model.max_len), eval_batch_size);
}

// In batches of similar lengths, as evaluate (by_length, log_probs_of_batches):
// sorting first computes about half the tokens on mixed lengths.
// A sentence's probabilities do not depend on its batch (every op works row by
// row; a padded key gets weight exactly 0, and adding 0 changes no sum), so
// they are the same bits in any order (tests/test_train.cpp checks it).
std::vector<float> predict_probabilities(const Classifier& model, const Vocab& vocab,
                                         std::span<const std::string> texts, std::size_t eval_batch_size) {
    std::vector<std::vector<int>> ids;
    for (const std::string& text : texts) ids.push_back(vocab.encode(text, model.max_len));
    return predict_probabilities(model, std::move(ids), eval_batch_size);
}

std::vector<float> predict_probabilities(const Classifier& model, std::vector<std::vector<int>> ids,
                                         std::size_t eval_batch_size) {
    if (eval_batch_size == 0) throw std::invalid_argument("predict_probabilities: eval_batch_size must be positive");
    Encoded e;
    e.ids = std::move(ids);
    for (std::size_t i = 0; i < e.ids.size(); ++i) {
        if (e.ids[i].empty())
            throw std::invalid_argument("predict_probabilities: sentence " + std::to_string(i) + " has no tokens");
        if (e.ids[i].size() > model.max_len)
            throw std::invalid_argument("predict_probabilities: sentence " + std::to_string(i) + " has more than max_len ids");
        e.lengths.push_back(e.ids[i].size());
        e.cut.push_back(0);
    }
    const std::size_t N = e.ids.size();
    const std::vector<std::size_t> order = by_length(e);
    const std::vector<Tensor> logps = log_probs_of_batches(model, e, order, eval_batch_size);
    std::vector<float> probs;
    for (std::size_t start = 0, i = 0; start < N; start += eval_batch_size, ++i) {
        const std::span<const std::size_t> idx(order.data() + start, std::min(eval_batch_size, N - start));
        const auto K = static_cast<std::size_t>(logps[i].dim(1));                 // [B, K]
        if (probs.empty()) probs.resize(N * K);
        for (std::size_t r = 0; r < idx.size(); ++r)
            for (std::size_t k = 0; k < K; ++k) probs[idx[r] * K + k] = std::exp(logps[i].data()[r * K + k]);
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
    if (!(word_dropout >= 0.0f && word_dropout < 1.0f)) fail("word_dropout must be in [0, 1)");
    if (!(label_smoothing >= 0.0f && label_smoothing < 1.0f)) fail("label_smoothing must be in [0, 1)");
    if (!(ema >= 0.0f && ema < 1.0f)) fail("ema must be in [0, 1)");
    if (restore_best && validation.empty()) fail("restore_best needs a validation split");
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
    if (!std::isnan(r.valid_accuracy)) line += "  " + std::string(9 - std::min<std::size_t>(9, pct(r.valid_accuracy).size()), ' ') + pct(r.valid_accuracy);
    return i18n::localize_numbers(line);
}

namespace {

// Two header lines over the columns of epoch_line.
std::string epoch_header(int epochs, bool timing, bool valid) {
    using i18n::tr;
    const int w = epoch_width(epochs);
    std::string text = "  " + right("", w) + "  " + right(tr("batches"), 9) + "  " + right(tr("train (eval)"), 16) +
                       "  " + right(tr("test (eval)"), 16) + "\n  " + right(tr("epoch"), w) + "  " +
                       right(tr("loss"), 9) + "  " + right(tr("loss"), 7) + "  " + right(tr("acc"), 7) + "  " +
                       right(tr("loss"), 7) + "  " + right(tr("acc"), 7) + "  " + right(tr("lr"), 8);
    if (timing) text += "  " + right(tr("time"), 7) + "  " + right(tr("tokens/s"), 9);
    if (valid) text += "  " + right(tr("valid acc"), 9);
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

}  // namespace

std::vector<std::vector<std::size_t>> length_buckets(std::span<const std::size_t> order,
                                                     std::span<const std::size_t> lengths, std::size_t batch_size,
                                                     std::size_t bucket_batches, Rng& rng) {
    if (batch_size == 0) throw std::invalid_argument("length_buckets: batch_size must be positive");
    std::vector<std::vector<std::size_t>> batches;
    const std::size_t run = bucket_batches <= 1 ? batch_size : batch_size * bucket_batches;
    for (std::size_t start = 0; start < order.size(); start += run) {
        std::vector<std::size_t> chunk(order.begin() + static_cast<std::ptrdiff_t>(start),
                                       order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), start + run)));
        if (bucket_batches > 1)
            std::stable_sort(chunk.begin(), chunk.end(), [&](std::size_t a, std::size_t b) {
                if (a >= lengths.size() || b >= lengths.size()) throw std::out_of_range("length_buckets: index out of range");
                return lengths[a] < lengths[b];
            });
        for (std::size_t b = 0; b < chunk.size(); b += batch_size)
            batches.emplace_back(chunk.begin() + static_cast<std::ptrdiff_t>(b),
                                 chunk.begin() + static_cast<std::ptrdiff_t>(std::min(chunk.size(), b + batch_size)));
    }
    if (bucket_batches > 1) rng.shuffle(batches);
    return batches;
}

namespace {

// The running numbers of one epoch (dropout on: what the optimizer saw).
struct Tally {
    double loss_sum = 0.0;
    std::size_t seen = 0, correct = 0, tokens = 0;
    void add(const Tensor& logits, const TokenBatch& batch, std::span<const int> labels, float loss) {   // logits [B, K]
        const auto B = labels.size(), K = static_cast<std::size_t>(logits.dim(1));
        const auto lg = logits.data();
        for (std::size_t r = 0; r < B; ++r) {
            const float* row = lg.data() + r * K;
            correct += static_cast<int>(std::max_element(row, row + K) - row) == labels[r];
        }
        for (const std::size_t len : batch.lengths) tokens += len;
        loss_sum += static_cast<double>(loss) * static_cast<double>(B);
        seen += B;
    }
};

// The learning-rate schedule of `total_steps` steps: warmup, then cosine decay.
WarmupCosine schedule_of(const Options& opt, int total_steps) {
    return {opt.lr, static_cast<int>(std::lround(opt.warmup * static_cast<float>(total_steps))), total_steps,
            opt.min_lr_ratio};
}

// Where a training run's lines go: Options::print, else Options::out.
std::function<void(const std::string&)> printer_of(const Options& opt) {
    return [&opt](const std::string& line) {
        if (opt.print) opt.print(line);
        else std::fprintf(opt.out, "%s\n", line.c_str());
    };
}

// loss.backward() and the gradient clipped to clip_norm. Returns "" or, when
// the loss or the gradient norm is not finite, what went wrong (the optimizer
// must then not step).
std::string checked_backward(Tensor& loss, float loss_value, const NamedTensors& params, float clip_norm) {
    if (!std::isfinite(loss_value)) return report::translated("the loss is %s", non_finite(loss_value).c_str());
    loss.backward();
    const float norm = clip_grad_norm(params, clip_norm);                 // norm before clipping
    if (!std::isfinite(norm)) return report::translated("the gradient norm is %s", non_finite(norm).c_str());
    return "";
}

// One optimizer step on one batch, counted into `tally`. Returns "" or, when
// the loss or the gradient is not finite (nothing updated then), what went wrong.
std::string train_step(Classifier& model, AdamW& optimizer, const TokenBatch& batch, std::span<const int> labels,
                       Rng& dropout_rng, float lr, float clip_norm, float smoothing, Tally& tally) {
    optimizer.zero_grad();
    const Tensor logits = model.logits(batch, &dropout_rng);              // [B, K], dropout on
    Tensor loss = cross_entropy(logits, labels, smoothing);               // []
    const float loss_value = loss.item();
    if (std::string trouble = checked_backward(loss, loss_value, model.params, clip_norm); !trouble.empty())
        return trouble;
    optimizer.set_lr(lr);
    optimizer.step();
    tally.add(logits, batch, labels, loss_value);
    return "";
}

// "  2/8 [####......] 40/113 loss 0.4321 acc 87.50% lr 2.95e-03 35,104 tok/s"
std::string bar_text(int epoch, int epochs, int step, int steps, const Tally& t, float lr, double seconds, bool timing) {
    const int width = 10, filled = (step + 1) * width / steps;
    std::string text = report::translated("  %d/%d [%s%s] %d/%d loss %.4f acc %s lr %.2e", epoch, epochs,
                                          std::string(static_cast<std::size_t>(filled), '#').c_str(),
                                          std::string(static_cast<std::size_t>(width - filled), '.').c_str(), step + 1,
                                          steps, t.loss_sum / static_cast<double>(t.seen),
                                          pct(static_cast<double>(t.correct) / static_cast<double>(t.seen)).c_str(),
                                          static_cast<double>(lr));
    if (timing && seconds > 0.0)
        text += report::translated(" %s tok/s", report::thousands(static_cast<double>(t.tokens) / seconds).c_str());
    return text;
}

// The splits a training run evaluates after each epoch, encoded once.
struct Splits {
    Encoded train, test, valid;
};

// The record of an epoch: its running numbers, then the splits evaluated
// (dropout off, whole splits); the test split's evaluation also goes to *on_test.
EpochRecord end_of_epoch(const Classifier& model, const Splits& s, const Options& opt, int epoch, const Tally& t,
                         float lr, Evaluation* on_test) {
    EpochRecord rec;
    rec.epoch = epoch;
    rec.running_loss = t.loss_sum / static_cast<double>(t.seen);
    rec.lr = lr;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    rec.train_loss = rec.train_accuracy = rec.test_loss = rec.test_accuracy = nan;
    rec.valid_loss = rec.valid_accuracy = nan;
    if (opt.eval_train) {
        const Evaluation on_train = evaluate_encoded(model, s.train, opt.eval_batch_size);
        rec.train_loss = on_train.loss;
        rec.train_accuracy = on_train.accuracy;
    }
    if (!s.test.labels.empty()) {
        *on_test = evaluate_encoded(model, s.test, opt.eval_batch_size);
        rec.test_loss = on_test->loss;
        rec.test_accuracy = on_test->accuracy;
    }
    if (!s.valid.labels.empty()) {
        const Evaluation v = evaluate_encoded(model, s.valid, opt.eval_batch_size);
        rec.valid_loss = v.loss;
        rec.valid_accuracy = v.accuracy;
    }
    return rec;
}

// The three random streams of a training run, each from its own seed.
struct TrainingRngs {
    Rng order;                       // the order of the examples, epoch after epoch (seed)
    Rng dropout;                     // the dropout masks (seed + 1)
    Rng words;                       // word dropout (seed + 2)
};

// The training steps of one epoch over `batches` (lists of indices into
// train), counted into the returned tally; `steps` counts every step since
// the start (the schedule's clock). On trouble (a loss or gradient that is
// not finite) it stops there and says what and where.
struct EpochSteps {
    Tally tally;
    float lr = 0.0f;                 // the learning rate of the last step
    double seconds = 0.0;            // the steps' wall time
    std::string trouble;             // "" or what went wrong, and where
};
// The moving average of Options::ema after a step (`steps` steps so far):
// avg = d * avg + (1 - d) * p, d = min(ema, (1 + steps) / (10 + steps)) so
// that the initial parameters are soon forgotten.
void update_average(std::vector<std::vector<float>>& avg, const NamedTensors& params, float ema, int steps) {
    const float d = std::min(ema, static_cast<float>(1 + steps) / static_cast<float>(10 + steps));
    for (std::size_t k = 0; k < params.size(); ++k) {
        const auto p = params[k].second.data();
        std::vector<float>& a = avg[k];
        for (std::size_t i = 0; i < a.size(); ++i) a[i] = d * a[i] + (1.0f - d) * p[i];
    }
}

EpochSteps train_epoch(Classifier& model, AdamW& optimizer, const Encoded& train,
                       const std::vector<std::vector<std::size_t>>& batches, const WarmupCosine& schedule,
                       TrainingRngs& rngs, const Options& opt, int epoch, int& steps, Bar& bar,
                       std::vector<std::vector<float>>* average) {
    EpochSteps e;
    const double t0 = now_seconds();
    const int n = static_cast<int>(batches.size());
    for (int step = 0; step < n; ++step) {
        if (opt.before_step) opt.before_step(epoch, step);
        const std::vector<std::size_t>& idx = batches[static_cast<std::size_t>(step)];
        const TokenBatch batch = batch_of(train, idx, opt.word_dropout > 0.0f ? &rngs.words : nullptr,
                                          opt.word_dropout);                 // ids [B, T]
        std::vector<int> labels;
        for (const std::size_t i : idx) labels.push_back(train.labels[i]);
        e.lr = schedule.at(steps);
        e.trouble = train_step(model, optimizer, batch, labels, rngs.dropout, e.lr, opt.clip_norm, opt.label_smoothing,
                               e.tally);
        if (!e.trouble.empty()) {
            e.trouble += report::translated(" at epoch %d, step %d/%d (lr %.2e)", epoch, step + 1, n,
                                            static_cast<double>(e.lr));
            return e;
        }
        ++steps;
        if (average) update_average(*average, model.params, opt.ema, steps);
        e.seconds = now_seconds() - t0;
        if (opt.progress == Progress::bar)
            bar.draw(bar_text(epoch, opt.epochs, step, n, e.tally, e.lr, e.seconds, opt.timing));
    }
    return e;
}

}  // namespace

Result fit(Classifier& model, const Vocab& vocab, std::span<const Example> train, std::span<const Example> test,
           const Options& opt) {
    opt.validate();
    if (train.empty()) throw std::invalid_argument("fit: the training split is empty");
    const std::size_t N = train.size();
    const int steps_per_epoch = static_cast<int>((N + opt.batch_size - 1) / opt.batch_size);
    const int total_steps = opt.epochs * steps_per_epoch;
    const WarmupCosine schedule = schedule_of(opt, total_steps);
    AdamW optimizer(model.params, {.lr = opt.lr, .weight_decay = opt.weight_decay});
    TrainingRngs rngs{Rng(opt.seed), Rng(opt.seed + 1), Rng(opt.seed + 2)};
    const Splits s{encode_all(vocab, train, model.max_len),             // every sentence tokenized once
                   encode_all(vocab, test, model.max_len), encode_all(vocab, opt.validation, model.max_len)};

    Result result;
    auto last_good = snapshot(model.params);   // the parameters to go back to if training diverges
    auto best = last_good;                     // restore_best: the best validation epoch's parameters
    double best_valid = -1.0;
    int last_good_epoch = 0;
    const bool show = opt.progress != Progress::none;
    const bool has_valid = !opt.validation.empty();
    Bar bar(opt.out);
    const auto print = printer_of(opt);
    if (show) print(epoch_header(opt.epochs, opt.timing, has_valid));

    auto stop = [&](const std::string& what) {
        bar.clear();
        restore(model.params, last_good);
        result.diverged = true;
        result.restored_epoch = last_good_epoch;
        result.stop_reason =
            last_good_epoch == 0
                ? report::translated("%s; the %s is back to its parameters before training", what.c_str(),
                                     i18n::tr(model.name).c_str())
                : report::translated("%s; the %s is back to its parameters after epoch %d", what.c_str(),
                                     i18n::tr(model.name).c_str(), last_good_epoch);
        if (show) print(report::translated("  training stopped: %s", result.stop_reason.c_str()));
        std::fflush(opt.out);
        return result;
    };

    std::vector<std::size_t> order(N);
    std::iota(order.begin(), order.end(), 0);
    // Options::ema: the average is what each epoch evaluates and keeps; the
    // optimizer goes on from the raw parameters.
    std::vector<std::vector<float>> average, raw;
    if (opt.ema > 0.0f) average = last_good;
    for (int epoch = 1; epoch <= opt.epochs; ++epoch) {
        const double t0 = now_seconds();
        if (!raw.empty()) restore(model.params, raw);
        rngs.order.shuffle(order);
        const auto batches = length_buckets(order, s.train.lengths, opt.batch_size, opt.bucket_batches, rngs.order);
        const EpochSteps e = train_epoch(model, optimizer, s.train, batches, schedule, rngs, opt, epoch, result.steps, bar,
                                         average.empty() ? nullptr : &average);
        if (!e.trouble.empty()) return stop(e.trouble);
        if (!average.empty()) {
            raw = snapshot(model.params);
            restore(model.params, average);
        }
        EpochRecord rec = end_of_epoch(model, s, opt, epoch, e.tally, e.lr, &result.test);
        if ((opt.eval_train && !std::isfinite(rec.train_loss)) || (!test.empty() && !std::isfinite(rec.test_loss)) ||
            (has_valid && !std::isfinite(rec.valid_loss)))
            return stop(report::translated("the evaluation loss is not finite after epoch %d", epoch));
        rec.seconds = now_seconds() - t0;
        rec.train_seconds = e.seconds;
        rec.tokens_per_second = e.seconds > 0.0 ? static_cast<double>(e.tally.tokens) / e.seconds : 0.0;
        result.history.push_back(rec);
        last_good = snapshot(model.params);
        last_good_epoch = epoch;
        if (has_valid && rec.valid_accuracy > best_valid) {
            best_valid = rec.valid_accuracy;
            best = last_good;
            result.best_epoch = epoch;
        }
        if (show) {
            bar.clear();
            print(epoch_line(rec, opt.epochs, opt.timing));
            std::fflush(opt.out);
        }
    }
    if (opt.restore_best && result.best_epoch != opt.epochs) {
        restore(model.params, best);
        if (!test.empty()) result.test = evaluate_encoded(model, s.test, opt.eval_batch_size);
        if (show)
            print(report::translated("  early stopping: back to the parameters of epoch %d, the best validation accuracy (%s)",
                                     result.best_epoch, pct(best_valid).c_str()));
    }
    if (!opt.restore_best) result.best_epoch = opt.epochs;
    return result;
}

// ---------------------------------------------------------------------------
// Masked-language-model pre-training

namespace {

// The masked positions of one batch: mask_prob of its real tokens are
// picked; a picked token becomes <unk> (80%), a random word (10%) or stays
// (10%). The flat positions in [B*T) and the original ids there.
struct Masked {
    std::vector<int> where, target;
};
Masked mask_tokens(TokenBatch& b, Rng& rng, float mask_prob, int V) {
    Masked m;
    for (std::size_t r = 0; r < b.B; ++r)
        for (std::size_t t = 0; t < b.lengths[r]; ++t) {
            if (rng.uniform() >= mask_prob) continue;
            const std::size_t i = r * b.T + t;
            m.where.push_back(static_cast<int>(i));
            m.target.push_back(b.ids[i]);
            const float u = rng.uniform();
            if (u < 0.8f) b.ids[i] = Vocab::unk_id;
            else if (u < 0.9f) b.ids[i] = 2 + static_cast<int>(rng.below(static_cast<std::uint32_t>(V - 2)));
        }
    return m;
}

// One pre-training step on a masked batch: guess the original ids at the
// masked positions through the output layer tied to the embedding. Adds its
// loss (a sum until the epoch ends), masked count and exact guesses to the
// epoch's record; returns "" or what went wrong (nothing updated then).
std::string pretrain_step(MiniLLM& model, const Tensor& bias, AdamW& optimizer, const NamedTensors& params,
                          const TokenBatch& b, const Masked& m, Rng& dropout_rng, float lr, float clip_norm,
                          PretrainRecord& rec, std::size_t& correct) {
    const int B = static_cast<int>(b.B), T = static_cast<int>(b.T), M = static_cast<int>(m.where.size());
    const int V = model.config().vocab_size, C = model.config().d_model;
    optimizer.zero_grad();
    const Tensor pad = pad_tensor(b);                                                  // [B, T]
    const Tensor out = model.encode(b.ids, pad, &dropout_rng).out;                      // [B, T, C]
    const Tensor h = embedding(reshape(out, {B * T, C}), m.where, {M});                // [M, C] the picked rows
    const Tensor logits = linear(h, model.embedding, bias);                            // [M, V] tied to the embedding
    Tensor loss = cross_entropy(logits, m.target);                                     // []
    const float value = loss.item();
    if (std::string trouble = checked_backward(loss, value, params, clip_norm); !trouble.empty()) return trouble;
    optimizer.set_lr(lr);
    optimizer.step();
    rec.loss += static_cast<double>(value) * M;
    rec.masked += m.where.size();
    const auto lg = logits.data();
    for (int i = 0; i < M; ++i) {
        const float* row = lg.data() + static_cast<std::size_t>(i) * V;
        correct += static_cast<int>(std::max_element(row, row + V) - row) == m.target[std::size_t(i)];
    }
    return "";
}

// "    3/20     4.1234     17.02%     12,345" (+ "    1.2 s"), numbers in the reader's format.
std::string pretrain_line(const PretrainRecord& rec, int epochs, bool timing) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "  %*s  %9.4f  %9s  %9s", epoch_width(epochs),
                  (std::to_string(rec.epoch) + "/" + std::to_string(epochs)).c_str(), rec.loss, pct(rec.accuracy).c_str(),
                  report::thousands(static_cast<double>(rec.masked)).c_str());
    std::string line = buf;
    if (timing) {
        std::snprintf(buf, sizeof buf, "  %5.1f s", rec.seconds);
        line += buf;
    }
    return i18n::localize_numbers(line);
}

}  // namespace

PretrainResult pretrain(MiniLLM& model, const Vocab& vocab, std::span<const Example> texts, int epochs,
                        const Options& opt, float mask_prob) {
    opt.validate();
    if (texts.empty()) throw std::invalid_argument("pretrain: no text");
    if (!(mask_prob > 0.0f && mask_prob < 1.0f)) throw std::invalid_argument("pretrain: mask_prob must be in (0, 1)");
    const ModelConfig& cfg = model.config();
    const Encoded e = encode_all(vocab, texts, static_cast<std::size_t>(cfg.max_len));
    Tensor bias = Tensor::zeros({cfg.vocab_size}, true);                         // [V] the output layer's bias
    NamedTensors params;
    for (const auto& [name, t] : model.named_parameters())
        if (name.rfind("classifier.", 0) != 0) params.emplace_back(name, t);
    params.emplace_back("mlm.bias", bias);
    const std::size_t N = texts.size();
    const int steps_per_epoch = static_cast<int>((N + opt.batch_size - 1) / opt.batch_size);
    const WarmupCosine schedule = schedule_of(opt, std::max(1, epochs * steps_per_epoch));
    AdamW optimizer(params, {.lr = opt.lr, .weight_decay = opt.weight_decay});
    Rng order_rng(opt.seed + 3), mask_rng(opt.seed + 4), dropout_rng(opt.seed + 5);
    const auto before = snapshot(params);
    const bool show = opt.progress != Progress::none;
    const auto print = printer_of(opt);
    if (show)   // in the reader's language, as fit's header
        print("  " + right(i18n::tr("epoch"), epoch_width(epochs)) + "  " + right(i18n::tr("MLM loss"), 9) + "  " +
              right(i18n::tr("guessed"), 9) + "  " + right(i18n::tr("masked"), 9));
    PretrainResult result;
    std::vector<std::size_t> order(N);
    std::iota(order.begin(), order.end(), 0);
    int steps = 0;
    for (int epoch = 1; epoch <= epochs; ++epoch) {
        const double t0 = now_seconds();
        order_rng.shuffle(order);
        const auto batches = length_buckets(order, e.lengths, opt.batch_size, opt.bucket_batches, order_rng);
        PretrainRecord rec;
        rec.epoch = epoch;
        std::size_t correct = 0;
        for (const std::vector<std::size_t>& idx : batches) {
            TokenBatch b = batch_of(e, idx);                                      // ids [B, T]
            const Masked m = mask_tokens(b, mask_rng, mask_prob, cfg.vocab_size);
            const float lr = schedule.at(steps++);
            if (m.where.empty()) continue;
            const std::string trouble =
                pretrain_step(model, bias, optimizer, params, b, m, dropout_rng, lr, opt.clip_norm, rec, correct);
            if (!trouble.empty()) {
                restore(params, before);
                result.diverged = true;
                result.stop_reason = report::translated(
                    "pre-training: %s at epoch %d; the model is back to its parameters before pre-training",
                    trouble.c_str(), epoch);
                if (show) print("  " + result.stop_reason);
                return result;
            }
        }
        rec.loss = rec.masked ? rec.loss / static_cast<double>(rec.masked) : 0.0;
        rec.accuracy = rec.masked ? static_cast<double>(correct) / static_cast<double>(rec.masked) : 0.0;
        rec.seconds = now_seconds() - t0;
        result.history.push_back(rec);
        if (show) {
            print(pretrain_line(rec, epochs, opt.timing));
            std::fflush(opt.out);
        }
    }
    return result;
}

}  // namespace llm::train
