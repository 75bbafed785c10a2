#pragma once
// What the lessons print: section headings, shapes, small matrices, aligned
// tables, and the list of figures written. Plain text, deterministic (fixed
// number formats), readable in a terminal and in a log.
//
// The same calls also keep a record of the run as blocks (headings, prose,
// preformatted lines, tables, figures), from which write_page (viz/page.cpp)
// writes the lesson's page, out/lessonN/index.html: one writer for both.
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
// Text already in the reader's language (built from translated pieces, or
// data): printed and recorded as it is.
void verbatim(std::string_view s);
// printf's translation, returned instead of printed: for the lines that go to
// stderr (errors, warnings), which are not part of the lesson's record.
std::string translated(const char* format, ...) __attribute__((format(printf, 1, 2)));
// Display width of UTF-8 text: one column per code point.
std::size_t columns(std::string_view s);
// In French (viz/i18n.hpp) every call below prints its text translated, and
// printf's format is itself the catalogue key, as with gettext.

// "\n== 2. Title ===...": a numbered section of a lesson's narrative. The
// defaults record where it was called from (the file, line and function that
// computes the section), for the page's source links.
void section(std::string_view title, const char* file = __builtin_FILE(), int line = __builtin_LINE(),
             const char* function = __builtin_FUNCTION());
// One paragraph of narrative, wrapped at 88 columns.
void say(std::string_view text);
// The same for text already in the reader's language (built from translated pieces).
void say_verbatim(std::string_view text);
// "  name        [2, 6, 8]   note"
void shape(std::string_view name, const Tensor& t, std::string_view note = "");
// A labelled matrix, values with `precision` decimals.
void matrix(std::span<const float> values, std::size_t rows, std::size_t cols,
            std::span<const std::string> row_labels, std::span<const std::string> col_labels, int precision = 2);

// Fixed-point and scientific formatting ("%.*f", "%.*e"), and "%g"-like short.
std::string fixed(double v, int precision = 3);
std::string sci(double v, int precision = 2);
std::string num(double v);                       // %.4g
std::string thousands(double v);                 // rounded, digits grouped: 35104.2 -> "35,104"

// An aligned table: first column left-aligned, the others right-aligned.
class Table {
public:
    explicit Table(std::vector<std::string> headers);
    Table& row(std::vector<std::string> cells);
    // Columns that hold data (sentences, tokens, class names): never translated.
    Table& data(std::vector<std::size_t> columns) { data_ = std::move(columns); return *this; }
    // Columns whose header is data too (class names as column titles): never translated.
    Table& data_headers(std::vector<std::size_t> columns) { data_headers_ = std::move(columns); return *this; }
    void print() const;
private:
    std::vector<std::string> headers_;
    std::vector<std::size_t> data_, data_headers_;
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

// ---------------------------------------------------------------------------
// The record of the run: every call above appends to it, in the order printed.

struct Block {
    enum class Kind { text, heading, prose, table, figure, figure_list };
    Kind kind = Kind::text;
    std::string text;      // text: the lines as printed; heading: the title; prose: the paragraph;
                           // figure: the file's path; figure_list: the folder
    std::string caption;   // figure: what it shows
    std::vector<std::vector<std::string>> rows;   // table: the header row first; figure_list: (path, what)
    std::string file, function;                   // heading: where report::section was called
    int line = 0;
};
const std::vector<Block>& record();

// Writes figs.dir()/index.html from the record: the transcript so far as a
// page, each figure under the step that saved it, the lesson's formulas at the
// top. When figs.dir() is "<parent>/lessonN", also rewrites <parent>/index.html,
// the course's front page (viz/page.cpp). Call it once, at the end of a run.
void write_page(const Figures& figs, const std::vector<std::string>& formulas);

}  // namespace llm::report
