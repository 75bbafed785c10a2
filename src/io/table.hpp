#pragma once
// The formats labelled text comes in, read into rows of fields, before any
// check of what the fields hold (dataset.hpp does that).
//
//   TSV      one row per line, fields split on '\t', no quoting (GLUE's SST-2:
//            "sentence<TAB>label" header, then "it 's a charming journey<TAB>1")
//   CSV      RFC 4180: fields split on ',', a field in double quotes may hold
//            commas, newlines and "" for one quote (the IMDB "review,sentiment" CSV)
//   folder   the aclImdb layout: DIR/pos/*.txt and DIR/neg/*.txt, one review per
//            file (files in name order, neg before pos); the rows are (text, folder)
//
// Rules common to TSV and CSV: a UTF-8 byte-order mark at the start is
// skipped; a '\r' before a line's '\n' is dropped; blank lines (nothing but
// spaces) and lines starting with '#' hold no row and are counted, not read.
// Which format: a directory is a folder; a name ending ".csv" is CSV, ".tsv"
// TSV; otherwise the first line that is not blank or '#' decides (a tab: TSV;
// else a comma: CSV; else TSV).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace llm::table {

enum class Format { tsv, csv, folder, lines, text_folder };   // the last two: read_texts

struct Row {
    std::string where;                  // "line 12" (the row's first line), or "pos/0_9.txt"
    std::size_t line = 0;               // first line of the row (0 for a folder's file)
    std::vector<std::string> fields;    // as in the file, quotes removed (CSV)
    std::string problem;                // set when the row could not be read (an unterminated quote)
};

struct Table {
    Format format = Format::tsv;
    std::vector<Row> rows;
    std::size_t comments = 0;           // '#' lines
    std::size_t blank = 0;              // blank lines
};

// Reads `path` in the format it is in. Throws std::runtime_error
// ("cannot read 'PATH': ...") for a missing or unreadable file, or a folder
// without pos/ and neg/.
Table read(const std::string& path);

// The same on text in memory (TSV or CSV, detected as above from the text;
// `name` only for its extension).
Table parse(std::string_view content, const std::string& name);

// The CSV reading alone, whatever the name (exposed for the tests). In CSV a
// '#' line is a comment only when it holds one field (no comma outside quotes).
Table parse_csv(std::string_view content);

// Unlabelled text (lesson 5's --unlabelled), one row of one field per text:
//   lines        a file: one text per line, the line as it is (no columns, no
//                quoting, no comments); a byte-order mark skipped, '\r' before
//                '\n' dropped, blank lines counted, not read
//   text_folder  a folder: one text per *.txt file directly in it, in name
//                order (aclImdb/train/unsup: 50,000 reviews without a label)
// Throws std::runtime_error ("cannot read 'PATH': ...") for a missing or
// unreadable path, or a folder without a .txt file.
Table read_texts(const std::string& path);

// "TSV", "CSV", "aclImdb folder (neg/, pos/)", "text, one per line", "folder of .txt files".
std::string format_name(Format f);

// Replaces the HTML line breaks of IMDB reviews ("<br />", "<br/>", "<br>",
// any case) with one space each; returns how many it replaced.
std::size_t replace_line_breaks(std::string& text);

}  // namespace llm::table
