// Reading TSV, CSV and aclImdb folders into rows (see table.hpp).
#include "io/table.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "io/files.hpp"

namespace llm::table {

namespace {

namespace fs = std::filesystem;

bool blank(std::string_view line) {
    return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

std::string_view strip_bom(std::string_view content) {
    if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
    return content;
}

// Calls on_line(line_no, line) for each line, '\r' before '\n' dropped.
template <class F>
void for_each_line(std::string_view content, F&& on_line) {
    std::size_t line_no = 0, start = 0;
    while (start < content.size()) {
        std::size_t end = content.find('\n', start);
        if (end == std::string_view::npos) end = content.size();
        std::string_view line = content.substr(start, end - start);
        start = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        on_line(++line_no, line);
    }
}

std::vector<std::string> split_tabs(std::string_view line) {
    std::vector<std::string> cols;
    std::size_t from = 0;
    while (true) {
        const std::size_t tab = line.find('\t', from);
        cols.emplace_back(line.substr(from, tab == std::string_view::npos ? tab : tab - from));
        if (tab == std::string_view::npos) return cols;
        from = tab + 1;
    }
}

Format detect(std::string_view content, const std::string& name) {
    if (name.ends_with(".csv") || name.ends_with(".CSV")) return Format::csv;
    if (name.ends_with(".tsv") || name.ends_with(".TSV")) return Format::tsv;
    Format f = Format::tsv;
    bool decided = false;
    for_each_line(content, [&](std::size_t, std::string_view line) {
        if (decided || blank(line) || line.front() == '#') return;
        decided = true;
        if (line.find('\t') == std::string_view::npos && line.find(',') != std::string_view::npos) f = Format::csv;
    });
    return f;
}

// The *.txt files directly in `dir`, in name order.
std::vector<fs::path> txt_files(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

// One row per file: where = prefix + the file's name, fields = {its text (no
// byte-order mark)} then `label` when there is one.
void add_files(Table& t, const std::vector<fs::path>& files, const std::string& prefix, const char* label) {
    for (const fs::path& f : files) {
        Row r;
        r.where = prefix + f.filename().string();
        r.fields = {std::string(strip_bom(io::read_file(f.string())))};
        if (label) r.fields.emplace_back(label);
        t.rows.push_back(std::move(r));
    }
}

Table read_folder(const std::string& path) {
    Table t;
    t.format = Format::folder;
    for (const char* label : {"neg", "pos"}) {
        const fs::path sub = fs::path(path) / label;
        std::error_code ec;
        if (!fs::is_directory(sub, ec))
            throw std::runtime_error("cannot read '" + path +
                                     "': it is a directory without pos/ and neg/ subfolders (the aclImdb layout)");
        add_files(t, txt_files(sub), std::string(label) + "/", label);
    }
    return t;
}

}  // namespace

Table parse_csv(std::string_view content) {
    Table t;
    t.format = Format::csv;
    std::size_t i = 0, line = 1;
    const std::size_t n = content.size();
    while (i < n) {
        // one record, starting at line `line`
        Row r;
        r.line = line;
        r.where = "line " + std::to_string(line);
        const std::size_t record_start = i;
        std::string field;
        bool quoted = false, was_quoted = false, done = false;
        while (!done) {
            if (i >= n) {
                if (quoted) r.problem = "unterminated quote: the field that opens on this line runs to the end of the file";
                break;
            }
            const char c = content[i++];
            if (quoted) {
                if (c == '"' && i < n && content[i] == '"') field += '"', ++i;
                else if (c == '"') quoted = false;
                else field += c, line += c == '\n';
            } else if (c == '"' && field.empty() && !was_quoted) {
                quoted = was_quoted = true;
            } else if (c == ',') {
                r.fields.push_back(std::move(field));
                field.clear();
                was_quoted = false;
            } else if (c == '\n') {
                ++line;
                done = true;
            } else if (c != '\r' || (i < n && content[i] != '\n')) {
                field += c;   // a '\r' right before '\n' is dropped
            }
        }
        r.fields.push_back(std::move(field));
        const std::string_view raw = content.substr(record_start, i - record_start);
        if (blank(raw)) {
            ++t.blank;
        } else if (raw.front() == '#' && r.fields.size() == 1) {   // a comment; a review may start with '#'
            ++t.comments;
        } else {
            t.rows.push_back(std::move(r));
        }
    }
    return t;
}

Table parse(std::string_view content, const std::string& name) {
    content = strip_bom(content);
    if (detect(content, name) == Format::csv) return parse_csv(content);
    Table t;
    for_each_line(content, [&](std::size_t line_no, std::string_view line) {
        if (blank(line)) {
            ++t.blank;
        } else if (line.front() == '#') {
            ++t.comments;
        } else {
            t.rows.push_back(Row{"line " + std::to_string(line_no), line_no, split_tabs(line), ""});
        }
    });
    return t;
}

Table read(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return read_folder(path);
    return parse(io::read_file(path), path);
}

Table read_texts(const std::string& path) {
    Table t;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        t.format = Format::text_folder;
        const std::vector<fs::path> files = txt_files(path);
        if (files.empty()) throw std::runtime_error("cannot read '" + path + "': a folder without a .txt file");
        add_files(t, files, "", nullptr);
        return t;
    }
    t.format = Format::lines;
    const std::string content = io::read_file(path);
    for_each_line(strip_bom(content), [&](std::size_t line_no, std::string_view line) {
        if (blank(line)) ++t.blank;
        else t.rows.push_back(Row{"line " + std::to_string(line_no), line_no, {std::string(line)}, ""});
    });
    return t;
}

std::string format_name(Format f) {
    switch (f) {
        case Format::tsv: return "TSV";
        case Format::csv: return "CSV";
        case Format::folder: return "aclImdb folder (neg/, pos/)";
        case Format::lines: return "text, one per line";
        case Format::text_folder: return "folder of .txt files";
    }
    return "?";
}

std::size_t replace_line_breaks(std::string& text) {
    std::size_t count = 0, at = 0;
    while ((at = text.find('<', at)) != std::string::npos) {
        std::size_t end = at + 1;
        auto lower = [&](std::size_t k) { return k < text.size() ? static_cast<char>(text[k] | 0x20) : '\0'; };
        if (lower(end) != 'b' || lower(end + 1) != 'r') { ++at; continue; }
        end += 2;
        while (end < text.size() && text[end] == ' ') ++end;
        if (end < text.size() && text[end] == '/') ++end;
        if (end >= text.size() || text[end] != '>') { ++at; continue; }
        text.replace(at, end + 1 - at, " ");
        ++count;
        ++at;
    }
    return count;
}

}  // namespace llm::table
