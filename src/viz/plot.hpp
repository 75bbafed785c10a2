#pragma once
// Figures: heatmaps, small multiples, line charts and bar charts as SVG,
// and heatmaps as binary PPM images, with nothing but the standard library.
//
// Every function returns the file's bytes as a string; save them with
// llm::io::write_file_atomic(path, bytes). The output is deterministic: the
// same call gives the same bytes on every run and every machine (fixed
// number formats, no timestamps, no pointer or hash order).
//
//   std::vector<std::string> toks = {"the", "cat", "sat"};
//   auto svg = plot::heatmap_svg(weights, 3, 3, toks, toks,
//                                {.title = "attention", .x_title = "key", .y_title = "query"});
//   io::write_file_atomic("out/lesson1/attention.svg", svg);
//
// Text (labels, titles) is escaped for XML; control characters and invalid
// UTF-8 bytes are shown as \n, \t, \xHH. Bad arguments throw
// std::invalid_argument("function: what is wrong").
//
// Spans inside Series and BarSeries only point at the caller's data: keep
// that data alive until the call returns.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace llm::plot {

// ---------------------------------------------------------------------------
// colours

enum class Colormap {
    viridis,    // sequential, perceptually uniform: dark purple -> teal -> yellow
    diverging,  // blue -> white -> red; white in the middle (t = 0.5)
};

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    bool operator==(const Rgb&) const = default;
};

// The colour of t in [0, 1] (clamped) under `map`; NaN gives mid grey.
Rgb colormap(Colormap map, double t);

// "#rrggbb", lower case.
std::string hex(Rgb c);

// ---------------------------------------------------------------------------
// heatmaps
//
// `values` is a rows x cols matrix, row-major. Labels are optional: pass {}
// to number the rows/columns 0, 1, 2, ... Non-finite values (masked -inf
// scores, NaN) are drawn in light grey and left out of the colour range.
// Small matrices get the value printed in each cell and a tooltip on every
// cell (row label, column label, exact value). Figures of more than 2048
// cells are drawn compactly (no values, no per-cell tooltips, every k-th
// label when labels are dense) so that a 64 x 128 figure stays near 130 KB.

struct HeatmapOptions {
    std::string title{};
    std::string x_title{};       // under the columns, e.g. "key"
    std::string y_title{};       // beside the rows, e.g. "query"
    std::string colorbar_title{};  // e.g. "attention weight"
    Colormap cmap = Colormap::viridis;
    // Colour range. Default: the data's min..max for viridis, and the
    // symmetric -max|v|..+max|v| for diverging (so 0 is white). For
    // diverging, giving only one of them mirrors it (vmax = 2 -> -2..2).
    std::optional<double> vmin{}, vmax{};
    bool show_values = true;     // print values in cells when they fit
};

std::string heatmap_svg(std::span<const float> values, std::size_t rows, std::size_t cols,
                        std::span<const std::string> row_labels,
                        std::span<const std::string> col_labels,
                        const HeatmapOptions& opt = {});

// Small multiples: panel_titles.size() heatmaps of the same shape, stored
// back to back in `values` (panel-major, e.g. a [heads, T, T] tensor), laid
// out `grid_cols` per row. One colour scale and one colorbar for all panels;
// row labels on the left column, column labels under the bottom panels;
// opt.title is the overall title.
std::string heatmap_grid_svg(std::span<const float> values, std::size_t rows, std::size_t cols,
                             std::span<const std::string> row_labels,
                             std::span<const std::string> col_labels,
                             std::span<const std::string> panel_titles, std::size_t grid_cols,
                             const HeatmapOptions& opt = {});

// The same matrix as a binary PPM (P6) image, for viewers without SVG. Uses
// opt.cmap, opt.vmin and opt.vmax; each cell becomes a square of s x s
// pixels, s the smallest integer making the longer side >= min_side.
std::string heatmap_ppm(std::span<const float> values, std::size_t rows, std::size_t cols,
                        const HeatmapOptions& opt = {}, std::size_t min_side = 256);

// Small multiples as one PPM: `panels` matrices of rows x cols (panel-major,
// as heatmap_grid_svg), laid out `grid_cols` per row with a white gap of one
// cell between panels, one colour range for all. Each cell is a square of
// s x s pixels, s the smallest integer making a panel's longer side >= min_side.
std::string heatmap_grid_ppm(std::span<const float> values, std::size_t rows, std::size_t cols,
                             std::size_t panels, std::size_t grid_cols, const HeatmapOptions& opt = {},
                             std::size_t min_side = 96);

// ---------------------------------------------------------------------------
// line chart

struct Series {
    std::string name{};           // legend entry ("" for none)
    std::span<const float> x{};   // empty: 0, 1, 2, ...
    std::span<const float> y{};
    int colour = -1;              // palette index; -1: the series' own position
    bool line = true;             // false: only a dot on each point
    bool markers = false;         // a dot on each point (also when LineOptions::markers)
    double opacity = 1.0;         // e.g. 0.25 for raw values drawn faintly under a smoothed curve
};

struct LineOptions {
    std::string title{}, x_title{}, y_title{};
    bool log_x = false, log_y = false;  // log scale (points <= 0 are skipped)
    bool markers = false;               // a dot on each point
    bool integer_x = false;             // x ticks on whole numbers only (epochs, layers): no "1.5"
};

// Points with a NaN or infinite coordinate are skipped (the line breaks there).
std::string line_chart_svg(std::span<const Series> series, const LineOptions& opt = {});

// ---------------------------------------------------------------------------
// bar chart

struct BarSeries {
    std::string name{};                // legend entry
    std::span<const float> values{};   // one per category (NaN: no bar)
};

struct BarOptions {
    std::string title{}, x_title{}, y_title{};
    bool value_labels = true;          // print each value on its bar (stacked: inside its segment, when it fits)
    bool stacked = false;              // one bar per category, the series' values stacked (values >= 0)
    bool data_categories = false;      // the categories are data (tokens, sentences): never translated
    bool data_series = false;          // the series names are data (class names): never translated
};

// One bar per category, or grouped bars when there are several series, or
// (opt.stacked) one bar per category made of one segment per series.
std::string bar_chart_svg(std::span<const std::string> categories,
                          std::span<const BarSeries> series, const BarOptions& opt = {});

}  // namespace llm::plot
