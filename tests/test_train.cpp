// Tests of the training loop (src/app/train.hpp): evaluation, determinism of a
// short training run down to the saved bytes, NaN handling (the model goes
// back to its last good epoch), and the printed output.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <unistd.h>

#include "io/checkpoint.hpp"
#include "app/cli.hpp"
#include "io/dataset.hpp"
#include "io/files.hpp"
#include "kernels/kernels.hpp"
#include "nn/model.hpp"
#include "app/train.hpp"

using namespace llm;
namespace fs = std::filesystem;

namespace {

// A small, fast set-up: the workshop's 10 sentences and a tiny model.
struct Tiny {
    std::vector<std::string> classes = cli::classes_of_tsv("data/workshop10.tsv");
    std::vector<Example> data = load_tsv("data/workshop10.tsv", classes);
    Vocab vocab = Vocab::build(texts_of(data));
    ModelConfig config() const {
        ModelConfig c;
        c.vocab_size = static_cast<int>(vocab.size());
        c.d_model = 16, c.num_heads = 2, c.d_ff = 32, c.num_layers = 1;
        c.num_classes = static_cast<int>(classes.size());
        c.max_len = 16;
        c.dropout = 0.1f;
        return c;
    }
    train::Options options() const {
        train::Options o;
        o.epochs = 3;
        o.batch_size = 4;
        o.lr = 1e-2f;
        o.warmup = 0.2f;
        o.seed = 7;
        o.progress = train::Progress::none;
        return o;
    }
};

std::vector<std::uint32_t> bits(std::span<const float> v) {
    std::vector<std::uint32_t> out;
    for (const float f : v) out.push_back(std::bit_cast<std::uint32_t>(f));
    return out;
}

std::vector<std::vector<std::uint32_t>> param_bits(const NamedTensors& params) {
    std::vector<std::vector<std::uint32_t>> out;
    for (const auto& [name, p] : params) out.push_back(bits(p.data()));
    return out;
}

// Trains a fresh tiny model and returns its checkpoint's bytes.
std::string train_and_serialize(const Tiny& t, std::uint64_t seed) {
    MiniLLM model(t.config(), seed);
    train::Classifier c = train::classifier(model);
    train::Options o = t.options();
    o.seed = seed;
    const train::Result r = train::fit(c, t.vocab, t.data, t.data, o);
    REQUIRE_FALSE(r.diverged);
    return safetensors::serialize(checkpoint::to_file(model, t.vocab, t.classes));
}

// What fit prints, captured through a temporary FILE*.
std::string fit_output(const Tiny& t, bool timing) {
    MiniLLM model(t.config(), 3);
    train::Classifier c = train::classifier(model);
    train::Options o = t.options();
    o.progress = train::Progress::lines;
    o.timing = timing;
    std::FILE* f = std::tmpfile();
    REQUIRE(f != nullptr);
    o.out = f;
    train::fit(c, t.vocab, t.data, t.data, o);
    std::rewind(f);
    std::string s;
    for (int ch; (ch = std::fgetc(f)) != EOF;) s += static_cast<char>(ch);
    std::fclose(f);
    return s;
}

}  // namespace

TEST_CASE("the workshop set's classes are its labels, sorted", "[train]") {
    Tiny t;
    REQUIRE(t.classes == std::vector<std::string>{"negative", "positive"});
    REQUIRE(t.data.size() == 10);
}

TEST_CASE("evaluate: probabilities sum to 1, accuracy matches the predictions, no randomness", "[train]") {
    Tiny t;
    MiniLLM model(t.config(), 1);
    const train::Classifier c = train::classifier(model);
    const train::Evaluation a = train::evaluate(c, t.vocab, t.data, 3);   // 3 batches: 3 + 3 + 3 + 1
    const train::Evaluation b = train::evaluate(c, t.vocab, t.data, 256);
    REQUIRE(a.num_classes == 2);
    REQUIRE(a.predicted.size() == 10);
    REQUIRE(a.probabilities.size() == 20);
    std::size_t correct = 0;
    for (std::size_t i = 0; i < 10; ++i) {
        REQUIRE(a.probabilities[2 * i] + a.probabilities[2 * i + 1] == Approx(1.0f).epsilon(1e-6));
        const int best = a.probabilities[2 * i + 1] > a.probabilities[2 * i] ? 1 : 0;
        REQUIRE(a.predicted[i] == best);
        correct += best == t.data[i].label;
    }
    REQUIRE(a.accuracy == Approx(correct / 10.0));
    // Dropout is off in evaluation: the batch size changes nothing, and neither does a second call.
    REQUIRE(a.predicted == b.predicted);
    REQUIRE(a.loss == Approx(b.loss).epsilon(1e-6));
    REQUIRE(bits(train::evaluate(c, t.vocab, t.data, 256).probabilities) == bits(b.probabilities));
    REQUIRE_THROWS_AS(train::evaluate(c, t.vocab, std::span<const Example>{}, 4), std::invalid_argument);
}

TEST_CASE("predict_probabilities: in length-sorted batches, each sentence's bits as when it is alone", "[train][predict]") {
    Tiny t;
    MiniLLM model(t.config(), 5);
    const train::Classifier c = train::classifier(model);
    std::vector<std::string> texts = texts_of(t.data);              // mixed lengths, in an order not sorted by length
    texts.insert(texts.begin() + 3, "great");
    texts.push_back("the film was great and the acting was great and the plot was great too");   // cut to max_len
    texts.insert(texts.begin() + 1, "boring");
    const std::vector<float> together = train::predict_probabilities(c, t.vocab, texts, 256);
    const std::vector<float> in_fours = train::predict_probabilities(c, t.vocab, texts, 4);
    REQUIRE(together.size() == 2 * texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::vector<float> alone = train::predict_probabilities(c, t.vocab, std::span(texts).subspan(i, 1), 1);
        INFO("sentence " << i << ": " << texts[i]);
        REQUIRE(bits(alone) == bits(std::span<const float>(together).subspan(2 * i, 2)));
    }
    REQUIRE(bits(in_fours) == bits(together));
    // the batches go to the threads whole: the same bits on one thread
    const int threads = kernels::num_threads();
    kernels::set_num_threads(1);
    const std::vector<float> one_thread = train::predict_probabilities(c, t.vocab, texts, 4);
    kernels::set_num_threads(std::max(2, threads));
    const std::vector<float> two_threads = train::predict_probabilities(c, t.vocab, texts, 4);
    kernels::set_num_threads(threads);
    REQUIRE(bits(one_thread) == bits(in_fours));
    REQUIRE(bits(two_threads) == bits(in_fours));
}

TEST_CASE("accuracy_on and confusion_matrix count what they say", "[train]") {
    std::vector<Example> ex(4);
    ex[0].label = 0, ex[1].label = 1, ex[2].label = 1, ex[3].label = 2;
    const std::vector<int> pred = {0, 1, 2, 2};
    const std::vector<std::size_t> all = {0, 1, 2, 3}, ones = {1, 2};
    REQUIRE(train::accuracy_on(ex, pred, all) == Approx(0.75));
    REQUIRE(train::accuracy_on(ex, pred, ones) == Approx(0.5));
    REQUIRE(std::isnan(train::accuracy_on(ex, pred, {})));
    REQUIRE(train::confusion_matrix(ex, pred, 3) == std::vector<std::size_t>{1, 0, 0, 0, 1, 1, 0, 0, 1});
    const std::vector<std::size_t> bad = {9};
    REQUIRE_THROWS_AS(train::accuracy_on(ex, pred, bad), std::out_of_range);
}

TEST_CASE("training learns the workshop's 10 sentences", "[train]") {
    Tiny t;
    MiniLLM model(t.config(), 5);
    train::Classifier c = train::classifier(model);
    train::Options o = t.options();
    o.epochs = 30;
    const train::Result r = train::fit(c, t.vocab, t.data, t.data, o);
    REQUIRE_FALSE(r.diverged);
    REQUIRE(r.history.size() == 30);
    REQUIRE(r.steps == 30 * 3);                                  // ceil(10 / 4) = 3 steps per epoch
    REQUIRE(r.history.back().train_accuracy == 1.0);
    REQUIRE(r.history.back().train_loss < r.history.front().train_loss);
    REQUIRE(r.history.back().lr == Approx(o.lr * o.min_lr_ratio).epsilon(0.05));   // the cosine's floor
}

TEST_CASE("the bag of words trains through the same loop", "[train]") {
    Tiny t;
    BagOfWords bow(static_cast<int>(t.vocab.size()), 16, 2, 5);
    train::Classifier c = train::classifier(bow, 16);
    train::Options o = t.options();
    o.epochs = 40;
    const train::Result r = train::fit(c, t.vocab, t.data, t.data, o);
    REQUIRE_FALSE(r.diverged);
    REQUIRE(r.history.back().train_loss < r.history.front().train_loss);
}

TEST_CASE("same seed, same bytes: two short trainings save identical checkpoints", "[train][determinism]") {
    Tiny t;
    const std::string a = train_and_serialize(t, 11);
    const std::string b = train_and_serialize(t, 11);
    REQUIRE(a.size() > 1000);
    REQUIRE(a == b);
    REQUIRE(train_and_serialize(t, 12) != a);                   // and the seed does matter

    // The same through files written by checkpoint::save.
    const fs::path dir = fs::temp_directory_path() / ("llm_test_train_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    for (const char* name : {"a.safetensors", "b.safetensors"}) {
        MiniLLM model(t.config(), 11);
        train::Classifier c = train::classifier(model);
        train::Options o = t.options();
        o.seed = 11;
        train::fit(c, t.vocab, t.data, t.data, o);
        checkpoint::save((dir / name).string(), model, t.vocab, t.classes);
    }
    REQUIRE(io::read_file((dir / "a.safetensors").string()) == io::read_file((dir / "b.safetensors").string()));
    REQUIRE(io::read_file((dir / "a.safetensors").string()) == a);
    fs::remove_all(dir);
}

TEST_CASE("a NaN loss stops training and restores the last good epoch", "[train][nan]") {
    Tiny t;
    MiniLLM model(t.config(), 2);
    train::Classifier c = train::classifier(model);
    train::Options o = t.options();
    o.epochs = 4;
    std::vector<std::vector<std::uint32_t>> after_epoch_1;
    o.before_step = [&](int epoch, int step) {
        if (epoch == 2 && step == 0) after_epoch_1 = param_bits(c.params);   // what epoch 1 left
        if (epoch == 2 && step == 1) model.classifier_bias.data()[0] = std::numeric_limits<float>::quiet_NaN();
    };
    const train::Result r = train::fit(c, t.vocab, t.data, t.data, o);
    REQUIRE(r.diverged);
    REQUIRE(r.restored_epoch == 1);
    REQUIRE(r.history.size() == 1);
    REQUIRE(r.steps == 3 + 1);                                   // epoch 1, then one step of epoch 2
    REQUIRE_THAT(r.stop_reason, Catch::Matchers::Contains("the loss is NaN at epoch 2, step 2/3"));
    REQUIRE_THAT(r.stop_reason, Catch::Matchers::Contains("back to its parameters after epoch 1"));
    REQUIRE(param_bits(c.params) == after_epoch_1);              // bit for bit, NaN gone
}

TEST_CASE("a NaN in the first epoch restores the initial parameters", "[train][nan]") {
    Tiny t;
    MiniLLM model(t.config(), 2);
    const auto initial = param_bits(model.named_parameters());
    train::Classifier c = train::classifier(model);
    train::Options o = t.options();
    o.before_step = [&](int epoch, int step) {
        if (epoch == 1 && step == 2) model.embedding.data()[5] = std::numeric_limits<float>::infinity();
    };
    const train::Result r = train::fit(c, t.vocab, t.data, t.data, o);
    REQUIRE(r.diverged);
    REQUIRE(r.restored_epoch == 0);
    REQUIRE(r.history.empty());
    REQUIRE_THAT(r.stop_reason, Catch::Matchers::Contains("before training"));
    REQUIRE(param_bits(c.params) == initial);
}

TEST_CASE("an absurd learning rate is caught, not trained through", "[train][nan]") {
    // lr 1e30: the first AdamW step moves every weight by ~1e30, the next
    // forward overflows. Whatever the first non-finite number is (loss or
    // gradient norm), training must stop and the model must stay finite.
    Tiny t;
    MiniLLM model(t.config(), 4);
    train::Classifier c = train::classifier(model);
    train::Options o = t.options();
    o.lr = 1e30f;
    o.warmup = 0.0f;
    const train::Result r = train::fit(c, t.vocab, t.data, t.data, o);
    REQUIRE(r.diverged);
    for (const auto& [name, p] : c.params)
        for (const float v : p.data()) REQUIRE(std::isfinite(v));
}

TEST_CASE("the printed log is byte-identical without timing, and has the timing columns with it", "[train]") {
    Tiny t;
    const std::string a = fit_output(t, false), b = fit_output(t, false);
    REQUIRE(a == b);
    REQUIRE(a.find("tokens/s") == std::string::npos);
    REQUIRE(a.find('\r') == std::string::npos);                  // Progress::lines never redraws
    REQUIRE(std::count(a.begin(), a.end(), '\n') == 2 + 3);      // two header lines + one line per epoch
    const std::string timed = fit_output(t, true);
    REQUIRE(timed.find("tokens/s") != std::string::npos);
}

TEST_CASE("training options are validated", "[train]") {
    train::Options o;
    REQUIRE_NOTHROW(o.validate());
    auto bad = [](auto change) {
        train::Options x;
        change(x);
        REQUIRE_THROWS_AS(x.validate(), std::invalid_argument);
    };
    bad([](train::Options& x) { x.epochs = 0; });
    bad([](train::Options& x) { x.batch_size = 0; });
    bad([](train::Options& x) { x.lr = 0; });
    bad([](train::Options& x) { x.lr = std::numeric_limits<float>::quiet_NaN(); });
    bad([](train::Options& x) { x.warmup = 1.0f; });
    bad([](train::Options& x) { x.clip_norm = -1; });
    bad([](train::Options& x) { x.weight_decay = -0.1f; });
    Tiny t;
    MiniLLM model(t.config(), 1);
    train::Classifier c = train::classifier(model);
    REQUIRE_THROWS_AS(train::fit(c, t.vocab, std::span<const Example>{}, t.data, t.options()), std::invalid_argument);
}

// ---------------------------------------------------------------------------
// Length buckets and whole-sentence hold-out (issue 13)

TEST_CASE("length_buckets: every index once, batches of similar length, deterministic", "[train][buckets]") {
    std::vector<std::size_t> order(100), lengths(100);
    for (std::size_t i = 0; i < 100; ++i) order[i] = (i * 37) % 100, lengths[i] = (i * 13) % 41 + 1;
    Rng a(7), b(7);
    const auto batches = train::length_buckets(order, lengths, 8, 5, a);
    REQUIRE(batches == train::length_buckets(order, lengths, 8, 5, b));
    std::vector<std::size_t> all;
    std::size_t spread = 0;
    for (const auto& batch : batches) {
        all.insert(all.end(), batch.begin(), batch.end());
        std::size_t lo = 1000, hi = 0;
        for (const std::size_t i : batch) lo = std::min(lo, lengths[i]), hi = std::max(hi, lengths[i]);
        spread += hi - lo;
    }
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < 100; ++i) REQUIRE(all[i] == i);
    REQUIRE(batches.size() == 13);
    // without buckets: consecutive slices of `order`, a much larger spread of lengths per batch
    Rng c(7);
    const auto plain = train::length_buckets(order, lengths, 8, 1, c);
    REQUIRE(plain.front() == std::vector<std::size_t>(order.begin(), order.begin() + 8));
    std::size_t plain_spread = 0;
    for (const auto& batch : plain) {
        std::size_t lo = 1000, hi = 0;
        for (const std::size_t i : batch) lo = std::min(lo, lengths[i]), hi = std::max(hi, lengths[i]);
        plain_spread += hi - lo;
    }
    REQUIRE(spread * 3 < plain_spread);
}

TEST_CASE("hold_out_sentences: whole sentences held out, their phrases leave training", "[train][holdout]") {
    std::vector<Example> ex;
    for (int s = 0; s < 20; ++s) {
        std::string w = "w", the = "the ";                          // (appended: g++ 12 warns on "lit" + string)
        w += std::to_string(s);
        the += w;
        ex.push_back({the + " film was good", 1, "all"});          // the sentence
        ex.push_back({w + " film", 1, "all"});                     // its phrases
        ex.push_back({the, 0, "all"});
    }
    ex.push_back({"film was good", 1, "all"});                    // a phrase of every sentence
    const Holdout h = hold_out_sentences(ex, 0.25, 3);
    REQUIRE(h.groups == 20);
    REQUIRE(h.held_groups == 5);
    REQUIRE(h.validation.size() == 5);
    for (const Example& v : h.validation) {
        REQUIRE(v.text.rfind("the w", 0) == 0);
        REQUIRE(v.text.size() > 16);                                  // a full sentence, not a phrase
        const std::string w = v.text.substr(4, v.text.find(' ', 4) - 4);
        for (const Example& t : h.train) REQUIRE(t.text.find(w + " ") == std::string::npos);
    }
    // 15 groups of 3 lines train; the shared phrase is inside held-out sentences: dropped
    REQUIRE(h.train.size() == 45);
    REQUIRE(h.dropped == 10 + 1);
    REQUIRE(h.train.size() + h.validation.size() + h.dropped == ex.size());
    REQUIRE(hold_out_sentences(ex, 0.25, 3).validation[0].text == h.validation[0].text);   // seeded
    // whatever the seed: no training line is a phrase of a validation sentence (here "film was
    // good" belongs to the longest sentence's group, held out or not)
    ex.push_back({"a very long line where the film was good indeed", 1, "all"});
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
        const Holdout k = hold_out_sentences(ex, 0.25, seed);
        for (const Example& v : k.validation)
            for (const Example& t : k.train) {
                std::string sentence = " ", phrase = " ";             // whole tokens only
                sentence.append(v.text).append(" ");
                phrase.append(t.text).append(" ");
                REQUIRE(sentence.find(phrase) == std::string::npos);
            }
    }
}

TEST_CASE("early stopping: the model ends with the best validation epoch's parameters", "[train][holdout]") {
    Tiny t;
    MiniLLM model(t.config(), 5);
    train::Classifier c = train::classifier(model);
    train::Options o = t.options();
    o.epochs = 6;
    o.lr = 3e-2f;
    const std::vector<Example> valid(t.data.begin(), t.data.begin() + 5);
    o.validation = valid;
    o.restore_best = true;
    const train::Result r = train::fit(c, t.vocab, t.data, t.data, o);
    double best_acc = 0;
    for (const auto& h : r.history) best_acc = std::max(best_acc, h.valid_accuracy);
    REQUIRE(r.history[static_cast<std::size_t>(r.best_epoch - 1)].valid_accuracy == best_acc);
    // the model now holds that epoch's parameters: its test evaluation is that epoch's
    REQUIRE(r.test.loss == r.history[static_cast<std::size_t>(r.best_epoch - 1)].test_loss);
    REQUIRE(train::evaluate(c, t.vocab, valid).accuracy == best_acc);
    REQUIRE_THROWS_AS([&] { train::Options bad = t.options(); bad.restore_best = true; bad.validate(); }(),
                      std::invalid_argument);
}

TEST_CASE("pretrain: the masked-word loss falls, the classifier is untouched, same seed same bytes", "[train][pretrain]") {
    Tiny t;
    auto run = [&](std::uint64_t seed) {
        MiniLLM model(t.config(), 5);
        train::Options o = t.options();
        o.seed = seed;
        o.lr = 1e-2f;
        const auto classifier_before = bits(model.classifier_weight.data());
        const auto encoder_before = bits(model.embedding.data());
        // the workshop's 10 sentences, each 8 times: enough masked words to learn from
        std::vector<Example> text;
        for (int k = 0; k < 8; ++k) text.insert(text.end(), t.data.begin(), t.data.end());
        const train::PretrainResult r = train::pretrain(model, t.vocab, text, 12, o, 0.3f);
        REQUIRE_FALSE(r.diverged);
        REQUIRE(r.history.size() == 12);
        CHECK(bits(model.classifier_weight.data()) == classifier_before);   // only the encoder side learns
        CHECK(bits(model.embedding.data()) != encoder_before);
        return std::make_pair(r.history, param_bits(model.named_parameters()));
    };
    const auto [history, params] = run(11);
    INFO("first epoch " << history.front().loss << ", last " << history.back().loss);
    CHECK(history.back().loss < 0.8 * history.front().loss);
    CHECK(history.back().accuracy > history.front().accuracy);
    for (const auto& h : history) CHECK(h.masked > 0);
    CHECK(run(11).second == params);                                      // same seed, same bytes
    CHECK(run(12).second != params);
    MiniLLM model(t.config(), 5);
    CHECK_THROWS_AS(train::pretrain(model, t.vocab, {}, 1, t.options()), std::invalid_argument);
}

TEST_CASE("ema: each epoch is evaluated with the moving average, and the model ends with it", "[train][ema]") {
    Tiny t;
    MiniLLM plain_model(t.config(), 5), ema_model(t.config(), 5);
    train::Classifier plain = train::classifier(plain_model), averaged = train::classifier(ema_model);
    train::Options o = t.options();
    const train::Result a = train::fit(plain, t.vocab, t.data, t.data, o);
    o.ema = 0.9f;
    const train::Result b = train::fit(averaged, t.vocab, t.data, t.data, o);
    // the same steps (the same batch losses), other parameters at the end of every epoch
    for (std::size_t e = 0; e < a.history.size(); ++e) {
        CHECK(a.history[e].running_loss == b.history[e].running_loss);
        CHECK(a.history[e].test_loss != b.history[e].test_loss);
    }
    CHECK(param_bits(plain.params) != param_bits(averaged.params));
    CHECK(train::evaluate(averaged, t.vocab, t.data).loss == b.history.back().test_loss);
}
