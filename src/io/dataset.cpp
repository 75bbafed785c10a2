// TSV loading with one-line error messages, and per-part helpers.
#include "io/dataset.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "io/files.hpp"

namespace llm {

// ---------------------------------------------------------------------------
// UTF-8

std::size_t find_invalid_utf8(std::string_view s) {
    const std::size_t n = s.size();
    std::size_t i = 0;
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    while (i < n) {
        const unsigned char c = byte(i);
        if (c < 0x80) {
            ++i;
            continue;
        }
        // length of the sequence and the allowed range of its second byte
        std::size_t len = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;  // overlong
            if (c == 0xED) hi = 0x9F;  // UTF-16 surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;  // overlong
            if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
        } else {
            return i;  // continuation byte without a lead, 0xC0/0xC1 overlong, or 0xF5..0xFF
        }
        if (i + len > n) return i;
        if (byte(i + 1) < lo || byte(i + 1) > hi) return i;
        for (std::size_t k = 2; k < len; ++k)
            if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
        i += len;
    }
    return std::string_view::npos;
}

// ---------------------------------------------------------------------------
// Loading

namespace {

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string allowed_list(std::span<const std::string> class_names) {
    std::string out;
    for (std::size_t i = 0; i < class_names.size(); ++i) {
        if (i) out += ", ";
        out += class_names[i];
    }
    return out;
}

void check_class_names(std::span<const std::string> class_names) {
    if (class_names.empty()) throw std::invalid_argument("load_tsv: no class names");
    std::set<std::string_view> seen;
    for (const std::string& name : class_names) {
        if (name.empty() || name.find_first_of("\t\r\n ") != std::string::npos)
            throw std::invalid_argument("load_tsv: class name " + quote_for_message(name) +
                                        " is empty or has spaces");
        if (!seen.insert(name).second)
            throw std::invalid_argument("load_tsv: class name " + quote_for_message(name) + " appears twice");
    }
}

}  // namespace

std::vector<std::string> sentiment_classes() { return {"negative", "neutral", "positive"}; }

namespace {

// The loader's line rules, shared by parse_tsv and labels_in_tsv: a UTF-8
// byte-order mark skipped, lines split on '\n', a '\r' before it dropped.
// Calls on_line(line_no, line) for every line, blank and '#' lines included.
template <class F>
void for_each_line(std::string_view content, F&& on_line) {
    if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);  // byte-order mark
    std::size_t line_no = 0;
    std::size_t start = 0;
    while (start < content.size()) {
        std::size_t end = content.find('\n', start);
        if (end == std::string_view::npos) end = content.size();
        std::string_view line = content.substr(start, end - start);
        start = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        on_line(line_no, line);
    }
}

// A line that holds no example: blank (nothing but spaces) or a '#' comment.
bool skipped_line(std::string_view line) { return trim_spaces(line).empty() || line.front() == '#'; }

// The tab-separated columns of a line (one column when it has no tab).
std::vector<std::string_view> columns_of(std::string_view line) {
    std::vector<std::string_view> cols;
    std::size_t from = 0;
    while (true) {
        const std::size_t tab = line.find('\t', from);
        cols.push_back(line.substr(from, tab == std::string_view::npos ? tab : tab - from));
        if (tab == std::string_view::npos) return cols;
        from = tab + 1;
    }
}

}  // namespace

std::string utf8_problem(std::string_view s) {
    const std::size_t bad = find_invalid_utf8(s);
    if (bad == std::string_view::npos) return "";
    static const char* hex = "0123456789ABCDEF";
    const auto c = static_cast<unsigned char>(s[bad]);
    return std::string("bytes that are not valid UTF-8 at column ") + std::to_string(bad + 1) + " (byte 0x" +
           hex[c >> 4] + hex[c & 15] + ")";
}

std::vector<Example> parse_tsv(std::string_view content, const std::string& source,
                               std::span<const std::string> class_names) {
    check_class_names(class_names);
    std::vector<Example> examples;
    for_each_line(content, [&](std::size_t line_no, std::string_view line) {
        auto fail = [&](const std::string& what) {
            throw std::runtime_error(source + ", line " + std::to_string(line_no) + ": " + what);
        };
        if (const std::string bad = utf8_problem(line); !bad.empty()) fail(bad);
        if (skipped_line(line)) return;

        const std::vector<std::string_view> cols = columns_of(line);
        if (cols.size() == 1)
            fail("no tab: expected text<TAB>label or text<TAB>label<TAB>part");
        if (cols.size() > 3)
            fail(std::to_string(cols.size()) +
                 " columns: expected 2 (text<TAB>label) or 3 (text<TAB>label<TAB>part)");

        Example ex;
        ex.text = std::string(trim_spaces(cols[0]));
        if (count_word_tokens(ex.text) == 0)
            fail(ex.text.empty() ? "empty sentence"
                                 : "sentence " + quote_for_message(ex.text) + " has no words, only punctuation");

        const std::string_view label = trim_spaces(cols[1]);
        if (label.empty()) fail("empty label (allowed: " + allowed_list(class_names) + ")");
        ex.label = -1;
        for (std::size_t k = 0; k < class_names.size(); ++k)
            if (class_names[k] == label) ex.label = static_cast<int>(k);
        if (ex.label < 0)
            fail("unknown label " + quote_for_message(label) + " (allowed: " + allowed_list(class_names) + ")");

        if (cols.size() == 3) {
            const std::string_view part = trim_spaces(cols[2]);
            if (part.empty()) fail("empty part (third column)");
            ex.part = std::string(part);
        } else {
            ex.part = std::string(default_part);
        }
        examples.push_back(std::move(ex));
    });
    if (examples.empty())
        throw std::runtime_error(source + ": no examples (only blank lines and comments)");
    return examples;
}

std::vector<std::string> labels_in_tsv(const std::string& path) {
    const std::string content = io::read_file(path);
    std::set<std::string> labels;   // sorted, byte order
    for_each_line(content, [&](std::size_t, std::string_view line) {
        if (skipped_line(line)) return;
        const std::vector<std::string_view> cols = columns_of(line);
        if (cols.size() < 2) return;
        if (const std::string_view label = trim_spaces(cols[1]); !label.empty()) labels.emplace(label);
    });
    std::vector<std::string> out(labels.begin(), labels.end());
    // Every line checked with these labels allowed: a malformed line is
    // reported as what it is, with its line number.
    if (!out.empty()) parse_tsv(content, path, out);
    return out;
}

std::vector<Example> load_tsv(const std::string& path, std::span<const std::string> class_names) {
    return parse_tsv(io::read_file(path), path, class_names);
}

// ---------------------------------------------------------------------------
// Helpers

std::vector<PartIndices> indices_by_part(std::span<const Example> examples) {
    std::vector<PartIndices> parts;
    for (std::size_t i = 0; i < examples.size(); ++i) {
        PartIndices* found = nullptr;
        for (PartIndices& p : parts)
            if (p.part == examples[i].part) found = &p;
        if (!found) found = &parts.emplace_back(PartIndices{examples[i].part, {}});
        found->indices.push_back(i);
    }
    return parts;
}

std::vector<std::size_t> count_labels(std::span<const Example> examples, std::size_t num_classes) {
    std::vector<std::size_t> counts(num_classes, 0);
    for (const Example& ex : examples) {
        if (ex.label < 0 || static_cast<std::size_t>(ex.label) >= num_classes)
            throw std::out_of_range("count_labels: label " + std::to_string(ex.label) +
                                    " outside [0, " + std::to_string(num_classes) + ")");
        ++counts[static_cast<std::size_t>(ex.label)];
    }
    return counts;
}

std::vector<std::string> texts_of(std::span<const Example> examples) {
    std::vector<std::string> texts;
    texts.reserve(examples.size());
    for (const Example& ex : examples) texts.push_back(ex.text);
    return texts;
}

ExampleBatch make_example_batch(const Vocab& vocab, std::span<const Example> examples,
                                std::span<const std::size_t> indices, std::size_t max_len) {
    std::vector<std::string> texts;
    ExampleBatch batch;
    texts.reserve(indices.size());
    batch.labels.reserve(indices.size());
    for (const std::size_t i : indices) {
        if (i >= examples.size())
            throw std::out_of_range("make_example_batch: index " + std::to_string(i) +
                                    " outside [0, " + std::to_string(examples.size()) + ")");
        texts.push_back(examples[i].text);
        batch.labels.push_back(examples[i].label);
    }
    batch.tokens = make_batch(vocab, texts, max_len);
    return batch;
}

}  // namespace llm
