#pragma once
// What the lessons print: section headings, shapes, small matrices, aligned
// tables, and the list of figures written. Plain text, deterministic (fixed
// number formats), readable in a terminal and in a log.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.hpp"

namespace llm::report {

// Every line a lesson prints goes through this layer (lessons never call
// std::printf): one writer, so that what a lesson prints can also be kept,
// paged or translated in one place.

// Text as it is, printf-style: aligned columns, code-like lines, blank lines.
void printf(const char* format, ...) __attribute__((format(printf, 1, 2)));
// The same, already formatted.
void text(std::string_view s);
// Display width of UTF-8 text: one column per code point.
std::size_t columns(std::string_view s);
// In French (viz/i18n.hpp) every call below prints its text translated, and
// printf's format is itself the catalogue key, as with gettext.

// "\n== 2. Title ===...": a numbered section of a lesson's narrative.
void section(std::string_view title);
// One paragraph of narrative, wrapped at 88 columns.
void say(std::string_view text);
// "  name        [2, 6, 8]   note"
void shape(std::string_view name, const Tensor& t, std::string_view note = "");
// A labelled matrix, values with `precision` decimals.
void matrix(std::span<const float> values, std::size_t rows, std::size_t cols,
            std::span<const std::string> row_labels, std::span<const std::string> col_labels, int precision = 2);

// Fixed-point and scientific formatting ("%.*f", "%.*e"), and "%g"-like short.
std::string fixed(double v, int precision = 3);
std::string sci(double v, int precision = 2);
std::string num(double v);                       // %.4g

// An aligned table: first column left-aligned, the others right-aligned.
class Table {
public:
    explicit Table(std::vector<std::string> headers);
    Table& row(std::vector<std::string> cells);
    void print() const;
private:
    std::vector<std::string> headers_;
    std::vector<std::vector<std::string>> rows_;
};

// The figures a lesson writes into its folder (out/lessonN/), listed at the end.
class Figures {
public:
    explicit Figures(std::string dir);
    // Writes atomically and remembers the path; returns it.
    std::string save(const std::string& file_name, const std::string& content, std::string_view what);
    void list() const;                           // "Figures written to out/lessonN/:" + one line each
    const std::string& dir() const { return dir_; }
private:
    std::string dir_;
    std::vector<std::pair<std::string, std::string>> written_;   // (path, what)
};

}  // namespace llm::report
