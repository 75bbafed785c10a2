// Tests of the data side: tokenizer, vocabulary, batching, the TSV loader and
// the shipped data files (data/*.tsv, made by data/make_sentiment.py).
#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include "io/dataset.hpp"
#include "io/tokenizer.hpp"

using namespace llm;
namespace fs = std::filesystem;

namespace {

using Strings = std::vector<std::string>;

// A fresh directory under the system temp dir, removed at the end of the test.
using llm::testing::TempDir;

// The message of the std::runtime_error that f throws ("" if none).
template <typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

// The shipped data files: data/NAME from the working directory (the
// repository root, as `make test` runs) or else next to this source file.
std::string data_file(const std::string& name) {
    const fs::path here = fs::path("data") / name;
    if (fs::exists(here)) return here.string();
    return (fs::path(__FILE__).parent_path().parent_path() / "data" / name).string();
}

const Strings classes = sentiment_classes();

}  // namespace

// ---------------------------------------------------------------------------
// Tokenizer

TEST_CASE("tokenize lowercases and splits on whitespace", "[data][tokenizer]") {
    CHECK(tokenize("I Love THIS movie") == Strings{"i", "love", "this", "movie"});
    CHECK(tokenize("  a\tb\n c\r\n") == Strings{"a", "b", "c"});
    CHECK(tokenize("").empty());
    CHECK(tokenize("   \t ").empty());
    CHECK(tokenize("a\x01" "b") == Strings{"a", "b"});  // control bytes separate
}

TEST_CASE("tokenize makes every ASCII punctuation character a token", "[data][tokenizer]") {
    CHECK(tokenize("Good, but dull.") == Strings{"good", ",", "but", "dull", "."});
    CHECK(tokenize("don't") == Strings{"don", "'", "t"});
    CHECK(tokenize("wow!!") == Strings{"wow", "!", "!"});
    CHECK(tokenize("well-made (2019)") == Strings{"well", "-", "made", "(", "2019", ")"});
    CHECK(tokenize("<pad>") == Strings{"<", "pad", ">"});
    // UTF-8 bytes belong to words and are not lowercased
    CHECK(tokenize("Café ÉTÉ") == Strings{"café", "ÉtÉ"});
    CHECK(is_punctuation_token(","));
    CHECK_FALSE(is_punctuation_token("a"));
    CHECK_FALSE(is_punctuation_token(",,"));
    CHECK(count_tokens("good, but dull.") == 5);
    CHECK(count_word_tokens("good, but dull.") == 3);
    CHECK(count_word_tokens("...!?") == 0);
}

TEST_CASE("has_token and encode's token count agree with count_tokens", "[data][tokenizer]") {
    const Vocab vocab = Vocab::build(Strings{"good film", "bad film ."});
    for (const char* text : {"", "   \t ", "\x01", "?", "good", "Good film, bad film.", "a b c d e f g h i j"}) {
        INFO(text);
        CHECK(has_token(text) == (count_tokens(text) > 0));
        for (const std::size_t max_len : {std::size_t(1), std::size_t(3), std::size_t(64)}) {
            std::size_t n = 99;
            CHECK(vocab.encode(text, max_len, &n) == vocab.encode(text, max_len));
            CHECK(n == count_tokens(text));
        }
    }
}

// ---------------------------------------------------------------------------
// Vocabulary

TEST_CASE("vocab: specials first, then frequency, ties alphabetical", "[data][vocab]") {
    const Strings texts{"b a a", "c b a", "z y x"};
    const Vocab v = Vocab::build(texts);
    CHECK(v.tokens() == Strings{"<pad>", "<unk>", "a", "b", "c", "x", "y", "z"});
    CHECK(Vocab::pad_id == 0);
    CHECK(Vocab::unk_id == 1);
    CHECK(v.id("<pad>") == 0);
    CHECK(v.id("<unk>") == 1);
    CHECK(v.id("a") == 2);
    CHECK(v.token(3) == "b");
    CHECK_THROWS_AS(v.token(8), std::out_of_range);
    CHECK_THROWS_AS(v.token(-1), std::out_of_range);

    CHECK(Vocab::build(texts, 2).tokens() == Strings{"<pad>", "<unk>", "a", "b"});
    CHECK(Vocab::build(texts, 1, 4).tokens() == Strings{"<pad>", "<unk>", "a", "b"});
    CHECK(Vocab::build(texts, 1, 2).size() == 2);
    CHECK_THROWS_AS(Vocab::build(texts, 0), std::invalid_argument);
    CHECK_THROWS_AS(Vocab::build(texts, 1, 1), std::invalid_argument);
    CHECK(Vocab().tokens() == Strings{"<pad>", "<unk>"});
}

TEST_CASE("vocab: unknown words map to <unk>, encode truncates", "[data][vocab]") {
    const Strings texts{"the film was good.", "the plot was dull."};
    const Vocab v = Vocab::build(texts);
    CHECK(v.id("brilliant") == Vocab::unk_id);
    CHECK_FALSE(v.contains("brilliant"));
    CHECK(v.contains("good"));

    const std::vector<int> ids = v.encode("The FILM was brilliant!", 10);
    REQUIRE(ids.size() == 5);
    CHECK(ids[0] == v.id("the"));
    CHECK(ids[1] == v.id("film"));
    CHECK(ids[3] == Vocab::unk_id);  // brilliant
    CHECK(ids[4] == Vocab::unk_id);  // "!" never seen
    CHECK(v.decode(ids) == "the film was <unk> <unk>");

    const std::vector<int> cut = v.encode("the film was good.", 3);
    CHECK(cut == std::vector<int>{v.id("the"), v.id("film"), v.id("was")});
    CHECK(count_tokens("the film was good.") > 3);  // how a caller sees the cut
    CHECK(v.encode("the film", 3).size() == 2);
    CHECK_THROWS_AS(v.encode("the film", 0), std::invalid_argument);
}

TEST_CASE("vocab: serialise round trip", "[data][vocab]") {
    const Vocab v = Vocab::build(Strings{"i don't like it, really.", "café au lait"});
    const std::string s = v.serialize();
    CHECK(s.rfind("<pad>\n<unk>\n", 0) == 0);
    CHECK(s.back() != '\n');
    const Vocab back = Vocab::deserialize(s);
    CHECK(back.tokens() == v.tokens());
    CHECK(back.id("café") == v.id("café"));
    CHECK(Vocab::deserialize(s + "\n").tokens() == v.tokens());  // one trailing newline is fine
    CHECK(Vocab::deserialize(Vocab().serialize()).size() == 2);
}

TEST_CASE("vocab: deserialise rejects bad strings with a clear message", "[data][vocab]") {
    auto msg = [](const std::string& s) { return error_of([&] { Vocab::deserialize(s); }); };
    CHECK_THAT(msg(""), Catch::Contains("empty"));
    CHECK_THAT(msg("<pad>"), Catch::Contains("only 1 entry"));
    CHECK_THAT(msg("<unk>\n<pad>\na"), Catch::Contains("entry 0 must be <pad>"));
    CHECK_THAT(msg("<pad>\nfoo\na"), Catch::Contains("entry 1 must be <unk>"));
    CHECK_THAT(msg("<pad>\n<unk>\na\nb\na"), Catch::Contains("entry 4 'a' duplicates entry 2"));
    CHECK_THAT(msg("<pad>\n<unk>\n<pad>"), Catch::Contains("entry 2 '<pad>' duplicates entry 0"));
    CHECK_THAT(msg("<pad>\n<unk>\na\n\nb"), Catch::Contains("entry 3 is empty"));
    CHECK_THAT(msg("<pad>\n<unk>\na\n\n"), Catch::Contains("entry 3 is empty"));
    CHECK_THAT(msg("<pad>\n<unk>\nGood"), Catch::Contains("entry 2 'Good' is not a single"));
    CHECK_THAT(msg("<pad>\n<unk>\ngood,"), Catch::Contains("entry 2"));
    CHECK_THAT(msg("<pad>\n<unk>\nvery good"), Catch::Contains("entry 2"));
    CHECK_THAT(msg("<pad>\n<unk>\ngood\r"), Catch::Contains("'good\\x0d'"));
    CHECK_THAT(msg("<pad>\r\n<unk>"), Catch::Contains("entry 0 must be <pad>"));
    for (const char* bad : {"", "<pad>", "<pad>\n<unk>\nA"})
        CHECK(msg(bad).find('\n') == std::string::npos);
}

// ---------------------------------------------------------------------------
// Batching

TEST_CASE("make_batch pads to the longest sentence and marks the padding", "[data][batch]") {
    const Strings texts{"a b c", "a", "b c"};
    const Vocab v = Vocab::build(texts);
    const TokenBatch b = make_batch(v, texts, 10);
    CHECK(b.B == 3);
    CHECK(b.T == 3);
    CHECK(b.truncated == 0);
    const int a = v.id("a"), bb = v.id("b"), c = v.id("c"), P = Vocab::pad_id;
    CHECK(b.ids == std::vector<int>{a, bb, c, a, P, P, bb, c, P});
    CHECK(b.pad_mask == std::vector<float>{0, 0, 0, 0, 1, 1, 0, 0, 1});
    CHECK(b.lengths == std::vector<std::size_t>{3, 1, 2});

    const TokenBatch cut = make_batch(v, texts, 2);
    CHECK(cut.T == 2);
    CHECK(cut.truncated == 1);
    CHECK(cut.ids == std::vector<int>{a, bb, a, P, bb, c});
    CHECK(cut.pad_mask == std::vector<float>{0, 0, 0, 1, 0, 0});

    const TokenBatch one = make_batch(v, Strings{"c"}, 5);
    CHECK(one.B == 1);
    CHECK(one.T == 1);
    CHECK(one.pad_mask == std::vector<float>{0});

    CHECK_THROWS_AS(make_batch(v, Strings{}, 5), std::invalid_argument);
    CHECK_THROWS_AS(make_batch(v, texts, 0), std::invalid_argument);
    CHECK_THROWS_AS(make_batch(v, Strings{"a", "  "}, 5), std::invalid_argument);
}

// ---------------------------------------------------------------------------
// UTF-8 validation

TEST_CASE("find_invalid_utf8", "[data][utf8]") {
    const auto npos = std::string_view::npos;
    CHECK(utf8::find_invalid("plain ascii") == npos);
    CHECK(utf8::find_invalid("caf\xC3\xA9") == npos);            // é
    CHECK(utf8::find_invalid("\xE2\x82\xAC") == npos);           // €
    CHECK(utf8::find_invalid("\xF0\x9F\x98\x80") == npos);       // emoji
    CHECK(utf8::find_invalid("\xF4\x8F\xBF\xBF") == npos);       // U+10FFFF
    CHECK(utf8::find_invalid("ab\xFF") == 2);
    CHECK(utf8::find_invalid("\x80") == 0);                      // lone continuation
    CHECK(utf8::find_invalid("a\xC0\xAF") == 1);                 // overlong '/'
    CHECK(utf8::find_invalid("\xE0\x80\xAF") == 0);              // overlong, 3 bytes
    CHECK(utf8::find_invalid("\xED\xA0\x80") == 0);              // surrogate
    CHECK(utf8::find_invalid("\xF4\x90\x80\x80") == 0);          // above U+10FFFF
    CHECK(utf8::find_invalid("x\xE2\x82") == 1);                 // cut short
    CHECK(utf8::find_invalid("\xC3\x28") == 0);                  // bad continuation
    CHECK(utf8::find_invalid("caf\xC3\xA9 \xF0\x9F\x98") == 6);
}

// ---------------------------------------------------------------------------
// Loader

TEST_CASE("load_tsv reads 2- and 3-column files", "[data][loader]") {
    TempDir dir;
    const std::string path = dir.write(
        "good.tsv",
        "\xEF\xBB\xBF# a comment\n"
        "the film was good.\tpositive\tplain\n"
        "\n"
        "   \n"
        "the plot was dull\tnegative\r\n"
        "it is two hours long\t neutral \t facts \n"
        "caf\xC3\xA9 au lait, tr\xC3\xA8s bon\tpositive");  // no final newline
    const std::vector<Example> ex = load_tsv(path, classes);
    REQUIRE(ex.size() == 4);
    CHECK(ex[0].text == "the film was good.");
    CHECK(ex[0].label == 2);
    CHECK(ex[0].part == "plain");
    CHECK(ex[1].text == "the plot was dull");
    CHECK(ex[1].label == 0);
    CHECK(ex[1].part == "all");
    CHECK(ex[2].label == 1);
    CHECK(ex[2].part == "facts");
    CHECK(ex[3].text == "caf\xC3\xA9 au lait, tr\xC3\xA8s bon");

    // a sentence longer than any max_len is fine here; the tokenizer cuts it
    std::string long_text;
    for (int i = 0; i < 500; ++i) long_text += "very ";
    const std::string long_path = dir.write("long.tsv", long_text + "good\tpositive\n");
    CHECK(load_tsv(long_path, classes).size() == 1);
}

TEST_CASE("load_tsv: one-line errors naming the file and the line", "[data][loader]") {
    TempDir dir;
    const std::string ok = "fine sentence\tpositive\tplain\n";
    struct Case {
        const char* name;
        std::string bad_line;
        const char* expect;
    };
    const std::vector<Case> cases{
        {"no_tab", "no tab here positive\n", "no tab"},
        {"unknown_label", "great film\thappy\n",
         "unknown label 'happy' (allowed: negative, neutral, positive)"},
        {"label_case", "great film\tPositive\n", "unknown label 'Positive'"},
        {"empty_label", "great film\t\n", "empty label"},
        {"empty_sentence", "\tpositive\n", "empty sentence"},
        {"blank_sentence", "   \tpositive\n", "empty sentence"},
        {"utf8", "bad \xFF byte\tpositive\n", "not valid UTF-8 at column 5 (byte 0xFF)"},
        {"utf8_in_label", "fine\tpos\xC3\n", "not valid UTF-8 at column 9"},
        {"columns", "a\tpositive\tplain\textra\n", "4 columns"},
        {"empty_part", "a\tpositive\t \n", "empty part"},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        // the bad line is line 4: a comment, a good line, a blank line, then it
        const std::string path = dir.write(std::string(c.name) + ".tsv",
                                           "# header\n" + ok + "\n" + c.bad_line + ok);
        const std::string msg = error_of([&] { load_tsv(path, classes); });
        CHECK_THAT(msg, Catch::Contains(path));
        CHECK_THAT(msg, Catch::Contains("line 4:"));
        CHECK_THAT(msg, Catch::Contains(c.expect));
        CHECK(msg.find('\n') == std::string::npos);
    }
}

TEST_CASE("load_tsv: missing file, empty file, bad class names", "[data][loader]") {
    TempDir dir;
    const std::string missing = (dir.path / "nope.tsv").string();
    const std::string msg = error_of([&] { load_tsv(missing, classes); });
    CHECK_THAT(msg, Catch::Contains("nope.tsv"));
    CHECK_THAT(msg, Catch::Contains("cannot read"));

    CHECK_THAT(error_of([&] { load_tsv(dir.path.string(), classes); }),
               Catch::Contains("directory"));
    for (const std::string& content : {std::string(""), std::string("# only\n\n  \n")}) {
        const std::string path = dir.write("empty.tsv", content);
        CHECK_THAT(error_of([&] { load_tsv(path, classes); }), Catch::Contains("no examples"));
    }
    const std::string path = dir.write("one.tsv", "good\tpositive\n");
    CHECK_THROWS_AS(load_tsv(path, Strings{}), std::invalid_argument);
    CHECK_THROWS_AS(load_tsv(path, Strings{"a", "a"}), std::invalid_argument);
    CHECK_THROWS_AS(load_tsv(path, Strings{"a b"}), std::invalid_argument);
}

TEST_CASE("load_dataset: a training file's classes are its labels, sorted", "[data][loader]") {
    TempDir dir;
    LoadOptions strict;
    strict.strict = true;
    auto classes_of = [&](const std::string& path) { return load_dataset(path, strict).classes; };
    const std::string f = dir.write("mine.tsv", "\xEF\xBB\xBF# a comment\tnot_a_label\n"
                                                "so happy\t joy \r\n\n  \n"
                                                "so sad\tsadness\tpart\n"
                                                "meh\tanger\n");
    CHECK(classes_of(f) == Strings{"anger", "joy", "sadness"});
    CHECK(classes_of("data/workshop10.tsv") == Strings{"negative", "positive"});
    // numbers sort as numbers; 0,1 and 0,1,2 get names, others keep their digits
    CHECK(classes_of(dir.write("n.tsv", "a\t10\nb\t9\nc\t1\n")) == Strings{"1", "9", "10"});
    CHECK(classes_of(dir.write("b.tsv", "a\t1\nb\t0\n")) == Strings{"negative", "positive"});
    CHECK(classes_of(dir.write("t.tsv", "a\t1\nb\t0\nc\t2\n")) == Strings{"negative", "neutral", "positive"});
    CHECK_THAT(error_of([&] { classes_of(dir.write("none.tsv", "# nothing\n\n")); }), Catch::Contains("no examples"));
    CHECK_THAT(error_of([&] { classes_of(dir.write("tab.tsv", "a\tx\nno tab\n")); }),
               Catch::Contains("tab.tsv, line 2: no tab"));
    CHECK_THAT(error_of([&] { classes_of(dir.write("lab.tsv", "a\tx\nb\t \n")); }),
               Catch::Contains("lab.tsv, line 2: empty label"));
    CHECK_THAT(error_of([&] { classes_of(dir.write("u.tsv", "a\tx\n\xC0\xAF\ty\n")); }),
               Catch::Contains("u.tsv, line 2: bytes that are not valid UTF-8 at column 1 (byte 0xC0)"));
    CHECK_THAT(error_of([&] { classes_of((dir.path / "missing.tsv").string()); }), Catch::Contains("cannot read"));
    CHECK(utf8_problem("caf\xC3\xA9").format.empty());
    CHECK(utf8_problem("ab\xFF").text() == "bytes that are not valid UTF-8 at column 3 (byte 0xFF)");
    CHECK(utf8_problem("ab\xFF", 10).text() == "bytes that are not valid UTF-8 at column 13 (byte 0xFF)");
}

TEST_CASE("per-part indices, label counts, example batches", "[data][loader]") {
    const std::vector<Example> ex{
        {"good", 2, "plain"}, {"not good", 0, "negation"}, {"bad", 0, "plain"},
        {"two hours", 1, "neutral"}, {"not bad at all", 2, "negation"}};
    const std::vector<PartIndices> parts = indices_by_part(ex);
    REQUIRE(parts.size() == 3);
    CHECK(parts[0].part == "plain");
    CHECK(parts[0].indices == std::vector<std::size_t>{0, 2});
    CHECK(parts[1].part == "negation");
    CHECK(parts[1].indices == std::vector<std::size_t>{1, 4});
    CHECK(parts[2].part == "neutral");
    CHECK(parts[2].indices == std::vector<std::size_t>{3});
    CHECK(count_labels(ex, 3) == std::vector<std::size_t>{2, 1, 2});
    CHECK_THROWS_AS(count_labels(ex, 2), std::out_of_range);
    CHECK(texts_of(ex) == Strings{"good", "not good", "bad", "two hours", "not bad at all"});

    const Vocab v = Vocab::build(texts_of(ex));
    const std::vector<std::size_t> idx{4, 0};
    const ExampleBatch b = make_example_batch(v, ex, idx, 3);
    CHECK(b.labels == std::vector<int>{2, 2});
    CHECK(b.tokens.B == 2);
    CHECK(b.tokens.T == 3);
    CHECK(b.tokens.truncated == 1);
    CHECK(b.tokens.pad_mask == std::vector<float>{0, 0, 0, 0, 1, 1});
    const std::vector<std::size_t> bad{7};
    CHECK_THROWS_AS(make_example_batch(v, ex, bad, 3), std::out_of_range);
}

// ---------------------------------------------------------------------------
// The shipped data

TEST_CASE("shipped data: sizes, parts, labels", "[data][files]") {
    const std::vector<Example> train = load_tsv(data_file("sentiment_train.tsv"), classes);
    const std::vector<Example> test = load_tsv(data_file("sentiment_test.tsv"), classes);
    CHECK(train.size() >= 2000);
    CHECK(test.size() >= 500);
    for (const auto* split : {&train, &test}) {
        const std::vector<PartIndices> parts = indices_by_part(*split);
        std::set<std::string> names;
        for (const PartIndices& p : parts) names.insert(p.part);
        CHECK(names == std::set<std::string>{"plain", "intensifier", "negation", "contrast", "neutral"});
        for (const std::size_t n : count_labels(*split, 3)) CHECK(n >= split->size() / 5);
        std::size_t longest = 0;
        for (const Example& e : *split) longest = std::max(longest, count_tokens(e.text));
        CHECK(longest <= 20);
    }
    const std::vector<Example> w10 = load_tsv(data_file("workshop10.tsv"), classes);
    CHECK(w10.size() == 10);
    CHECK(count_labels(w10, 3) == std::vector<std::size_t>{5, 0, 5});
}

TEST_CASE("shipped data: test is disjoint from train, with no unknown word", "[data][files]") {
    const std::vector<Example> train = load_tsv(data_file("sentiment_train.tsv"), classes);
    const std::vector<Example> test = load_tsv(data_file("sentiment_test.tsv"), classes);
    const Vocab vocab = Vocab::build(texts_of(train));
    CHECK(vocab.size() >= 150);
    CHECK(vocab.size() <= 400);

    std::set<std::string> train_texts;
    for (const Example& e : train) train_texts.insert(e.text);
    CHECK(train_texts.size() == train.size());  // no duplicates either
    std::size_t in_train = 0, unknown = 0;
    for (const Example& e : test) {
        in_train += train_texts.count(e.text);
        for (const std::string& tok : tokenize(e.text)) {
            if (!vocab.contains(tok)) {
                ++unknown;
                UNSCOPED_INFO("unknown test word '" << tok << "' in: " << e.text);
            }
        }
    }
    CHECK(in_train == 0);
    CHECK(unknown == 0);
    for (const Example& e : load_tsv(data_file("workshop10.tsv"), classes))
        for (const std::string& tok : tokenize(e.text)) CHECK(vocab.contains(tok));
}

TEST_CASE("shipped data: contrast twins share a bag of words, opposite labels", "[data][files]") {
    // the property that makes word order necessary: for each contrast
    // sentence, its twin (same words, sorted) is in the same split with the
    // other polarity
    for (const char* file : {"sentiment_train.tsv", "sentiment_test.tsv"}) {
        const std::vector<Example> ex = load_tsv(data_file(file), classes);
        std::multiset<std::pair<Strings, int>> bags;
        std::size_t contrast = 0;
        for (const Example& e : ex) {
            if (e.part != "contrast") continue;
            Strings bag = tokenize(e.text);
            std::sort(bag.begin(), bag.end());
            bags.emplace(std::move(bag), e.label);
            ++contrast;
        }
        CHECK(contrast > 0);
        std::size_t twinned = 0;
        for (const auto& [bag, label] : bags)
            twinned += bags.count({bag, 2 - label}) > 0 ? 1 : 0;
        CHECK(twinned == contrast);
    }
}

// ---------------------------------------------------------------------------
// Formats: each fixture is written here, the format and the columns detected

TEST_CASE("formats: TSV with or without a header, label in either column", "[data][formats]") {
    TempDir dir;
    // GLUE's SST-2 layout: header, numeric labels; a phrase of punctuation only is text
    const Dataset glue = load_dataset(dir.write("glue.tsv", "sentence\tlabel\nhide new secretions \t0\n"
                                                             "a charming journey\t1\n?!\t0\n"));
    CHECK(glue.format() == "TSV with header (sentence, label), 3 examples, 2 labels: 0=negative, 1=positive");
    REQUIRE(glue.examples.size() == 3);
    CHECK(glue.classes == Strings{"negative", "positive"});
    CHECK((glue.examples[0].text == "hide new secretions" && glue.examples[0].label == 0));
    CHECK((glue.examples[1].label == 1 && glue.examples[2].text == "?!"));
    CHECK(glue.skipped.empty());
    // header in the other order, with a part column
    const Dataset swapped = load_dataset(dir.write("s.tsv", "Label\tText\tpart\npos\tgood film\tplain\nneg\tbad film\tx\n"));
    CHECK(swapped.format() == "TSV with header (label, text, part), 2 examples, 2 labels: neg, pos");
    CHECK((swapped.examples[0].text == "good film" && swapped.examples[0].label == 1 && swapped.examples[0].part == "plain"));
    // no header, label first: the column with fewer distinct values
    const Dataset first = load_dataset(dir.write("f.tsv", "1\tgreat\n0\tawful\n1\tfine film\n"));
    CHECK(first.format() == "TSV without header, label then text, 3 examples, 2 labels: 0=negative, 1=positive");
    CHECK((first.examples[1].text == "awful" && first.examples[1].label == 0));
    // no header, 2 rows of 2 distinct values each: integers mark the label column
    CHECK(load_dataset(dir.write("g.tsv", "0\tgood\n1\tbad\n")).examples[0].text == "good");
    CHECK(load_dataset(dir.write("h.tsv", "good\tpositive\nbad\tnegative\n")).examples[0].text == "good");
}

TEST_CASE("formats: CSV with quotes, embedded commas and newlines; IMDB's review,sentiment", "[data][formats]") {
    TempDir dir;
    const std::string imdb = dir.write("imdb.csv",
        "review,sentiment\r\n"
        "\"One of the best films, ever.<br /><br />Go see it.\",positive\r\n"
        "\"He said \"\"meh\"\".\nThen left.\",negative\r\n"
        "plain text without quotes,negative\r\n");
    const Dataset d = load_dataset(imdb);
    CHECK(d.format() == "CSV with header (review, sentiment), 3 examples, 2 labels: negative, positive; "
                      "2 <br /> tags read as spaces");
    REQUIRE(d.examples.size() == 3);
    CHECK(d.examples[0].text == "One of the best films, ever.  Go see it.");
    CHECK(d.examples[0].label == 1);
    CHECK(d.examples[1].text == "He said \"meh\". Then left.");
    CHECK(d.examples[2].text == "plain text without quotes");
    // the record after a multi-line one has the right line number
    const std::string bad = dir.write("bad.csv", "text,label\n\"two\nlines\",positive\nno label here\n");
    CHECK(load_dataset(bad).skip_lines() ==
          Strings{"skipped 1 row (wrong number of columns): line 4; first: line 4: no comma: expected "
                  "text<TAB>label or text<TAB>label<TAB>part"});
    // an unterminated quote swallows the rest of the file: skipped, named
    const Dataset u = load_dataset(dir.write("u.csv", "text,label\ngood,positive\n\"open,negative\nbad,negative\n"));
    CHECK(u.examples.size() == 1);
    REQUIRE(u.skipped.size() == 1);
    CHECK(u.skipped[0].message == "line 3: unterminated quote: the field that opens on this line runs to the end of the file");
    // no .csv name: detected from the first line (a comma, no tab)
    CHECK(table::parse("a,b\n", "data.txt").format == table::Format::csv);
    CHECK(table::parse("a,b\tc\n", "data.txt").format == table::Format::tsv);
}

TEST_CASE("formats: the aclImdb folder layout, <br /> tags read as spaces", "[data][formats]") {
    TempDir dir;
    dir.write("train/pos/0_9.txt", "A wonderful film.<br /><br />Really.");
    dir.write("train/pos/1_8.txt", "Loved it");
    dir.write("train/neg/0_2.txt", "Dull<BR/>and long");
    dir.write("train/neg/notes.md", "not a review");
    dir.write("train/unsup/0_0.txt", "ignored");
    dir.write("train/neg/2_1.txt", "   ");
    const Dataset d = load_dataset(dir / "train");
    CHECK(d.format() == "aclImdb folder (neg/, pos/) one review per file, the folder is the label, 3 examples, "
                      "2 labels: neg=negative, pos=positive; 3 <br /> tags read as spaces");
    REQUIRE(d.examples.size() == 3);
    CHECK((d.examples[0].text == "Dull and long" && d.examples[0].label == 0));
    CHECK((d.examples[1].text == "A wonderful film.  Really." && d.examples[1].label == 1));
    CHECK(d.skip_lines() == Strings{"skipped 1 row (empty sentence): neg/2_1.txt; first: neg/2_1.txt: empty sentence"});
    CHECK_THAT(error_of([&] { load_dataset(dir.path.string()); }),
               Catch::Contains("it is a directory without pos/ and neg/ subfolders"));
    LoadOptions strict;
    strict.strict = true;
    CHECK_THAT(error_of([&] { load_dataset(dir / "train", strict); }),
               Catch::Contains("train, file neg/2_1.txt: empty sentence"));
}

TEST_CASE("formats: a data message keeps its data apart from its words (for translations)", "[data][formats]") {
    TempDir dir;
    LoadOptions test;
    test.classes = {"negative", "positive"};
    const std::string path = dir.write("t.tsv", "a\tpositive\nb\t\xff\nc\thappy\n");
    const Dataset t = load_dataset(path, test);
    REQUIRE(t.skipped.size() == 2);
    CHECK(t.skipped[0].problem.format == "bytes that are not valid UTF-8 at column %s (byte 0x%s)");
    CHECK(t.skipped[0].problem.args == Strings{"3", "FF"});
    CHECK(t.skipped[1].problem.format == "unknown label %s (allowed: %s)");
    CHECK(t.skipped[1].problem.args == Strings{"'happy'", "negative, positive"});
    CHECK(t.skipped[1].message == "line 3: " + t.skipped[1].problem.text());
    // the description, in parts (format() puts their texts end to end)
    CHECK(t.format().rfind("TSV without header, text then label (then part), ", 0) == 0);
    CHECK(t.format_parts.at(0).format == "%s without header, text then label (then part)");
    // strict: a DataError with its place and problem apart
    test.strict = true;
    try {
        load_dataset(path, test);
        FAIL("no DataError");
    } catch (const DataError& e) {
        CHECK((e.source == path && e.where == "line 2" && e.line == 2));
        CHECK(e.problem.format == "bytes that are not valid UTF-8 at column %s (byte 0x%s)");
        CHECK(std::string(e.what()) == path + ", line 2: bytes that are not valid UTF-8 at column 3 (byte 0xFF)");
    }
    try {
        load_dataset(dir.write("none.tsv", "\tpositive\n"));
        FAIL("no DataError");
    } catch (const DataError& e) {
        CHECK((e.where.empty() && e.first && e.first->reason == "empty sentence"));
        CHECK(std::string(e.what()) == dir / "none.tsv" + ": no usable example: every row was skipped (first: line 1: empty sentence)");
    }
}

TEST_CASE("formats: unlabelled text, one per line or a folder of .txt files (--unlabelled)", "[data][formats]") {
    TempDir dir;
    // a byte-order mark, CRLF, blank lines, a tab and <br /> tags inside a text, a '#' line is text
    const std::string lines = dir.write("unsup.txt", "\xEF\xBB\xBF" "a truly fine film\r\n\n   \nslow<br />and\tdull\n"
                                                     "# not a comment\n\xFF bad bytes\n<br />\nlast line");
    const Dataset d = load_texts(lines);
    CHECK(d.format() == "text, one per line, 4 texts without labels; 2 blank lines; 2 <br /> tags read as spaces");
    CHECK(texts_of(d.examples) == Strings{"a truly fine film", "slow and dull", "# not a comment", "last line"});
    CHECK(d.classes.empty());
    CHECK(d.skip_lines() == Strings{"skipped 1 row (not valid UTF-8): line 6; first: line 6: bytes that are not valid "
                                    "UTF-8 at column 1 (byte 0xFF)",
                                    "skipped 1 row (empty sentence): line 7; first: line 7: empty sentence"});
    CHECK(error_of([&] { load_texts(lines, true); }) ==
          lines + ", line 6: bytes that are not valid UTF-8 at column 1 (byte 0xFF)");
    // a folder: its .txt files in name order, nothing else (aclImdb/train/unsup)
    dir.write("unsup/1_0.txt", "Second<br/>review");
    dir.write("unsup/0_0.txt", "\xEF\xBB\xBF" "First review");
    dir.write("unsup/notes.md", "not a review");
    dir.write("unsup/sub/2_0.txt", "in a subfolder: not read");
    const Dataset f = load_texts(dir / "unsup");
    CHECK(f.format() == "folder of .txt files, one text per file, 2 texts without labels; 1 <br /> tags read as spaces");
    CHECK(texts_of(f.examples) == Strings{"First review", "Second review"});
    // nothing usable
    CHECK(error_of([&] { load_texts(dir.write("blank.txt", "\n  \n")); }) == dir / "blank.txt" + ": no text (only blank lines)");
    CHECK_THAT(error_of([&] { load_texts(dir.write("bad.txt", "<br />\n")); }),
               Catch::Contains("no usable example: every row was skipped (first: line 1: empty sentence)"));
    CHECK_THAT(error_of([&] { load_texts(dir / "unsup/sub/none"); }), Catch::Contains("cannot read"));
    std::filesystem::create_directories(dir.path / "empty");
    CHECK_THAT(error_of([&] { load_texts(dir / "empty"); }), Catch::EndsWith("a folder without a .txt file"));
}

TEST_CASE("formats: dirty rows are skipped and counted per reason; strict throws at the first", "[data][formats]") {
    TempDir dir;
    std::string content = "good film\tpositive\nbad film\tnegative\n";
    for (int i = 0; i < 7; ++i) content += "no tab " + std::to_string(i) + "\n";   // lines 3..9
    content += "\tpositive\n";                                                        // line 10
    const std::string path = dir.write("dirty.tsv", content);
    const Dataset d = load_dataset(path);
    CHECK(d.examples.size() == 2);
    CHECK(d.skipped_rows() == 8);
    CHECK(d.skip_lines() == Strings{"skipped 7 rows (wrong number of columns): line 3, line 4, line 5, line 6, line 7, "
                                    "...; first: line 3: no tab: expected text<TAB>label or text<TAB>label<TAB>part",
                                    "skipped 1 row (empty sentence): line 10; first: line 10: empty sentence"});
    LoadOptions strict;
    strict.strict = true;
    CHECK(error_of([&] { load_dataset(path, strict); }) ==
          path + ", line 3: no tab: expected text<TAB>label or text<TAB>label<TAB>part");
    // a test file: labels through the training file's names; unknown ones skipped
    LoadOptions test;
    test.classes = {"negative", "positive"};
    test.label_names = {{"0", "negative"}, {"1", "positive"}};
    const Dataset t = load_dataset(dir.write("t.tsv", "a\t1\nb\tnegative\nc\t7\n"), test);
    CHECK((t.examples.size() == 2 && t.examples[0].label == 1 && t.examples[1].label == 0));
    CHECK(t.skipped.at(0).message == "line 3: unknown label '7' (allowed: negative, positive)");
    // --labels names the raw labels, in its order
    LoadOptions named;
    named.label_names = parse_label_names("1=good,0=bad");
    const Dataset n = load_dataset(dir.write("n.tsv", "a\t0\nb\t1\n"), named);
    CHECK(n.classes == Strings{"good", "bad"});
    CHECK((n.examples[0].label == 1 && n.examples[1].label == 0));
    CHECK_THROWS_WITH(parse_label_names("0=a b,1=c"), Catch::Contains("has a space"));
}
