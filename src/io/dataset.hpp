#pragma once
// Labelled sentences from the files people have, and helpers to evaluate per
// phenomenon.
//
// Formats (io/table.hpp reads them; the format is detected, never configured):
//     TSV   text<TAB>label, text<TAB>label<TAB>part (the shipped files), or
//           label<TAB>text; with or without a header line (GLUE's SST-2:
//           "sentence<TAB>label")
//     CSV   the same columns, RFC 4180 quoting (IMDB's "review,sentiment")
//     DIR   the aclImdb folder layout: DIR/neg/*.txt, DIR/pos/*.txt
// A header is a first row that names a text column (sentence, text, review,
// content, phrase) and a label column (label, sentiment, polarity, class,
// category); a "part" column is read when named. Without a header: 3 columns
// are text, label, part; of 2 columns the label is the one with fewer
// distinct values (column 2 on a tie, unless only column 1 is all integers).
// UTF-8; a byte-order mark and '\r' before '\n' are accepted; blank lines and
// '#' lines (in CSV: '#' rows of one field) are counted, not read. Spaces
// around each field are ignored; tabs, newlines and "<br />" tags inside a
// text become spaces. Examples without a part get the part "all".
//
// Labels: the training file's distinct labels are the classes, sorted (as
// numbers when they all are whole numbers, else byte order). Numeric labels
// get names: --labels 0=negative,1=positive, or by default 0,1 ->
// negative, positive and 0,1,2 -> negative, neutral, positive (other numbers
// keep their digits); an aclImdb folder's neg, pos -> negative, positive. A
// test file's label must be one of the training file's raw labels or class
// names (case matters).
//
// Dirty data: a row that cannot be used (bytes that are not valid UTF-8, a
// wrong number of columns, an empty sentence, an empty or unknown label, an
// empty part, an unterminated CSV quote) is skipped and counted per reason;
// Dataset::skip_lines gives one line per reason. A sentence of punctuation
// only ("?!", "...") is text and is read. With strict = true the first such
// row throws DataError (a std::runtime_error) "PATH, line 7: PROBLEM" instead, e.g.
//     data/mine.tsv, line 7: unknown label 'happy' (allowed: negative, neutral, positive)
// Always errors: an unreadable file; no usable example at all. A sentence
// longer than the model's max_len is NOT a problem: the tokenizer keeps its
// first max_len tokens (make_batch counts them in TokenBatch::truncated).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/table.hpp"
#include "io/tokenizer.hpp"
#include "io/utf8.hpp"

namespace llm {

// ---------------------------------------------------------------------------
// Examples and loading

struct Example {
    std::string text;  // as in the file, spaces around it removed
    int label = 0;     // index into the class names
    std::string part;  // the phenomenon, "all" when the file has no part column
};

inline constexpr std::string_view default_part = "all";

// The classes of the shipped sentiment files, in label-id order:
// negative = 0, neutral = 1, positive = 2.
std::vector<std::string> sentiment_classes();

// raw label in the file -> class name ("0" -> "negative")
using LabelNames = std::vector<std::pair<std::string, std::string>>;

struct LoadOptions {
    std::vector<std::string> classes;   // the classes in label-id order (a test file); empty: from the file
    LabelNames label_names;             // --labels; empty: the defaults above
    bool strict = false;                // the first unusable row throws instead of being skipped
};

// A message about data, in English, with its data kept apart so that the
// caller can print it in another language (app/cli.cpp, viz/i18n.hpp): the
// format is the catalogue key, and its data go back in place of each %s.
struct DataMessage {
    std::string format;                 // "unknown label %s (allowed: %s)"
    std::vector<std::string> args;      // {"'7'", "negative, positive"}: one per %s
    std::string text() const;           // the English message: "unknown label '7' (allowed: negative, positive)"
};

// The first bad byte of s, as the loaders report it: "bytes that are not
// valid UTF-8 at column %s (byte 0x%s)", the column counted from
// column_offset + 1; an empty format when s is valid UTF-8.
DataMessage utf8_problem(std::string_view s, std::size_t column_offset = 0);

struct SkipReason {
    std::string reason;                 // "unknown label", "empty sentence", ...
    std::size_t count = 0;
    std::vector<std::string> first;     // where the first few are: "line 7", "pos/12_3.txt" (at most 5)
    std::string message;                // the first one's full message: first[0] + ": " + problem
    DataMessage problem;                // the first one's problem, without its place
};

// What load_dataset throws when it cannot use a file: strict, at its first
// unusable row ("data/mine.tsv, line 7: PROBLEM"); always, when no row is
// usable. what() is the English message; the parts are kept for translations.
struct DataError : std::runtime_error {
    DataError(std::string source, std::string where, std::size_t line, DataMessage problem,
              std::optional<SkipReason> first = std::nullopt);
    std::string source;                 // the file or folder
    std::string where;                  // the row: "line 7", "neg/12_3.txt"; empty: the whole file
    std::size_t line = 0;               // the row's line; 0 for a file of a folder
    DataMessage problem;
    std::optional<SkipReason> first;    // no usable example: the first row skipped
};

struct Dataset {
    std::vector<Example> examples;
    std::vector<std::string> classes;   // label id -> class name
    LabelNames label_names;             // raw label -> class name, as applied
    std::vector<DataMessage> format_parts;   // what the file is, in parts (kept apart for translations)
    std::string format() const;         // those parts in one line: "TSV with header (sentence, label), ..."
    std::vector<SkipReason> skipped;    // in order of first appearance
    std::size_t skipped_rows() const;
    // One line per reason: "skipped 3 rows (empty sentence): line 4, line 9, line 12; first: line 4: empty sentence"
    std::vector<std::string> skip_lines() const;
};

// Reads and checks a file or folder (see the top of this file).
Dataset load_dataset(const std::string& path, const LoadOptions& opt = {});

// Unlabelled text for pre-training (lesson 5's --unlabelled): a file of one
// text per line, or a folder of .txt files (table::read_texts). Each text is
// cleaned as a labelled one ("<br />" tags, tabs -> spaces). A text that is
// not valid UTF-8, or has no word, is skipped and counted (strict: the first
// throws DataError); none usable: DataError. The examples carry only their
// text: label 0, part "all", and the Dataset has no classes.
Dataset load_texts(const std::string& path, bool strict = false);

// The same on rows already read; `source` names them in messages.
Dataset dataset_from_table(const table::Table& t, const std::string& source, const LoadOptions& opt);

// Parses --labels: "0=negative,1=positive" (raw=name, comma-separated, each
// raw label and name once, names without spaces). Throws std::invalid_argument.
LabelNames parse_label_names(std::string_view spec);

// Strict loading with fixed classes (the tests, the bench): load_dataset with
// opt.strict, returning the examples. An empty or duplicated class list is
// std::invalid_argument.
std::vector<Example> load_tsv(const std::string& path, std::span<const std::string> class_names);
std::vector<Example> parse_tsv(std::string_view content, const std::string& source,
                               std::span<const std::string> class_names);

// ---------------------------------------------------------------------------
// Helpers

// Indices of the examples of each part, parts in order of first appearance.
struct PartIndices {
    std::string part;
    std::vector<std::size_t> indices;
};
std::vector<PartIndices> indices_by_part(std::span<const Example> examples);

// A validation split of whole sentences. SST-2's training lines are phrases
// cut from review sentences ("a charming journey" inside "... is a charming
// journey ."), so a random line held out is mostly already seen in training.
// Here a line belongs to the group of the longest line that contains it (as
// a run of tokens; lines taken longest first, each line joins the first
// group whose sentence contains it, or starts its own). A fraction of the
// groups (seeded) is held out: their full sentences (the groups' longest
// lines) are the validation split, and every line that is a run of tokens of
// a held-out sentence leaves the training split.
struct Holdout {
    std::vector<Example> train, validation;
    std::size_t groups = 0;          // sentences (groups) in the input
    std::size_t held_groups = 0;     // of them held out: validation.size()
    std::size_t dropped = 0;         // lines neither trained on nor validated: phrases of held-out sentences
};
Holdout hold_out_sentences(std::span<const Example> examples, double fraction, std::uint64_t seed);

// Number of examples per label; labels must be in [0, num_classes).
std::vector<std::size_t> count_labels(std::span<const Example> examples, std::size_t num_classes);

// The texts, in order (e.g. for Vocab::build on the training split).
std::vector<std::string> texts_of(std::span<const Example> examples);

// A batch of the examples at `indices`: their padded token ids and labels.
// Throws std::out_of_range for an index outside examples, and what
// make_batch throws.
struct ExampleBatch {
    TokenBatch tokens;
    std::vector<int> labels;  // [B]
};
ExampleBatch make_example_batch(const Vocab& vocab, std::span<const Example> examples,
                                std::span<const std::size_t> indices, std::size_t max_len);

}  // namespace llm
