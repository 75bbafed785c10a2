// Tests of lesson 5's command line (src/app/cli.hpp), in-process: every flag,
// every usage error and its message, the class list of a TSV file, and
// --predict's output, without spawning a process.
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "io/checkpoint.hpp"
#include "app/cli.hpp"
#include "io/dataset.hpp"

using namespace llm;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

using Args = std::vector<std::string>;

// The UsageError message of parsing args ("" when they parse).
std::string usage_error(const Args& args) {
    try {
        cli::parse(args);
    } catch (const cli::UsageError& e) {
        return e.what();
    }
    return "";
}

using llm::testing::TempDir;

std::string read_all(std::FILE* f) {
    std::rewind(f);
    std::string s;
    for (int c; (c = std::fgetc(f)) != EOF;) s += static_cast<char>(c);
    return s;
}

// An untrained model saved as a checkpoint (predictions are arbitrary, the
// format of the output is what is tested).
std::string save_model(const TempDir& dir) {
    const std::vector<std::string> texts = {"the film was good .", "the plot was bad ."};
    const Vocab v = Vocab::build(texts);
    ModelConfig c;
    c.vocab_size = static_cast<int>(v.size());
    c.d_model = 8, c.num_heads = 2, c.d_ff = 8, c.num_layers = 1, c.num_classes = 3, c.max_len = 6;
    const std::string path = (dir.path / "m.safetensors").string();
    checkpoint::save(path, MiniLLM(c, 1), v, {"negative", "neutral", "positive"});
    return path;
}

struct Predicted {
    int status;
    std::string out, err;
};
Predicted predict(const Args& args, const std::string& stdin_text) {
    const cli::Options o = cli::parse(args);
    std::istringstream in(stdin_text);
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    REQUIRE((out && err));
    Predicted p;
    p.status = cli::run_predict(o, in, out, err);
    p.out = read_all(out);
    p.err = read_all(err);
    std::fclose(out);
    std::fclose(err);
    return p;
}

}  // namespace

TEST_CASE("cli: defaults, and every flag sets its field", "[cli]") {
    const cli::Options d = cli::parse(Args{});
    REQUIRE(d.train_path == "data/sentiment_train.tsv");
    REQUIRE(d.test_path == "data/sentiment_test.tsv");
    REQUIRE(d.out_dir == "out/lesson5");
    REQUIRE((d.d_model == 64 && d.num_heads == 4 && d.d_ff == 128 && d.num_layers == 2 && d.max_len == 0));
    REQUIRE(d.epochs == 8);
    REQUIRE_FALSE(d.embed_std.has_value());
    REQUIRE(d.timing);
    REQUIRE_FALSE(d.help);

    const cli::Options o = cli::parse(Args{
        "--train", "a.tsv", "--test=b.tsv", "--out", "o", "--d-model", "32", "--heads", "8", "--d-ff", "64",
        "--layers", "3", "--max-len", "20", "--dropout", "0", "--activation", "gelu", "--pre-norm",
        "--embed-std", "1", "--epochs", "2", "--batch-size", "16", "--lr", "1e-3", "--warmup", "0.1",
        "--weight-decay", "0", "--clip", "0.5", "--seed", "18446744073709551615", "--no-timing"});
    REQUIRE((o.train_path == "a.tsv" && o.test_path == "b.tsv" && o.out_dir == "o"));
    REQUIRE((o.d_model == 32 && o.num_heads == 8 && o.d_ff == 64 && o.num_layers == 3 && o.max_len == 20));
    REQUIRE((o.dropout == 0.0f && o.activation == Activation::gelu && o.pre_norm && *o.embed_std == 1.0f));
    REQUIRE((o.epochs == 2 && o.batch_size == 16 && o.lr == Approx(1e-3f) && o.warmup == Approx(0.1f)));
    REQUIRE((o.weight_decay == 0.0f && o.clip == 0.5f && o.seed == 18446744073709551615ull && !o.timing));
    const train::Options t = o.train_options();
    REQUIRE((t.epochs == 2 && t.batch_size == 16 && t.clip_norm == 0.5f && !t.timing));
    const ModelConfig c = o.model_config(100, 3);
    REQUIRE((c.vocab_size == 100 && c.num_classes == 3 && c.d_model == 32 && c.pre_norm));

    const cli::Options p = cli::parse(Args{"--load", "m.safetensors", "--predict", "good", "--predict=-", "--predict", "bad"});
    REQUIRE(p.load_path == "m.safetensors");
    REQUIRE(p.predict == std::vector<std::string>{"good", "-", "bad"});
    REQUIRE(cli::parse(Args{"-h"}).help);
    const cli::Options l = cli::parse(Args{"--labels", "0=bad,1=good", "--strict"});
    REQUIRE((l.strict && l.label_names == LabelNames{{"0", "bad"}, {"1", "good"}}));
    REQUIRE_FALSE(d.strict);
    REQUIRE(d.label_names.empty());
    REQUIRE(d.unlabelled_path.empty());
    REQUIRE(cli::parse(Args{"--unlabelled", "aclImdb/train/unsup"}).unlabelled_path == "aclImdb/train/unsup");
    REQUIRE_THROWS_WITH(cli::parse(Args{"--labels", "0=bad"}), Contains("--labels: needs at least 2 labels"));
    REQUIRE_THROWS_WITH(cli::parse(Args{"--labels", "0=bad,0=good"}), Contains("--labels: '0' is given twice"));
    REQUIRE_THROWS_WITH(cli::parse(Args{"--labels", "0=bad,1"}), Contains("--labels: '1' is not RAW=NAME"));
    REQUIRE_THROWS_AS(cli::parse(Args{"--epochs", "0", "--help"}), cli::UsageError);   // a bad flag is reported, even with --help
}

TEST_CASE("cli: every usage error is one line naming the problem", "[cli]") {
    struct Case {
        Args args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"--epoch", "3"}, "unknown flag '--epoch' (did you mean --epochs?)"},
        {{"--frobnicate"}, "unknown flag '--frobnicate'"},
        {{"positional"}, "unexpected argument 'positional' (flags start with --; a sentence goes after --predict)"},
        {{"--epochs"}, "--epochs needs a value (N)"},
        {{"--epochs", "--lr", "1"}, "--epochs needs a value (N), got the flag --lr"},
        {{"--epochs", "three"}, "--epochs: 'three' is not a whole number"},
        {{"--epochs", "2.5"}, "--epochs: '2.5' is not a whole number"},
        {{"--epochs", "0"}, "--epochs 0 is out of range: it must be between 1 and 1000"},
        {{"--epochs", "99999999999999999999"}, "--epochs 99999999999999999999 is out of range: it must be between 1 and 1000"},
        {{"--batch-size", "0"}, "--batch-size 0 is out of range: it must be between 1 and 4096"},
        {{"--lr", "-1"}, "--lr -1 is out of range: it must be > 0 and <= 1000"},
        {{"--lr", "0"}, "--lr 0 is out of range: it must be > 0 and <= 1000"},
        {{"--lr", "nan"}, "--lr: 'nan' is not a number"},
        {{"--lr", "inf"}, "--lr: 'inf' is not a number"},
        {{"--lr", "1e-3x"}, "--lr: '1e-3x' is not a number"},
        {{"--dropout", "1.5"}, "--dropout 1.5 is out of range: it must be >= 0 and < 1"},
        {{"--dropout", "1"}, "--dropout 1 is out of range: it must be >= 0 and < 1"},
        {{"--warmup", "1"}, "--warmup 1 is out of range: it must be >= 0 and < 1"},
        {{"--clip", "0"}, "--clip 0 is out of range: it must be > 0 and <= 1e+06"},
        {{"--embed-std", "0"}, "--embed-std 0 is out of range: it must be > 0 and <= 10"},
        {{"--d-model", "0"}, "--d-model 0 is out of range: it must be between 1 and 1024"},
        {{"--heads", "0"}, "--heads 0 is out of range: it must be between 1 and 64"},
        {{"--layers", "17"}, "--layers 17 is out of range: it must be between 1 and 16"},
        {{"--max-len", "0"}, "--max-len 0 is out of range: it must be between 1 and 512"},
        {{"--d-ff", "-4"}, "--d-ff -4 is out of range: it must be between 1 and 8192"},
        {{"--seed", "-1"}, "--seed: '-1' is not a whole number >= 0"},
        {{"--seed", "18446744073709551616"}, "--seed 18446744073709551616 is out of range: it must be below 2^64"},
        {{"--d-model", "60", "--heads", "8"}, "--d-model 60 is not divisible by --heads 8 (each head gets d-model / heads channels)"},
        {{"--heads", "128"}, "--heads 128 is out of range: it must be between 1 and 64"},
        {{"--heads", "64", "--d-model", "32"}, "--d-model 32 is not divisible by --heads 64 (each head gets d-model / heads channels)"},
        {{"--activation", "tanh"}, "--activation: 'tanh' is not relu or gelu"},
        {{"--pre-norm=yes"}, "--pre-norm takes no value"},
        {{"--train", ""}, "--train: the value is empty"},
        {{"--unlabelled", ""}, "--unlabelled: the value is empty"},
        {{"--unlabelled", "u.txt", "--pretrain", "0"}, "--unlabelled needs pre-training: it cannot be used with --pretrain 0"},
        {{"--load", "m", "--predict", "x", "--unlabelled", "u.txt"},
         "--unlabelled cannot be used with --load: a loaded model is used as it was saved"},
        {{"--epochs", "2", "--epochs", "3"}, "--epochs is given twice"},
        {{"--predict", "good"}, "--predict needs --load FILE (the lesson saves its model as out/lesson5/model.safetensors)"},
        {{"--load", "m.safetensors"}, "--load needs at least one --predict SENTENCE (or --predict - to read standard input)"},
        {{"--load", "m", "--predict", "x", "--epochs", "3"}, "--epochs cannot be used with --load: a loaded model is used as it was saved"},
        {{"--load", "m", "--predict", "x", "--d-model", "32"}, "--d-model cannot be used with --load: a loaded model is used as it was saved"},
        {{"--load", "m", "--predict", ""}, "--predict: the sentence is empty"},
        {{"--load", "m", "--predict", "   "}, "--predict: the sentence is empty"},
        {{"--load", "m", "--predict", "-", "--predict", "-"}, "--predict - can be given only once"},
        {{"--load", "m", "--predict", "caf\xC3"}, "--predict: the sentence has bytes that are not valid UTF-8 at column 4 (byte 0xC3)"},
    };
    for (const Case& c : cases) {
        std::string joined;
        for (const auto& a : c.args) joined += " [" + a + "]";
        INFO("args:" << joined);
        const std::string msg = usage_error(c.args);
        REQUIRE(msg == c.message);
        REQUIRE(msg.find('\n') == std::string::npos);
    }
}

TEST_CASE("cli: --help lists every flag", "[cli]") {
    const std::string u = cli::usage();
    for (const char* flag : {"--train FILE", "--test FILE", "--out DIR", "--d-model N", "--heads N", "--d-ff N",
                             "--layers N", "--max-len N", "--dropout P", "--activation NAME", "--pre-norm",
                             "--embed-std S", "--epochs N", "--batch-size N", "--lr X", "--warmup F",
                             "--weight-decay X", "--clip X", "--seed N", "--no-timing", "--load FILE",
                             "--predict TEXT", "--help"})
        REQUIRE_THAT(u, Contains(flag));
    REQUIRE_THAT(u, Contains("Exit status: 0 success, 1 a file or training failure,\n2 a command-line mistake"));
    std::istringstream lines(u);
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        REQUIRE(line.size() <= 88);
    }
}

TEST_CASE("cli: classes are the training file's labels, sorted", "[cli]") {
    REQUIRE(cli::classes_of_tsv("data/sentiment_train.tsv") == sentiment_classes());
    TempDir dir;
    const std::string f = dir.write("mine.tsv", "\xEF\xBB\xBF# comment\tignored\n"
                                                "so happy\t joy \r\n"
                                                "\n"
                                                "so sad\tsadness\tpart\n"
                                                "meh\tanger\n");
    REQUIRE(cli::classes_of_tsv(f) == std::vector<std::string>{"anger", "joy", "sadness"});
    REQUIRE(load_tsv(f, cli::classes_of_tsv(f)).size() == 3);
    const std::string one = dir.write("one.tsv", "a\tx\nb\tx\n");
    REQUIRE_THROWS_WITH(cli::classes_of_tsv(one), Contains("every example has the label 'x'; a classifier needs at least 2 classes"));
    REQUIRE_THROWS_WITH(cli::classes_of_tsv((dir.path / "missing.tsv").string()), Contains("cannot read"));
    // a malformed line is reported by the loader's own message, with its line number
    const std::string no_tab = dir.write("no_tab.tsv", "good film\tpositive\nbad film\tnegative\njust text\n");
    REQUIRE_THROWS_WITH(cli::classes_of_tsv(no_tab), Contains("line 3"));
    const std::string empty = dir.write("empty.tsv", "# nothing\n\n");
    REQUIRE_THROWS_AS(cli::classes_of_tsv(empty), std::runtime_error);
}

TEST_CASE("cli: a prediction line is the label, then every class's probability", "[cli]") {
    const std::vector<std::string> classes = {"negative", "neutral", "positive"};
    const std::vector<float> p = {0.912f, 0.061f, 0.027f};
    REQUIRE(cli::prediction_line(classes, p) == "negative  negative=0.912 neutral=0.061 positive=0.027");
    const std::vector<float> q = {0.1f, 0.2f, 0.7f};
    REQUIRE(cli::prediction_line(classes, q) == "positive  negative=0.100 neutral=0.200 positive=0.700");
    const std::vector<float> r = {0.1f, 0.8f, 0.1f};
    REQUIRE(cli::prediction_line(classes, r) == "neutral   negative=0.100 neutral=0.800 positive=0.100");
}

TEST_CASE("cli: --predict prints one line per sentence and nothing else", "[cli]") {
    TempDir dir;
    const std::string model = save_model(dir);
    const Predicted a = predict({"--load", model, "--predict", "the film was good", "--predict", "bad plot"}, "");
    REQUIRE(a.status == 0);
    REQUIRE(std::count(a.out.begin(), a.out.end(), '\n') == 2);
    REQUIRE(a.err.empty());
    std::istringstream lines(a.out);
    for (std::string line; std::getline(lines, line);) {
        REQUIRE_THAT(line, Contains(" negative=") && Contains(" neutral=") && Contains(" positive="));
        const std::string label = line.substr(0, line.find(' '));
        REQUIRE((label == "negative" || label == "neutral" || label == "positive"));
    }

    // stdin, in order, between the arguments; a '\r' before '\n' is dropped
    const Predicted b = predict({"--load", model, "--predict", "good", "--predict", "-", "--predict", "bad"},
                                "the plot\r\nthe film was bad\n");
    REQUIRE(std::count(b.out.begin(), b.out.end(), '\n') == 4);
    const Predicted c = predict({"--load", model, "--predict", "the plot"}, "");
    REQUIRE(b.out.substr(b.out.find('\n') + 1, c.out.size()) == c.out);   // line 2 is "the plot"

    // warnings on stderr only: unknown words, truncation
    const Predicted d = predict({"--load", model, "--predict", "zzz qqq", "--predict", "the film was good , the plot was bad"}, "");
    REQUIRE(std::count(d.out.begin(), d.out.end(), '\n') == 2);
    REQUIRE_THAT(d.err, Contains("sentence 1 has no word the model knows"));
    REQUIRE_THAT(d.err, Contains("sentence 2 has 9 tokens; the model reads only the first 6"));
    // some words unknown: they are named, once each (issue 13: "worst film ever" answered from nothing)
    const Predicted u = predict({"--load", model, "--predict", "worst film ever , worst"}, "");
    REQUIRE(u.err == "lesson5: warning: sentence 1: words the model does not know (read as <unk>): 'worst', 'ever', ','\n");
    REQUIRE(predict({"--load", model, "--predict", "the film was good"}, "").err.empty());

    // an empty line of stdin is an error (exit 1): nothing is printed
    REQUIRE_THROWS_WITH(predict({"--load", model, "--predict", "-"}, "good\n\nbad\n"),
                        "standard input, line 2: empty sentence (every line must hold one sentence)");
    // so is a line of stdin that is not valid UTF-8
    REQUIRE_THROWS_WITH(predict({"--load", model, "--predict", "-"}, "good\nbad \xFF\n"),
                        "standard input, line 2: bytes that are not valid UTF-8 at column 5 (byte 0xFF)");
    // empty stdin: nothing to do
    REQUIRE(predict({"--load", model, "--predict", "-"}, "").out.empty());
    // a bad checkpoint: one line naming the file
    REQUIRE_THROWS_WITH(predict({"--load", (dir.path / "none.safetensors").string(), "--predict", "x"}, ""),
                        Contains("cannot read"));
    const std::string not_a_model = dir.write("bad.safetensors", "hello");
    REQUIRE_THROWS_WITH(predict({"--load", not_a_model, "--predict", "x"}, ""), Contains("'" + not_a_model + "'"));
}
