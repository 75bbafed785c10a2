// Lesson 5's command line (see cli.hpp). Every flag is one row of the table
// in flags(): its name, its value's name, its help line and how it is checked
// and stored. --help is generated from the same table, so it cannot forget one.
#include "app/cli.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

#include "io/checkpoint.hpp"
#include "io/dataset.hpp"
#include "io/tokenizer.hpp"
#include "viz/i18n.hpp"
#include "viz/report.hpp"

namespace llm::cli {

namespace {

// Every message below is built in the reader's language (viz/i18n.hpp): its
// printf format is the catalogue key, the flags and values go in as they are.
[[noreturn]] void usage_error(const std::string& what) { throw UsageError(what); }
using report::translated;

// A message about data in the reader's language: its format is the key, its
// data go back in place of each %s as they are (no number format applied:
// they are data, file names, counts as the English prints them).
std::string in_language(const DataMessage& m) { return DataMessage{i18n::tr_format(m.format), m.args}.text(); }

// "A: B" in the reader's typography (French puts a space before the colon).
std::string colon(const std::string& a, const std::string& b) {
    return a + (i18n::language() == i18n::Lang::fr ? " : " : ": ") + b;
}

// "line 7" in the reader's language; a file of a folder ("neg/12_3.txt") as it is.
std::string place(const std::string& where) { return where.starts_with("line ") ? i18n::tr(where) : where; }

// --- values --------------------------------------------------------------------

long long parse_int(const std::string& flag, const std::string& s, long long lo, long long hi) {
    long long v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || end != s.data() + s.size() || (ec != std::errc() && ec != std::errc::result_out_of_range))
        usage_error(translated("%s: '%s' is not a whole number", flag.c_str(), s.c_str()));
    if (ec == std::errc::result_out_of_range || v < lo || v > hi)
        usage_error(translated("%s %s is out of range: it must be between %lld and %lld", flag.c_str(), s.c_str(), lo, hi));
    return v;
}

std::uint64_t parse_u64(const std::string& flag, const std::string& s) {
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || end != s.data() + s.size() || ec == std::errc::invalid_argument)
        usage_error(translated("%s: '%s' is not a whole number >= 0", flag.c_str(), s.c_str()));
    if (ec != std::errc()) usage_error(translated("%s %s is out of range: it must be below 2^64", flag.c_str(), s.c_str()));
    return v;
}

// A finite number in the range described by lo/hi (open or closed ends).
float parse_float(const std::string& flag, const std::string& s, double lo, bool lo_open, double hi, bool hi_open) {
    double v = 0.0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || end != s.data() + s.size() || ec == std::errc::invalid_argument || !std::isfinite(v))
        usage_error(translated("%s: '%s' is not a number", flag.c_str(), s.c_str()));
    const bool ok = (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi) && ec == std::errc();
    if (!ok)
        usage_error(translated("%s %s is out of range: it must be %s %g and %s %g", flag.c_str(), s.c_str(),
                               lo_open ? ">" : ">=", lo, hi_open ? "<" : "<=", hi));
    return static_cast<float>(v);
}

std::string nonempty(const std::string& flag, const std::string& s) {
    if (s.empty()) usage_error(translated("%s: the value is empty", flag.c_str()));
    return s;
}

// --- the table of flags ----------------------------------------------------------

// A ModelConfig default as --help shows it: "64", "0.1".
template <class T>
std::string dflt(T ModelConfig::*field) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", static_cast<double>(ModelConfig{}.*field));
    return buf;
}

struct Flag {
    std::string name;          // "--epochs"
    std::string value;         // "N"; empty for a switch
    std::string help;
    std::function<void(Options&, const std::string&)> set;
    bool trains = true;        // meaningless with --load (the checkpoint fixes the model)
};

const std::vector<Flag>& flags() {
    static const std::vector<Flag> table = {
        // data
        {"--train", "FILE", "training data: TSV, CSV or folder (data/sentiment_train.tsv)",
         [](Options& o, const std::string& v) { o.train_path = nonempty("--train", v); }},
        {"--test", "FILE", "test data, any of those formats (data/sentiment_test.tsv)",
         [](Options& o, const std::string& v) { o.test_path = nonempty("--test", v); }},
        {"--unlabelled", "PATH", "unlabelled text to pre-train on too: one per line, or .txt files",
         [](Options& o, const std::string& v) { o.unlabelled_path = nonempty("--unlabelled", v); }},
        {"--labels", "MAP", "names of numeric labels, e.g. 0=bad,1=good (0,1: negative,positive)",
         [](Options& o, const std::string& v) {
             try {
                 o.label_names = parse_label_names(v);
             } catch (const std::invalid_argument& e) {
                 usage_error(translated("--labels: %s", i18n::tr(e.what()).c_str()));
             }
         }},
        {"--strict", "", "stop at the first unusable data row (default: skip and count it)",
         [](Options& o, const std::string&) { o.strict = true; }},
        {"--out", "DIR", "folder for the figures and model.safetensors (out/lesson5)",
         [](Options& o, const std::string& v) { o.out_dir = nonempty("--out", v); }},
        // model
        {"--d-model", "N", "width of every token vector, 1..1024 (" + dflt(&ModelConfig::d_model) + ")",
         [](Options& o, const std::string& v) { o.d_model = static_cast<int>(parse_int("--d-model", v, 1, 1024)); }},
        {"--heads", "N", "attention heads, must divide --d-model, 1..64 (" + dflt(&ModelConfig::num_heads) + ")",
         [](Options& o, const std::string& v) { o.num_heads = static_cast<int>(parse_int("--heads", v, 1, 64)); }},
        {"--d-ff", "N", "hidden width of the feed-forward networks, 1..8192 (" + dflt(&ModelConfig::d_ff) + ")",
         [](Options& o, const std::string& v) { o.d_ff = static_cast<int>(parse_int("--d-ff", v, 1, 8192)); }},
        {"--layers", "N", "encoder blocks, 1..16 (" + dflt(&ModelConfig::num_layers) + ")",
         [](Options& o, const std::string& v) { o.num_layers = static_cast<int>(parse_int("--layers", v, 1, 16)); }},
        {"--max-len", "N", "longest input in tokens, 1..512, longer ones cut (from the data)",
         [](Options& o, const std::string& v) { o.max_len = static_cast<int>(parse_int("--max-len", v, 1, 512)); }},
        {"--dropout", "P", "dropout probability while training, 0 <= P < 1 (" + dflt(&ModelConfig::dropout) + ")",
         [](Options& o, const std::string& v) { o.dropout = parse_float("--dropout", v, 0, false, 1, true); }},
        {"--activation", "NAME", std::string("feed-forward activation: relu or gelu (") + to_string(ModelConfig{}.activation) + ")",
         [](Options& o, const std::string& v) {
             if (v == "relu") o.activation = Activation::relu;
             else if (v == "gelu") o.activation = Activation::gelu;
             else usage_error(translated("--activation: '%s' is not relu or gelu", v.c_str()));
         }},
        {"--pre-norm", "", "LayerNorm before each sub-layer (GPT-2) instead of after (paper)",
         [](Options& o, const std::string&) { o.pre_norm = true; }},
        {"--pool", "NAME", std::string("sentence vector: mean or max over the tokens (") + to_string(ModelConfig{}.pooling) + ")",
         [](Options& o, const std::string& v) {
             if (v == "mean") o.pooling = Pooling::mean;
             else if (v == "max") o.pooling = Pooling::max;
             else usage_error(translated("--pool: '%s' is not mean or max", v.c_str()));
         }},
        {"--embed-std", "S", "embedding init std, 0 < S <= 10 (1/sqrt(d-model); the workshop: 1)",
         [](Options& o, const std::string& v) { o.embed_std = parse_float("--embed-std", v, 0, true, 10, false); }},
        // training
        {"--epochs", "N", "passes over the training data, 1..1000 (8)",
         [](Options& o, const std::string& v) { o.epochs = static_cast<int>(parse_int("--epochs", v, 1, 1000)); }},
        {"--batch-size", "N", "sentences per optimizer step, 1..4096 (32)",
         [](Options& o, const std::string& v) { o.batch_size = static_cast<int>(parse_int("--batch-size", v, 1, 4096)); }},
        {"--lr", "X", "peak learning rate, 0 < X <= 1000 (0.003)",
         [](Options& o, const std::string& v) { o.lr = parse_float("--lr", v, 0, true, 1000, false); }},
        {"--warmup", "F", "share of the steps warming the learning rate up, 0 <= F < 1 (0.05)",
         [](Options& o, const std::string& v) { o.warmup = parse_float("--warmup", v, 0, false, 1, true); }},
        {"--weight-decay", "X", "AdamW's decoupled weight decay, 0 <= X <= 10 (0.01)",
         [](Options& o, const std::string& v) { o.weight_decay = parse_float("--weight-decay", v, 0, false, 10, false); }},
        {"--clip", "X", "largest global gradient norm, 0 < X <= 1e6 (1)",
         [](Options& o, const std::string& v) { o.clip = parse_float("--clip", v, 0, true, 1e6, false); }},
        {"--validation", "F", "share of training held out, best epoch kept (0.1 from 1000 lines)",
         [](Options& o, const std::string& v) { o.validation = parse_float("--validation", v, 0, false, 0.5, false); }},
        {"--word-dropout", "P", "a training token becomes <unk> with probability P, 0 <= P < 1 (0)",
         [](Options& o, const std::string& v) { o.word_dropout = parse_float("--word-dropout", v, 0, false, 1, true); }},
        {"--pretrain", "N", "masked-word pre-training epochs, 0..1000 (20 with --unlabelled)",
         [](Options& o, const std::string& v) { o.pretrain_epochs = static_cast<int>(parse_int("--pretrain", v, 0, 1000)); }},
        {"--pretrain-lr", "X", "peak learning rate of the pre-training, 0 < X <= 1000 (0.003)",
         [](Options& o, const std::string& v) { o.pretrain_lr = parse_float("--pretrain-lr", v, 0, true, 1000, false); }},
        {"--smoothing", "E", "label smoothing: target 1-E on the label, E over all classes (0)",
         [](Options& o, const std::string& v) { o.label_smoothing = parse_float("--smoothing", v, 0, false, 1, true); }},
        {"--ema", "D", "evaluate and keep a moving average of the weights, 0 <= D < 1 (0)",
         [](Options& o, const std::string& v) { o.ema = parse_float("--ema", v, 0, false, 1, true); }},
        {"--seed", "N", "seed of the initial weights, the shuffling and dropout (42)",
         [](Options& o, const std::string& v) { o.seed = parse_u64("--seed", v); }},
        {"--no-timing", "", "no seconds or tokens/s: same flags, byte-identical output",
         [](Options& o, const std::string&) { o.timing = false; }},
        // reuse
        {"--load", "FILE", "a saved model: predict with it, no training (needs --predict)",
         [](Options& o, const std::string& v) { o.load_path = nonempty("--load", v); }, false},
        {"--predict", "TEXT", "a sentence to classify (repeatable); '-' reads stdin, one per line",
         [](Options& o, const std::string& v) {
             if (v != "-" && count_tokens(v) == 0) usage_error(translated("--predict: the sentence is empty"));
             if (const DataMessage bad = utf8_problem(v); !bad.format.empty())
                 usage_error(translated("--predict: the sentence has %s", in_language(bad).c_str()));
             if (v == "-" && std::count(o.predict.begin(), o.predict.end(), "-") > 0)
                 usage_error(translated("--predict - can be given only once"));
             o.predict.push_back(v);
         }, false},
        {"--lang", "LANG", "language of the text and figures: en or fr (en); not of --predict",
         [](Options&, const std::string& v) {
             try {
                 i18n::set_language(i18n::parse_language(v));
             } catch (const std::invalid_argument& e) {
                 usage_error(i18n::tr(e.what()));
             }
         }, false},
        {"--help", "", "this list (also -h)", [](Options& o, const std::string&) { o.help = true; }, false},
    };
    return table;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

}  // namespace

// ---------------------------------------------------------------------------

Options parse(std::span<const std::string> args) {
    Options o;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string name = args[i], value;
        bool has_value = false;
        if (name == "-h") name = "--help";
        if (name.rfind("--", 0) != 0)
            usage_error(translated("unexpected argument '%s' (flags start with --; a sentence goes after --predict)",
                                   name.c_str()));
        if (const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
            has_value = true;
        }
        const auto& table = flags();
        const auto flag = std::find_if(table.begin(), table.end(), [&](const Flag& f) { return f.name == name; });
        if (flag == table.end()) {
            std::string hint;
            for (const Flag& f : table)
                if (edit_distance(name, f.name) <= 2) hint = translated(" (did you mean %s?)", f.name.c_str());
            usage_error(translated("unknown flag '%s'%s", name.c_str(), hint.c_str()));
        }
        if (flag->value.empty()) {
            if (has_value) usage_error(translated("%s takes no value", name.c_str()));
        } else if (!has_value) {
            if (i + 1 >= args.size()) usage_error(translated("%s needs a value (%s)", name.c_str(), flag->value.c_str()));
            if (args[i + 1].rfind("--", 0) == 0 && args[i + 1].size() > 2)
                usage_error(translated("%s needs a value (%s), got the flag %s", name.c_str(), flag->value.c_str(),
                                       args[i + 1].c_str()));
            value = args[++i];
        }
        if (name != "--predict" && !seen.insert(name).second) usage_error(translated("%s is given twice", name.c_str()));
        seen.insert(name);
        flag->set(o, value);
    }
    o.epochs_given = seen.count("--epochs") > 0;
    o.lr_given = seen.count("--lr") > 0;
    o.dropout_given = seen.count("--dropout") > 0;
    if (o.help) return o;

    // Flags that only make sense together.
    if (!o.load_path.empty()) {
        for (const Flag& f : flags())
            if (f.trains && seen.count(f.name))
                usage_error(translated("%s cannot be used with --load: a loaded model is used as it was saved",
                                       f.name.c_str()));
        if (o.predict.empty())
            usage_error(translated("--load needs at least one --predict SENTENCE (or --predict - to read standard input)"));
    } else if (!o.predict.empty()) {
        usage_error(translated("--predict needs --load FILE (the lesson saves its model as out/lesson5/model.safetensors)"));
    }
    if (!o.unlabelled_path.empty() && o.pretrain_epochs == 0)
        usage_error(translated("--unlabelled needs pre-training: it cannot be used with --pretrain 0"));
    if (o.d_model % o.num_heads != 0)
        usage_error(translated("--d-model %d is not divisible by --heads %d (each head gets d-model / heads channels)",
                               o.d_model, o.num_heads));
    try {
        Options checked = o;
        if (checked.max_len == 0) checked.max_len = 32;   // chosen later, from the data
        checked.model_config(3, 2).validate();   // anything else the model refuses
    } catch (const std::invalid_argument& e) {
        usage_error(i18n::tr(e.what()));
    }
    return o;
}

Options parse(int argc, char** argv) {
    std::vector<std::string> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    return parse(args);
}

// In the reader's language (viz/i18n.hpp), piece by piece: the flags stay as
// they are, the explanations are translated.
std::string usage() {
    using i18n::tr;
    std::string s = tr("usage: build/lesson5 [FLAGS]                         train, evaluate, save the mini LLM") + "\n" +
                    tr("       build/lesson5 --load FILE --predict TEXT...   classify with a saved model") + "\n\n";
    std::size_t w = 0;
    for (const Flag& f : flags()) w = std::max(w, f.name.size() + (f.value.empty() ? 0 : f.value.size() + 1));
    for (const Flag& f : flags()) {
        std::string left = f.name + (f.value.empty() ? "" : " " + f.value);
        if (f.name == "--d-model") s += "\n" + tr("model:") + "\n";
        if (f.name == "--epochs") s += "\n" + tr("training:") + "\n";
        if (f.name == "--load") s += "\n" + tr("reuse:") + "\n";
        if (f.name == "--train") s += tr("data:") + "\n";
        s += "  " + left + std::string(w - left.size() + 2, ' ') + tr(f.help) + "\n";
    }
    s += "\n" + tr("(defaults in parentheses). A value may also follow '=': --epochs=4, --predict=TEXT\n"
                   "(for a sentence that starts with --). Classes: the training file's labels, sorted.\n"
                   "--predict: one output line per sentence; an empty sentence is an error; unknown\n"
                   "words become <unk> and a sentence longer than max_len is cut (a warning on stderr).\n"
                   "Threads: LLM_THREADS=N. Exit status: 0 success, 1 a file or training failure,\n"
                   "2 a command-line mistake.") + "\n";
    return s;
}

// ---------------------------------------------------------------------------

ModelConfig Options::model_config(int vocab_size, int num_classes) const {
    ModelConfig c;
    c.vocab_size = vocab_size;
    c.d_model = d_model;
    c.num_heads = num_heads;
    c.d_ff = d_ff;
    c.num_layers = num_layers;
    c.num_classes = num_classes;
    c.max_len = max_len;
    c.dropout = dropout;
    c.activation = activation;
    c.pre_norm = pre_norm;
    c.pooling = pooling;
    return c;
}

train::Options Options::train_options() const {
    train::Options t;
    t.epochs = epochs;
    t.batch_size = static_cast<std::size_t>(batch_size);
    t.lr = lr;
    t.warmup = warmup;
    t.weight_decay = weight_decay;
    t.clip_norm = clip;
    t.word_dropout = word_dropout;
    t.label_smoothing = label_smoothing;
    t.ema = ema;
    t.seed = seed;
    t.timing = timing;
    return t;
}

std::vector<std::string> classes_of_tsv(const std::string& path) {
    LoadOptions strict;
    strict.strict = true;
    std::vector<std::string> classes;
    try {
        classes = load_dataset(path, strict).classes;   // sorted; every line checked
    } catch (const std::runtime_error& e) {
        if (std::string(e.what()).ends_with("no examples (only blank lines and comments)"))
            throw std::runtime_error("'" + path + "': no labelled example (expected lines text<TAB>label[<TAB>part])");
        throw;
    }
    if (classes.size() == 1)
        throw std::runtime_error("'" + path + "': every example has the label '" + classes.front() +
                                 "'; a classifier needs at least 2 classes");
    return classes;
}

std::size_t choose_max_len(std::span<const Example> train) {
    std::size_t longest = 1;
    for (const Example& ex : train) longest = std::max(longest, count_tokens(ex.text));
    return std::min<std::size_t>((longest + 7) / 8 * 8, 256);
}

Data load_data(const Options& opt) {
    Data d;
    LoadOptions lo;
    lo.label_names = opt.label_names;
    lo.strict = opt.strict;
    d.train = load_dataset(opt.train_path, lo);
    if (d.train.classes.size() < 2)
        throw std::runtime_error("'" + opt.train_path + "': every example has the label '" + d.train.classes.front() +
                                 "'; a classifier needs at least 2 classes");
    lo.classes = d.train.classes;
    lo.label_names = d.train.label_names;
    d.test = load_dataset(opt.test_path, lo);
    if (!opt.unlabelled_path.empty()) d.unlabelled = load_texts(opt.unlabelled_path, opt.strict);
    if (opt.max_len > 0) {
        d.max_len = static_cast<std::size_t>(opt.max_len);
        d.max_len_note = "--max-len";
    } else {
        std::size_t longest = 0;
        for (const Example& ex : d.train.examples) longest = std::max(longest, count_tokens(ex.text));
        d.max_len = choose_max_len(d.train.examples);
        d.max_len_note = translated("from the data: the longest training sentence has %zu tokens (rounded up to a "
                                    "multiple of 8, at most 256)", longest);
    }
    return d;
}

// In English exactly the loader's text (io/dataset.cpp); in another language
// the same parts, each through the catalogue.
std::string description(const std::string& path, const Dataset& d) {
    if (i18n::language() == i18n::Lang::en) return path + ": " + d.format();
    std::string s;
    for (const DataMessage& m : d.format_parts) s += in_language(m);
    return colon(path, s);
}

std::vector<std::string> skip_lines(const Dataset& d) {
    if (i18n::language() == i18n::Lang::en) return d.skip_lines();
    std::vector<std::string> lines;
    for (const SkipReason& r : d.skipped) {
        std::string where;
        for (const std::string& w : r.first) where += (where.empty() ? "" : ", ") + place(w);
        if (r.count > r.first.size()) where += ", ...";
        const std::string first = colon(r.first.empty() ? std::string() : place(r.first.front()), in_language(r.problem));
        lines.push_back(in_language({r.count == 1 ? "skipped %s row (%s): %s; first: %s" : "skipped %s rows (%s): %s; first: %s",
                                     {std::to_string(r.count), i18n::tr(r.reason), where, first}}));
    }
    return lines;
}

std::string message(const DataError& e) {
    if (i18n::language() == i18n::Lang::en) return e.what();
    const std::string source = e.source == "standard input" ? i18n::tr(e.source) : e.source;
    DataMessage problem = e.problem;
    if (e.first && !e.first->first.empty())   // no usable example: the first row skipped, in the reader's language too
        problem.args = {colon(place(e.first->first.front()), in_language(e.first->problem))};
    if (e.where.empty()) return colon(source, in_language(problem));
    if (e.line == 0) return in_language({"%s, file %s: %s", {source, e.where, in_language(problem)}});
    return colon(source + ", " + place(e.where), in_language(problem));
}

std::string prediction_line(std::span<const std::string> classes, std::span<const float> probabilities) {
    if (classes.size() != probabilities.size() || classes.empty())
        throw std::invalid_argument("prediction_line: " + std::to_string(probabilities.size()) +
                                    " probabilities for " + std::to_string(classes.size()) + " classes");
    std::size_t w = 0;
    for (const auto& c : classes) w = std::max(w, c.size());
    const auto best = static_cast<std::size_t>(std::max_element(probabilities.begin(), probabilities.end()) -
                                               probabilities.begin());
    std::string line = classes[best] + std::string(w - classes[best].size() + 2, ' ');
    for (std::size_t k = 0; k < classes.size(); ++k) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "=%.3f", static_cast<double>(probabilities[k]));
        line += (k ? " " : "") + classes[k] + buf;
    }
    return line;
}

std::string unknown_words(const Vocab& vocab, std::string_view text, std::size_t max_len) {
    std::vector<std::string> toks = tokenize(text);
    if (toks.size() > max_len) toks.resize(max_len);
    std::string out;
    std::set<std::string> said;
    for (const std::string& t : toks)
        if (!vocab.contains(t) && said.insert(t).second) out += (out.empty() ? "'" : ", '") + t + "'";
    return out;
}

int run_predict(const Options& opt, std::istream& in, std::FILE* out, std::FILE* err) {
    const checkpoint::Loaded ck = checkpoint::load(opt.load_path);
    std::vector<std::string> texts;
    for (const std::string& p : opt.predict) {
        if (p != "-") {
            texts.push_back(p);
            continue;
        }
        std::string line;
        for (std::size_t n = 1; std::getline(in, line); ++n) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (const DataMessage bad = utf8_problem(line); !bad.format.empty())
                throw DataError("standard input", "line " + std::to_string(n), n, bad);
            if (!has_token(line))
                throw DataError("standard input", "line " + std::to_string(n), n,
                                {"empty sentence (every line must hold one sentence)", {}});
            texts.push_back(line);
        }
    }
    const auto max_len = static_cast<std::size_t>(ck.model.config().max_len);
    std::vector<std::vector<int>> encoded;                          // each sentence tokenized once for the model
    encoded.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
        std::size_t n = 0;                                          // the sentence's tokens, all of them
        const std::vector<int>& ids = encoded.emplace_back(ck.vocab.encode(texts[i], max_len, &n));
        if (n > max_len)
            std::fputs(report::translated("lesson5: warning: sentence %zu has %zu tokens; the model reads only the first %zu\n",
                                          i + 1, n, max_len).c_str(), err);
        const auto unknown_ids = std::count(ids.begin(), ids.end(), Vocab::unk_id);
        if (unknown_ids == static_cast<std::ptrdiff_t>(ids.size()))
            std::fputs(report::translated("lesson5: warning: sentence %zu has no word the model knows; its prediction means nothing\n",
                                          i + 1).c_str(), err);
        else if (unknown_ids > 0)
            if (const std::string unknown = unknown_words(ck.vocab, texts[i], max_len); !unknown.empty())
                std::fputs(report::translated("lesson5: warning: sentence %zu: words the model does not know (read as <unk>): %s\n",
                                              i + 1, unknown.c_str()).c_str(), err);
    }
    if (texts.empty()) return 0;
    const train::Classifier model = train::classifier(ck.model);
    const std::vector<float> probs = train::predict_probabilities(model, std::move(encoded));
    const std::size_t K = ck.classes.size();
    for (std::size_t i = 0; i < texts.size(); ++i)
        std::fprintf(out, "%s\n", prediction_line(ck.classes, std::span(probs).subspan(i * K, K)).c_str());
    std::fflush(out);
    return 0;
}

}  // namespace llm::cli
