#include "viz/page.hpp"

#include <array>
#include <filesystem>
#include <string_view>

#include "io/files.hpp"
#include "viz/i18n.hpp"

namespace llm::page {

namespace fs = std::filesystem;
using report::Block;

namespace {

// ---------------------------------------------------------------------------
// The style sheet: readable from a phone to a laptop, and on paper.

constexpr std::string_view kStyle = R"(
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#fff;
  max-width:60rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.7rem;line-height:1.25;margin:.6rem 0 .4rem}
h2{font-size:1.25rem;line-height:1.3;margin:2.2rem 0 .2rem;padding-top:.8rem;border-top:1px solid #ddd}
p{margin:.6rem 0}
a{color:#0550ae}
pre,code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.84rem}
pre{background:#f6f8fa;border:1px solid #e3e6ea;border-radius:6px;padding:.6rem .8rem;overflow-x:auto;line-height:1.4}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.84rem;font-variant-numeric:tabular-nums;margin:.7rem 0}
th,td{padding:.2rem .65rem;border-bottom:1px solid #e3e6ea;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
thead th{border-bottom:2px solid #aaa}
figure{margin:1.2rem 0;text-align:center}
figure img{max-width:100%;height:auto}
figcaption{font-size:.9rem;color:#555;margin-top:.3rem}
.src{font-size:.85rem;color:#555;margin:0 0 .8rem}
.formulas{background:#faf8ef;border-left:4px solid #c8b25a;padding:.5rem 1rem;margin:.8rem 0;overflow-x:auto}
.formulas div{font-family:"DejaVu Serif",Georgia,serif;font-style:italic;white-space:pre-wrap;margin:.15rem 0}
nav{font-size:.9rem}
.toc{columns:2 18rem;margin:.4rem 0;padding:0;list-style:none}
.lessons{list-style:none;padding:0}
.lessons li{display:flex;gap:1rem;align-items:center;border-top:1px solid #ddd;padding:.8rem 0}
.lessons h2{border:0;margin:0 0 .2rem;padding:0}
.lessons .thumb{flex:0 0 11rem;text-align:center}
.lessons .thumb img{max-width:11rem;max-height:8rem}
.muted{color:#666}
@media (max-width:40rem){body{font-size:15px;padding:.6rem .8rem 2rem}h1{font-size:1.4rem}
  pre,code,table{font-size:.74rem}.lessons li{flex-direction:column;align-items:flex-start}}
@media print{nav,.skip-print{display:none}body{max-width:none;padding:0}
  pre{white-space:pre-wrap;overflow:visible;border:none;background:none;padding:0}
  h2{break-after:avoid}figure,table,pre{break-inside:avoid}a{color:inherit;text-decoration:none}}
)";

// One line per lesson on the front page (what `make lessonN` shows).
struct Lesson {
    const char* title;
    const char* line;
};
constexpr std::array<Lesson, 5> kCourse = {{
    {"Self-attention", "One sentence through attention, step by step; causal and padding masks; why the scores "
                       "are divided by sqrt(d_k), measured."},
    {"Multi-head attention", "The split into heads and the merge, shape by shape; what each head looks at; one head "
                             "against four on a copy task."},
    {"Positional encoding", "The sinusoid table; PE(pos + k) as a rotation of PE(pos); attention without and with "
                            "positions; a learned table."},
    {"The transformer encoder", "LayerNorm, feed-forward, residuals; a block's shapes and parameters; an encoder "
                                "trained on a word-order task."},
    {"The complete mini LLM", "A sentiment classifier trained, evaluated against a bag of words, saved, reloaded and "
                              "used from the command line."},
}};

std::string head(std::string_view title) {
    const std::string lang = i18n::language() == i18n::Lang::fr ? "fr" : "en";
    return "<!DOCTYPE html>\n<html lang=\"" + lang + "\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
           escape(title) + "</title>\n<style>" + std::string(kStyle) + "</style>\n";
}

bool path_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '/' || c == '-';
}

// The text, escaped, with every path into the sources that exists ("src/nn/model.hpp",
// "lessons/fixtures/experiments.hpp") made a link.
std::string linked(std::string_view s, const std::string& to_root) {
    std::string html;
    std::size_t i = 0;
    while (i < s.size()) {
        const bool starts = (i == 0 || !path_char(s[i - 1])) &&
                            (s.substr(i).starts_with("src/") || s.substr(i).starts_with("lessons/"));
        if (!starts) {
            html += escape(s.substr(i, 1));
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && path_char(s[j])) ++j;
        while (j > i && (s[j - 1] == '.' || s[j - 1] == '/')) --j;   // a sentence's full stop is not the path's
        const std::string path(s.substr(i, j - i));
        std::error_code ec;
        if (fs::is_regular_file(path, ec))
            html += "<a href=\"" + escape(to_root.empty() ? path : to_root + "/" + path) + "\">" + escape(path) + "</a>";
        else
            html += escape(path);
        i = j;
    }
    return html;
}

// ---------------------------------------------------------------------------
// The blocks of a lesson's record, one at a time.

std::string lines_html(std::string_view text) {   // trims the blank lines around
    const std::size_t a = text.find_first_not_of('\n');
    if (a == std::string_view::npos) return "";
    const std::size_t b = text.find_last_not_of('\n');
    return std::string(text.substr(a, b + 1 - a));
}

std::string table_html(const Block& b, const std::string& to_root) {
    std::string html = "<div class=\"scroll\"><table>\n<thead><tr>";
    for (const auto& cell : b.rows.at(0)) html += "<th>" + linked(cell, to_root) + "</th>";
    html += "</tr></thead>\n<tbody>\n";
    for (std::size_t r = 1; r < b.rows.size(); ++r) {
        html += "<tr>";
        for (const auto& cell : b.rows[r]) html += "<td>" + linked(cell, to_root) + "</td>";
        html += "</tr>\n";
    }
    return html + "</tbody></table></div>\n";
}

// A figure's file, relative to the page's folder (the figures are saved there).
std::string relative_to(const std::string& path, const std::string& dir) {
    return path.starts_with(dir + "/") ? path.substr(dir.size() + 1) : path;
}

bool is_image(std::string_view file) {
    for (std::string_view ext : {".svg", ".png", ".jpg", ".gif"})
        if (file.ends_with(ext)) return true;
    return false;
}

std::string figure_html(const Block& b, const std::string& dir) {
    const std::string file = escape(relative_to(b.text, dir)), what = escape(b.caption);
    std::string html = "<figure>";
    if (is_image(file))
        html += "<a href=\"" + file + "\"><img src=\"" + file + "\" alt=\"" + what + "\"></a>";
    else
        html += "<p><a href=\"" + file + "\">" + file + "</a> <span class=\"muted\">(" +
                escape(i18n::tr("open it with an image viewer: browsers do not show this format")) + ")</span></p>";
    return html + "<figcaption>" + what + " <span class=\"muted\">(" + file + ")</span></figcaption></figure>\n";
}

std::string figure_list_html(const Block& b, const std::string& dir) {
    std::string html = "<section class=\"skip-print\">\n<h2 id=\"figures\">" +
                       escape(i18n::tr("Figures written to")) + " " + escape(b.text) + "/</h2>\n<ul>\n";
    for (const auto& row : b.rows) {
        const std::string file = escape(relative_to(row.at(0), dir));
        html += "<li><a href=\"" + file + "\">" + file + "</a>: " + escape(row.at(1)) + "</li>\n";
    }
    return html + "</ul>\n</section>\n";
}

std::string heading_html(const Block& b, int number, const std::string& to_root) {
    std::string html = "<h2 id=\"s" + std::to_string(number) + "\">" + escape(b.text) + "</h2>\n<p class=\"src\">";
    std::error_code ec;
    const std::string fn = "<code>" + escape(b.function) + "()</code>";
    const std::string file = fs::is_regular_file(b.file, ec)
        ? "<a href=\"" + escape(to_root.empty() ? b.file : to_root + "/" + b.file) + "\">" + escape(b.file) + "</a>"
        : escape(b.file);
    // "Computed by <code>f()</code> in <a>file</a>, line 12", its words in the reader's language
    html += escape(i18n::tr("Computed by")) + " " + fn + " " + escape(i18n::tr("in")) + " " + file + ", " +
            escape(i18n::tr("line")) + " " + std::to_string(b.line);
    return html + "</p>\n";
}

std::string br(std::string html) {
    for (std::size_t at = 0; (at = html.find('\n', at)) != std::string::npos; at += 5) html.replace(at, 1, "<br>\n");
    return html;
}

// A line printed flush left with no aligned columns ("Causal weights:") reads as a sentence;
// indented or aligned lines are code-like and keep their spacing.
bool plain_line(std::string_view line) {
    return !line.empty() && line[0] != ' ' && line.find("  ") == std::string_view::npos;
}

// Printed text as runs: sentences as paragraphs, the code-like lines as preformatted text.
std::string text_html(std::string_view text, const std::string& to_root) {
    std::string html, run;
    bool run_plain = false;
    auto flush = [&] {
        const std::string body = lines_html(run);
        if (!body.empty()) html += run_plain ? "<p>" + br(linked(body, to_root)) + "</p>\n" : "<pre>" + linked(body, to_root) + "</pre>\n";
        run.clear();
    };
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t j = std::min(text.find('\n', i), text.size());
        const std::string_view line = text.substr(i, j - i);
        if (line.empty() ? run_plain : plain_line(line) != run_plain) {
            flush();
            run_plain = plain_line(line);
        }
        run += line;
        run += '\n';
        i = j + 1;
    }
    flush();
    return html;
}

std::string block_html(const Block& b, const std::string& dir, const std::string& to_root) {
    switch (b.kind) {
    case Block::Kind::text: return text_html(b.text, to_root);
    case Block::Kind::prose: {
        std::string html = "<p>";
        for (std::size_t i = 0, j; i <= b.text.size(); i = j + 1) {
            j = std::min(b.text.find('\n', i), b.text.size());
            html += (i ? "<br>\n" : "") + linked(std::string_view(b.text).substr(i, j - i), to_root);
        }
        return html + "</p>\n";
    }
    case Block::Kind::table: return table_html(b, to_root);
    case Block::Kind::figure: return figure_html(b, dir);
    case Block::Kind::figure_list: return figure_list_html(b, dir);
    case Block::Kind::heading: break;   // heading_html, with its number
    }
    return "";
}

// ---------------------------------------------------------------------------

// The title is the run's first line ("Lesson 1 — Self-attention"); the rest of that text stays.
std::pair<std::string, std::string> title_and_rest(const std::vector<Block>& blocks) {
    if (blocks.empty() || blocks[0].kind != Block::Kind::text) return {"Lesson", ""};
    const std::string& t = blocks[0].text;
    const std::size_t a = t.find_first_not_of('\n');
    if (a == std::string::npos) return {"Lesson", ""};
    const std::size_t b = std::min(t.find('\n', a), t.size());
    return {t.substr(a, b - a), t.substr(std::min(b + 1, t.size()))};
}

std::string first_figure(const std::vector<Block>& blocks, const std::string& dir) {
    for (const auto& b : blocks)
        if (b.kind == Block::Kind::figure && is_image(b.text)) return relative_to(b.text, dir);
    return "";
}

// "<parent>/lessonN": a page of the course, under the front page <parent>/index.html.
bool in_course(const std::string& dir) {
    fs::path p = fs::absolute(dir).lexically_normal();
    if (!p.has_filename()) p = p.parent_path();
    const std::string name = p.filename().string();
    return name.size() == 7 && name.starts_with("lesson") && name[6] >= '1' && name[6] <= '5';
}

std::string contents(const std::vector<Block>& blocks) {
    std::string html = "<nav aria-label=\"sections\"><ul class=\"toc\">\n";
    int n = 0;
    for (const auto& b : blocks)
        if (b.kind == Block::Kind::heading) html += "<li><a href=\"#s" + std::to_string(++n) + "\">" + escape(b.text) + "</a></li>\n";
    return html + "</ul></nav>\n";
}

}  // namespace

std::string escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string lesson_html(const std::vector<Block>& blocks, const std::vector<std::string>& formulas,
                        const std::string& dir, const std::string& to_root) {
    const auto [title, rest] = title_and_rest(blocks);
    std::string html = head(title) + "<meta name=\"first-figure\" content=\"" + escape(first_figure(blocks, dir)) +
                       "\">\n</head>\n<body>\n" +
                       (in_course(dir) ? "<nav><a href=\"../index.html\">" + escape(i18n::tr("All lessons")) + "</a></nav>\n" : "") +
                       "<header>\n<h1>" + escape(title) + "</h1>\n";
    if (!formulas.empty()) {
        html += "<div class=\"formulas\">\n";
        for (const auto& f : formulas) html += "<div>" + escape(f) + "</div>\n";
        html += "</div>\n";
    }
    html += text_html(rest, to_root);
    html += "</header>\n<main>\n";
    int headings = 0;      // numbers the anchors s1, s2, ... as contents() does
    bool open = false;     // a <section> is open
    for (std::size_t i = blocks.empty() || blocks[0].kind != Block::Kind::text ? 0 : 1; i < blocks.size(); ++i) {
        const Block& b = blocks[i];
        if (b.kind == Block::Kind::heading) {
            if (b.line > 0 && html.find("class=\"toc\"") == std::string::npos) html += contents(blocks);   // after the intro
            html += (open ? "</section>\n" : "") + std::string("<section>\n");
            html += heading_html(b, ++headings, to_root);
            open = true;
        } else if (b.kind == Block::Kind::figure_list && open) {
            html += "</section>\n" + block_html(b, dir, to_root);
            open = false;
        } else {
            html += block_html(b, dir, to_root);
        }
    }
    if (open) html += "</section>\n";
    return html + "</main>\n</body>\n</html>\n";
}

std::string front_html(const std::string& out) {
    using i18n::tr;
    std::string html = head(tr("Build an LLM from scratch — Part I")) + "</head>\n<body>\n<header>\n<h1>" +
                       escape(tr("Build an LLM from scratch — Part I: attention and the transformer core")) +
                       "</h1>\n<p>" +
                       escape(tr("Five lessons; each page is what the lesson printed, with its figures under the step "
                                 "that drew them. A lesson not yet run has no page: run it (make lessonN).")) +
                       "</p>\n</header>\n<main>\n<ul class=\"lessons\">\n";
    for (std::size_t i = 0; i < kCourse.size(); ++i) {
        const std::string n = std::to_string(i + 1), page = "lesson" + n + "/index.html";
        const std::string title = tr("Lesson") + " " + n + " — " + tr(kCourse[i].title);
        const std::string line = tr(kCourse[i].line);
        std::error_code ec;
        html += "<li>\n";
        if (fs::is_regular_file(out + "/" + page, ec)) {
            const std::string text = io::read_file(out + "/" + page);
            const std::string key = "<meta name=\"first-figure\" content=\"";
            const std::size_t at = text.find(key);
            const std::string fig = at == std::string::npos ? "" : text.substr(at + key.size(), text.find('"', at + key.size()) - at - key.size());
            html += "<div class=\"thumb\">" + (fig.empty() ? std::string() : "<a href=\"" + page + "\"><img src=\"lesson" + n + "/" + fig +
                    "\" alt=\"" + escape(tr("the first figure of the lesson")) + "\"></a>") + "</div>\n";
            html += "<div><h2><a href=\"" + page + "\">" + escape(title) + "</a></h2>\n<p>" + escape(line) + "</p></div>\n";
        } else {
            html += "<div class=\"thumb muted\">" + escape(tr("not run yet")) + "</div>\n<div><h2>" + escape(title) +
                    "</h2>\n<p>" + escape(line) + " <span class=\"muted\"><code>make lesson" + n + "</code></span></p></div>\n";
        }
        html += "</li>\n";
    }
    return html + "</ul>\n</main>\n</body>\n</html>\n";
}

}  // namespace llm::page

// ---------------------------------------------------------------------------

namespace llm::report {

void write_page(const Figures& figs, const std::vector<std::string>& formulas) {
    namespace fs = std::filesystem;
    fs::path dir = fs::absolute(figs.dir()).lexically_normal();
    if (!dir.has_filename()) dir = dir.parent_path();   // "out/lesson1/"
    const std::string to_root = fs::current_path().lexically_relative(dir).generic_string();
    io::write_file_atomic(figs.dir() + "/index.html", page::lesson_html(record(), formulas, figs.dir(), to_root));
    if (page::in_course(figs.dir()))
        io::write_file_atomic(dir.parent_path().string() + "/index.html", page::front_html(dir.parent_path().string()));
}

}  // namespace llm::report
