#include "viz/report.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <stdexcept>

#include "io/files.hpp"
#include "viz/i18n.hpp"

namespace llm::report {

namespace {

// The one place where what a lesson prints leaves the program.
void emit(std::string_view s) { std::fwrite(s.data(), 1, s.size(), stdout); }

std::string vformat(const char* format, std::va_list args) {
    std::va_list again;
    va_copy(again, args);
    const int n = std::vsnprintf(nullptr, 0, format, args);
    std::string s(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
    if (n > 0) std::vsnprintf(s.data(), s.size() + 1, format, again);
    va_end(again);
    return s;
}

// Each line of s in the current language (viz/i18n.hpp).
std::string translate_lines(std::string_view s) {
    if (i18n::language() == i18n::Lang::en) return std::string(s);
    std::string out;
    for (std::size_t i = 0; i <= s.size();) {
        std::size_t j = s.find('\n', i);
        if (j == std::string_view::npos) j = s.size();
        out += i18n::tr(s.substr(i, j - i));
        if (j < s.size()) out += '\n';
        i = j + 1;
    }
    return out;
}

std::string format(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* f, ...) {
    std::va_list args;
    va_start(args, f);
    std::string s = vformat(f, args);
    va_end(args);
    return s;
}

bool has_letter(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

}  // namespace

// Display width of UTF-8 text: one column per code point (é is one column, two bytes).
std::size_t columns(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

void text(std::string_view s) { emit(translate_lines(s)); }

// A format with words is a catalogue key itself (gettext's way); a format of
// conversions only ("%s\n") prints text built elsewhere, translated once built.
void printf(const char* format, ...) {
    std::va_list args;
    va_start(args, format);
    const std::string f = i18n::tr_format(format);
    std::string s = vformat(f.c_str(), args);
    va_end(args);
    if (i18n::language() != i18n::Lang::en)
        s = has_letter(f) ? i18n::localize_numbers(s) : translate_lines(s);
    emit(s);
}

void section(std::string_view title) {
    std::string line = "\n== " + i18n::tr(title) + " ";
    const std::size_t w = columns(line);
    if (w < 89) line.append(89 - w, '=');
    emit(line + "\n\n");
}

void say(std::string_view english) {
    const std::string translated = i18n::tr(english);
    const std::string_view text = translated;
    std::size_t col = 0;
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '\n') { out += '\n'; col = 0; ++i; continue; }
        std::size_t j = text.find_first_of(" \n", i);
        if (j == std::string_view::npos) j = text.size();
        const std::string_view word = text.substr(i, j - i);
        if (col > 0 && col + 1 + columns(word) > 88) { out += '\n'; col = 0; }
        else if (col > 0) { out += ' '; ++col; }
        out += word;
        col += columns(word);
        i = j < text.size() && text[j] == ' ' ? j + 1 : j;
    }
    emit(out + "\n");
}

void shape(std::string_view name_en, const Tensor& t, std::string_view note_en) {
    const std::string name = i18n::tr(name_en), note = i18n::tr(note_en);
    const std::string pad(name.size() + columns(name) < 22 + name.size() ? 22 - columns(name) : 0, ' ');
    char buf[64];
    std::snprintf(buf, sizeof buf, " %-18s ", to_string(t.shape()).c_str());
    emit("  " + name + pad + buf + note + "\n");
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
    std::string out = format("  %*s", static_cast<int>(w0), "");
    for (const auto& l : col_labels) out += format("%*s", static_cast<int>(w), l.c_str());
    out += "\n";
    for (std::size_t r = 0; r < rows; ++r) {
        out += format("  %-*s", static_cast<int>(w0), row_labels[r].c_str());
        for (std::size_t c = 0; c < cols; ++c)
            out += format("%*.*f", static_cast<int>(w), precision, static_cast<double>(values[r * cols + c]));
        out += "\n";
    }
    emit(i18n::localize_numbers(out));
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
    auto translated = [](const std::vector<std::string>& cells) {
        std::vector<std::string> t;
        for (const auto& c : cells) t.push_back(i18n::tr(c));
        return t;
    };
    const std::vector<std::string> headers = translated(headers_);
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : rows_) rows.push_back(translated(r));
    std::vector<std::size_t> w(headers.size());
    for (std::size_t c = 0; c < w.size(); ++c) {
        w[c] = columns(headers[c]);
        for (const auto& r : rows) w[c] = std::max(w[c], columns(r[c]));
    }
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
        out += "  ";
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string pad(w[c] - columns(cells[c]), ' ');
            out += c == 0 ? cells[c] + pad : pad + cells[c];
            if (c + 1 < cells.size()) out += "  ";
        }
        out += "\n";
    };
    line(headers);
    std::size_t total = 0;
    for (std::size_t x : w) total += x + 2;
    out += "  " + std::string(total - 2, '-') + "\n";
    for (const auto& r : rows) line(r);
    emit(out);
}

// ---------------------------------------------------------------------------

Figures::Figures(std::string dir) : dir_(std::move(dir)) { io::make_dirs(dir_); }

std::string Figures::save(const std::string& file_name, const std::string& content, std::string_view what) {
    const std::string path = dir_ + "/" + file_name;
    io::write_file_atomic(path, content);
    written_.emplace_back(path, i18n::tr(what));
    return path;
}

void Figures::list() const {
    report::printf("\nFigures written to %s/:\n", dir_.c_str());
    std::size_t w = 0;
    for (const auto& [p, what] : written_) w = std::max(w, p.size());
    for (const auto& [p, what] : written_) emit(format("  %-*s  %s\n", static_cast<int>(w), p.c_str(), what.c_str()));
}

}  // namespace llm::report
