#pragma once
// Training and evaluation of a sentence classifier (lesson 5).
//
//   encode every sentence once (token ids, cut to max_len)
//   for each epoch:
//       shuffle the training examples (seeded), then bucket them by length:
//       in each run of bucket_batches * batch_size shuffled examples, sort by
//       length and cut into batches; shuffle the order of the batches
//       for each mini-batch:  (word dropout: each real token -> <unk> with probability word_dropout)  logits = model(batch, dropout ON)          [B, K]
//                             loss = cross_entropy(logits, labels)       []
//                             loss.backward()
//                             clip the global gradient norm
//                             lr = warmup then cosine (WarmupCosine)
//                             AdamW step
//       evaluate the training AND the test split with dropout OFF (no graph),
//       and the validation split when one is given
//       remember these parameters as the last good ones (and as the best
//       ones when the validation accuracy is the best so far)
//   early stopping (restore_best): the parameters of the best validation epoch
//
// What a careful engineer changes from the workshop's loop:
//   * accuracy is measured in evaluation mode (dropout off) on whole splits,
//     never on the dropout-on batches the model is being trained on;
//   * a test split the model never trains on is evaluated every epoch;
//   * a NaN or infinite loss (or gradient norm) stops training at once, and
//     the model is put back to the parameters of the last epoch whose
//     evaluation succeeded (Result says which): a diverged model is never
//     what the caller goes on with.
//
// Output: while training, fit() prints one line per epoch (Progress::lines);
// on a terminal (Progress::bar) it also redraws one progress line in place
// with '\r' after every step. Wall-clock numbers (seconds, tokens/s) appear
// ONLY on those lines, and not at all when Options::timing is false, so two
// runs with the same seed print byte-identical logs. Everything it prints is
// in the reader's language (--lang, viz/i18n.hpp): English by default.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "nn/attention.hpp"   // NamedTensors
#include "io/dataset.hpp"
#include "nn/model.hpp"
#include "core/tensor.hpp"
#include "io/tokenizer.hpp"

namespace llm::train {

// ---------------------------------------------------------------------------
// What the trainer needs from a model: its parameters, and its logits for a
// batch. Dropout is on when an Rng is given (training), off with nullptr.
struct Classifier {
    std::string name;                 // for messages: "transformer", "bag of words"
    NamedTensors params;              // the trainable tensors (shared handles)
    std::size_t max_len = 0;          // longest input; longer sentences are cut
    std::function<Tensor(const TokenBatch&, Rng*)> logits;   // -> [B, K]
};

// The adapters. The Classifier shares the model's tensors: training it
// trains the model. The model must outlive the Classifier.
Classifier classifier(const MiniLLM& model);
Classifier classifier(const BagOfWords& model, std::size_t max_len);

// ---------------------------------------------------------------------------
// Evaluation (dropout off, no graph).

struct Evaluation {
    double loss = 0.0;                 // mean cross-entropy over the examples
    double accuracy = 0.0;             // fraction of argmax == label
    std::size_t num_classes = 0;       // K
    std::vector<int> predicted;        // [N] argmax class (the first on ties)
    std::vector<float> probabilities;  // [N, K] softmax of the logits
    std::size_t truncated = 0;         // sentences cut to max_len
};

// Batches of eval_batch_size examples, in order. Throws what the model and
// the tokenizer throw (e.g. an empty `examples` is std::invalid_argument).
Evaluation evaluate(const Classifier& model, const Vocab& vocab, std::span<const Example> examples,
                    std::size_t eval_batch_size = 256);

// Softmax probabilities [N, K] of arbitrary sentences (no labels).
std::vector<float> predict_probabilities(const Classifier& model, const Vocab& vocab,
                                         std::span<const std::string> texts,
                                         std::size_t eval_batch_size = 256);
// The same for sentences already encoded (Vocab::encode with the model's max_len).
std::vector<float> predict_probabilities(const Classifier& model, std::vector<std::vector<int>> ids,
                                         std::size_t eval_batch_size = 256);

// Accuracy of `predicted` (one per example) against the labels, on the
// examples at `indices` only; NaN when `indices` is empty.
double accuracy_on(std::span<const Example> examples, std::span<const int> predicted,
                   std::span<const std::size_t> indices);

// confusion[true * K + predicted] = number of examples.
std::vector<std::size_t> confusion_matrix(std::span<const Example> examples, std::span<const int> predicted,
                                          std::size_t num_classes);

// ---------------------------------------------------------------------------
// Training.

enum class Progress {
    none,    // print nothing
    lines,   // one line per epoch (a log, a pipe, `make lesson5 > log`)
    bar,     // on a terminal: a progress line redrawn with '\r' after every step, then the epoch line
};

struct Options {
    int epochs = 20;
    std::size_t batch_size = 32;
    float lr = 1e-3f;                  // peak learning rate, reached after the warmup
    float warmup = 0.05f;              // warmup length as a fraction of all steps, in [0, 1)
    float min_lr_ratio = 0.1f;         // the cosine decays to min_lr_ratio * lr
    float weight_decay = 0.01f;        // AdamW's decoupled decay
    float clip_norm = 1.0f;            // global gradient-norm clip
    std::uint64_t seed = 42;           // shuffling and dropout masks
    std::size_t eval_batch_size = 256;
    std::size_t bucket_batches = 50;   // batches per length bucket run; 1 = no bucketing (plain shuffle)
    float word_dropout = 0.0f;         // probability that a real training token becomes <unk>, in [0, 1)
    float label_smoothing = 0.0f;      // eps of the training loss (cross_entropy with smoothing), in [0, 1)
    float ema = 0.0f;                  // 0: off; else the epochs are evaluated (and ended) with an exponential
                                       // moving average of the parameters, avg = ema * avg + (1 - ema) * p after every step
    bool eval_train = true;            // evaluate the whole training split after each epoch
    std::span<const Example> validation{};   // held out of training: evaluated every epoch (may be empty)
    bool restore_best = false;         // at the end, the parameters of the best validation epoch (needs validation)
    Progress progress = Progress::lines;
    bool timing = true;                // seconds and tokens/s on the progress and epoch lines
    std::FILE* out = stdout;           // where Progress::bar redraws its line (a terminal)
    // Where the header and epoch lines go; null: to `out`. Lesson 5 sends them
    // through its report layer (viz/report.hpp), with the rest of what it prints.
    std::function<void(const std::string& line)> print{};
    // Called before every training step with (epoch from 1, step from 0
    // within the epoch); the tests use it to poison a parameter with NaN.
    std::function<void(int epoch, int step)> before_step{};
    void validate() const;             // throws std::invalid_argument naming the bad field
};

// One line of the training history, measured after the epoch's last step.
struct EpochRecord {
    int epoch = 0;                     // from 1
    double running_loss = 0.0;         // mean loss of the epoch's batches, dropout ON (what the optimizer saw)
    double train_loss = 0.0, train_accuracy = 0.0;   // whole training split, dropout off
    double test_loss = 0.0, test_accuracy = 0.0;     // whole test split, dropout off
    double valid_loss = std::numeric_limits<double>::quiet_NaN();      // validation split (NaN without one)
    double valid_accuracy = std::numeric_limits<double>::quiet_NaN();
    double train_seconds = 0.0;        // wall clock of the epoch's training steps alone
    float lr = 0.0f;                   // learning rate of the epoch's last step
    double seconds = 0.0;              // wall clock of the epoch (training + evaluation)
    double tokens_per_second = 0.0;    // real (non-padding) training tokens / training time
};

struct Result {
    std::vector<EpochRecord> history;  // the completed epochs
    int steps = 0;                     // optimizer steps taken
    bool diverged = false;             // a NaN/Inf stopped training
    std::string stop_reason;           // one line when diverged, else empty (in the reader's language)
    int restored_epoch = -1;           // diverged: the epoch whose parameters the model now holds (0 = initial)
    Evaluation test;                   // the final model on the test split (valid when !diverged)
    int best_epoch = 0;                // restore_best: the epoch whose parameters the model ends with
};

// The batches of one epoch, as fit() draws them: `order` (already shuffled)
// in runs of bucket_batches * batch_size examples, each run sorted by
// `lengths` (stable) and cut into batches of batch_size, then the batches'
// order shuffled with rng. bucket_batches <= 1: consecutive batches of
// `order`, rng unused. Every index appears exactly once.
std::vector<std::vector<std::size_t>> length_buckets(std::span<const std::size_t> order,
                                                     std::span<const std::size_t> lengths, std::size_t batch_size,
                                                     std::size_t bucket_batches, Rng& rng);

// Trains `model` in place. `train` must not be empty; `test` may be empty
// (then the test columns are NaN). Prints the progress described at the top.
Result fit(Classifier& model, const Vocab& vocab, std::span<const Example> train,
           std::span<const Example> test, const Options& opt);

// ---------------------------------------------------------------------------
// Masked-language-model pre-training (BERT in miniature): before it learns
// the labels, the encoder learns to guess hidden words from their context,
// on the training sentences' text alone (labels unused).
//
//   for each epoch, for each mini-batch (shuffled, bucketed like fit()):
//       pick each real token with probability mask_prob (a batch with none picked is skipped);
//       a picked token becomes <unk> (80%), a random word (10%) or stays (10%)
//       h = the encoder's output at the picked positions      [M, C]
//       logits = h E^T + b                                     [M, V]  E: the embedding table (tied)
//       loss = cross_entropy(logits, the original ids)         []
//       AdamW step on the embedding, the encoder and b (the classifier is untouched)
// The learning-rate schedule, batch size, clipping and weight decay are opt's;
// the random streams are seeded from opt.seed + 3, + 4, + 5. The output bias
// b is dropped afterwards: only the encoder and the embedding carry over.
struct PretrainRecord {
    int epoch = 0;                     // from 1
    double loss = 0.0;                 // mean cross-entropy over the epoch's masked tokens
    double accuracy = 0.0;             // share of masked tokens guessed exactly (argmax)
    std::size_t masked = 0;            // masked tokens in the epoch
    double seconds = 0.0;
};
struct PretrainResult {
    std::vector<PretrainRecord> history;
    bool diverged = false;             // a NaN/Inf stopped it; the model is back to its parameters before
    std::string stop_reason;
};
PretrainResult pretrain(MiniLLM& model, const Vocab& vocab, std::span<const Example> texts, int epochs,
                        const Options& opt, float mask_prob = 0.15f);

// The one-line epoch summary fit() prints (without a trailing newline).
std::string epoch_line(const EpochRecord& r, int epochs, bool timing);

}  // namespace llm::train
