#include "viz/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <stdexcept>

#include "io/files.hpp"
#include "viz/i18n.hpp"

namespace llm::report {

// ---------------------------------------------------------------------------
// The record, and the two ways into it: raw text (appended to the last text
// block) and a structured block (printed as `shown`, kept as `b`).

namespace {

std::vector<Block>& blocks() {
    static std::vector<Block> all;
    return all;
}

void out(std::string_view s) { std::fwrite(s.data(), 1, s.size(), stdout); }

Block block(Block::Kind kind, std::string text) {
    Block b;
    b.kind = kind;
    b.text = std::move(text);
    return b;
}

void keep(Block b, std::string_view shown) {
    out(shown);
    blocks().push_back(std::move(b));
}

std::string formatted(const char* format, std::va_list args) {
    std::va_list again;
    va_copy(again, args);
    const int n = std::vsnprintf(nullptr, 0, format, args);
    std::string s(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
    if (n > 0) std::vsnprintf(s.data(), s.size() + 1, format, again);
    va_end(again);
    return s;
}

std::string strf(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string strf(const char* format, ...) {
    std::va_list args;
    va_start(args, format);
    std::string s = formatted(format, args);
    va_end(args);
    return s;
}

// Each line of s in the current language (viz/i18n.hpp).
std::string translate_lines(std::string_view s) {
    if (i18n::language() == i18n::Lang::en) return std::string(s);
    std::string t;
    for (std::size_t i = 0; i <= s.size();) {
        std::size_t j = s.find('\n', i);
        if (j == std::string_view::npos) j = s.size();
        t += i18n::tr(s.substr(i, j - i));
        if (j < s.size()) t += '\n';
        i = j + 1;
    }
    return t;
}

bool has_letter(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

// A format with words is a catalogue key itself (gettext's way): translated,
// then filled, then its numbers in the language's format. A format of
// conversions only ("%s\n") prints text built elsewhere, translated once built.
std::string translated_format(const char* format, std::va_list args) {
    const std::string f = i18n::tr_format(format);
    const std::string s = formatted(f.c_str(), args);
    if (i18n::language() == i18n::Lang::en) return s;
    return has_letter(f) ? i18n::localize_numbers(s) : translate_lines(s);
}

// Printed as it is and appended to the record's last text block.
void append_text(std::string_view s) {
    out(s);
    auto& all = blocks();
    if (all.empty() || all.back().kind != Block::Kind::text) all.push_back({});
    all.back().text += s;
}

}  // namespace

// Display width of UTF-8 text: one column per code point (é is one column, two bytes).
std::size_t columns(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

const std::vector<Block>& record() { return blocks(); }

void text(std::string_view s) { append_text(translate_lines(s)); }

void verbatim(std::string_view s) { append_text(s); }

void printf(const char* format, ...) {
    std::va_list args;
    va_start(args, format);
    const std::string s = translated_format(format, args);
    va_end(args);
    append_text(s);
}

std::string translated(const char* format, ...) {
    std::va_list args;
    va_start(args, format);
    std::string s = translated_format(format, args);
    va_end(args);
    return s;
}

void section(std::string_view title, const char* file, int line, const char* function) {
    const std::string t = i18n::tr(title);
    std::string shown = "\n== " + t + " ";
    if (columns(shown) < 89) shown.append(89 - columns(shown), '=');
    Block b = block(Block::Kind::heading, t);
    b.file = file;
    b.function = function;
    b.line = line;
    keep(std::move(b), shown + "\n\n");
}

void say(std::string_view english) { say_verbatim(i18n::tr(english)); }

void say_verbatim(std::string_view text) {
    std::size_t col = 0;
    std::string shown;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '\n') { shown += '\n'; col = 0; ++i; continue; }
        std::size_t j = text.find_first_of(" \n", i);
        if (j == std::string_view::npos) j = text.size();
        const std::string_view word = text.substr(i, j - i);
        // French puts a space before : ; ? ! and inside « »: a line never starts with them.
        const bool glued = word == ":" || word == ";" || word == "?" || word == "!" || word == "»";
        if (col > 0 && col + 1 + columns(word) > 88 && !glued) { shown += '\n'; col = 0; }
        else if (col > 0) { shown += ' '; ++col; }
        shown += word;
        col += columns(word);
        i = j < text.size() && text[j] == ' ' ? j + 1 : j;
    }
    keep(block(Block::Kind::prose, std::string(text)), shown + "\n");
}

void shape(std::string_view name_en, const Tensor& t, std::string_view note_en) {
    const std::string name = i18n::tr(name_en), note = i18n::tr(note_en);
    const std::string pad(columns(name) < 22 ? 22 - columns(name) : 0, ' ');
    append_text("  " + name + pad + strf(" %-18s ", to_string(t.shape()).c_str()) + note + "\n");
}

void matrix(std::span<const float> values, std::size_t rows, std::size_t cols,
            std::span<const std::string> row_labels, std::span<const std::string> col_labels, int precision) {
    if (values.size() != rows * cols || row_labels.size() != rows || col_labels.size() != cols)
        throw std::invalid_argument("report::matrix: " + std::to_string(values.size()) + " values, " +
                                    std::to_string(row_labels.size()) + " row labels, " +
                                    std::to_string(col_labels.size()) + " column labels for " + std::to_string(rows) +
                                    "x" + std::to_string(cols));
    std::size_t w0 = 0, w = static_cast<std::size_t>(precision) + 4;
    for (const auto& l : row_labels) w0 = std::max(w0, l.size());
    for (const auto& l : col_labels) w = std::max(w, l.size() + 1);
    // Labels are data (words, positions): printed as they are, numbers localized.
    Block b = block(Block::Kind::table, "");
    b.rows.push_back({""});
    std::string shown = strf("  %*s", static_cast<int>(w0), "");
    for (const auto& l : col_labels) {
        shown += strf("%*s", static_cast<int>(w), l.c_str());
        b.rows[0].push_back(l);
    }
    shown += "\n";
    for (std::size_t r = 0; r < rows; ++r) {
        shown += strf("  %-*s", static_cast<int>(w0), row_labels[r].c_str());
        b.rows.push_back({row_labels[r]});
        for (std::size_t c = 0; c < cols; ++c) {
            const std::string v = i18n::localize_numbers(strf("%.*f", precision, static_cast<double>(values[r * cols + c])));
            shown += strf("%*s", static_cast<int>(w), v.c_str());
            b.rows.back().push_back(v);
        }
        shown += "\n";
    }
    keep(std::move(b), shown);
}

std::string fixed(double v, int precision) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", precision, v);
    return buf;
}

std::string sci(double v, int precision) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*e", precision, v);
    return buf;
}

std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string thousands(double v) {
    const std::string digits = std::to_string(std::llround(v));
    const std::size_t sign = digits[0] == '-' ? 1 : 0;
    std::string out = digits.substr(0, sign);
    for (std::size_t i = sign; i < digits.size(); ++i) {
        if (i > sign && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// ---------------------------------------------------------------------------

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

Table& Table::row(std::vector<std::string> cells) {
    if (cells.size() != headers_.size())
        throw std::invalid_argument("report::Table: row of " + std::to_string(cells.size()) + " cells for " +
                                    std::to_string(headers_.size()) + " columns");
    rows_.push_back(std::move(cells));
    return *this;
}

void Table::print() const {
    // Words in the reader's language; the cells of data columns (sentences,
    // words of the vocabulary) as they are, their numbers localized.
    auto in_language = [](const std::vector<std::string>& cells, const std::vector<std::size_t>& data) {
        std::vector<std::string> t;
        for (std::size_t c = 0; c < cells.size(); ++c)
            t.push_back(std::find(data.begin(), data.end(), c) != data.end() ? i18n::localize_numbers(cells[c])
                                                                            : i18n::tr(cells[c]));
        return t;
    };
    const std::vector<std::string> headers = in_language(headers_, data_headers_);
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : rows_) rows.push_back(in_language(r, data_));
    std::vector<std::size_t> w(headers.size());
    for (std::size_t c = 0; c < w.size(); ++c) {
        w[c] = columns(headers[c]);
        for (const auto& r : rows) w[c] = std::max(w[c], columns(r[c]));
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string s = "  ";
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string pad(w[c] - columns(cells[c]), ' ');
            s += c == 0 ? cells[c] + pad : pad + cells[c];
            if (c + 1 < cells.size()) s += "  ";
        }
        return s + "\n";
    };
    std::size_t total = 0;
    for (std::size_t x : w) total += x + 2;
    std::string shown = line(headers) + "  " + std::string(total - 2, '-') + "\n";
    Block b = block(Block::Kind::table, "");
    b.rows.push_back(headers);
    for (const auto& r : rows) {
        shown += line(r);
        b.rows.push_back(r);
    }
    keep(std::move(b), shown);
}

// ---------------------------------------------------------------------------

Figures::Figures(std::string dir) : dir_(std::move(dir)) { io::make_dirs(dir_); }

std::string Figures::save(const std::string& file_name, const std::string& content, std::string_view what) {
    const std::string path = dir_ + "/" + file_name;
    io::write_file_atomic(path, content);
    written_.emplace_back(path, i18n::tr(what));
    blocks().push_back(block(Block::Kind::figure, path));   // prints nothing
    blocks().back().caption = written_.back().second;
    return path;
}


void Figures::list() const {
    std::string shown = translated("\nFigures written to %s/:\n", dir_.c_str());
    std::size_t w = 0;
    for (const auto& [p, what] : written_) w = std::max(w, p.size());
    Block b = block(Block::Kind::figure_list, dir_);
    for (const auto& [p, what] : written_) {
        shown += strf("  %-*s  %s\n", static_cast<int>(w), p.c_str(), what.c_str());
        b.rows.push_back({p, what});
    }
    keep(std::move(b), shown);
}

}  // namespace llm::report
