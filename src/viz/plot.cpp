// Figures as SVG text (and PPM bytes), built by hand.
//
// An SVG file is a list of shapes on a pixel canvas: <rect>, <path>, <text>.
// Each figure is laid out in three steps:
//   1. measure: estimate every label's width (0.6 x font size per character,
//      a fair average for DejaVu Sans) and pick rotations and label strides
//      so that nothing overlaps;
//   2. place: margins follow from the measured labels, the plot area from
//      the data's shape;
//   3. draw: append shapes to a string, numbers printed with fixed formats
//      so that the bytes never depend on the run.
#include "viz/plot.hpp"

#include "io/utf8.hpp"
#include "viz/i18n.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <functional>
#include <map>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace llm::plot {

namespace {

// ---------------------------------------------------------------------------
// text: sanitising, XML escaping, width estimates

constexpr const char* kFont = "DejaVu Sans, Arial, sans-serif";
constexpr double kTitleFont = 16;   // figure title
constexpr double kAxisFont = 13;    // axis titles, panel subtitles
constexpr double kTickFont = 12;    // tick and category labels
constexpr double kSmallFont = 11;   // colorbar ticks, values in cells, legend
constexpr double kPad = 12;         // empty border around the figure

std::string hex_byte(unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", c);
    return buf;
}

// Length of the valid UTF-8 sequence starting at s[i] (io/utf8.hpp), or 0 if
// invalid; also 0 for the non-characters U+FFFE/U+FFFF (not allowed in XML).
std::size_t utf8_len(std::string_view s, std::size_t i) {
    const std::size_t n = utf8::sequence_length(s, i);
    const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    if (n == 3 && at(i) == 0xEF && at(i + 1) == 0xBF && at(i + 2) >= 0xBE) return 0;  // U+FFFE, U+FFFF
    return n;
}

// Makes any byte string displayable: valid UTF-8 passes through, control
// characters and invalid bytes become visible escapes (\n, \t, \x01, \xff).
std::string visible(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c == '\n') out += "\\n";
            else if (c == '\t') out += "\\t";
            else if (c == '\r') out += "\\r";
            else if (c < 0x20 || c == 0x7F) out += hex_byte(c);
            else out += static_cast<char>(c);
            ++i;
        } else if (const std::size_t n = utf8_len(s, i); n > 0) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            out += hex_byte(c);
            ++i;
        }
    }
    return out;
}

// XML-escapes already visible text (valid for both text and attributes).
std::string escape(std::string_view s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string xml(std::string_view raw) { return escape(visible(raw)); }

// Estimated rendered width in pixels: 0.6 x font size per character.
double text_width(std::string_view raw, double font) {
    const std::string v = visible(raw);
    std::size_t chars = 0;
    for (const char c : v)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
    return 0.6 * font * static_cast<double>(chars);
}

double max_width(const std::vector<std::string>& labels, double font) {
    double w = 0;
    for (const auto& s : labels) w = std::max(w, text_width(s, font));
    return w;
}

// ---------------------------------------------------------------------------
// numbers

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    std::string s = buf;
    // "-0", "-0.00" -> "0", "0.00": a minus sign on zero is noise.
    if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
    return s;
}

// A coordinate: one decimal, without a useless ".0".
std::string num(double v) {
    std::string s = fmt("%.1f", v);
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    return s;
}

// The exact value of a float (9 significant digits round-trip).
std::string exact(float v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return fmt("%.9g", static_cast<double>(v));
}

// The smallest of 1, 2, 5, 10, 20, 50, ... that is >= k (k >= 1).
std::size_t nice_stride(std::size_t k) {
    for (std::size_t p = 1;; p *= 10)
        for (const std::size_t m : {1, 2, 5})
            if (m * p >= k) return m * p;
}

// A "nice" step (1, 2 or 5 x 10^k) giving about `target` intervals over span.
double nice_step(double span, int target) {
    const double raw = span / target;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    const double m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

// The multiples of a nice step inside [lo, hi] (with a little tolerance).
// min_step: no finer step than this (1: whole numbers only, e.g. epochs).
std::vector<double> linear_ticks(double lo, double hi, int target, double* step_out = nullptr, double min_step = 0) {
    const double step = std::max(nice_step(hi - lo, target), min_step);
    if (step_out) *step_out = step;
    std::vector<double> ticks;
    const double eps = step * 1e-9;
    for (double k = std::ceil((lo - eps) / step); k * step <= hi + eps; k += 1) {
        const double t = k * step;
        ticks.push_back(std::abs(t) < eps ? 0.0 : t);
    }
    return ticks;
}

// A tick label with just enough decimals for the step.
std::string tick_label(double v, double step) {
    const double a = std::max(std::abs(v), step);
    if (a >= 1e6 || step < 1e-4) return fmt("%.3g", v);
    const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
    char format[16];
    std::snprintf(format, sizeof format, "%%.%df", decimals);
    return fmt(format, v);
}

// ---------------------------------------------------------------------------
// colours

// Viridis at t = 0, 1/16, ..., 1 (sampled from matplotlib's viridis).
constexpr Rgb kViridis[] = {
    {0x44, 0x01, 0x54}, {0x48, 0x18, 0x6a}, {0x47, 0x2d, 0x7b}, {0x42, 0x40, 0x86},
    {0x3b, 0x52, 0x8b}, {0x33, 0x63, 0x8d}, {0x2c, 0x72, 0x8e}, {0x26, 0x81, 0x8e},
    {0x21, 0x90, 0x8c}, {0x1f, 0x9f, 0x88}, {0x28, 0xae, 0x80}, {0x3e, 0xbc, 0x74},
    {0x5d, 0xc9, 0x63}, {0x82, 0xd3, 0x4c}, {0xab, 0xdc, 0x32}, {0xd5, 0xe2, 0x1a},
    {0xfd, 0xe7, 0x25},
};

// Blue -> white -> red (ColorBrewer RdBu reversed, pure white in the middle).
constexpr Rgb kDiverging[] = {
    {0x05, 0x30, 0x61}, {0x21, 0x66, 0xac}, {0x43, 0x93, 0xc3}, {0x92, 0xc5, 0xde},
    {0xd1, 0xe5, 0xf0}, {0xff, 0xff, 0xff}, {0xfd, 0xdb, 0xc7}, {0xf4, 0xa5, 0x82},
    {0xd6, 0x60, 0x4d}, {0xb2, 0x18, 0x2b}, {0x67, 0x00, 0x1f},
};

std::span<const Rgb> anchors(Colormap map) {
    if (map == Colormap::diverging) return kDiverging;
    return kViridis;
}

constexpr Rgb kMissing = {0xd4, 0xd4, 0xd4};  // non-finite cells

// Tableau 10, the qualitative palette matplotlib uses by default.
constexpr const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
constexpr std::size_t kPaletteSize = std::size(kPalette);

// Black or white, whichever contrasts more with `bg` (WCAG luminance).
const char* text_colour_on(Rgb bg) {
    const auto lin = [](std::uint8_t c) {
        const double s = c / 255.0;
        return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    const double lum = 0.2126 * lin(bg.r) + 0.7152 * lin(bg.g) + 0.0722 * lin(bg.b);
    // contrast with white (1.05 / (L + 0.05)) vs with black ((L + 0.05) / 0.05)
    return 1.05 / (lum + 0.05) > (lum + 0.05) / 0.05 ? "#ffffff" : "#000000";
}

// ---------------------------------------------------------------------------
// svg writer

struct Svg {
    std::string body;

    // Text with its baseline at y, anchored start/middle/end at x, optionally
    // rotated (degrees) about (x, y); `extra` adds raw attributes.
    void text(double x, double y, std::string_view raw, double size, const char* anchor = "start",
              double rotate = 0, const char* extra = "") {
        body += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + num(size) + "\"";
        if (std::string_view(anchor) != "start") body += std::string(" text-anchor=\"") + anchor + "\"";
        if (rotate != 0)
            body += " transform=\"rotate(" + num(rotate) + " " + num(x) + " " + num(y) + ")\"";
        body += extra;
        // Numbers only (ticks, values in cells) take the reader's format here
        // (0,5 in French); words were translated by i18n::tr, which formats
        // their numbers already: formatting "0,693" again would read it as 0 693.
        const bool words = std::any_of(raw.begin(), raw.end(), [](char c) {
            return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) && c != 'e' && c != 'E';
        });
        body += ">" + xml(words ? std::string(raw) : i18n::localize_numbers(raw)) + "</text>\n";
    }
    void line(double x1, double y1, double x2, double y2, const char* stroke, double width = 1) {
        body += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
                num(y2) + "\" stroke=\"" + stroke + "\" stroke-width=\"" + num(width) + "\"/>\n";
    }
    void rect(double x, double y, double w, double h, const std::string& fill,
              const char* extra = "") {
        body += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) +
                "\" height=\"" + num(h) + "\" fill=\"" + fill + "\"" + extra + "/>\n";
    }
    std::string finish(double w, double h) const {
        const std::string W = num(std::ceil(w)), H = num(std::ceil(h));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + W + "\" height=\"" + H +
               "\" viewBox=\"0 0 " + W + " " + H + "\" font-family=\"" + kFont + "\">\n"
               "<rect width=\"" + W + "\" height=\"" + H + "\" fill=\"#ffffff\"/>\n" +
               body + "</svg>\n";
    }
};

// Vertical offset that centres a line of text on y (baseline = y + 0.35 em).
double centre_baseline(double font) { return 0.35 * font; }

void throw_arg(const std::string& msg) { throw std::invalid_argument(msg); }

std::string sz(std::size_t n) { return std::to_string(n); }

// Appends pieces to `out` (cheaper than a chain of operator+, and it
// sidesteps a false -Wrestrict from g++ 12 on "literal" + std::string).
template <class... Parts>
void append(std::string& out, const Parts&... parts) {
    (out.append(std::string_view(parts)), ...);
}

// ---------------------------------------------------------------------------
// heatmaps: shared by heatmap_svg, heatmap_grid_svg and heatmap_ppm

struct Range {
    double lo, hi;
    double t(float v) const { return (static_cast<double>(v) - lo) / (hi - lo); }
};

void check_matrix(const char* fn, std::span<const float> values, std::size_t rows,
                  std::size_t cols, std::size_t panels) {
    if (rows == 0 || cols == 0)
        throw_arg(std::string(fn) + ": rows and cols must be positive, got " + sz(rows) + "*" + sz(cols));
    if (values.size() != panels * rows * cols) {
        if (panels == 1)
            throw_arg(std::string(fn) + ": values has " + sz(values.size()) +
                      " entries but rows*cols = " + sz(rows) + "*" + sz(cols) + " = " + sz(rows * cols));
        throw_arg(std::string(fn) + ": values has " + sz(values.size()) + " entries but panels*rows*cols = " +
                  sz(panels) + "*" + sz(rows) + "*" + sz(cols) + " = " + sz(panels * rows * cols));
    }
}

// The colour range: explicit limits, else from the finite values.
Range colour_range(const char* fn, std::span<const float> values, const HeatmapOptions& opt) {
    for (const auto& lim : {opt.vmin, opt.vmax})
        if (lim && !std::isfinite(*lim)) throw_arg(std::string(fn) + ": vmin/vmax must be finite");
    double mn = std::numeric_limits<double>::infinity(), mx = -mn, amax = 0;
    bool any = false;
    for (const float f : values) {
        if (!std::isfinite(f)) continue;
        const double v = f;
        mn = std::min(mn, v), mx = std::max(mx, v), amax = std::max(amax, std::abs(v));
        any = true;
    }
    Range r{};
    if (opt.cmap == Colormap::diverging) {
        const double m = any && amax > 0 ? amax : 1.0;
        r.lo = opt.vmin ? *opt.vmin : opt.vmax ? -*opt.vmax : -m;
        r.hi = opt.vmax ? *opt.vmax : opt.vmin ? -*opt.vmin : m;
    } else {
        r.lo = opt.vmin ? *opt.vmin : any ? mn : 0.0;
        r.hi = opt.vmax ? *opt.vmax : any ? mx : 1.0;
        if (!opt.vmin && !opt.vmax && r.lo == r.hi) r.lo -= 0.5, r.hi += 0.5;  // constant matrix
        else if (!opt.vmin && r.lo >= r.hi) r.lo = r.hi - 1;
        else if (!opt.vmax && r.lo >= r.hi) r.hi = r.lo + 1;
    }
    if (!(r.lo < r.hi))
        throw_arg(std::string(fn) + ": vmin (" + fmt("%g", r.lo) + ") must be below vmax (" +
                  fmt("%g", r.hi) + ")");
    return r;
}

Rgb cell_colour(float v, const Range& r, Colormap map) {
    if (!std::isfinite(v)) return kMissing;
    return colormap(map, r.t(v));
}

std::vector<std::string> labels_or_numbers(const char* fn, const char* what,
                                           std::span<const std::string> given, std::size_t n) {
    if (given.empty()) {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < n; ++i) out.push_back(std::to_string(i));
        return out;
    }
    if (given.size() != n)
        throw_arg(std::string(fn) + ": " + what + " has " + sz(given.size()) + " entries but the matrix has " +
                  sz(n));
    return {given.begin(), given.end()};
}

// How the column labels are drawn: angle, every `stride`-th one, and the
// height they take below the cells.
struct ColLabels {
    double angle = 0;
    std::size_t stride = 1;
    double height = 0;
    double overhang_left = 0;  // how far -45 degree labels reach left of the first cell
};

ColLabels layout_col_labels(const std::vector<std::string>& labels, double slot, double font) {
    ColLabels c;
    const double w = max_width(labels, font);
    if (w + 4 <= slot) {  // fits flat
        c.height = font;
        return c;
    }
    if (slot * 0.7071 >= font * 1.2) {  // fits at -45 degrees
        c.angle = -45;
        c.height = (w + font * 0.6) * 0.7071;
        for (std::size_t i = 0; i < labels.size(); ++i)
            c.overhang_left = std::max(
                c.overhang_left, text_width(labels[i], font) * 0.7071 - (static_cast<double>(i) + 0.5) * slot);
        return c;
    }
    // too dense: every k-th label, flat if that keeps k small, else vertical
    const std::size_t flat = nice_stride(static_cast<std::size_t>(std::ceil((w + 6) / slot)));
    const std::size_t vert = nice_stride(static_cast<std::size_t>(std::ceil(font * 1.25 / slot)));
    if (flat <= 2 * vert) {
        c.stride = flat;
        c.height = font;
    } else {
        c.angle = -90;
        c.stride = vert;
        c.height = w;
    }
    return c;
}

std::size_t row_label_stride(double slot, double font) {
    if (slot >= font * 1.2) return 1;
    return nice_stride(static_cast<std::size_t>(std::ceil(font * 1.25 / slot)));
}

// A linear gradient with the colormap's anchors as stops, bottom to top.
std::string gradient_def(Colormap map, const std::string& id) {
    const auto a = anchors(map);
    std::string s = "<defs><linearGradient id=\"" + id + "\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\n";
    for (std::size_t i = 0; i < a.size(); ++i)
        s += "<stop offset=\"" + fmt("%.4f", static_cast<double>(i) / static_cast<double>(a.size() - 1)) +
             "\" stop-color=\"" + hex(a[i]) + "\"/>\n";
    return s + "</linearGradient></defs>\n";
}

// Above this many cells, heatmaps are drawn compactly (see the header).
constexpr std::size_t kMaxDetailedCells = 2048;

struct HeatFigure {
    const char* fn;
    std::span<const float> values;
    std::size_t rows, cols;
    std::vector<std::string> row_labels, col_labels;
    bool named_rows, named_cols;              // labels given (vs numbered)
    std::vector<std::string> panel_titles;    // empty: one panel, no subtitle
    std::size_t grid_cols;
    const HeatmapOptions& opt;
};

// Where one panel's cells go: top-left corner and cell side, in pixels.
struct CellBox { double px, py, cell; };

constexpr double kHeatTickLen = 4, kHeatTickGap = 3;   // heatmap label ticks: length, gap to the text

// A panel's row labels (row_stride > 0: every row_stride-th, on the left) and
// column labels (cl given: under it).
void draw_panel_labels(Svg& svg, const HeatFigure& f, CellBox box, std::size_t row_stride, const ColLabels* cl) {
    const double px = box.px, py = box.py, cell = box.cell, tick_len = kHeatTickLen, tick_gap = kHeatTickGap;
    if (row_stride > 0) {
        for (std::size_t i = 0; i < f.rows; i += row_stride) {
            const double y = py + (static_cast<double>(i) + 0.5) * cell;
            svg.line(px - tick_len, y, px, y, "#444444");
            svg.text(px - tick_len - tick_gap, y + centre_baseline(kTickFont), f.row_labels[i], kTickFont, "end");
        }
    }
    if (cl) {
        const double ly = py + static_cast<double>(f.rows) * cell;
        for (std::size_t j = 0; j < f.cols; j += cl->stride) {
            const double x = px + (static_cast<double>(j) + 0.5) * cell;
            svg.line(x, ly, x, ly + tick_len, "#444444");
            const double ty = ly + tick_len + tick_gap;
            if (cl->angle == 0) svg.text(x, ty + kTickFont * 0.8, f.col_labels[j], kTickFont, "middle");
            else if (cl->angle == -45) svg.text(x + 3, ty + 4, f.col_labels[j], kTickFont, "end", -45);
            else svg.text(x + centre_baseline(kTickFont), ty, f.col_labels[j], kTickFont, "end", -90);
        }
    }
}

// Where the colorbar goes, and the width of its tick labels.
struct ColorbarBox { double x, y, w, h, label_w; };

// The colorbar: gradient, frame, ticks, title.
void draw_colorbar(Svg& svg, ColorbarBox cb, const std::string& grad_id, const Range& range, const std::string& title) {
    const double tick_len = kHeatTickLen, tick_gap = kHeatTickGap;
    double step = 0;
    const std::vector<double> ticks = linear_ticks(range.lo, range.hi, 5, &step);
    svg.rect(cb.x, cb.y, cb.w, cb.h, "url(#" + grad_id + ")");
    svg.body += "<rect x=\"" + num(cb.x) + "\" y=\"" + num(cb.y) + "\" width=\"" + num(cb.w) + "\" height=\"" +
                num(cb.h) + "\" fill=\"none\" stroke=\"#444444\" stroke-width=\"0.8\"/>\n";
    for (const double t : ticks) {
        const double y = cb.y + cb.h * (1 - (t - range.lo) / (range.hi - range.lo));
        svg.line(cb.x + cb.w, y, cb.x + cb.w + tick_len, y, "#444444");
        svg.text(cb.x + cb.w + tick_len + tick_gap, y + centre_baseline(kSmallFont), tick_label(t, step), kSmallFont);
    }
    if (!title.empty())
        svg.text(cb.x + cb.w + tick_len + tick_gap + cb.label_w + 8 + kAxisFont * 0.8, cb.y + cb.h / 2, title, kAxisFont,
                 "middle", -90);
}

// One <rect> per cell with a tooltip (prefix: the panel's title), and the
// values printed in the cells when value_font > 0.
void detailed_cells(Svg& svg, const HeatFigure& f, std::span<const float> m, const Range& range, CellBox box,
                    const std::string& prefix, double value_font, const std::function<std::string(float)>& value_text) {
    const HeatmapOptions& opt = f.opt;
    const double px = box.px, py = box.py, cell = box.cell;
    const std::string rname = opt.y_title.empty() ? i18n::tr("row") : opt.y_title;
    const std::string cname = opt.x_title.empty() ? i18n::tr("col") : opt.x_title;
    svg.body += "<g shape-rendering=\"crispEdges\">\n";
    for (std::size_t i = 0; i < f.rows; ++i) {
        for (std::size_t j = 0; j < f.cols; ++j) {
            const float v = m[i * f.cols + j];
            std::string tip = prefix + rname + " " + sz(i);
            if (f.named_rows) tip += " '" + f.row_labels[i] + "'";
            tip += ", " + cname + " " + sz(j);
            if (f.named_cols) tip += " '" + f.col_labels[j] + "'";
            tip += ": " + exact(v);
            svg.body += "<rect x=\"" + num(px + static_cast<double>(j) * cell) + "\" y=\"" +
                        num(py + static_cast<double>(i) * cell) + "\" width=\"" + num(cell) +
                        "\" height=\"" + num(cell) + "\" fill=\"" +
                        hex(cell_colour(v, range, opt.cmap)) + "\"><title>" + xml(i18n::localize_numbers(tip)) +
                        "</title></rect>\n";
        }
    }
    svg.body += "</g>\n";
    if (value_font > 0) {
        svg.body += "<g pointer-events=\"none\">\n";
        for (std::size_t i = 0; i < f.rows; ++i)
            for (std::size_t j = 0; j < f.cols; ++j) {
                const float v = m[i * f.cols + j];
                // masked (non-finite) cells get a muted label
                const char* ink = std::isfinite(v) ? text_colour_on(cell_colour(v, range, opt.cmap))
                                                   : "#8c8c8c";
                const std::string colour = std::string(" fill=\"") + ink + "\"";
                svg.text(px + (static_cast<double>(j) + 0.5) * cell,
                         py + (static_cast<double>(i) + 0.5) * cell + centre_baseline(value_font),
                         value_text(v), value_font, "middle", 0, colour.c_str());
            }
        svg.body += "</g>\n";
    }
}

// Compact cells: colours quantised to 256 levels, one path per level, runs of
// equal cells merged; coordinates in cell units.
void compact_cells(Svg& svg, const HeatFigure& f, std::span<const float> m, const Range& range, CellBox box) {
    const HeatmapOptions& opt = f.opt;
    const double px = box.px, py = box.py, cell = box.cell;
    std::map<int, std::string> paths;  // level (-1: missing) -> path data
    for (std::size_t i = 0; i < f.rows; ++i) {
        for (std::size_t j = 0; j < f.cols;) {
            const auto level = [&](std::size_t k) {
                const float v = m[i * f.cols + k];
                if (!std::isfinite(v)) return -1;
                return static_cast<int>(std::lround(std::clamp(range.t(v), 0.0, 1.0) * 255));
            };
            const int lv = level(j);
            std::size_t run = 1;
            while (j + run < f.cols && level(j + run) == lv) ++run;
            append(paths[lv], "M", sz(j), " ", sz(i), "h", sz(run), "v1h-", sz(run), "z");
            j += run;
        }
    }
    svg.body += "<g transform=\"translate(" + num(px) + " " + num(py) + ") scale(" + num(cell) +
                ")\" shape-rendering=\"crispEdges\">\n";
    for (const auto& [lv, d] : paths) {
        const Rgb c = lv < 0 ? kMissing : colormap(opt.cmap, lv / 255.0);
        svg.body += "<path fill=\"" + hex(c) + "\" d=\"" + d + "\"/>\n";
    }
    svg.body += "</g>\n";
}

// The numbers written inside the cells: 2 decimals for |v| < 10, fewer for
// larger values; the largest font (12 or 11 px) at which the longest fits
// a cell, or none (font 0) when the cells are too small or values are off.
struct CellValues {
    const char* format = "%.2f";
    double font = 0;
    std::string text(float v) const { return std::isfinite(v) ? fmt(format, v) : exact(v); }
};
CellValues cell_values(std::span<const float> values, bool wanted, double cell) {
    CellValues cv;
    double amax = 0;
    for (const float v : values)
        if (std::isfinite(v)) amax = std::max(amax, std::abs(static_cast<double>(v)));
    cv.format = amax < 10 ? "%.2f" : amax < 100 ? "%.1f" : "%.0f";
    if (!wanted || cell < 20) return cv;
    std::size_t longest = 0;
    for (const float v : values) longest = std::max(longest, cv.text(v).size());
    for (const double font : {12.0, 11.0})
        if (0.6 * font * static_cast<double>(longest) + 4 <= cell) return cv.font = font, cv;
    return cv;
}

std::string render_heatmaps(const HeatFigure& f) {
    const HeatmapOptions& opt = f.opt;
    const std::size_t panels = std::max<std::size_t>(1, f.panel_titles.size());
    const std::size_t gcols = std::min(f.grid_cols, panels);
    const std::size_t grows = (panels + gcols - 1) / gcols;
    const Range range = colour_range(f.fn, f.values, opt);
    const double rows = static_cast<double>(f.rows), cols = static_cast<double>(f.cols);

    // --- measure: cell size, labels, values in cells
    double cell = std::floor(std::min({640.0 / std::max(rows, cols), 1000.0 / (static_cast<double>(gcols) * cols),
                                       720.0 / (static_cast<double>(grows) * rows)}));
    cell = std::clamp(cell, 3.0, 48.0);
    const double pw = cols * cell, ph = rows * cell;  // one panel
    const std::size_t total_cells = f.values.size();
    const bool detailed = total_cells <= kMaxDetailedCells;

    const ColLabels cl = layout_col_labels(f.col_labels, cell, kTickFont);
    const std::size_t row_stride = row_label_stride(cell, kTickFont);
    const double row_w = max_width(f.row_labels, kTickFont);
    const double tick_len = kHeatTickLen, tick_gap = kHeatTickGap;

    const CellValues cv = cell_values(f.values, opt.show_values && detailed, cell);
    const auto value_text = [&](float v) { return cv.text(v); };
    const double value_font = cv.font;

    // --- place: margins around the grid of panels
    const bool multi = !f.panel_titles.empty();
    double sub_w = 0;
    for (const auto& t : f.panel_titles) sub_w = std::max(sub_w, text_width(t, kAxisFont));
    const double hgap = multi ? std::max(16.0, sub_w - pw + 12) : 0;
    const double sub_h = multi ? kAxisFont + 8 : 0;  // subtitle band above each panel
    const double vgap = multi ? 14 : 0;

    const double y_title_w = opt.y_title.empty() ? 0 : kAxisFont + 10;
    double x0 = kPad + y_title_w + row_w + tick_len + tick_gap;
    x0 = std::max(x0, kPad + cl.overhang_left);
    const double title_h = opt.title.empty() ? 0 : kTitleFont + 14;
    const double y0 = kPad + title_h + sub_h;  // top of the first panel's cells

    const double grid_w = static_cast<double>(gcols) * pw + static_cast<double>(gcols - 1) * hgap;
    const double grid_h = static_cast<double>(grows) * ph + static_cast<double>(grows - 1) * (vgap + sub_h);
    const double labels_h = tick_len + tick_gap + cl.height;
    const double x_title_h = opt.x_title.empty() ? 0 : kAxisFont + 12;

    // colorbar to the right of the grid, at least 120 px tall
    const double cb_x = x0 + grid_w + 20, cb_w = 16;
    const double cb_h = std::max(grid_h, 120.0);
    double step = 0;
    const std::vector<double> cb_ticks = linear_ticks(range.lo, range.hi, 5, &step);
    double cb_label_w = 0;
    for (const double t : cb_ticks) cb_label_w = std::max(cb_label_w, text_width(tick_label(t, step), kSmallFont));
    const double cb_title_w = opt.colorbar_title.empty() ? 0 : kAxisFont + 10;

    double width = cb_x + cb_w + tick_len + tick_gap + cb_label_w + cb_title_w + kPad;
    double height = y0 + std::max(grid_h + labels_h + x_title_h, cb_h) + kPad;
    const double title_w = text_width(opt.title, kTitleFont);
    const double shift = std::max(0.0, (title_w + 2 * kPad - width) / 2);  // widen for a long title
    width += 2 * shift;

    // --- draw
    Svg svg;
    const double gx0 = x0 + shift;  // left edge of the grid
    const std::string grad_id = opt.cmap == Colormap::viridis ? "llm-viridis" : "llm-diverging";
    svg.body += gradient_def(opt.cmap, grad_id);
    if (!opt.title.empty()) svg.text(width / 2, kPad + kTitleFont, opt.title, kTitleFont, "middle", 0, " font-weight=\"bold\"");

    for (std::size_t p = 0; p < panels; ++p) {
        const std::size_t gx = p % gcols, gy = p / gcols;
        const double px = gx0 + static_cast<double>(gx) * (pw + hgap);
        const double py = y0 + static_cast<double>(gy) * (ph + vgap + sub_h);
        const std::span<const float> m = f.values.subspan(p * f.rows * f.cols, f.rows * f.cols);
        if (multi) svg.text(px + pw / 2, py - 8, f.panel_titles[p], kAxisFont, "middle");

        if (detailed) detailed_cells(svg, f, m, range, {px, py, cell}, multi ? f.panel_titles[p] + ": " : "", value_font,
                                     value_text);
        else compact_cells(svg, f, m, range, {px, py, cell});

        draw_panel_labels(svg, f, {px, py, cell}, gx == 0 ? row_stride : 0, p + gcols >= panels ? &cl : nullptr);
    }

    // axis titles, centred on the grid of cells
    if (!opt.y_title.empty())
        svg.text(kPad + shift + kAxisFont * 0.8, y0 + grid_h / 2, opt.y_title, kAxisFont, "middle", -90);
    if (!opt.x_title.empty())
        svg.text(gx0 + grid_w / 2, y0 + grid_h + labels_h + 8 + kAxisFont * 0.8, opt.x_title, kAxisFont, "middle");

    draw_colorbar(svg, {cb_x + shift, y0, cb_w, cb_h, cb_label_w}, grad_id, range, opt.colorbar_title);
    return svg.finish(width, height);
}

// ---------------------------------------------------------------------------
// charts: axes shared by the line and bar charts

// One axis: data range -> pixels, linear or log10, with its ticks.
struct Axis {
    double lo = 0, hi = 1;      // limits (log10 of them for a log axis)
    bool log = false;
    double p0 = 0, p1 = 1;      // pixel positions of lo and hi
    std::vector<double> major;  // tick values (data units)
    std::vector<std::string> labels;
    std::vector<double> minor;  // unlabelled ticks (log axes)

    double map(double v) const {
        const double u = log ? std::log10(v) : v;
        return p0 + (u - lo) / (hi - lo) * (p1 - p0);
    }
};

// Limits and ticks for data in [mn, mx] (log10 values for a log axis),
// with `margin` of the span added on both sides; linear ticks no finer than min_step.
Axis make_axis(double mn, double mx, bool log, double margin, int target, double min_step = 0) {
    Axis a;
    a.log = log;
    if (!(mn <= mx)) mn = 0, mx = 1;  // no data
    if (mn == mx) {
        const double d = log ? 0.5 : (mn == 0 ? 0.5 : std::abs(mn) * 0.1);
        mn -= d, mx += d;
    }
    const double span = mx - mn;
    a.lo = mn - margin * span;
    a.hi = mx + margin * span;
    if (!log) {
        double step = 0;
        a.major = linear_ticks(a.lo, a.hi, target, &step, min_step);
        for (const double t : a.major) a.labels.push_back(tick_label(t, step));
        return a;
    }
    // log axis: powers of ten, thinned out when there are many decades;
    // 2x and 5x ticks labelled too when fewer than three powers are in range
    const int k0 = static_cast<int>(std::ceil(a.lo - 1e-9)), k1 = static_cast<int>(std::floor(a.hi + 1e-9));
    const int decades = k1 - k0 + 1;
    const int kstride = std::max(1, (decades + 7) / 8);
    const auto power_label = [](int k) {
        return k >= -3 && k <= 4 ? fmt("%g", std::pow(10.0, k)) : std::string("1e") + std::to_string(k);
    };
    for (int k = static_cast<int>(std::floor(a.lo)); k <= k1; ++k) {
        if (k >= k0 && (k - k0) % kstride == 0) {
            a.major.push_back(std::pow(10.0, k));
            a.labels.push_back(power_label(k));
        }
        for (int m = 2; m <= 9 && decades <= 10; ++m) {
            const double u = k + std::log10(static_cast<double>(m));
            if (u < a.lo || u > a.hi) continue;
            if (decades < 3 && (m == 2 || m == 5)) {
                a.major.push_back(m * std::pow(10.0, k));
                a.labels.push_back(fmt("%g", m * std::pow(10.0, k)));
            } else {
                a.minor.push_back(m * std::pow(10.0, k));
            }
        }
    }
    if (a.major.size() < 2) {  // less than a factor of ~2.5: plain linear ticks
        a.major.clear(), a.labels.clear(), a.minor.clear();
        double step = 0;
        for (const double t : linear_ticks(std::pow(10.0, a.lo), std::pow(10.0, a.hi), 4, &step)) {
            if (t <= 0) continue;
            a.major.push_back(t);
            a.labels.push_back(tick_label(t, step));
        }
    }
    // keep the ticks sorted (the 2x/5x ones were appended per decade)
    std::vector<std::size_t> order(a.major.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return a.major[i] < a.major[j]; });
    std::vector<double> major;
    std::vector<std::string> labels;
    for (const std::size_t i : order) major.push_back(a.major[i]), labels.push_back(a.labels[i]);
    a.major = std::move(major), a.labels = std::move(labels);
    return a;
}

double max_label_width(const Axis& a, double font) { return max_width(a.labels, font); }

// Grid lines, frame, ticks and tick labels of a plot area.
void draw_axes(Svg& svg, const Axis& xa, const Axis& ya, double x0, double y0, double w, double h,
               bool x_ticks = true) {
    const double tick = 4;
    for (const double v : ya.major) svg.line(x0, ya.map(v), x0 + w, ya.map(v), "#e6e6e6");
    if (x_ticks)
        for (const double v : xa.major) svg.line(xa.map(v), y0, xa.map(v), y0 + h, "#e6e6e6");
    svg.body += "<rect x=\"" + num(x0) + "\" y=\"" + num(y0) + "\" width=\"" + num(w) + "\" height=\"" + num(h) +
                "\" fill=\"none\" stroke=\"#444444\" stroke-width=\"1\"/>\n";
    for (std::size_t i = 0; i < ya.major.size(); ++i) {
        const double y = ya.map(ya.major[i]);
        svg.line(x0 - tick, y, x0, y, "#444444");
        svg.text(x0 - tick - 3, y + centre_baseline(kTickFont), ya.labels[i], kTickFont, "end");
    }
    for (const double v : ya.minor) svg.line(x0 - tick / 2, ya.map(v), x0, ya.map(v), "#444444");
    if (!x_ticks) return;
    for (std::size_t i = 0; i < xa.major.size(); ++i) {
        const double x = xa.map(xa.major[i]);
        svg.line(x, y0 + h, x, y0 + h + tick, "#444444");
        svg.text(x, y0 + h + tick + 3 + kTickFont * 0.8, xa.labels[i], kTickFont, "middle");
    }
    for (const double v : xa.minor) svg.line(xa.map(v), y0 + h, xa.map(v), y0 + h + tick / 2, "#444444");
}

// A legend box at (x, y): a swatch (line or square) and a name per entry.
struct LegendEntry {
    std::string name, colour, dash;
};

double legend_width(const std::vector<LegendEntry>& entries) {
    double w = 0;
    for (const auto& e : entries) w = std::max(w, text_width(e.name, kSmallFont + 1));
    return 10 + 24 + 6 + w + 10;
}

void draw_legend(Svg& svg, const std::vector<LegendEntry>& entries, double x, double y, bool squares,
                 bool markers) {
    const double row = 20, font = kSmallFont + 1;
    const double h = 8 + row * static_cast<double>(entries.size());
    svg.body += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(legend_width(entries)) +
                "\" height=\"" + num(h) + "\" fill=\"#ffffff\" stroke=\"#cccccc\" rx=\"3\"/>\n";
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        const double cy = y + 4 + row * (static_cast<double>(i) + 0.5);
        if (squares) {
            svg.rect(x + 16, cy - 6, 12, 12, e.colour);
        } else {
            svg.body += "<line x1=\"" + num(x + 10) + "\" y1=\"" + num(cy) + "\" x2=\"" + num(x + 34) + "\" y2=\"" +
                        num(cy) + "\" stroke=\"" + e.colour + "\" stroke-width=\"2\"" +
                        (e.dash.empty() ? "" : " stroke-dasharray=\"" + e.dash + "\"") + "/>\n";
            if (markers)
                svg.body += "<circle cx=\"" + num(x + 22) + "\" cy=\"" + num(cy) + "\" r=\"3\" fill=\"" + e.colour +
                            "\"/>\n";
        }
        svg.text(x + 40, cy + centre_baseline(font), e.name, font);
    }
}

}  // namespace

// ---------------------------------------------------------------------------
// public: colours

Rgb colormap(Colormap map, double t) {
    if (std::isnan(t)) return {128, 128, 128};
    const auto a = anchors(map);
    const double x = std::clamp(t, 0.0, 1.0) * static_cast<double>(a.size() - 1);
    const std::size_t i = std::min(static_cast<std::size_t>(x), a.size() - 2);
    const double u = x - static_cast<double>(i);
    const auto mix = [&](std::uint8_t p, std::uint8_t q) {
        return static_cast<std::uint8_t>(std::lround(p + (q - p) * u));
    };
    return {mix(a[i].r, a[i + 1].r), mix(a[i].g, a[i + 1].g), mix(a[i].b, a[i + 1].b)};
}

std::string hex(Rgb c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
    return buf;
}

// ---------------------------------------------------------------------------
// The words of a figure in the reader's language (viz/i18n.hpp): titles, axis
// titles, legends. Row, column and category labels are data and stay as they are.

namespace {

HeatmapOptions in_language(HeatmapOptions o) {
    for (std::string* s : {&o.title, &o.x_title, &o.y_title, &o.colorbar_title}) *s = i18n::tr(*s);
    return o;
}

std::vector<std::string> in_language(std::span<const std::string> words) {
    std::vector<std::string> out;
    for (const auto& w : words) out.push_back(i18n::tr(w));
    return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// public: heatmaps

std::string heatmap_svg(std::span<const float> values, std::size_t rows, std::size_t cols,
                        std::span<const std::string> row_labels, std::span<const std::string> col_labels,
                        const HeatmapOptions& opt) {
    const char* fn = "heatmap_svg";
    check_matrix(fn, values, rows, cols, 1);
    const HeatFigure f{fn, values, rows, cols,
                       labels_or_numbers(fn, "row_labels", row_labels, rows),
                       labels_or_numbers(fn, "col_labels", col_labels, cols),
                       !row_labels.empty(), !col_labels.empty(), {}, 1, in_language(opt)};
    return render_heatmaps(f);
}

std::string heatmap_grid_svg(std::span<const float> values, std::size_t rows, std::size_t cols,
                             std::span<const std::string> row_labels,
                             std::span<const std::string> col_labels,
                             std::span<const std::string> panel_titles, std::size_t grid_cols,
                             const HeatmapOptions& opt) {
    const char* fn = "heatmap_grid_svg";
    if (panel_titles.empty()) throw_arg("heatmap_grid_svg: panel_titles is empty (one title per panel)");
    if (grid_cols == 0) throw_arg("heatmap_grid_svg: grid_cols must be positive");
    check_matrix(fn, values, rows, cols, panel_titles.size());
    const HeatFigure f{fn, values, rows, cols,
                       labels_or_numbers(fn, "row_labels", row_labels, rows),
                       labels_or_numbers(fn, "col_labels", col_labels, cols),
                       !row_labels.empty(), !col_labels.empty(),
                       in_language(panel_titles), grid_cols, in_language(opt)};
    return render_heatmaps(f);
}

std::string heatmap_ppm(std::span<const float> values, std::size_t rows, std::size_t cols,
                        const HeatmapOptions& opt, std::size_t min_side) {
    const char* fn = "heatmap_ppm";
    check_matrix(fn, values, rows, cols, 1);
    const Range range = colour_range(fn, values, opt);
    const std::size_t longer = std::max(rows, cols);
    const std::size_t s = std::max<std::size_t>(1, (min_side + longer - 1) / longer);
    const std::size_t w = cols * s, h = rows * s;
    std::string out;
    append(out, "P6\n", sz(w), " ", sz(h), "\n255\n");
    const std::size_t header = out.size();
    out.resize(header + w * h * 3);
    for (std::size_t y = 0; y < h; ++y) {
        for (std::size_t x = 0; x < w; ++x) {
            const Rgb c = cell_colour(values[(y / s) * cols + x / s], range, opt.cmap);
            char* px = &out[header + (y * w + x) * 3];
            px[0] = static_cast<char>(c.r), px[1] = static_cast<char>(c.g), px[2] = static_cast<char>(c.b);
        }
    }
    return out;
}

std::string heatmap_grid_ppm(std::span<const float> values, std::size_t rows, std::size_t cols,
                             std::size_t panels, std::size_t grid_cols, const HeatmapOptions& opt,
                             std::size_t min_side) {
    const char* fn = "heatmap_grid_ppm";
    if (panels == 0 || grid_cols == 0)
        throw_arg(std::string(fn) + ": panels and grid_cols must be positive, got " + sz(panels) + " and " + sz(grid_cols));
    check_matrix(fn, values, rows, cols, panels);
    const Range range = colour_range(fn, values, opt);
    const std::size_t longer = std::max(rows, cols);
    const std::size_t s = std::max<std::size_t>(1, (min_side + longer - 1) / longer);
    const std::size_t gc = std::min(grid_cols, panels), gr = (panels + gc - 1) / gc;
    const std::size_t w = (gc * (cols + 1) - 1) * s, h = (gr * (rows + 1) - 1) * s;   // one cell of gap between panels
    std::string out;
    append(out, "P6\n", sz(w), " ", sz(h), "\n255\n");
    const std::size_t header = out.size();
    out.resize(header + w * h * 3, static_cast<char>(255));                          // white: the gaps
    for (std::size_t y = 0; y < h; ++y) {
        const std::size_t pr = (y / s) / (rows + 1), r = (y / s) % (rows + 1);
        for (std::size_t x = 0; x < w; ++x) {
            const std::size_t pc = (x / s) / (cols + 1), c = (x / s) % (cols + 1), p = pr * gc + pc;
            if (r == rows || c == cols || p >= panels) continue;
            const Rgb col = cell_colour(values[(p * rows + r) * cols + c], range, opt.cmap);
            char* px = &out[header + (y * w + x) * 3];
            px[0] = static_cast<char>(col.r), px[1] = static_cast<char>(col.g), px[2] = static_cast<char>(col.b);
        }
    }
    return out;
}

// ---------------------------------------------------------------------------
// public: line chart

// One series of a line chart: its path (broken at unusable points) and its dots.
void draw_series(Svg& svg, const Series& s, std::size_t ci, const Axis& xa, const Axis& ya, const LineOptions& opt) {
    const auto x_of = [&s](std::size_t i) { return s.x.empty() ? static_cast<double>(i) : static_cast<double>(s.x[i]); };
    const auto usable = [](double v, bool log) { return std::isfinite(v) && (!log || v > 0); };
    const std::string colour = kPalette[ci % kPaletteSize];
    std::string d, dots;
    bool pen_down = false;
    for (std::size_t i = 0; i < s.y.size(); ++i) {
        const double x = x_of(i), y = s.y[i];
        if (!usable(x, opt.log_x) || !usable(y, opt.log_y)) {
            pen_down = false;  // break the line at a missing point
            continue;
        }
        const std::string px = num(xa.map(x)), py = num(ya.map(y));
        d += (pen_down ? "L" : "M") + px + " " + py;
        pen_down = true;
        if (opt.markers || s.markers || !s.line) dots += "<circle cx=\"" + px + "\" cy=\"" + py + "\" r=\"3\"/>";
    }
    svg.body += s.opacity < 1.0 ? "<g opacity=\"" + num(s.opacity) + "\">" : std::string("<g>");
    if (!s.name.empty()) svg.body += "<title>" + xml(s.name) + "</title>";
    if (!d.empty() && s.line)
        svg.body += "<path fill=\"none\" stroke=\"" + colour +
                    "\" stroke-width=\"1.8\" stroke-linejoin=\"round\" stroke-linecap=\"round\"" +
                    (ci >= kPaletteSize ? " stroke-dasharray=\"6 3\"" : "") + " d=\"" + d + "\"/>";
    if (!dots.empty()) svg.body += "<g fill=\"" + colour + "\">" + dots + "</g>";
    svg.body += "</g>\n";
}

namespace {
std::string line_chart(std::span<const Series> series, const LineOptions& opt);
std::string bar_chart(std::span<const std::string> categories, std::span<const BarSeries> series, const BarOptions& opt);
}  // namespace

std::string line_chart_svg(std::span<const Series> series, const LineOptions& opt) {
    std::vector<Series> named(series.begin(), series.end());
    for (Series& s : named) s.name = i18n::tr(s.name);
    LineOptions o = opt;
    for (std::string* s : {&o.title, &o.x_title, &o.y_title}) *s = i18n::tr(*s);
    return line_chart(named, o);
}

std::string bar_chart_svg(std::span<const std::string> categories, std::span<const BarSeries> series,
                          const BarOptions& opt) {
    std::vector<BarSeries> named(series.begin(), series.end());
    if (!opt.data_series)
        for (BarSeries& s : named) s.name = i18n::tr(s.name);
    BarOptions o = opt;
    for (std::string* s : {&o.title, &o.x_title, &o.y_title}) *s = i18n::tr(*s);
    return bar_chart(opt.data_categories ? std::vector<std::string>(categories.begin(), categories.end())
                                         : in_language(categories),
                     named, o);
}

namespace {

std::string line_chart(std::span<const Series> series, const LineOptions& opt) {
    if (series.empty()) throw_arg("line_chart_svg: no series");
    for (const auto& s : series)
        if (!s.x.empty() && s.x.size() != s.y.size())
            throw_arg("line_chart_svg: series '" + s.name + "' has " + sz(s.x.size()) + " x values but " +
                      sz(s.y.size()) + " y values");

    // the points that can be drawn, in axis units (log10 on log axes)
    const auto x_of = [](const Series& s, std::size_t i) {
        return s.x.empty() ? static_cast<double>(i) : static_cast<double>(s.x[i]);
    };
    const auto usable = [&](double v, bool log) { return std::isfinite(v) && (!log || v > 0); };
    double xmn = INFINITY, xmx = -INFINITY, ymn = INFINITY, ymx = -INFINITY;
    for (const auto& s : series)
        for (std::size_t i = 0; i < s.y.size(); ++i) {
            const double x = x_of(s, i), y = s.y[i];
            if (!usable(x, opt.log_x) || !usable(y, opt.log_y)) continue;
            const double ux = opt.log_x ? std::log10(x) : x, uy = opt.log_y ? std::log10(y) : y;
            xmn = std::min(xmn, ux), xmx = std::max(xmx, ux), ymn = std::min(ymn, uy), ymx = std::max(ymx, uy);
        }

    // --- measure and place
    const double pw = 560, ph = 340;
    Axis xa = make_axis(xmn, xmx, opt.log_x, 0.02, 8, opt.integer_x ? 1.0 : 0.0);
    Axis ya = make_axis(ymn, ymx, opt.log_y, 0.05, 6);
    // a series' colour index: its own position, or the one it asks for
    const auto colour_of = [&](std::size_t k) {
        return series[k].colour >= 0 ? static_cast<std::size_t>(series[k].colour) : k;
    };
    std::vector<LegendEntry> legend;
    for (std::size_t k = 0; k < series.size(); ++k)
        if (!series[k].name.empty())
            legend.push_back({series[k].name, kPalette[colour_of(k) % kPaletteSize], colour_of(k) >= kPaletteSize ? "6 3" : ""});

    const double y_title_w = opt.y_title.empty() ? 0 : kAxisFont + 12;
    const double x0 = kPad + y_title_w + max_label_width(ya, kTickFont) + 10;
    const double title_h = opt.title.empty() ? 0 : kTitleFont + 14;
    const double y0 = kPad + title_h + 6;
    const double legend_w = legend.empty() ? 0 : legend_width(legend) + 16;
    // the last x tick label may stick out to the right of the plot area
    const double x_overhang = xa.labels.empty() ? 0 : text_width(xa.labels.back(), kTickFont) / 2;
    double width = x0 + pw + std::max(legend_w, x_overhang) + kPad;
    const double height = y0 + ph + 4 + 3 + kTickFont + (opt.x_title.empty() ? 0 : kAxisFont + 12) + kPad + 4;
    width = std::max(width, text_width(opt.title, kTitleFont) + 2 * kPad);
    xa.p0 = x0, xa.p1 = x0 + pw;
    ya.p0 = y0 + ph, ya.p1 = y0;

    // --- draw
    Svg svg;
    if (!opt.title.empty()) svg.text(width / 2, kPad + kTitleFont, opt.title, kTitleFont, "middle", 0, " font-weight=\"bold\"");
    draw_axes(svg, xa, ya, x0, y0, pw, ph);
    if (!opt.x_title.empty()) svg.text(x0 + pw / 2, y0 + ph + 7 + kTickFont + 10 + kAxisFont * 0.8, opt.x_title, kAxisFont, "middle");
    if (!opt.y_title.empty()) svg.text(kPad + kAxisFont * 0.8, y0 + ph / 2, opt.y_title, kAxisFont, "middle", -90);

    for (std::size_t k = 0; k < series.size(); ++k) draw_series(svg, series[k], colour_of(k), xa, ya, opt);
    if (!legend.empty()) draw_legend(svg, legend, x0 + pw + 16, y0, false, opt.markers);
    return svg.finish(width, height);
}

// ---------------------------------------------------------------------------
// public: bar chart

// Where one category's bars go.
struct BarSlot { const std::string& name; std::size_t c; double cx, slot, bar_w; };

// One category's bars (grouped, or stacked), with their tooltips and value labels.
void draw_category_bars(Svg& svg, const BarSlot& b, std::span<const BarSeries> series, const Axis& ya,
                        const BarOptions& opt, bool vlab_flat, const std::function<std::string(double)>& value_text) {
    const std::size_t c = b.c;
    const double cx = b.cx, slot = b.slot, bar_w = b.bar_w, base = ya.map(0);
    double stack = 0;                              // stacked: the top of the segments drawn so far
    for (std::size_t k = 0; k < series.size(); ++k) {
        const float v = series[k].values[c];
        if (!std::isfinite(v)) continue;
        const double bx = opt.stacked ? cx - bar_w / 2 : cx - slot * 0.4 + static_cast<double>(k) * bar_w;
        const double bottom = opt.stacked ? ya.map(stack) : base, top = ya.map(opt.stacked ? stack + v : v);
        stack += opt.stacked ? v : 0.0f;
        const double y = std::min(top, bottom), h = std::abs(top - bottom);
        std::string tip = b.name + (series[k].name.empty() ? "" : ", " + series[k].name) + ": " + exact(v);
        svg.body += "<rect x=\"" + num(bx + 0.5) + "\" y=\"" + num(y) + "\" width=\"" + num(bar_w - 1) +
                    "\" height=\"" + num(h) + "\" fill=\"" + kPalette[k % kPaletteSize] + "\"><title>" +
                    xml(i18n::localize_numbers(tip)) + "</title></rect>\n";
        if (!opt.value_labels) continue;
        const double lx = bx + bar_w / 2;
        if (opt.stacked) {                         // inside the segment, if it is tall and wide enough
            if (h >= kSmallFont + 2 && vlab_flat)      // vlab_flat: the widest label fits the bar
                svg.text(lx, y + h / 2 + kSmallFont * 0.35, value_text(v), kSmallFont, "middle");
            continue;
        }
        const bool up = v >= 0;
        if (vlab_flat)
            svg.text(lx, up ? top - 4 : top + 4 + kSmallFont * 0.8, value_text(v), kSmallFont, "middle");
        else
            svg.text(lx + centre_baseline(kSmallFont), up ? top - 4 : top + 4, value_text(v), kSmallFont,
                     up ? "start" : "end", -90);
    }
}

std::string bar_chart(std::span<const std::string> categories, std::span<const BarSeries> series,
                      const BarOptions& opt) {
    if (categories.empty()) throw_arg("bar_chart_svg: no categories");
    if (series.empty()) throw_arg("bar_chart_svg: no series");
    for (const auto& s : series)
        if (s.values.size() != categories.size())
            throw_arg("bar_chart_svg: series '" + s.name + "' has " + sz(s.values.size()) + " values but there are " +
                      sz(categories.size()) + " categories");
    const std::vector<std::string> cats(categories.begin(), categories.end());
    const double nser = static_cast<double>(series.size()), ncat = static_cast<double>(cats.size());

    // --- measure: bar widths, value labels
    double slot = std::max(64.0, nser * 30 / 0.8);  // width per category
    const double ph = 320;
    const double pw = std::max(360.0, slot * ncat);
    slot = pw / ncat;
    const double bar_w = opt.stacked ? slot * 0.6 : slot * 0.8 / nser;
    double vmin = 0, vmax = 0;
    for (const auto& s : series)
        for (const float f : s.values)
            if (std::isfinite(f))
                vmin = std::min(vmin, static_cast<double>(f)), vmax = std::max(vmax, static_cast<double>(f));
    if (opt.stacked) {                                 // the axis holds the tallest stack
        if (vmin < 0) throw_arg("bar_chart_svg: stacked bars need values >= 0, got " + fmt("%g", vmin));
        vmax = 0;
        for (std::size_t c = 0; c < cats.size(); ++c) {
            double total = 0;
            for (const auto& s : series) total += std::isfinite(s.values[c]) ? static_cast<double>(s.values[c]) : 0.0;
            vmax = std::max(vmax, total);
        }
    }
    // value labels: one format for all, 3 significant digits on the largest
    const double amax = std::max(-vmin, vmax);
    const int decimals = amax > 0 ? std::clamp(2 - static_cast<int>(std::floor(std::log10(amax))), 0, 6) : 0;
    const auto value_text = [decimals](double v) {
        char format[16];
        std::snprintf(format, sizeof format, "%%.%df", decimals);
        return fmt(format, v);
    };
    double vlab_w = 0;
    for (const auto& s : series)
        for (const float f : s.values)
            if (std::isfinite(f)) vlab_w = std::max(vlab_w, text_width(value_text(f), kSmallFont));
    const bool vlab_flat = vlab_w + 2 <= bar_w;
    // room for the value labels beyond the bar ends, in pixels
    const double room = opt.value_labels && !opt.stacked ? (vlab_flat ? kSmallFont + 6 : vlab_w + 8) : 0;
    double lo = vmin, hi = vmax;
    if (lo == hi) hi = 1;  // all zero
    // grow the limits until the labels fit: the bar end plus `room` px inside the plot
    const double frac = room / ph;
    for (int it = 0; it < 3; ++it) {
        const double span = hi - lo;
        if (vmax > 0) hi = std::max(hi, vmax + frac * span / (1 - frac));
        if (vmin < 0) lo = std::min(lo, vmin - frac * span / (1 - frac));
    }
    // extend the limits out to the next multiples of a nice step
    double step = nice_step(hi - lo, 6);
    Axis ya;
    ya.lo = std::min(lo, std::floor(lo / step + 1e-9) * step);
    ya.hi = std::max(hi, std::ceil(hi / step - 1e-9) * step);
    for (const double t : linear_ticks(ya.lo, ya.hi, 6, &step)) {
        ya.major.push_back(t);
        ya.labels.push_back(tick_label(t, step));
    }

    const ColLabels cl = layout_col_labels(cats, slot, kTickFont);
    std::vector<LegendEntry> legend;
    bool named = false;
    for (const auto& s : series) named = named || !s.name.empty();
    if (named)
        for (std::size_t k = 0; k < series.size(); ++k)
            legend.push_back({series[k].name, kPalette[k % kPaletteSize], ""});

    // --- place
    const double y_title_w = opt.y_title.empty() ? 0 : kAxisFont + 12;
    double x0 = kPad + y_title_w + max_label_width(ya, kTickFont) + 10;
    x0 = std::max(x0, kPad + cl.overhang_left);
    const double title_h = opt.title.empty() ? 0 : kTitleFont + 14;
    const double y0 = kPad + title_h + 6;
    const double legend_w = legend.empty() ? 0 : legend_width(legend) + 16;
    double width = x0 + pw + legend_w + kPad;
    width = std::max(width, text_width(opt.title, kTitleFont) + 2 * kPad);
    const double labels_h = 7 + cl.height;
    const double height = y0 + ph + labels_h + (opt.x_title.empty() ? 0 : kAxisFont + 14) + kPad + 4;
    ya.p0 = y0 + ph, ya.p1 = y0;
    const Axis xa;  // no numeric x axis: the categories are drawn below

    // --- draw
    Svg svg;
    if (!opt.title.empty()) svg.text(width / 2, kPad + kTitleFont, opt.title, kTitleFont, "middle", 0, " font-weight=\"bold\"");
    draw_axes(svg, xa, ya, x0, y0, pw, ph, false);
    const double base = ya.map(0);
    for (std::size_t c = 0; c < cats.size(); ++c) {
        const double cx = x0 + (static_cast<double>(c) + 0.5) * slot;
        draw_category_bars(svg, {cats[c], c, cx, slot, bar_w}, series, ya, opt, vlab_flat, value_text);
        // category label
        const double ty = y0 + ph + 7;
        svg.line(cx, y0 + ph, cx, y0 + ph + 4, "#444444");
        if (c % cl.stride != 0) continue;
        if (cl.angle == 0) svg.text(cx, ty + kTickFont * 0.8, cats[c], kTickFont, "middle");
        else if (cl.angle == -45) svg.text(cx + 3, ty + 4, cats[c], kTickFont, "end", -45);
        else svg.text(cx + centre_baseline(kTickFont), ty, cats[c], kTickFont, "end", -90);
    }
    if (ya.lo < 0) svg.line(x0, base, x0 + pw, base, "#444444");  // the zero line
    if (!opt.x_title.empty()) svg.text(x0 + pw / 2, y0 + ph + labels_h + 10 + kAxisFont * 0.8, opt.x_title, kAxisFont, "middle");
    if (!opt.y_title.empty()) svg.text(kPad + kAxisFont * 0.8, y0 + ph / 2, opt.y_title, kAxisFont, "middle", -90);
    if (!legend.empty()) draw_legend(svg, legend, x0 + pw + 16, y0, true, false);
    return svg.finish(width, height);
}

}  // namespace

}  // namespace llm::plot
