// Lesson 5 — The complete mini LLM: a sentiment classifier trained,
// evaluated, saved and reused.
//
// Lessons 1–4 built attention, multi-head attention, positional encoding and
// the encoder. Here they become one model (src/nn/model.hpp, MiniLLM) that reads
// a sentence and says negative, neutral or positive:
//
//   1. The data: 3,600 training and 880 test sentences, five phenomena.
//   2. The model: its configuration, its parameters, one forward's shapes.
//   3. Training: shuffled mini-batches, AdamW, warmup + cosine, clipping.
//   4. A baseline without attention: a bag of words trained the same way.
//   5. Evaluation on the test split, per phenomenon, transformer vs baseline.
//   6. Predictions on sentences of our own, with their confidences.
//   7. Where the trained model looks: attention, every layer and head.
//   8. Save, reload, and use it from the command line.
//
// What this version does that the workshop's notebook does not: it tests on
// sentences it never trained on; it never attends to padding; it measures
// accuracy with dropout OFF; it stops on a NaN loss; it saves a file that
// carries its own configuration, vocabulary and class names, and checks
// all of them when loading.
//
// Run: make lesson5 (well under a minute; figures in out/lesson5/), then try
//   build/lesson5 --help
//   build/lesson5 --load out/lesson5/model.safetensors --predict "the acting was not good"
// Every number comes from a fixed seed. Two runs print the same bytes except
// the seconds and tokens/s of the training lines (--no-timing removes them).
//
// The pieces: src/app/train.hpp (the loop, evaluation), src/io/checkpoint.hpp (the
// file), src/app/cli.hpp (the flags and --predict). Shapes use the names of
// src/core/tensor.hpp: B batch, T tokens, C d_model, H heads, K classes, V vocabulary.
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "fixtures/lesson_cli.hpp"
#include "io/checkpoint.hpp"
#include "app/cli.hpp"
#include "io/dataset.hpp"
#include "nn/init.hpp"
#include "nn/model.hpp"
#include "core/ops.hpp"
#include "viz/i18n.hpp"
#include "viz/plot.hpp"
#include "viz/report.hpp"
#include "app/train.hpp"

using namespace llm;

namespace {

// Everything the sections share, filled in as the lesson goes.
struct Lesson {
    cli::Options opt;
    std::vector<std::string> classes;          // label id -> name
    std::vector<Example> train, test;
    std::vector<Example> validation;           // whole sentences held out of train (--validation)
    std::vector<Example> unlabelled;           // --unlabelled: text for the vocabulary and the pre-training
    Vocab vocab;
    std::vector<train::EpochRecord> history, bow_history;
    train::Evaluation eval, bow_eval;          // the final models on the test split
    std::size_t overlap = 0;                   // test sentences also in the training file
    bool shipped_data() const {                // data/README.md describes these two files
        return opt.train_path == cli::Options{}.train_path && opt.test_path == cli::Options{}.test_path;
    }
};

std::string pct(double v) { return report::fixed(100.0 * v, 2) + "%"; }

// A sentence or word of the data where the text is in another language: in
// double quotes, as English data inside the French text; in English as it is.
std::string datum(const std::string& s) { return i18n::language() == i18n::Lang::en ? s : "\"" + s + "\""; }

std::string points(double d) {                  // 0.3012 -> "+30.12" (percentage points)
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.2f", 100.0 * d);
    return buf;
}

std::string commas(std::size_t n) {             // 114499 -> "114,499"
    std::string s = std::to_string(n), out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
        out += s[i];
    }
    return out;
}

// The tokens of a sentence as the model sees them (unknown words as <unk>).
std::vector<std::string> model_tokens(const Vocab& vocab, const std::string& text, std::size_t max_len) {
    std::vector<std::string> out;
    for (const int id : vocab.encode(text, max_len)) out.push_back(vocab.token(id));
    return out;
}

// ---- 1. The data -------------------------------------------------------------------
// Real data (issue 13). The same code reads GLUE's SST-2 TSV, IMDB's CSV and the
// aclImdb folders (src/io/table.hpp, src/io/dataset.hpp). Measured on SST-2 with
// 1,032 held-out full sentences (README, "Lesson 5 on real reviews"), five seeds
// each, because one run moves by one to three points with its seed alone: the
// transformer trained 4 epochs at lr 0.001 with dropout 0.3 (the default on data
// of your own) 80.06% on average, with the shipped data's dropout 0.1 79.24%, the
// bag of words trained the same way 78.82%, the transformer after masked-word
// pre-training on the training text (section 3, dropout 0.1) 78.68%: no gain, so
// pre-training is on only with --unlabelled text. The lesson's base training
// (8 epochs at lr 0.003): 76.86% (five shuffling seeds). 24 other settings at
// five seeds each (word dropout, pre-LN, depth, heads, width, pooling, character
// n-grams, phrases read inside their sentence, ...; section 5 prints the list)
// average 78.1-80.4%; none is kept (BPE subwords, one seed: 77.42%). A CNN
// with random word vectors (Kim 2014; tests/realdata/cnn_baseline.py) trained on
// the same files reaches 81.4% (three seeds): on these sentences the transformer
// does not beat it, and beats the bag of words by 1.2 points, about two standard
// errors. The templates of the shipped data are where word order decides, and
// there the transformer wins clearly (section 5).

// Section 1's steps: the files read and described, the validation hold-out
// and the pre-training decision (load_splits); the vocabulary and the
// splits' sizes (split_overview); the parts with examples (parts_overview);
// the token facts (token_facts).
void load_splits(Lesson& L) {
    cli::Data data = cli::load_data(L.opt);
    L.classes = data.train.classes;
    L.train = std::move(data.train.examples);
    L.test = std::move(data.test.examples);
    L.opt.max_len = static_cast<int>(data.max_len);
    for (const auto* d : {&data.train, &data.test}) {   // in the reader's language (cli.hpp)
        const std::string& path = d == &data.train ? L.opt.train_path : L.opt.test_path;
        report::verbatim(cli::description(path, *d) + "\n");
        for (const std::string& line : cli::skip_lines(*d)) report::verbatim("  " + line + "\n");
    }
    if (data.unlabelled) {
        report::verbatim(cli::description(L.opt.unlabelled_path, *data.unlabelled) + "\n");
        for (const std::string& line : cli::skip_lines(*data.unlabelled)) report::verbatim("  " + line + "\n");
        L.unlabelled = std::move(data.unlabelled->examples);
    }
    report::printf("max_len %zu (%s)\n", data.max_len, data.max_len_note.c_str());
    // Validation: whole sentences held out of the training file, for early
    // stopping (SST-2's lines are phrases of sentences: see hold_out_sentences).
    const bool auto_validation = !L.shipped_data() && L.train.size() >= 1000;
    const float fraction = L.opt.validation >= 0 ? L.opt.validation : auto_validation ? 0.1f : 0.0f;
    if (fraction > 0) {
        Holdout h = hold_out_sentences(L.train, fraction, L.opt.seed);
        report::printf("validation: %zu of %zu training sentences held out whole (%zu phrases of them left out of "
                       "training); training keeps the epoch with the best validation accuracy\n",
                       h.validation.size(), h.groups, h.dropped);
        L.train = std::move(h.train);
        L.validation = std::move(h.validation);
    }
    // Real data (README, "Lesson 5 on real reviews"): on data of your own of
    // 1,000 lines or more, or with --unlabelled text, a shorter, gentler
    // training than the shipped data's, unless --epochs, --lr say otherwise.
    // Masked-word pre-training (section 3) is on with --unlabelled text unless
    // --pretrain says how long (on the training text alone it measured no
    // gain: the comment at the top of this section); without it, dropout 0.3
    // unless --dropout says otherwise.
    if (L.opt.pretrain_epochs < 0) L.opt.pretrain_epochs = L.unlabelled.empty() ? 0 : cli::kPretrainEpochs;
    if (auto_validation || !L.unlabelled.empty()) {
        if (!L.opt.epochs_given) L.opt.epochs = cli::kRealDataEpochs;
        if (!L.opt.lr_given) L.opt.lr = cli::kRealDataLr;
        if (L.opt.pretrain_epochs > 0) {
            report::printf("pre-training: %d epochs of masked words, then %d epochs on the labels at lr %s (data of "
                           "your own of 1,000 lines or more, or --unlabelled; --pretrain, --epochs, --lr change "
                           "them)\n", L.opt.pretrain_epochs, L.opt.epochs, report::num(L.opt.lr).c_str());
        } else {
            if (!L.opt.dropout_given) L.opt.dropout = cli::kRealDataDropout;
            report::printf("training: %d epochs at lr %s, dropout %s (data of your own of 1,000 lines or more; "
                           "--epochs, --lr, --dropout change them; --pretrain N adds masked-word pre-training first)\n",
                           L.opt.epochs, report::num(L.opt.lr).c_str(), report::num(L.opt.dropout).c_str());
        }
    }
    report::printf("\n");
}

void split_overview(Lesson& L) {
    // The vocabulary comes from the TRAINING split only (and --unlabelled
    // text): a word seen only in the test split is <unk>, as it would be for a
    // real user's sentence.
    std::vector<std::string> words = texts_of(L.train);
    for (const Example& ex : L.unlabelled) words.push_back(ex.text);
    L.vocab = Vocab::build(words);

    std::set<std::string> train_texts;
    for (const Example& ex : L.train) train_texts.insert(ex.text);
    for (const Example& ex : L.test) L.overlap += train_texts.count(ex.text);
    report::say_verbatim(
        report::translated("Two files: the model learns from %s and is judged on %s. Test sentences that also appear "
                           "in the training file: %zu of %s.",
                           L.opt.train_path.c_str(), L.opt.test_path.c_str(), L.overlap, commas(L.test.size()).c_str()) +
        (L.shipped_data() ? " " + i18n::tr("The shipped test split also holds out word combinations, such as \"never\" + "
                                           "\"gripping\", that training never shows (data/README.md).")
                          : ""));
    report::printf("\n");
    std::vector<std::string> head = {"split", "sentences"};
    for (const auto& c : L.classes) head.push_back(c);
    report::Table split_table(head);
    std::vector<std::size_t> class_columns;                  // class names: data, as the file spells them
    for (std::size_t k = 0; k < L.classes.size(); ++k) class_columns.push_back(2 + k);
    split_table.data_headers(class_columns);
    for (const auto* part : {&L.train, &L.test}) {
        std::vector<std::string> row = {part == &L.train ? "train" : "test", commas(part->size())};
        for (const std::size_t n : count_labels(*part, L.classes.size())) row.push_back(commas(n));
        split_table.row(row);
    }
    split_table.print();

}

void parts_overview(const Lesson& L) {
    const auto train_parts = indices_by_part(L.train), test_parts = indices_by_part(L.test);
    if (L.shipped_data()) {
        report::printf("\n");
        report::say("Each sentence belongs to a \"part\", the phenomenon it tests. Two of them defeat a model that "
                    "only counts words: in negation the label is the XOR of \"negated\" and the word's polarity; in "
                    "contrast every sentence has a twin with the same words and the opposite label.");
    }
    report::printf("\n");
    report::Table parts({"part", "train", "test"});
    parts.data({0});                                          // the parts' names: data
    std::string examples;
    for (const auto& p : train_parts) {
        std::size_t n_test = 0;
        for (const auto& q : test_parts)
            if (q.part == p.part) n_test = q.indices.size();
        parts.row({p.part, commas(p.indices.size()), commas(n_test)});
        // two examples per part, the first of each label, from the training split
        std::vector<bool> shown(L.classes.size(), false);
        int n = 0;
        for (const std::size_t i : p.indices) {
            const Example& ex = L.train[i];
            if (shown[std::size_t(ex.label)] || n == 2) continue;
            shown[std::size_t(ex.label)] = true;
            ++n;
            char line[256];
            std::snprintf(line, sizeof line, "  %-12s %-9s %s\n", p.part.c_str(), L.classes[std::size_t(ex.label)].c_str(),
                          datum(ex.text).c_str());
            examples += line;
        }
    }
    parts.print();
    report::printf("\n  Examples (training split):\n%s", examples.c_str());

}

void token_facts(const Lesson& L) {
    // Tokens: the longest sentence, how many the model's max_len cuts, and how
    // many test tokens the training vocabulary does not know.
    std::size_t longest = 0, cut = 0, test_tokens = 0, test_unknown = 0;
    std::string longest_text;
    for (const auto* split : {&L.train, &L.test})
        for (const Example& ex : *split) {
            const std::size_t n = count_tokens(ex.text);
            if (n > longest) longest = n, longest_text = ex.text;
            cut += n > static_cast<std::size_t>(L.opt.max_len);
        }
    for (const Example& ex : L.test)
        for (const int id : L.vocab.encode(ex.text, static_cast<std::size_t>(L.opt.max_len))) {
            ++test_tokens;
            test_unknown += id == Vocab::unk_id;
        }
    report::printf("\n");
    report::Table tok({"tokens", "value"});
    tok.row({L.unlabelled.empty() ? "vocabulary (training split, with <pad> and <unk>)"
                                  : "vocabulary (training split and --unlabelled text, with <pad> and <unk>)",
             commas(L.vocab.size())});
    tok.row({"longest sentence, in tokens", std::to_string(longest)});
    tok.row({"sentences (train + test) cut to max_len = " + std::to_string(L.opt.max_len), std::to_string(cut)});
    if (!L.unlabelled.empty()) {   // the pre-training reads their first max_len tokens
        const auto long_texts = std::count_if(L.unlabelled.begin(), L.unlabelled.end(), [&](const Example& ex) {
            return count_tokens(ex.text) > static_cast<std::size_t>(L.opt.max_len);
        });
        tok.row({"--unlabelled texts cut to max_len = " + std::to_string(L.opt.max_len), commas(std::size_t(long_texts))});
    }
    tok.row({"test tokens unknown to the vocabulary (<unk>)",
             commas(test_unknown) + " of " + commas(test_tokens)});
    tok.print();
    report::printf("\n  longest: \"%s\"\n", longest_text.c_str());
    report::printf("  tokens:  %s\n", datum(L.vocab.decode(L.vocab.encode(longest_text, longest))).c_str());
}

void section_data(Lesson& L) {
    report::section("1. The data");
    // Classes: the distinct labels of the training file, sorted. For the shipped
    // files that is negative (0), neutral (1), positive (2). The format (TSV,
    // CSV, an aclImdb folder) is detected; rows that cannot be used are
    // skipped and counted, one line per reason (--strict stops at the first).
    load_splits(L);
    split_overview(L);
    parts_overview(L);
    token_facts(L);
}

// ---- 2. The model --------------------------------------------------------------------
// Section 2's steps: the embedding's scale measured against the positions'
// (embedding_scale, which also applies --embed-std), the parameters per
// component (parameter_groups), one forward pass's shapes (forward_shapes).
void embedding_scale(const Lesson& L, MiniLLM& model) {
    const ModelConfig& cfg = model.config();
    const int C = cfg.d_model;
    // The embedding's scale. torch's nn.Embedding draws N(0, 1); times sqrt(C)
    // a token vector then has length ~C, while a sinusoidal position vector
    // has length sqrt(C/2): the position is a whisper next to the word.
    // MiniLLM draws N(0, 1/C) instead (src/nn/model.hpp), so that after * sqrt(C)
    // both parts have comparable lengths. --embed-std S redraws it N(0, S^2).
    if (L.opt.embed_std) {
        Rng rng(L.opt.seed);
        model.embedding = init::normal({cfg.vocab_size, C}, *L.opt.embed_std, rng);   // [V, C]
    }
    auto mean_row_norm = [](std::span<const float> m, int rows, int cols, double scale) {
        double total = 0;
        for (int r = 0; r < rows; ++r) {
            double s = 0;
            for (int c = 0; c < cols; ++c) s += std::pow(m[std::size_t(r * cols + c)] * scale, 2);
            total += std::sqrt(s);
        }
        return total / rows;
    };
    const double sqrtC = std::sqrt(static_cast<double>(C));
    Rng workshop_rng(L.opt.seed);
    const Tensor workshop = init::normal({cfg.vocab_size, C}, 1.0f, workshop_rng);  // [V, C] nn.Embedding's N(0, 1)
    const double word_workshop = mean_row_norm(workshop.data(), cfg.vocab_size, C, sqrtC);
    const double word_ours = mean_row_norm(model.embedding.data(), cfg.vocab_size, C, sqrtC);
    const double position = mean_row_norm(model.positions.data(), cfg.max_len, C, 1.0);
    report::printf("\n");
    report::say("Word and position are ADDED into one vector, so their sizes matter. Measured, the mean length "
                "of each part of the vectors that enter the first block:");
    report::printf("\n");
    report::Table scale({"part of the input", "mean length"});
    scale.row({"word, embedding N(0, 1) * sqrt(C)   (the workshop, torch's nn.Embedding)",
               report::fixed(word_workshop, 2)});
    scale.row({std::string("word, embedding ") +
                   (L.opt.embed_std ? "N(0, " + report::num(*L.opt.embed_std) + "^2)" : std::string("N(0, 1/C)")) +
                   " * sqrt(C)   (this model)",
               report::fixed(word_ours, 2)});
    scale.row({"position, sinusoidal PE", report::fixed(position, 2)});
    scale.print();
    report::printf("\n");
    report::say("With the workshop's initialisation the position is " +
                report::fixed(100.0 * position / word_workshop, 0) + "% of the word's length, here " +
                report::fixed(100.0 * position / word_ours, 0) + "%. Contrast (\"good X but bad Y\") is all "
                "about word order; rerun with --embed-std 1 to measure what the workshop's choice costs.");

}

void parameter_groups(const MiniLLM& model) {
    // Parameters per component, from the torch names of named_parameters().
    report::printf("\n");
    // The components' names in the reader's language: the torch names stay
    // (encoder.layers.0), the words around them are translated.
    std::map<std::string, std::size_t> groups;
    std::vector<std::string> order;
    for (const auto& [name, t] : model.named_parameters()) {
        std::string g = name.substr(0, name.find('.'));
        if (g == "encoder") {
            const auto a = name.find('.', 15), b = name.find('.', a + 1);           // encoder.layers.N.<sub>
            const std::string sub = name.substr(a + 1, b - a - 1), layer = name.substr(0, a);
            g = sub == "self_attn"                ? report::translated("%s attention", layer.c_str())
                : sub.rfind("linear", 0) == 0     ? report::translated("%s feed-forward", layer.c_str())
                                                  : report::translated("%s norms", layer.c_str());
        } else {
            g = i18n::tr(g);                                                      // embedding, classifier
        }
        if (!groups.count(g)) order.push_back(g);
        groups[g] += t.numel();
    }
    report::Table ptab({"component", "parameters"});
    ptab.data({0});                                           // already in the reader's language
    for (const auto& g : order) ptab.row({g, commas(groups[g])});
    ptab.row({i18n::tr("total"), commas(model.num_parameters())});
    ptab.print();

}

void forward_shapes(const Lesson& L, const MiniLLM& model) {
    const ModelConfig& cfg = model.config();
    // One forward pass on 4 training sentences (fewer if the file has fewer), to see the shapes.
    report::printf("\n");
    std::vector<std::size_t> four;
    for (std::size_t i = 0; i < std::min<std::size_t>(4, L.train.size()); ++i) four.push_back(i);
    const ExampleBatch batch = make_example_batch(L.vocab, L.train, four, static_cast<std::size_t>(cfg.max_len));
    const Tensor pad = Tensor::from({int(batch.tokens.B), int(batch.tokens.T)}, batch.tokens.pad_mask);   // [B, T]
    NoGrad no_grad;
    const MiniLLM::Output out = model.forward(batch.tokens.ids, pad, nullptr);
    report::say("One forward pass on " + std::to_string(four.size()) + " training sentences (padded to the longest, T = " +
                std::to_string(batch.tokens.T) + "):");
    report::printf("\n");
    report::shape("ids", Tensor::zeros({int(batch.tokens.B), int(batch.tokens.T)}), "[B, T] token ids");
    report::shape("pad", pad, "[B, T] 1 = padding, never attended to");
    report::shape("attention, per layer", out.attention[0], "[B, H, T, T]");
    report::shape("logits", out.logits, "[B, K] one score per class");
}

MiniLLM section_model(Lesson& L) {
    report::section("2. The model");
    const ModelConfig cfg = L.opt.model_config(static_cast<int>(L.vocab.size()), static_cast<int>(L.classes.size()));
    MiniLLM model(cfg, L.opt.seed);
    const int C = cfg.d_model;

    report::say("MiniLLM (src/nn/model.hpp): token embedding * sqrt(C) + sinusoidal positions, dropout, " +
                std::to_string(cfg.num_layers) + " encoder blocks (" + (cfg.pre_norm ? "pre-LN" : "post-LN, as in the paper") + "), the mean of the "
                "REAL tokens' vectors (padding is masked out of attention and of the mean), then a linear layer "
                "to " + std::to_string(cfg.num_classes) + " logits.");
    report::printf("\n");
    report::Table conf({"config", "value"});
    conf.data({1});                                           // values: numbers and code names (relu, post-LN)
    conf.row({"vocab_size V", std::to_string(cfg.vocab_size)});
    conf.row({"d_model C", std::to_string(cfg.d_model)});
    conf.row({"num_heads H (head size C/H)", std::to_string(cfg.num_heads) + " (" + std::to_string(C / cfg.num_heads) + ")"});
    conf.row({"d_ff F", std::to_string(cfg.d_ff)});
    conf.row({"num_layers", std::to_string(cfg.num_layers)});
    conf.row({"num_classes K", std::to_string(cfg.num_classes)});
    conf.row({"max_len", std::to_string(cfg.max_len)});
    conf.row({"dropout", report::num(cfg.dropout)});
    conf.row({"activation, norm", std::string(to_string(cfg.activation)) + ", " + (cfg.pre_norm ? "pre-LN" : "post-LN")});
    conf.print();

    embedding_scale(L, model);
    parameter_groups(model);
    forward_shapes(L, model);
    return model;
}

// ---- 3. Training -----------------------------------------------------------------------
// Early stopping on whole held-out sentences (L.validation, made in section 1).
void use_validation(const Lesson& L, train::Options& t) {
    if (L.validation.empty()) return;
    t.validation = L.validation;
    t.restore_best = true;
}


// Masked-language-model pre-training (--pretrain N, train::pretrain):
// the "LLM" of mini LLM. Returns false when it diverged.
bool section_pretraining(Lesson& L, MiniLLM& model, const train::Options& fine_tuning) {
    train::Options p = fine_tuning;
    p.lr = L.opt.pretrain_lr;
    report::say("First, pre-training (BERT in miniature): for " + std::to_string(L.opt.pretrain_epochs) +
                " epochs the encoder learns to guess hidden words of the training sentences from their context; "
                "the labels are not used. 15% of the tokens are picked; a picked token becomes <unk> (80%), a "
                "random word (10%) or stays (10%). The output layer over the " + commas(L.vocab.size()) +
                " words is the embedding table itself (tied weights), so guessing a word means pointing at its "
                "vector. Peak learning rate " + report::num(p.lr) + ". \"guessed\" is the share of masked words "
                "predicted exactly.");
    std::span<const Example> texts = L.train;         // the training sentences, then any unlabelled text
    std::vector<Example> both;
    if (!L.unlabelled.empty()) {
        both = L.train;
        both.insert(both.end(), L.unlabelled.begin(), L.unlabelled.end());
        texts = both;
        report::say("It reads the " + commas(L.train.size()) + " training sentences and the " +
                    commas(L.unlabelled.size()) + " texts without labels of --unlabelled: " + commas(texts.size()) +
                    " texts per epoch.");
    }
    report::printf("\n");
    const train::PretrainResult r = train::pretrain(model, L.vocab, texts, L.opt.pretrain_epochs, p);
    if (r.diverged) {
        std::fflush(stdout);
        std::fputs(report::translated("lesson5: %s; try a smaller --pretrain-lr (it was %g)\n",
                                      r.stop_reason.c_str(), static_cast<double>(p.lr)).c_str(), stderr);
        return false;
    }
    report::printf("\n");
    report::say("Measured on SST-2 (1,032 held-out full sentences; README, \"Lesson 5 on real reviews\"), "
                "pre-training on the text of the training file alone, five seeds each, dropout 0.1: the transformer "
                "reaches 78.68% on average with it (76.84% to 80.43%), 79.24% without it (78.00% to 81.49%), the bag "
                "of words 78.82%. One run moves by one to three points with its seed alone, so that is no gain: on "
                "data of your own, pre-training is on only with --unlabelled, and without it dropout 0.3 gives "
                "80.06% (section 5 puts it next to the other settings measured).");
    report::printf("\n");
    report::say("What more text without labels gives: with half of the labels, pre-training on "
                "all the training text instead of the labelled half alone gave 76.84% instead of 75.39% (seed 7: "
                "76.74% instead of 75.48%), a hint from two seeds only. The flag --unlabelled adds text of your own "
                "to the pre-training.");
    report::printf("\n");
    report::say("Then the classifier learns the labels, starting from the pre-trained embedding and encoder:");
    report::printf("\n");
    return true;
}

// Returns false when training diverged (the caller stops the lesson).
bool section_training(Lesson& L, MiniLLM& model) {
    report::section("3. Training the transformer");
    train::Options t = L.opt.train_options();
    t.progress = ::isatty(::fileno(stdout)) ? train::Progress::bar : train::Progress::lines;
    t.print = [](const std::string& line) { report::verbatim(line + "\n"); };   // fit prints in the reader's language
    const std::size_t steps_per_epoch = (L.train.size() + t.batch_size - 1) / t.batch_size;
    const std::size_t total = steps_per_epoch * static_cast<std::size_t>(t.epochs);
    report::say(std::to_string(t.epochs) + " epochs of " + std::to_string(steps_per_epoch) + " mini-batches of " +
                std::to_string(t.batch_size) + " shuffled sentences (seed " + std::to_string(t.seed) + "): " +
                commas(total) + " AdamW steps (weight decay " + report::num(t.weight_decay) + "). The learning rate "
                "climbs linearly to " + report::num(t.lr) + " over the first " +
                std::to_string(std::lround(t.warmup * float(total))) + " steps, then follows a cosine down to " +
                report::num(t.lr * t.min_lr_ratio) + "; the global gradient norm is clipped at " +
                report::num(t.clip_norm) + ". Dropout " + report::num(model.config().dropout) + " is on while "
                "training only.");
    report::printf("\n");
    if (L.opt.pretrain_epochs > 0 && !section_pretraining(L, model, t)) return false;
    report::say("Columns: \"batch loss\" is the mean loss of the epoch's batches, dropout ON, while the weights "
                "moved. \"train\" and \"test\" are measured after the epoch on the whole split with dropout OFF "
                "(the workshop measured accuracy with dropout on). A NaN or infinite loss stops training and "
                "puts back the weights of the last good epoch.");
    report::printf("\n");
    use_validation(L, t);
    train::Classifier c = train::classifier(model);
    const train::Result r = train::fit(c, L.vocab, L.train, L.test, t);
    L.history = r.history;
    if (r.diverged) {
        // One line on stderr. The last good epoch's weights go to their own
        // file: a failed run never replaces the model.safetensors of a good one.
        std::string saved = i18n::tr("no epoch completed, nothing saved");
        if (r.restored_epoch >= 1) {
            const std::string path = L.opt.out_dir + "/model.diverged.safetensors";
            checkpoint::save(path, model, L.vocab, L.classes, "diverged; weights of epoch " + std::to_string(r.restored_epoch));
            saved = report::translated("the weights of epoch %d are in %s", r.restored_epoch, path.c_str());
        }
        std::fflush(stdout);
        std::fputs(report::translated("lesson5: training stopped: %s; %s; try a smaller --lr (it was %g)\n",
                                      r.stop_reason.c_str(), saved.c_str(), static_cast<double>(t.lr)).c_str(), stderr);
        return false;
    }
    L.eval = r.test;
    return true;
}

// ---- 4. A baseline without attention -------------------------------------------------
// Returns false when training diverged (the caller stops the lesson).
bool section_baseline(Lesson& L) {
    report::section("4. A baseline without attention: a bag of words");
    BagOfWords bow(static_cast<int>(L.vocab.size()), L.opt.d_model, static_cast<int>(L.classes.size()), L.opt.seed);
    report::say("The same embedding size (" + std::to_string(L.opt.d_model) + "), the mean of the word vectors, the "
                "same linear classifier: no attention, no positions, so it sees WHICH words occur, never their "
                "order. " + commas(count_parameters(bow.named_parameters())) + " parameters. Trained the same way: "
                "same epochs, batches, seed, optimizer and schedule.");
    report::printf("\n");
    train::Options t = L.opt.train_options();
    t.progress = ::isatty(::fileno(stdout)) ? train::Progress::bar : train::Progress::lines;
    t.print = [](const std::string& line) { report::verbatim(line + "\n"); };
    use_validation(L, t);
    train::Classifier c = train::classifier(bow, static_cast<std::size_t>(L.opt.max_len));
    const train::Result r = train::fit(c, L.vocab, L.train, L.test, t);
    if (r.diverged) {
        std::fflush(stdout);
        std::fputs(report::translated("lesson5: the bag of words diverged: %s\n", r.stop_reason.c_str()).c_str(), stderr);
        return false;
    }
    L.bow_history = r.history;
    L.bow_eval = r.test;
    return true;
}

// ---- 5. Evaluation -------------------------------------------------------------------------
// On data of your own, the number just printed next to what the same
// training measured on a real corpus (README, "Lesson 5 on real reviews";
// five seeds per setting, because one run moves by one to three points with
// its seed alone), and next to what did not move it.
void real_data_yardstick() {
    report::printf("\n");
    report::say("For scale, measured on SST-2 (1,032 held-out full sentences; README, \"Lesson 5 on real reviews\"), "
                "five seeds each: the default training on data of your own (4 epochs at lr 0.001, dropout 0.3, no "
                "pre-training) reaches 80.06% on average (79.55% to 80.81%), the bag of words trained the same way "
                "78.82%, and a CNN with random word vectors (Kim 2014: 82.7% on the official SST-2 test sentences), "
                "trained and early-stopped on the same files (tests/realdata/cnn_baseline.py), 81.4% (three seeds). "
                "24 other settings measured the same way average 78.1% to 80.4%, none more than 0.4 points above "
                "it: pre-training on the training text, dropout 0.1 or 0.5, word dropout, one layer, one head, "
                "pre-LN, GELU, a wider model, max, attention or mean-and-max pooling, character n-grams added to "
                "the words, full sentences shown again each epoch, the phrases also read inside their sentence, "
                "bigger batches, more weight decay, a moving average of the weights, a larger initial embedding, "
                "less or no validation, a longer and gentler training. What moves it is the data: "
                "trained on half of the labelled sentences, the transformer loses about five points (pre-training "
                "on, two seeds).");
}


// Section 5's steps: the confusion matrix and per-class precision and recall
// (confusion), the accuracy per part against the bag of words (per_part),
// the training curves (training_curves), the mistakes (mistakes).
void confusion(const Lesson& L, report::Figures& figs) {
    const std::size_t K = L.classes.size();
    // Confusion matrix: rows are the true class, columns the predicted one.
    const auto cm = train::confusion_matrix(L.test, L.eval.predicted, K);
    std::vector<float> cmf(cm.begin(), cm.end());
    report::printf("\n  Confusion matrix of the transformer (rows: true class, columns: predicted)\n\n");
    report::matrix(cmf, K, K, L.classes, L.classes, 0);
    report::printf("\n");
    report::Table prc({"class", "precision", "recall", "test sentences"});
    prc.data({0});
    for (std::size_t k = 0; k < K; ++k) {
        std::size_t tp = cm[k * K + k], predicted = 0, actual = 0;
        for (std::size_t j = 0; j < K; ++j) predicted += cm[j * K + k], actual += cm[k * K + j];
        prc.row({L.classes[k], predicted ? pct(double(tp) / double(predicted)) : "-",
                 actual ? pct(double(tp) / double(actual)) : "-", commas(actual)});
    }
    prc.print();
    lesson::save_heatmap(figs, "confusion", cmf, K, K, L.classes, L.classes,
                         {.title = "Transformer on the test split: counts",
                          .x_title = "predicted class", .y_title = "true class",
                          .colorbar_title = "sentences"},
                         "confusion matrix of the transformer on the test split");

}

void per_part(const Lesson& L, report::Figures& figs) {
    // Per part: where does attention earn its keep?
    report::printf("\n");
    const auto parts = indices_by_part(L.test);
    report::Table tab({"part", "test sentences", "transformer", "bag of words", "difference"});
    tab.data({0});                                            // the parts' names (and "total": the same in French)
    std::vector<std::string> names;
    std::vector<float> acc_t, acc_b;
    std::map<std::string, std::pair<double, double>> by_part;   // part -> (transformer, bag of words)
    for (const auto& p : parts) {
        const double a = train::accuracy_on(L.test, L.eval.predicted, p.indices);
        const double b = train::accuracy_on(L.test, L.bow_eval.predicted, p.indices);
        tab.row({p.part, commas(p.indices.size()), pct(a), pct(b), points(a - b)});
        names.push_back(p.part);
        acc_t.push_back(float(100 * a));
        acc_b.push_back(float(100 * b));
        by_part[p.part] = {a, b};
    }
    tab.row({"total", commas(L.test.size()), pct(L.eval.accuracy), pct(L.bow_eval.accuracy),
             points(L.eval.accuracy - L.bow_eval.accuracy)});
    tab.print();
    if (by_part.count("negation") && by_part.count("contrast")) {
        report::printf("\n");
        const auto [tn, bn] = by_part["negation"];
        const auto [tc, bc] = by_part["contrast"];
        // One paragraph from three sentences, each its own catalogue entry.
        std::string text;
        if (tn > bn && tc > bc)
            text = i18n::tr("The transformer wins on negation (" + pct(tn) + " vs " + pct(bn) + ") and on contrast (" +
                            pct(tc) + " vs " + pct(bc) + "), the two parts where word order decides. ");
        else
            text = i18n::tr(tn <= bn && tc <= bc ? "In this run the transformer does NOT beat the bag of words on negation "
                                                   "and contrast: "
                            : tn <= bn           ? "In this run the transformer does NOT beat the bag of words on "
                                                   "negation: "
                                                 : "In this run the transformer does NOT beat the bag of words on "
                                                   "contrast: ") +
                   i18n::tr("word order is there to be learned, and this model did not learn it with these settings "
                            "(try more --epochs, another --lr or --embed-std). ");
        text += i18n::tr("Why a bag of words must fail there: every contrast sentence has a twin in the same split with "
                         "the same words and the opposite label, and identical bags get identical answers, so at most "
                         "one of each pair is right (at most 50%; it scores " + pct(bc) + "). ") +
                i18n::tr("In negation the label is the XOR of \"negated\" and the opinion word's polarity, which a "
                         "linear layer on a mean of word vectors cannot represent (it scores " + pct(bn) +
                         (bn < 0.5 ? ", worse than a coin toss)." : ")."));
        report::say_verbatim(text);
    }
    const std::vector<plot::BarSeries> series = {{"transformer", acc_t}, {"bag of words", acc_b}};
    figs.save("per_part.svg",
              plot::bar_chart_svg(names, series, {.title = "Test accuracy per part", .x_title = "part",
                                                  .y_title = "accuracy (%)", .data_categories = true}),
              "test accuracy per part, transformer vs bag of words");

}

void training_curves(const Lesson& L, report::Figures& figs) {
    // Training curves, per epoch.
    std::vector<float> ep, running, tr_loss, te_loss, tr_acc, te_acc, bow_acc;
    for (std::size_t i = 0; i < L.history.size(); ++i) {
        const auto& h = L.history[i];
        ep.push_back(float(h.epoch));
        running.push_back(float(h.running_loss));
        tr_loss.push_back(float(h.train_loss));
        te_loss.push_back(float(h.test_loss));
        tr_acc.push_back(float(100 * h.train_accuracy));
        te_acc.push_back(float(100 * h.test_accuracy));
        bow_acc.push_back(i < L.bow_history.size() ? float(100 * L.bow_history[i].test_accuracy) : NAN);
    }
    const std::vector<plot::Series> loss = {{"train, batches (dropout on)", ep, running},
                                            {"train (dropout off)", ep, tr_loss},
                                            {"test", ep, te_loss}};
    figs.save("loss.svg",
              plot::line_chart_svg(loss, {.title = "Transformer: cross-entropy per epoch", .x_title = "epoch",
                                          .y_title = "loss (log scale)", .log_y = true, .markers = true,
                                          .integer_x = true}),
              "loss per epoch, transformer");
    const std::vector<plot::Series> acc = {{"transformer, train", ep, tr_acc},
                                           {"transformer, test", ep, te_acc},
                                           {"bag of words, test", ep, bow_acc}};
    figs.save("accuracy.svg",
              plot::line_chart_svg(acc, {.title = "Accuracy per epoch (dropout off)", .x_title = "epoch",
                                         .y_title = "accuracy (%)", .markers = true, .integer_x = true}),
              "accuracy per epoch, transformer and bag of words");

}

void mistakes(const Lesson& L) {
    const std::size_t K = L.classes.size();
    // The mistakes, if any: a number is more convincing with its failures shown.
    report::printf("\n");
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < L.test.size(); ++i) wrong += L.eval.predicted[i] != L.test[i].label;
    if (wrong == 0 && L.shipped_data()) {
        report::say("No test sentence is misclassified. That says the model learned the generator's templates, "
                    "including the combinations held out of training; it does not say it understands English "
                    "reviews (section 6 tries a few of our own).");
    } else if (wrong == 0) {
        report::say("No test sentence is misclassified.");
    } else {
        report::say("The first misclassified test sentences (" + commas(wrong) + " in all):");
        report::printf("\n");
        report::Table mis({"sentence", "part", "true", "predicted", "confidence"});
        mis.data({0, 1, 2, 3});
        std::size_t shown = 0;
        for (std::size_t i = 0; i < L.test.size() && shown < 8; ++i) {
            const int p = L.eval.predicted[i];
            if (p == L.test[i].label) continue;
            mis.row({datum(L.test[i].text), L.test[i].part, L.classes[std::size_t(L.test[i].label)], L.classes[std::size_t(p)],
                     report::fixed(L.eval.probabilities[i * K + std::size_t(p)], 3)});
            ++shown;
        }
        mis.print();
    }
}

void section_evaluation(Lesson& L, report::Figures& figs) {
    report::section("5. Evaluation on the test split");
    report::say("Test accuracy, dropout off, on " + commas(L.test.size()) + " sentences (" +
                (L.overlap == 0 ? std::string("none of them") : std::to_string(L.overlap) + " of them") +
                " in the training file): transformer " + pct(L.eval.accuracy) + ", bag of words " +
                pct(L.bow_eval.accuracy) + ".");
    if (!L.shipped_data()) real_data_yardstick();

    confusion(L, figs);
    per_part(L, figs);
    training_curves(L, figs);
    mistakes(L);
}

// ---- 6. Predictions -------------------------------------------------------------------------
// Sentences of our own: the tricky ones, and words the vocabulary lacks.
const std::vector<std::string> kOurSentences = {
    "not bad at all.",
    "good acting but a terrible plot.",
    "terrible acting but a good plot.",
    "the acting was not good.",
    "i would not recommend this film.",
    "the movie was released in march.",
    "the cinematography was breathtaking.",
    "an absolute masterpiece of cinema.",
};

// The same as a figure: one stacked bar per sentence (its class probabilities
// add up to 1); a sentence whose tokens are mostly <unk> is marked so.
void predictions_figure(const Lesson& L, const std::vector<float>& probs, report::Figures& figs) {
    const std::size_t K = L.classes.size(), max_len = std::size_t(L.opt.max_len);
    std::vector<std::vector<float>> per_class(K);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < kOurSentences.size(); ++i) {
        for (std::size_t k = 0; k < K; ++k) per_class[k].push_back(probs[i * K + k]);
        const auto toks = L.vocab.encode(kOurSentences[i], max_len);
        const auto unknown = std::size_t(std::count(toks.begin(), toks.end(), Vocab::unk_id));
        names.push_back(kOurSentences[i] + (2 * unknown >= toks.size()
                                                ? report::translated(" [mostly unknown: %zu of %zu tokens]", unknown, toks.size())
                                                : std::string()));
    }
    std::vector<plot::BarSeries> series;
    for (std::size_t k = 0; k < K; ++k) series.push_back({L.classes[k], per_class[k]});
    figs.save("predictions.svg",
              plot::bar_chart_svg(names, series, {.title = "Class probabilities for our sentences (each bar sums to 1)",
                                                  .x_title = "sentence", .y_title = "probability", .stacked = true,
                                                  .data_categories = true, .data_series = true}),
              "class probabilities of the sentences of section 6, stacked");
}

void section_predictions(Lesson& L, const MiniLLM& model, report::Figures& figs) {
    report::section("6. Predictions on sentences of our own");
    const std::size_t K = L.classes.size(), max_len = std::size_t(L.opt.max_len);
    const train::Classifier c = train::classifier(model);
    const std::vector<float> probs = train::predict_probabilities(c, L.vocab, kOurSentences);
    report::say("The probabilities are the softmax of the logits, dropout off. A word the training split never "
                "showed becomes <unk>: the lines under the table show what the model actually reads.");
    report::printf("\n");
    std::vector<std::string> head = {"sentence", "prediction"};
    for (const auto& k : L.classes) head.push_back(k);
    report::Table tab(head);
    std::vector<std::size_t> class_columns;                  // class names: data, as the file spells them
    for (std::size_t k = 0; k < K; ++k) class_columns.push_back(2 + k);
    tab.data({0, 1}).data_headers(class_columns);
    std::string unknown_notes;
    for (std::size_t i = 0; i < kOurSentences.size(); ++i) {
        const float* p = probs.data() + i * K;
        const auto best = std::size_t(std::max_element(p, p + K) - p);
        std::vector<std::string> row = {datum(kOurSentences[i]), L.classes[best]};
        for (std::size_t k = 0; k < K; ++k) row.push_back(report::fixed(p[k], 3));
        const auto toks = model_tokens(L.vocab, kOurSentences[i], max_len);
        if (std::find(toks.begin(), toks.end(), "<unk>") != toks.end()) {
            std::string reads;
            for (const auto& tkn : toks) reads += (reads.empty() ? "" : " ") + tkn;
            unknown_notes += report::translated("  \"%s\" reads as: %s\n", kOurSentences[i].c_str(), datum(reads).c_str());
        }
        tab.row(row);
    }
    tab.print();
    if (!unknown_notes.empty()) report::verbatim("\n" + unknown_notes);

    predictions_figure(L, probs, figs);
    report::printf("\n");
    report::say("A confident answer is not a correct one: the model has only ever seen this generator's "
                "sentences, and for words it does not know it still answers.");
}

// ---- 7. Attention -------------------------------------------------------------------------
void section_attention(Lesson& L, const MiniLLM& model, report::Figures& figs) {
    report::section("7. Where the trained model looks");
    const ModelConfig& cfg = model.config();
    const std::vector<std::string> sentences = {"good acting but a terrible plot.", "terrible acting but a good plot.",
                                                "the acting was not good.", "not bad at all."};
    // One padded batch, as in training: the shorter sentences get <pad> tokens.
    const TokenBatch batch = make_batch(L.vocab, sentences, std::size_t(cfg.max_len));
    const int B = int(batch.B), T = int(batch.T), H = cfg.num_heads;
    const Tensor pad = Tensor::from({B, T}, batch.pad_mask);                         // [B, T]
    NoGrad no_grad;
    const MiniLLM::Output out = model.forward(batch.ids, pad, nullptr);              // attention: layers x [B, H, T, T]

    // How much attention goes to padding? Every weight on a pad key, summed.
    double on_pads = 0.0;
    for (const Tensor& a : out.attention)
        for (int b = 0; b < B; ++b)
            for (int i = 0; i < H * T * T; ++i)
                if (batch.pad_mask[std::size_t(b * T + i % T)] != 0.0f) on_pads += a.data()[std::size_t(b * H * T * T + i)];
    report::say("The " + std::to_string(B) + " sentences below go through the model as one padded batch [" +
                std::to_string(B) + ", " + std::to_string(T) + "], as in training. Total attention weight that any "
                "query, head or layer puts on a <pad> key: " + report::fixed(on_pads, 6) + " (the mask gives blocked "
                "keys exactly zero). The figures crop each sentence to its real tokens: every layer and head, row = "
                "the token that looks (query), column = the token looked at (key).");
    if (on_pads != 0.0) throw std::runtime_error("self-check failed: attention reads padding (" + report::sci(on_pads, 1) + ")");
    report::printf("\n");
    report::Table top_table({"sentence", "last layer: most attended keys", "1/T"});
    top_table.data({0, 1});                                   // sentences and their tokens
    for (int b = 0; b < B; ++b) {
        const int n = int(batch.lengths[std::size_t(b)]);                            // real tokens of sentence b
        std::vector<float> panels;                                                    // [layers * H, n, n]
        std::vector<std::string> titles;
        for (int l = 0; l < cfg.num_layers; ++l) {
            const auto a = out.attention[std::size_t(l)].data();                     // [B, H, T, T]
            for (int h = 0; h < H; ++h) {
                for (int q = 0; q < n; ++q)
                    for (int k = 0; k < n; ++k) panels.push_back(a[std::size_t(((b * H + h) * T + q) * T + k)]);
                titles.push_back("layer " + std::to_string(l + 1) + ", head " + std::to_string(h + 1));
            }
        }
        const auto toks = model_tokens(L.vocab, sentences[std::size_t(b)], std::size_t(cfg.max_len));
        lesson::save_heatmap_grid(figs, "attention_" + std::to_string(b + 1), panels, std::size_t(n), std::size_t(n),
                                  toks, toks, titles, std::size_t(H),
                                  {.title = "\"" + sentences[std::size_t(b)] + "\": attention, every layer and head",
                                   .x_title = "key (looked at)", .y_title = "query (looking)",
                                   .colorbar_title = "weight", .vmin = 0.0, .vmax = 1.0},
                                  "attention of \"" + sentences[std::size_t(b)] + "\"");
        // The keys that receive the most attention in the last layer, averaged over heads and queries.
        const auto last = out.attention.back().data();
        std::vector<double> received(std::size_t(n), 0.0);
        for (int h = 0; h < H; ++h)
            for (int q = 0; q < n; ++q)
                for (int k = 0; k < n; ++k)
                    received[std::size_t(k)] += last[std::size_t(((b * H + h) * T + q) * T + k)] / (H * n);
        std::vector<int> rank(static_cast<std::size_t>(n));
        for (int k = 0; k < n; ++k) rank[std::size_t(k)] = k;
        std::stable_sort(rank.begin(), rank.end(), [&](int x, int y) { return received[std::size_t(x)] > received[std::size_t(y)]; });
        std::string top;
        for (int i = 0; i < std::min(3, n); ++i) {
            const auto k = std::size_t(rank[std::size_t(i)]);
            top += (i ? ", " : "") + datum(toks[k]) + " " + report::fixed(received[k], 2);
        }
        top_table.row({datum(sentences[std::size_t(b)]), top, report::fixed(1.0 / n, 2)});
    }
    top_table.print();
    report::printf("\n");
    report::say("The table averages the last layer's weights over heads and queries. Read these with care: attention weights say where each layer copies information from, not why "
                "the model decides; after two layers every token vector already mixes the whole sentence.");
}

// ---- 8. Save, reload, reuse --------------------------------------------------------------------
void section_save(Lesson& L, const MiniLLM& model) {
    report::section("8. Save, reload, reuse");
    const std::string path = L.opt.out_dir + "/model.safetensors";
    // What the file says about how it was made (deterministic: no date, no time).
    const std::string training =
        "lesson5 on " + L.opt.train_path + " (" + std::to_string(L.train.size()) + " sentences): seed " +
        std::to_string(L.opt.seed) + ", " + std::to_string(L.opt.epochs) + " epochs, batch " +
        std::to_string(L.opt.batch_size) + ", lr " + report::num(L.opt.lr) + ", warmup " + report::num(L.opt.warmup) +
        ", weight decay " + report::num(L.opt.weight_decay) + ", clip " + report::num(L.opt.clip) +
        (L.opt.embed_std ? ", embed-std " + report::num(*L.opt.embed_std) : std::string()) +
        (L.opt.pretrain_epochs > 0 ? ", pretrain " + std::to_string(L.opt.pretrain_epochs) : std::string()) +
        "; test accuracy " + pct(L.eval.accuracy) + " on " + L.opt.test_path;
    checkpoint::save(path, model, L.vocab, L.classes, training);
    report::say_verbatim(report::translated("Saved to %s with safetensors (written to a temporary file, then renamed: a "
                                            "crash leaves the old file or the new one, never half of one). Its metadata:",
                                            path.c_str()));
    report::printf("\n");
    const safetensors::File file = safetensors::load(path);
    for (const auto& [key, value] : file.metadata) {
        std::string v = value;
        const std::size_t lines = std::size_t(std::count(v.begin(), v.end(), '\n')) + 1;
        if (lines > 1) {
            std::string first3;
            for (std::size_t i = 0, start = 0; i < 3 && start < v.size(); ++i) {
                const std::size_t end = std::min(v.find('\n', start), v.size());
                first3 += (i ? " | " : "") + v.substr(start, end - start);
                start = end + 1;
            }
            v = first3 + (lines > 3 ? " | ..." : "") + report::translated("   (%zu lines)", lines);
        }
        if (v.size() > 72) v = v.substr(0, 69) + "...";
        report::printf("  %-12s %s\n", key.c_str(), v.c_str());
    }
    report::printf("\n  and %zu tensors, named as in PyTorch: embedding.weight,\n"
                "  encoder.layers.0.self_attn.in_proj_weight, ..., classifier.bias\n",
                file.tensors.size());

    // Reload and compare every logit of the test split, bit for bit.
    const checkpoint::Loaded back = checkpoint::load(path);
    const train::Classifier a = train::classifier(model), b = train::classifier(back.model);
    std::vector<std::string> texts = texts_of(L.test);
    std::size_t logits = 0, differ = 0;
    NoGrad no_grad;
    for (std::size_t start = 0; start < texts.size(); start += 256) {
        const auto chunk = std::span(texts).subspan(start, std::min<std::size_t>(256, texts.size() - start));
        const TokenBatch batch = make_batch(L.vocab, chunk, a.max_len);
        const Tensor la = a.logits(batch, nullptr), lb = b.logits(batch, nullptr);   // [B, K] each
        for (std::size_t i = 0; i < la.numel(); ++i, ++logits)
            differ += std::bit_cast<std::uint32_t>(la.data()[i]) != std::bit_cast<std::uint32_t>(lb.data()[i]);
    }
    report::printf("\n");
    report::say("Reloaded with checkpoint::load, which checks the format tag, every config field, the vocabulary, "
                "the classes and every tensor's name and shape. The reloaded model's logits on the " +
                commas(texts.size()) + " test sentences: " + commas(logits) + " floats, " + commas(differ) +
                " of them differ from the original's in any bit" + (differ == 0 ? " — bit-identical." : "."));
    if (differ != 0) throw std::runtime_error("the reloaded model's logits differ: the checkpoint is broken");

    report::printf("\n");
    report::say("Use it without retraining (one line per sentence: the label, then every class's probability; "
                "nothing else on stdout, so it pipes):");
    const std::vector<std::string> demo = {"the acting was not good", "not bad at all"};
    // Commands and --predict's lines are printed as they are, in any language.
    report::verbatim("\n  $ build/lesson5 --load " + path + " \\\n        --predict \"" + demo[0] + "\" --predict \"" +
                     demo[1] + "\"\n");
    // What that command prints, computed here the way cli::run_predict does it.
    const std::size_t K = back.classes.size();
    const std::vector<float> probs = train::predict_probabilities(b, back.vocab, demo);
    for (std::size_t i = 0; i < demo.size(); ++i)
        report::verbatim("  " + cli::prediction_line(back.classes, std::span(probs).subspan(i * K, K)) + "\n");
    report::verbatim("\n  $ printf 'what a great film\\nthe plot was dull\\n' | \\\n        build/lesson5 --load " + path +
                     " --predict -\n");
}

int run_lesson(const cli::Options& opt) {
    report::printf("Lesson 5 — The complete mini LLM\n");
    report::printf("A sentiment classifier trained, evaluated against a baseline, saved and reused.\n");
    report::Figures figs(opt.out_dir);
    Lesson L;
    L.opt = opt;
    section_data(L);
    MiniLLM model = section_model(L);
    if (!section_training(L, model)) return 1;
    if (!section_baseline(L)) return 1;
    section_evaluation(L, figs);
    section_predictions(L, model, figs);
    section_attention(L, model, figs);
    section_save(L, model);
    figs.list();
    lesson::print_exercises(5);
    report::write_page(figs, {"x = embedding(ids) * sqrt(C) + PE[:T]", "x = Encoder(x, pad)",
                              "logits = classifier(masked_mean(x, pad))"});
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        i18n::set_language(i18n::language_in(std::vector<std::string>(argv + 1, argv + argc)));   // before any message
        const cli::Options opt = cli::parse(argc, argv);
        if (opt.help) {
            report::verbatim(cli::usage());
            return 0;
        }
        if (!opt.load_path.empty()) return cli::run_predict(opt, std::cin, stdout, stderr);
        return run_lesson(opt);
    } catch (const cli::UsageError& e) {      // already in the reader's language
        std::fputs(report::translated("lesson5: %s (see --help)\n", e.what()).c_str(), stderr);
        return 2;
    } catch (const DataError& e) {
        std::fflush(stdout);
        std::fputs(report::translated("lesson5: %s\n", cli::message(e).c_str()).c_str(), stderr);
        return 1;
    } catch (const std::exception& e) {
        std::fflush(stdout);
        std::fputs(report::translated("lesson5: %s\n", i18n::tr(e.what()).c_str()).c_str(), stderr);
        return 1;
    }
}
