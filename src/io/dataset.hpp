#pragma once
// Labelled sentences from TSV files, and helpers to evaluate per phenomenon.
//
// File format, one example per line:
//     text<TAB>label              (a learner's own file)
//     text<TAB>label<TAB>part     (the shipped files; part names the phenomenon)
// UTF-8; a '\r' before the '\n' (Windows) and a UTF-8 byte-order mark at the
// start are accepted. Blank lines (nothing but spaces) and lines whose first
// character is '#' are skipped. Spaces around the label and the part are
// ignored; the label must be one of the class names, exactly (case matters).
// Examples without a part get the part "all".
//
// Every problem throws std::runtime_error with one line that names the file,
// the line number and the problem, e.g.
//     data/mine.tsv, line 7: unknown label 'happy' (allowed: negative, neutral, positive)
// Problems: unreadable file; a line without a tab; more than 3 columns; an
// empty or unknown label; an empty part; a sentence with no word (empty,
// spaces, or only punctuation); bytes that are not valid UTF-8; a file with
// no examples. A sentence longer than the model's max_len is NOT an error:
// the tokenizer keeps its first max_len tokens (make_batch counts them in
// TokenBatch::truncated so the caller can report it).
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/tokenizer.hpp"

namespace llm {

// ---------------------------------------------------------------------------
// Examples and loading

struct Example {
    std::string text;  // as in the file, spaces around it removed
    int label = 0;     // index into the class names
    std::string part;  // the phenomenon, "all" when the file has no third column
};

inline constexpr std::string_view default_part = "all";

// The classes of the shipped sentiment files, in label-id order:
// negative = 0, neutral = 1, positive = 2.
std::vector<std::string> sentiment_classes();

// Reads and checks a TSV file (see the top of this file).
std::vector<Example> load_tsv(const std::string& path, std::span<const std::string> class_names);

// The same on text already in memory; `source` names it in error messages.
std::vector<Example> parse_tsv(std::string_view content, const std::string& source,
                               std::span<const std::string> class_names);

// The distinct labels of a TSV file, sorted (byte order), read with the
// loader's line rules; then every line is checked as load_tsv would with
// these labels allowed (a malformed line throws its one-line message). An
// empty result (no line has a label) is returned unchecked, for the caller
// to report. Throws std::runtime_error.
std::vector<std::string> labels_in_tsv(const std::string& path);

// Byte offset of the first byte that is not part of a valid UTF-8 sequence
// (overlong forms, surrogates and code points above U+10FFFF are invalid),
// or std::string_view::npos when all of s is valid.
std::size_t find_invalid_utf8(std::string_view s);

// "" when s is valid UTF-8, else the loader's description of the first bad
// byte: "bytes that are not valid UTF-8 at column 5 (byte 0xFF)".
std::string utf8_problem(std::string_view s);

// ---------------------------------------------------------------------------
// Helpers

// Indices of the examples of each part, parts in order of first appearance.
struct PartIndices {
    std::string part;
    std::vector<std::size_t> indices;
};
std::vector<PartIndices> indices_by_part(std::span<const Example> examples);

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
