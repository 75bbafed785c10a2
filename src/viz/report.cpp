#include "viz/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <stdexcept>

#include "io/files.hpp"

namespace llm::report {

void text(std::string_view s) { std::fwrite(s.data(), 1, s.size(), stdout); }

void printf(const char* format, ...) {
    std::va_list args;
    va_start(args, format);
    std::va_list again;
    va_copy(again, args);
    const int n = std::vsnprintf(nullptr, 0, format, args);
    va_end(args);
    std::string s(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
    if (n > 0) std::vsnprintf(s.data(), s.size() + 1, format, again);
    va_end(again);
    text(s);
}

void section(std::string_view title) {
    std::string line = "\n== " + std::string(title) + " ";
    if (line.size() < 89) line.append(89 - line.size(), '=');
    report::printf("%s\n\n", line.c_str());
}

void say(std::string_view text) {
    std::size_t col = 0;
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '\n') { out += '\n'; col = 0; ++i; continue; }
        std::size_t j = text.find_first_of(" \n", i);
        if (j == std::string_view::npos) j = text.size();
        const std::string_view word = text.substr(i, j - i);
        if (col > 0 && col + 1 + word.size() > 88) { out += '\n'; col = 0; }
        else if (col > 0) { out += ' '; ++col; }
        out += word;
        col += word.size();
        i = j < text.size() && text[j] == ' ' ? j + 1 : j;
    }
    report::printf("%s\n", out.c_str());
}

void shape(std::string_view name, const Tensor& t, std::string_view note) {
    report::printf("  %-22.*s %-18s %.*s\n", static_cast<int>(name.size()), name.data(), to_string(t.shape()).c_str(),
                static_cast<int>(note.size()), note.data());
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
    report::printf("  %*s", static_cast<int>(w0), "");
    for (const auto& l : col_labels) report::printf("%*s", static_cast<int>(w), l.c_str());
    report::printf("\n");
    for (std::size_t r = 0; r < rows; ++r) {
        report::printf("  %-*s", static_cast<int>(w0), row_labels[r].c_str());
        for (std::size_t c = 0; c < cols; ++c)
            report::printf("%*.*f", static_cast<int>(w), precision, static_cast<double>(values[r * cols + c]));
        report::printf("\n");
    }
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
    std::vector<std::size_t> w(headers_.size());
    for (std::size_t c = 0; c < w.size(); ++c) {
        w[c] = headers_[c].size();
        for (const auto& r : rows_) w[c] = std::max(w[c], r[c].size());
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string s = "  ";
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string pad(w[c] - cells[c].size(), ' ');
            s += c == 0 ? cells[c] + pad : pad + cells[c];
            if (c + 1 < cells.size()) s += "  ";
        }
        report::printf("%s\n", s.c_str());
    };
    line(headers_);
    std::size_t total = 0;
    for (std::size_t x : w) total += x + 2;
    report::printf("  %s\n", std::string(total - 2, '-').c_str());
    for (const auto& r : rows_) line(r);
}

// ---------------------------------------------------------------------------

Figures::Figures(std::string dir) : dir_(std::move(dir)) { io::make_dirs(dir_); }

std::string Figures::save(const std::string& file_name, const std::string& content, std::string_view what) {
    const std::string path = dir_ + "/" + file_name;
    io::write_file_atomic(path, content);
    written_.emplace_back(path, std::string(what));
    return path;
}

void Figures::list() const {
    report::printf("\nFigures written to %s/:\n", dir_.c_str());
    std::size_t w = 0;
    for (const auto& [p, what] : written_) w = std::max(w, p.size());
    for (const auto& [p, what] : written_) report::printf("  %-*s  %s\n", static_cast<int>(w), p.c_str(), what.c_str());
}

}  // namespace llm::report
