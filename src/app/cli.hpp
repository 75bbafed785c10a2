#pragma once
// Lesson 5's command line: the flags, their checks, and --predict.
//
//   build/lesson5                                   train, evaluate, save (the lesson)
//   build/lesson5 --epochs 4 --d-model 32           the same with other settings
//   build/lesson5 --train mine.tsv --test mine_test.tsv     your own data
//   build/lesson5 --load out/lesson5/model.safetensors --predict "not bad at all"
//   printf 'great film\nawful plot\n' | build/lesson5 --load out/lesson5/model.safetensors --predict -
//
// Exit status: 0 success; 2 a usage error (unknown flag, missing or bad
// value, sizes that do not fit together): one line on stderr; 1 a failure
// while running (a data file or checkpoint missing, unreadable or malformed,
// training that diverged): one line on stderr. usage() lists every flag.
//
// --predict prints, on stdout and nothing else, one line per sentence:
//     negative  negative=0.912 neutral=0.061 positive=0.027
// the predicted class (padded to the longest class name), then every class's
// probability in class order, three decimals. Warnings go to stderr: a
// sentence longer than the model's max_len (only its first max_len tokens are
// read), the words the model does not know (read as <unk>, named), and a sentence none of whose tokens the model knows (it is still
// predicted, from <unk> tokens only: the answer means nothing). An empty
// sentence (no token at all) or one with bytes that are not valid UTF-8 is an
// error: exit 2 for a --predict argument, exit 1 for a line of standard input. `--predict -` reads every line of
// standard input first (a '\r' before '\n' is dropped), so either every
// sentence is answered or none is.
#include <cstdint>
#include <cstdio>
#include <istream>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/dataset.hpp"
#include "nn/model.hpp"
#include "app/train.hpp"

namespace llm::cli {

// A command-line mistake: main prints it and exits with status 2. Its message
// is already in the reader's language (--lang, viz/i18n.hpp).
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Options {
    // data
    std::string train_path = "data/sentiment_train.tsv";
    std::string test_path = "data/sentiment_test.tsv";
    std::string out_dir = "out/lesson5";
    LabelNames label_names;           // --labels 0=negative,1=positive; empty: dataset.hpp's defaults
    bool strict = false;              // --strict: the first unusable data row is an error (exit 1)
    // model: ModelConfig's fields and defaults (nn/config.hpp); vocab_size and
    // num_classes come from the data
    int d_model = ModelConfig{}.d_model;
    int num_heads = ModelConfig{}.num_heads;
    int d_ff = ModelConfig{}.d_ff;
    int num_layers = ModelConfig{}.num_layers;
    int max_len = 0;                  // 0: chosen from the training data (choose_max_len)
    float dropout = ModelConfig{}.dropout;
    Activation activation = ModelConfig{}.activation;
    bool pre_norm = ModelConfig{}.pre_norm;
    Pooling pooling = ModelConfig{}.pooling;
    std::optional<float> embed_std;   // redraw the embedding N(0, S^2); default: MiniLLM's N(0, 1/d_model)
    // training
    int epochs = 8;
    int batch_size = 32;
    float lr = 3e-3f;
    float warmup = 0.05f;
    float weight_decay = 0.01f;
    float clip = 1.0f;
    // --validation F: hold out F of the training sentences (whole sentences,
    // hold_out_sentences) and keep the epoch with the best validation accuracy.
    // -1: 0.1 on data of your own of 1,000 lines or more, else 0 (the shipped files: 0).
    float validation = -1.0f;
    float word_dropout = 0.0f;        // --word-dropout: a training token becomes <unk> with this probability
    float label_smoothing = 0.0f;     // --smoothing: eps of the training loss
    // --pretrain: masked-language-model epochs before training (train::pretrain).
    // -1: kPretrainEpochs with --unlabelled text, else 0.
    int pretrain_epochs = -1;
    float pretrain_lr = 3e-3f;        // --pretrain-lr: its peak learning rate
    // --unlabelled: unlabelled text the pre-training reads too, and whose
    // words join the vocabulary (load_texts: one text per line, or a folder of
    // .txt files such as aclImdb/train/unsup). Empty: none. Turns pre-training
    // on (kPretrainEpochs) unless --pretrain says how long; --pretrain 0 with it is a usage error.
    std::string unlabelled_path;
    float ema = 0.0f;                 // --ema: evaluate and keep a moving average of the parameters (0: off)
    std::uint64_t seed = 42;
    bool timing = true;               // --no-timing: no seconds or tokens/s anywhere
    // reuse
    std::string load_path;            // --load: predict with a saved model instead of training
    std::vector<std::string> predict; // --predict, in order; "-" = every line of stdin
    bool help = false;
    bool epochs_given = false, lr_given = false;   // --epochs, --lr were on the command line
    bool dropout_given = false;                    // --dropout was on the command line

    ModelConfig model_config(int vocab_size, int num_classes) const;
    train::Options train_options() const;
};

// Lesson 5 on data of your own of 1,000 lines or more, or with --unlabelled
// text: the training's length and peak learning rate, unless --epochs or --lr
// say otherwise; without pre-training, the dropout unless --dropout says it;
// with --unlabelled, the pre-training's length unless --pretrain says it.
// Measured on SST-2 over five seeds (README, "Lesson 5 on real reviews").
inline constexpr int kPretrainEpochs = 20;
inline constexpr int kRealDataEpochs = 4;
inline constexpr float kRealDataLr = 1e-3f;
inline constexpr float kRealDataDropout = 0.3f;

// Parses the arguments (without the program name). Throws UsageError.
Options parse(std::span<const std::string> args);
Options parse(int argc, char** argv);

// The --help text.
std::string usage();

// The classes of a training file, read strictly (load_dataset with strict:
// every line checked): its distinct labels, sorted, numeric ones named as
// dataset.hpp says. For the shipped files: negative, neutral, positive. Throws
// std::runtime_error when the file cannot be read, has a malformed line (the
// loader's message) or fewer than 2 labels. (The tests and the bench use it.)
std::vector<std::string> classes_of_tsv(const std::string& path);

// The training and test data as lesson 5 reads them: the training file
// defines the classes (and, for numeric labels, their names), the test file
// is read with them; unusable rows are skipped and counted (--strict: the
// first one throws DataError). max_len is --max-len, or choose_max_len of the
// training split; max_len_note says which, in words (the reader's language).
struct Data {
    Dataset train, test;
    std::optional<Dataset> unlabelled;   // --unlabelled (load_texts), read with --strict as the others
    std::size_t max_len = 0;
    std::string max_len_note;
};
Data load_data(const Options& opt);

// What lesson 5 prints about its data, in the reader's language (viz/i18n.hpp;
// in English exactly the loader's text, io/dataset.hpp): a file's one-line
// description ("PATH: " + Dataset::format), one line per reason rows were
// skipped (Dataset::skip_lines), and a file it cannot use (DataError::what).
std::string description(const std::string& path, const Dataset& d);
std::vector<std::string> skip_lines(const Dataset& d);
std::string message(const DataError& e);

// max_len from the data: the longest training sentence in tokens, rounded up
// to a multiple of 8, at most 256 (longer ones are cut and counted).
std::size_t choose_max_len(std::span<const Example> train);

// The distinct words of text (its first max_len tokens) that vocab does not
// know, quoted and comma-separated in order of appearance: "'worst', 'ever'"; "" when none.
std::string unknown_words(const Vocab& vocab, std::string_view text, std::size_t max_len);

// --load + --predict: loads the checkpoint, reads the sentences (from
// opt.predict, "-" meaning `in`), prints one line per sentence on `out` and
// warnings on `err`. Returns the exit status; throws std::runtime_error for a
// bad checkpoint or an empty line of input (exit 1).
int run_predict(const Options& opt, std::istream& in, std::FILE* out, std::FILE* err);

// One --predict output line (no newline): label, then class=probability.
std::string prediction_line(std::span<const std::string> classes, std::span<const float> probabilities);

}  // namespace llm::cli
