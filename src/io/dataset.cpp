// TSV loading with one-line error messages, and per-part helpers.
#include "io/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/rng.hpp"
#include <stdexcept>


namespace llm {

std::vector<std::string> sentiment_classes() { return {"negative", "neutral", "positive"}; }

// ---------------------------------------------------------------------------
// Layout: which column is what

// Declared in dataset.hpp (the cli reports --predict's and standard input's bytes with it too).
DataMessage utf8_problem(std::string_view s, std::size_t column_offset) {
    const std::size_t bad = utf8::find_invalid(s);
    if (bad == std::string_view::npos) return {};
    static constexpr const char* hex = "0123456789ABCDEF";
    const auto c = static_cast<unsigned char>(s[bad]);
    return {"bytes that are not valid UTF-8 at column %s (byte 0x%s)",
            {std::to_string(column_offset + bad + 1), std::string{hex[c >> 4], hex[c & 15]}}};
}

namespace {

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(trim_spaces(s));
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
}

bool is_whole_number(std::string_view s) {
    s = trim_spaces(s);
    if (!s.empty() && s.front() == '-') s.remove_prefix(1);
    return !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string joined(std::span<const std::string> items, const std::string& sep = ", ") {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
    return out;
}

struct Layout {
    bool header = false;
    std::size_t text = 0, label = 1, part = std::string::npos;
    std::size_t columns = 2;          // fields a row must have (3-column rows too when legacy)
    bool legacy = false;              // no header, text then label: 2 or 3 columns, the third is the part
    DataMessage description;          // "%s with header (%s)": the format's name, the header's names
};

std::size_t named_column(const std::vector<std::string>& names, std::initializer_list<std::string_view> wanted) {
    for (std::size_t k = 0; k < names.size(); ++k)
        for (const std::string_view w : wanted)
            if (names[k] == w) return k;
    return std::string::npos;
}

// The label column of 2-column rows without a header: fewer distinct values.
std::size_t guess_label_column(const std::vector<table::Row>& rows) {
    std::set<std::string_view> distinct[2];
    bool numbers[2] = {true, true};
    std::size_t seen = 0;
    for (const table::Row& r : rows) {
        if (r.fields.size() != 2) continue;
        for (int k = 0; k < 2; ++k) {
            distinct[k].insert(trim_spaces(r.fields[std::size_t(k)]));
            numbers[k] = numbers[k] && is_whole_number(r.fields[std::size_t(k)]);
        }
        if (++seen == 5000) break;
    }
    if (distinct[0].size() < distinct[1].size()) return 0;
    if (distinct[0].size() == distinct[1].size() && numbers[0] && !numbers[1]) return 0;
    return 1;
}

Layout layout_of(const table::Table& t) {
    Layout l;
    l.description = {"%s", {table::format_name(t.format)}};   // no rows: no layout
    if (t.format == table::Format::folder) {
        l.description = {"aclImdb folder (neg/, pos/) one review per file, the folder is the label", {}};
        return l;
    }
    if (t.rows.empty()) return l;
    std::vector<std::string> first;
    for (const std::string& f : t.rows.front().fields) first.push_back(lower(f));
    const std::size_t text = named_column(first, {"sentence", "text", "review", "content", "phrase"});
    const std::size_t label = named_column(first, {"label", "sentiment", "polarity", "class", "category"});
    if (text != std::string::npos && label != std::string::npos && text != label) {
        l.header = true;
        l.text = text;
        l.label = label;
        l.part = named_column(first, {"part"});
        l.columns = first.size();
        l.description = {"%s with header (%s)", {table::format_name(t.format), joined(first)}};
        return l;
    }
    const std::size_t n = t.rows.front().fields.size();
    if (n == 2 && guess_label_column(t.rows) == 0) {
        l.text = 1;
        l.label = 0;
        l.description = {"%s without header, label then text", {table::format_name(t.format)}};
        return l;
    }
    l.legacy = true;
    l.part = 2;
    l.description = {"%s without header, text then label (then part)", {table::format_name(t.format)}};
    return l;
}

// ---------------------------------------------------------------------------
// Rows -> examples

// The classes and raw -> name map of a training file, from its raw labels.
void name_labels(std::set<std::string> raw, table::Format format, const LabelNames& given, Dataset& d) {
    if (!given.empty()) {
        d.label_names = given;
        for (const auto& [r, name] : given) d.classes.push_back(name);
        return;
    }
    std::vector<std::string> sorted(raw.begin(), raw.end());
    const bool numeric = !sorted.empty() && std::all_of(sorted.begin(), sorted.end(), is_whole_number);
    if (numeric)
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const std::string& a, const std::string& b) { return std::stol(a) < std::stol(b); });
    std::vector<std::string> names = sorted;
    if (format == table::Format::folder) names = {"negative", "positive"};
    else if (numeric && sorted == std::vector<std::string>{"0", "1"}) names = {"negative", "positive"};
    else if (numeric && sorted == std::vector<std::string>{"0", "1", "2"}) names = {"negative", "neutral", "positive"};
    for (std::size_t k = 0; k < sorted.size(); ++k) {
        d.label_names.emplace_back(sorted[k], names[k]);
        d.classes.push_back(names[k]);
    }
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

// The problem of one field's bytes, with its column in the line (TSV: exact);
// an empty format when every field is valid UTF-8.
DataMessage utf8_problem_of(const table::Row& r) {
    std::size_t offset = 0;
    for (const std::string& f : r.fields) {
        if (DataMessage m = utf8_problem(f, offset); !m.format.empty()) return m;
        offset += f.size() + 1;
    }
    return {};
}

// A text as the model reads it: spaces trimmed, "<br />" and inner tabs,
// newlines and carriage returns made spaces.
std::string clean_text(std::string_view field, std::size_t& line_breaks) {
    std::string text(trim_spaces(field));
    line_breaks += table::replace_line_breaks(text);
    for (char& c : text)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return std::string(trim_spaces(text));
}

class Skipper {
public:
    Skipper(const std::string& source, bool strict, Dataset& d) : source_(source), strict_(strict), d_(d) {}
    void skip(const table::Row& r, const std::string& reason, const DataMessage& problem) {
        if (strict_) throw DataError(source_, r.where, r.line, problem);
        auto it = std::find_if(d_.skipped.begin(), d_.skipped.end(), [&](const SkipReason& s) { return s.reason == reason; });
        if (it == d_.skipped.end())
            it = d_.skipped.insert(d_.skipped.end(), SkipReason{reason, 0, {}, r.where + ": " + problem.text(), problem});
        ++it->count;
        if (it->first.size() < 5) it->first.push_back(r.where);
    }
private:
    const std::string& source_;
    bool strict_;
    Dataset& d_;
};

}  // namespace

Dataset dataset_from_table(const table::Table& t, const std::string& source, const LoadOptions& opt) {
    if (!opt.classes.empty()) check_class_names(opt.classes);
    Dataset d;
    const Layout l = layout_of(t);
    Skipper skipper(source, opt.strict, d);
    // a test file: its labels are mapped as it is read; a training file: after all rows are read
    const bool classes_known = !opt.classes.empty() || !opt.label_names.empty();
    if (!opt.classes.empty()) d.classes = opt.classes;
    if (!opt.label_names.empty()) {
        d.label_names = opt.label_names;
        if (opt.classes.empty())
            for (const auto& [raw, name] : opt.label_names) d.classes.push_back(name);
    }
    const std::string allowed = joined(d.classes);   // the class names, for messages
    std::vector<std::string> raw_labels;      // per example, when the classes come later
    std::set<std::string> distinct;
    std::size_t line_breaks = 0;
    for (std::size_t i = l.header ? 1 : 0; i < t.rows.size(); ++i) {
        const table::Row& r = t.rows[i];
        if (!r.problem.empty()) { skipper.skip(r, "unterminated quote", {r.problem, {}}); continue; }
        if (const DataMessage bad = utf8_problem_of(r); !bad.format.empty()) { skipper.skip(r, "not valid UTF-8", bad); continue; }
        const std::size_t n = r.fields.size();
        const bool columns_ok = l.legacy ? (n == 2 || n == 3) : n == l.columns;
        if (!columns_ok) {
            const DataMessage what =
                n == 1 ? DataMessage{t.format == table::Format::csv
                                         ? "no comma: expected text<TAB>label or text<TAB>label<TAB>part"
                                         : "no tab: expected text<TAB>label or text<TAB>label<TAB>part", {}}
                : l.legacy ? DataMessage{"%s columns: expected 2 (text<TAB>label) or 3 (text<TAB>label<TAB>part)",
                                         {std::to_string(n)}}
                           : DataMessage{"%s columns: expected %s", {std::to_string(n), std::to_string(l.columns)}};
            skipper.skip(r, "wrong number of columns", what);
            continue;
        }
        Example ex;
        ex.text = clean_text(r.fields[l.text], line_breaks);
        if (count_tokens(ex.text) == 0) { skipper.skip(r, "empty sentence", {"empty sentence", {}}); continue; }
        const std::string label(trim_spaces(r.fields[l.label]));
        if (label.empty()) {
            skipper.skip(r, "empty label", classes_known ? DataMessage{"empty label (allowed: %s)", {allowed}}
                                                         : DataMessage{"empty label", {}});
            continue;
        }
        ex.part = std::string(default_part);
        if (l.part < n) {
            const std::string_view part = trim_spaces(r.fields[l.part]);
            if (part.empty()) { skipper.skip(r, "empty part", {"empty part (third column)", {}}); continue; }
            ex.part = std::string(part);
        }
        if (classes_known) {
            std::string name = label;
            for (const auto& [raw, named] : d.label_names)
                if (raw == label) name = named;
            const auto k = std::find(d.classes.begin(), d.classes.end(), name);
            if (k == d.classes.end()) {
                skipper.skip(r, "unknown label", {"unknown label %s (allowed: %s)", {quote_for_message(label), allowed}});
                continue;
            }
            ex.label = static_cast<int>(k - d.classes.begin());
        } else {
            raw_labels.push_back(label);
            distinct.insert(label);
        }
        d.examples.push_back(std::move(ex));
    }
    if (!classes_known) {
        name_labels(distinct, t.format, {}, d);
        for (std::size_t i = 0; i < d.examples.size(); ++i)
            for (std::size_t k = 0; k < d.label_names.size(); ++k)
                if (d.label_names[k].first == raw_labels[i]) d.examples[i].label = static_cast<int>(k);
    }

    if (d.examples.empty()) {
        if (d.skipped.empty()) throw DataError(source, "", 0, {"no examples (only blank lines and comments)", {}});
        throw DataError(source, "", 0, {"no usable example: every row was skipped (first: %s)", {d.skipped.front().message}},
                        d.skipped.front());
    }
    // the one-line description
    std::string names;
    for (std::size_t k = 0; k < d.label_names.size(); ++k)
        names += (k ? ", " : "") + (d.label_names[k].first == d.label_names[k].second
                                        ? d.label_names[k].first
                                        : d.label_names[k].first + "=" + d.label_names[k].second);
    d.format_parts = {l.description, {", %s examples, %s labels: %s",
                                      {std::to_string(d.examples.size()), std::to_string(d.classes.size()), names}}};
    if (t.comments) d.format_parts.push_back({"; %s '#' comment lines", {std::to_string(t.comments)}});
    if (line_breaks) d.format_parts.push_back({"; %s <br /> tags read as spaces", {std::to_string(line_breaks)}});
    return d;
}

Dataset load_texts(const std::string& path, bool strict) {
    const table::Table t = table::read_texts(path);
    Dataset d;
    Skipper skipper(path, strict, d);
    std::size_t line_breaks = 0;
    for (const table::Row& r : t.rows) {
        if (const DataMessage bad = utf8_problem_of(r); !bad.format.empty()) { skipper.skip(r, "not valid UTF-8", bad); continue; }
        Example ex;
        ex.text = clean_text(r.fields.front(), line_breaks);
        if (count_tokens(ex.text) == 0) { skipper.skip(r, "empty sentence", {"empty sentence", {}}); continue; }
        ex.part = std::string(default_part);
        d.examples.push_back(std::move(ex));
    }
    if (d.examples.empty()) {
        if (d.skipped.empty()) throw DataError(path, "", 0, {"no text (only blank lines)", {}});
        throw DataError(path, "", 0, {"no usable example: every row was skipped (first: %s)", {d.skipped.front().message}},
                        d.skipped.front());
    }
    d.format_parts = {{t.format == table::Format::lines ? "text, one per line, %s texts without labels"
                                                        : "folder of .txt files, one text per file, %s texts without labels",
                       {std::to_string(d.examples.size())}}};
    if (t.blank) d.format_parts.push_back({"; %s blank lines", {std::to_string(t.blank)}});
    if (line_breaks) d.format_parts.push_back({"; %s <br /> tags read as spaces", {std::to_string(line_breaks)}});
    return d;
}

std::string Dataset::format() const {
    std::string s;
    for (const DataMessage& m : format_parts) s += m.text();
    return s;
}

std::string DataMessage::text() const {
    std::string out;
    std::size_t next = 0;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format.compare(i, 2, "%s") == 0 && next < args.size()) {
            out += args[next++];
            ++i;
        } else {
            out += format[i];
        }
    }
    return out;
}

DataError::DataError(std::string source_, std::string where_, std::size_t line_, DataMessage problem_,
                     std::optional<SkipReason> first_)
    : std::runtime_error(source_ + (where_.empty() ? "" : line_ ? ", " + where_ : ", file " + where_) + ": " +
                         problem_.text()),
      source(std::move(source_)), where(std::move(where_)), line(line_), problem(std::move(problem_)),
      first(std::move(first_)) {}

Dataset load_dataset(const std::string& path, const LoadOptions& opt) {
    return dataset_from_table(table::read(path), path, opt);
}

std::size_t Dataset::skipped_rows() const {
    std::size_t n = 0;
    for (const SkipReason& s : skipped) n += s.count;
    return n;
}

std::vector<std::string> Dataset::skip_lines() const {
    std::vector<std::string> lines;
    for (const SkipReason& s : skipped)
        lines.push_back("skipped " + std::to_string(s.count) + (s.count == 1 ? " row" : " rows") + " (" + s.reason +
                        "): " + joined(s.first) + (s.count > s.first.size() ? ", ..." : "") + "; first: " + s.message);
    return lines;
}

LabelNames parse_label_names(std::string_view spec) {
    LabelNames out;
    std::size_t from = 0;
    while (from <= spec.size()) {
        std::size_t comma = spec.find(',', from);
        if (comma == std::string_view::npos) comma = spec.size();
        const std::string_view item = spec.substr(from, comma - from);
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0 || eq + 1 == item.size())
            throw std::invalid_argument("'" + std::string(item) + "' is not RAW=NAME (e.g. 0=negative,1=positive)");
        std::string raw(item.substr(0, eq)), name(item.substr(eq + 1));
        if (name.find_first_of(" \t\r\n=") != std::string::npos || raw.find_first_of("\t\r\n") != std::string::npos)
            throw std::invalid_argument("label name '" + name + "' has a space or '='");
        for (const auto& [r, n] : out)
            if (r == raw || n == name)
                throw std::invalid_argument("'" + (r == raw ? raw : name) + "' is given twice");
        out.emplace_back(std::move(raw), std::move(name));
        from = comma + 1;
    }
    if (out.size() < 2) throw std::invalid_argument("needs at least 2 labels (e.g. 0=negative,1=positive)");
    return out;
}

std::vector<Example> parse_tsv(std::string_view content, const std::string& source,
                               std::span<const std::string> class_names) {
    check_class_names(class_names);
    LoadOptions opt;
    opt.classes.assign(class_names.begin(), class_names.end());
    opt.strict = true;
    return dataset_from_table(table::parse(content, source), source, opt).examples;
}

std::vector<Example> load_tsv(const std::string& path, std::span<const std::string> class_names) {
    check_class_names(class_names);
    LoadOptions opt;
    opt.classes.assign(class_names.begin(), class_names.end());
    opt.strict = true;
    return load_dataset(path, opt).examples;
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

namespace {

// FNV-1a over the tokens of a span, token by token (with a separator).
std::uint64_t extend_hash(std::uint64_t h, const std::string& token) {
    for (const char c : token) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return (h ^ 0xFFu) * 1099511628211ull;   // 0xFF never occurs in UTF-8: the separator
}
constexpr std::uint64_t kHashStart = 14695981039346656037ull;

// Calls f(hash) for every run of tokens [a, b) of toks.
template <class F>
void for_each_span(const std::vector<std::string>& toks, F&& f) {
    for (std::size_t a = 0; a < toks.size(); ++a) {
        std::uint64_t h = kHashStart;
        for (std::size_t b = a; b < toks.size(); ++b) f(h = extend_hash(h, toks[b]));
    }
}

}  // namespace

Holdout hold_out_sentences(std::span<const Example> examples, double fraction, std::uint64_t seed) {
    if (!(fraction > 0.0 && fraction < 1.0)) throw std::invalid_argument("hold_out_sentences: fraction must be in (0, 1)");
    const std::size_t N = examples.size();
    std::vector<std::vector<std::string>> toks(N);
    std::vector<std::uint64_t> whole(N);
    for (std::size_t i = 0; i < N; ++i) {
        toks[i] = tokenize(examples[i].text);
        whole[i] = kHashStart;
        for (const std::string& t : toks[i]) whole[i] = extend_hash(whole[i], t);
    }
    std::vector<std::size_t> by_length(N);
    std::iota(by_length.begin(), by_length.end(), 0);
    std::stable_sort(by_length.begin(), by_length.end(),
                     [&](std::size_t a, std::size_t b) { return toks[a].size() > toks[b].size(); });
    std::unordered_map<std::uint64_t, std::uint32_t> span_group;   // a run of tokens -> the first group containing it
    std::vector<std::size_t> group_of(N), sentence;                // sentence[g]: the group's longest line
    for (const std::size_t i : by_length) {
        if (const auto it = span_group.find(whole[i]); it != span_group.end()) {
            group_of[i] = it->second;
            continue;
        }
        const auto g = static_cast<std::uint32_t>(sentence.size());
        sentence.push_back(i);
        group_of[i] = g;
        for_each_span(toks[i], [&](std::uint64_t h) { span_group.emplace(h, g); });
    }
    Holdout out;
    out.groups = sentence.size();
    std::vector<std::size_t> ids(out.groups);
    std::iota(ids.begin(), ids.end(), 0);
    Rng rng(seed);
    rng.shuffle(ids);
    out.held_groups = std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(fraction * double(out.groups))));
    std::vector<char> held(out.groups, 0);
    std::unordered_set<std::uint64_t> banned;                      // every run of tokens of a held-out sentence
    for (std::size_t k = 0; k < out.held_groups; ++k) {
        held[ids[k]] = 1;
        for_each_span(toks[sentence[ids[k]]], [&](std::uint64_t h) { banned.insert(h); });
    }
    for (std::size_t i = 0; i < N; ++i) {
        if (held[group_of[i]] && sentence[group_of[i]] == i) out.validation.push_back(examples[i]);
        else if (!held[group_of[i]] && !banned.count(whole[i])) out.train.push_back(examples[i]);
        else ++out.dropped;
    }
    return out;
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
