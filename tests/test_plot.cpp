// Tests for the figures module (src/viz/plot.hpp).
//
// The figures are meant to be opened in a browser, so the first thing to
// check is that every SVG is well-formed XML even when labels contain
// markup characters (<unk>, a&b, "q", it's) or control bytes. A small XML
// checker below does that without any library. The rest checks the
// contract: one tooltip per cell, colormap endpoints, exact PPM bytes,
// std::invalid_argument on bad arguments, identical bytes on every call.
#include <catch2/catch.hpp>

#include "viz/plot.hpp"
#include "io/utf8.hpp"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using namespace llm::plot;

namespace {

// ---------------------------------------------------------------------------
// a tiny XML well-formedness checker
//
// Returns "" for a well-formed document, else what is wrong and where.
// Checks: valid UTF-8; one root element; start/end tags balanced and
// nested; attributes name="value" (quoted, no duplicates, no raw '<');
// every '&' in text or attribute values starts a known entity; no raw '<'
// in text. Enough for the SVG we write (no CDATA, no DOCTYPE).

// Valid UTF-8 (io/utf8.hpp) and no control character XML forbids.
bool valid_utf8(std::string_view s) {
    for (const char c : s)
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') return false;
    return llm::utf8::valid(s);
}

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' || c == '.';
}

// Checks the entity at s[i] == '&'; returns its length or 0.
std::size_t entity_len(std::string_view s, std::size_t i) {
    for (const std::string_view e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"})
        if (s.substr(i, e.size()) == e) return e.size();
    if (s.substr(i, 2) == "&#") {
        std::size_t j = i + 2;
        const bool hex = j < s.size() && s[j] == 'x';
        if (hex) ++j;
        const std::size_t digits = j;
        while (j < s.size() && (hex ? std::isxdigit(static_cast<unsigned char>(s[j]))
                                    : std::isdigit(static_cast<unsigned char>(s[j]))))
            ++j;
        if (j > digits && j < s.size() && s[j] == ';') return j + 1 - i;
    }
    return 0;
}

std::string xml_error(std::string_view s) {
    if (!valid_utf8(s)) return "invalid UTF-8 or control character";
    std::vector<std::string> stack;
    bool root_seen = false;
    std::size_t i = 0;
    if (s.substr(0, 5) == "<?xml") {
        i = s.find("?>");
        if (i == std::string_view::npos) return "unterminated <?xml";
        i += 2;
    }
    const auto where = [&](std::size_t at) { return " at offset " + std::to_string(at); };
    while (i < s.size()) {
        if (s[i] != '<') {  // text
            if (stack.empty() && !std::isspace(static_cast<unsigned char>(s[i])))
                return "text outside the root element" + where(i);
            if (s[i] == '&') {
                const std::size_t n = entity_len(s, i);
                if (n == 0) return "raw '&' in text" + where(i);
                i += n;
            } else {
                ++i;
            }
            continue;
        }
        const std::size_t start = i;
        if (s.substr(i, 4) == "<!--") {
            const std::size_t e = s.find("-->", i);
            if (e == std::string_view::npos) return "unterminated comment" + where(i);
            i = e + 3;
            continue;
        }
        const bool closing = i + 1 < s.size() && s[i + 1] == '/';
        i += closing ? 2 : 1;
        const std::size_t name0 = i;
        while (i < s.size() && is_name_char(s[i])) ++i;
        if (i == name0) return "'<' not starting a tag (raw '<' in text?)" + where(start);
        const std::string name(s.substr(name0, i - name0));
        if (closing) {
            while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
            if (i >= s.size() || s[i] != '>') return "bad end tag </" + name + where(start);
            if (stack.empty() || stack.back() != name)
                return "end tag </" + name + "> does not match <" + (stack.empty() ? "" : stack.back()) + ">" +
                       where(start);
            stack.pop_back();
            ++i;
            continue;
        }
        // attributes
        std::vector<std::string> seen;
        for (;;) {
            const std::size_t ws = i;
            while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
            if (i >= s.size()) return "unterminated tag <" + name + where(start);
            if (s[i] == '>' || s.substr(i, 2) == "/>") break;
            if (i == ws) return "no space before an attribute in <" + name + where(i);
            const std::size_t a0 = i;
            while (i < s.size() && is_name_char(s[i])) ++i;
            if (i == a0) return "bad attribute name in <" + name + where(i);
            const std::string attr(s.substr(a0, i - a0));
            for (const auto& a : seen)
                if (a == attr) return "duplicate attribute " + attr + where(a0);
            seen.push_back(attr);
            if (i >= s.size() || s[i] != '=') return "attribute " + attr + " without '='" + where(i);
            ++i;
            if (i >= s.size() || (s[i] != '"' && s[i] != '\'')) return "unquoted attribute " + attr + where(i);
            const char q = s[i++];
            while (i < s.size() && s[i] != q) {
                if (s[i] == '<') return "raw '<' in attribute " + attr + where(i);
                if (s[i] == '&') {
                    const std::size_t n = entity_len(s, i);
                    if (n == 0) return "raw '&' in attribute " + attr + where(i);
                    i += n - 1;
                }
                ++i;
            }
            if (i >= s.size()) return "unterminated attribute " + attr + where(a0);
            ++i;
        }
        const bool self_closing = s[i] == '/';
        i += self_closing ? 2 : 1;
        if (stack.empty()) {
            if (root_seen) return "second root element <" + name + ">" + where(start);
            root_seen = true;
        }
        if (!self_closing) stack.push_back(name);
    }
    if (!stack.empty()) return "unclosed <" + stack.back() + ">";
    if (!root_seen) return "no root element";
    return "";
}

std::size_t count(std::string_view hay, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + needle.size())) ++n;
    return n;
}

// The labels that break naive XML writers.
const std::vector<std::string> kNasty = {"<unk>", "a&b", "\"q\"", "it's", "<pad>", "x]]>y"};

std::vector<float> ramp(std::size_t n, float scale = 1.0f) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = scale * static_cast<float>(i) / static_cast<float>(n);
    return v;
}

}  // namespace

// ---------------------------------------------------------------------------
// the checker itself must be able to say no

TEST_CASE("xml checker: accepts good and rejects broken documents", "[plot]") {
    CHECK(xml_error("<svg a=\"1\" b='x &amp; y'><g><t>a &lt; b &#60; &#x3c;</t></g><r/></svg>\n") == "");
    CHECK(xml_error("<svg><g></svg>") != "");               // unbalanced
    CHECK(xml_error("<svg><g></h></svg>") != "");           // mismatched
    CHECK(xml_error("<svg a=1></svg>") != "");              // unquoted attribute
    CHECK(xml_error("<svg a=\"1\" a=\"2\"></svg>") != "");  // duplicate attribute
    CHECK(xml_error("<svg a=\"<\"></svg>") != "");          // raw < in attribute
    CHECK(xml_error("<svg>a & b</svg>") != "");             // raw & in text
    CHECK(xml_error("<svg>a < b</svg>") != "");             // raw < in text
    CHECK(xml_error("<svg t=\"a&b\"></svg>") != "");        // raw & in attribute
    CHECK(xml_error("<svg></svg><svg></svg>") != "");       // two roots
    CHECK(xml_error("<svg>\xff</svg>") != "");              // invalid UTF-8
    CHECK(xml_error("<svg>\x01</svg>") != "");              // control character
}

// ---------------------------------------------------------------------------
// well-formed output for every figure kind, with hostile labels

TEST_CASE("every figure kind is well-formed XML with markup characters in labels", "[plot]") {
    const std::vector<float> m = ramp(36);
    const HeatmapOptions opt{.title = "attention <unk> & \"friends\"", .x_title = "key's", .y_title = "<query>",
                             .colorbar_title = "a&b"};
    SECTION("heatmap") {
        const std::string svg = heatmap_svg(m, 6, 6, kNasty, kNasty, opt);
        CHECK(xml_error(svg) == "");
        CHECK(svg.find("&lt;unk&gt;") != std::string::npos);
        CHECK(svg.find("a&amp;b") != std::string::npos);
        CHECK(svg.find("&quot;q&quot;") != std::string::npos);
        CHECK(svg.find("it&apos;s") != std::string::npos);
        CHECK(svg.find("<unk>") == std::string::npos);
        CHECK(svg.find("font-family=\"DejaVu Sans, Arial, sans-serif\"") != std::string::npos);
    }
    SECTION("heatmap, diverging, masked cells") {
        std::vector<float> s = ramp(36, 4.0f);
        for (auto& v : s) v -= 2.0f;
        s[1] = -INFINITY;
        s[2] = NAN;
        HeatmapOptions d = opt;
        d.cmap = Colormap::diverging;
        CHECK(xml_error(heatmap_svg(s, 6, 6, kNasty, kNasty, d)) == "");
    }
    SECTION("small multiples") {
        const std::vector<float> heads = ramp(4 * 36);
        const std::vector<std::string> titles = {"head <0>", "head & 1", "head \"2\"", "head '3'"};
        CHECK(xml_error(heatmap_grid_svg(heads, 6, 6, kNasty, kNasty, titles, 2, opt)) == "");
        CHECK(xml_error(heatmap_grid_svg(heads, 6, 6, kNasty, kNasty, titles, 3, opt)) == "");  // ragged grid
    }
    SECTION("large heatmap (compact drawing)") {
        const std::vector<float> pe = ramp(64 * 128, 2.0f);
        CHECK(xml_error(heatmap_svg(pe, 64, 128, {}, {}, opt)) == "");
    }
    SECTION("line chart") {
        const std::vector<float> x = {1, 2, 3, 4, 5}, y1 = {1, NAN, 0.1f, INFINITY, 0.01f}, y2 = {5, 4, -1, 2, 1};
        const std::vector<Series> series = {{"<train>", x, y1}, {"a&b 'val'", x, y2}, {"", {}, y2}};
        CHECK(xml_error(line_chart_svg(series, {.title = "<loss>", .x_title = "&", .y_title = "\""})) == "");
        CHECK(xml_error(line_chart_svg(series, {.log_x = true, .log_y = true, .markers = true})) == "");
    }
    SECTION("bar chart") {
        const std::vector<float> a = {0.9f, 0.5f, NAN}, b = {-0.2f, 0.25f, 0.75f};
        const std::vector<std::string> cats = {"<unk>", "a&b", "part \"3\": it's long enough to rotate"};
        const std::vector<BarSeries> series = {{"transformer <big>", a}, {"bag-of-words & co", b}};
        CHECK(xml_error(bar_chart_svg(cats, series, {.title = "<acc>", .x_title = "'", .y_title = "&"})) == "");
    }
    SECTION("control characters and invalid UTF-8 in labels") {
        const std::vector<std::string> weird = {"\n", "\t", std::string("\x01", 1), "\xff\xfe", "caf\xc3\xa9", "\xe2\x82"};
        const std::string svg = heatmap_svg(m, 6, 6, weird, weird, opt);
        CHECK(xml_error(svg) == "");
        CHECK(svg.find("caf\xc3\xa9") != std::string::npos);  // valid UTF-8 kept
        CHECK(svg.find("\\xff\\xfe") != std::string::npos);   // invalid bytes shown
        CHECK(svg.find(">\\n<") != std::string::npos);        // newline shown as \n
    }
}

// ---------------------------------------------------------------------------
// heatmap contents

TEST_CASE("heatmap: one tooltip per cell with labels and the exact value", "[plot]") {
    std::vector<float> m = ramp(3 * 5);
    m[7] = 0.1f;  // row 1, col 2
    const std::vector<std::string> rows = {"the", "cat", "sat"};
    const std::vector<std::string> cols = {"a", "b", "<unk>", "d", "e"};
    const std::string svg = heatmap_svg(m, 3, 5, rows, cols, {.x_title = "key", .y_title = "query"});
    CHECK(count(svg, "<title>") == 15);
    CHECK(count(svg, "</title></rect>") == 15);
    CHECK(svg.find("<title>query 1 &apos;cat&apos;, key 2 &apos;&lt;unk&gt;&apos;: 0.100000001</title>") !=
          std::string::npos);

    const std::vector<float> heads = ramp(4 * 15);
    const std::vector<std::string> titles = {"h0", "h1", "h2", "h3"};
    const std::string grid = heatmap_grid_svg(heads, 3, 5, rows, cols, titles, 2);
    CHECK(count(grid, "</title></rect>") == 4 * 15);
    CHECK(count(grid, "<linearGradient") == 1);  // one shared colorbar
}

TEST_CASE("heatmap: values printed with a contrasting colour, colorbar ticks", "[plot]") {
    const std::vector<float> m = {0.0f, 1.0f};
    const std::string svg = heatmap_svg(m, 1, 2, {}, {}, {});
    // viridis(0) is dark: white text; viridis(1) is yellow: black text
    CHECK(svg.find("fill=\"#ffffff\">0.00</text>") != std::string::npos);
    CHECK(svg.find("fill=\"#000000\">1.00</text>") != std::string::npos);
    for (const char* tick : {">0.0<", ">0.2<", ">0.4<", ">0.6<", ">0.8<", ">1.0<"}) CHECK(svg.find(tick) != std::string::npos);

    const std::string quiet = heatmap_svg(m, 1, 2, {}, {}, {.show_values = false});
    CHECK(quiet.find(">1.00</text>") == std::string::npos);
}

TEST_CASE("heatmap: long column labels are rotated, short ones are not", "[plot]") {
    const std::vector<float> m = ramp(9);
    const std::vector<std::string> shortl = {"a", "b", "c"};
    const std::vector<std::string> longl = {"transformer", "attention", "embedding"};
    CHECK(heatmap_svg(m, 3, 3, shortl, shortl).find("rotate(-45") == std::string::npos);
    CHECK(heatmap_svg(m, 3, 3, shortl, longl).find("rotate(-45") != std::string::npos);
}

TEST_CASE("heatmap: a 64x128 matrix stays small and thins its labels", "[plot]") {
    std::vector<float> pe(64 * 128);
    for (std::size_t p = 0; p < 64; ++p)
        for (std::size_t i = 0; i < 128; ++i)
            pe[p * 128 + i] = static_cast<float>(i % 2 ? std::cos(p / std::pow(10000.0, (i - 1) / 128.0))
                                                       : std::sin(p / std::pow(10000.0, i / 128.0)));
    const std::string svg = heatmap_svg(pe, 64, 128, {}, {}, {.cmap = Colormap::diverging});
    CHECK(svg.size() < 300'000);
    CHECK(xml_error(svg) == "");
    CHECK(svg.find(">127<") == std::string::npos);  // not every column is labelled...
    CHECK(svg.find(">120<") != std::string::npos);  // ...only every k-th
    CHECK(svg.find(">0.00</text>") == std::string::npos);  // no values in 5 px cells
}

// ---------------------------------------------------------------------------
// colours

TEST_CASE("colormap: endpoints, white centre, clamping", "[plot]") {
    CHECK(hex(colormap(Colormap::viridis, 0.0)) == "#440154");
    CHECK(hex(colormap(Colormap::viridis, 1.0)) == "#fde725");
    CHECK(hex(colormap(Colormap::diverging, 0.5)) == "#ffffff");
    const Rgb lo = colormap(Colormap::diverging, 0.0), hi = colormap(Colormap::diverging, 1.0);
    CHECK(lo.b > lo.r);  // negative end is blue
    CHECK(hi.r > hi.b);  // positive end is red
    CHECK(colormap(Colormap::viridis, -3.0) == colormap(Colormap::viridis, 0.0));
    CHECK(colormap(Colormap::viridis, 7.0) == colormap(Colormap::viridis, 1.0));
    CHECK(colormap(Colormap::viridis, NAN) == Rgb{128, 128, 128});
}

TEST_CASE("colormap: viridis gets lighter all the way up", "[plot]") {
    double prev = -1;
    for (int k = 0; k <= 64; ++k) {
        const Rgb c = colormap(Colormap::viridis, k / 64.0);
        const double lum = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
        CHECK(lum > prev);
        prev = lum;
    }
}

// ---------------------------------------------------------------------------
// PPM

TEST_CASE("ppm: exact header, size and pixels", "[plot]") {
    // 3 x 5: longer side 5, 52 px per cell makes it >= 256 -> 260 x 156
    std::vector<float> m = ramp(15);
    const std::string ppm = heatmap_ppm(m, 3, 5);
    const std::string header = "P6\n260 156\n255\n";
    REQUIRE(ppm.size() == header.size() + 260 * 156 * 3);
    CHECK(ppm.substr(0, header.size()) == header);
    const auto pixel = [&](std::size_t x, std::size_t y) {
        const std::size_t o = header.size() + (y * 260 + x) * 3;
        return Rgb{static_cast<std::uint8_t>(ppm[o]), static_cast<std::uint8_t>(ppm[o + 1]),
                   static_cast<std::uint8_t>(ppm[o + 2])};
    };
    CHECK(hex(pixel(0, 0)) == "#440154");       // the minimum, cell (0, 0)
    CHECK(hex(pixel(51, 51)) == "#440154");     // still cell (0, 0)
    CHECK(hex(pixel(259, 155)) == "#fde725");   // the maximum, cell (2, 4)

    SECTION("diverging is centred on zero by default") {
        const std::vector<float> d = {-2.0f, 0.0f, 1.0f};
        const std::string p = heatmap_ppm(d, 1, 3, {.cmap = Colormap::diverging}, 3);
        const std::string h = "P6\n3 1\n255\n";
        REQUIRE(p.size() == h.size() + 9);
        const auto px = [&](std::size_t i) {
            return Rgb{static_cast<std::uint8_t>(p[h.size() + 3 * i]), static_cast<std::uint8_t>(p[h.size() + 3 * i + 1]),
                       static_cast<std::uint8_t>(p[h.size() + 3 * i + 2])};
        };
        CHECK(px(0) == colormap(Colormap::diverging, 0.0));
        CHECK(px(1) == Rgb{255, 255, 255});
        CHECK(px(2) == colormap(Colormap::diverging, 0.75));
    }
}

// ---------------------------------------------------------------------------
// charts

TEST_CASE("line chart: NaN, Inf and non-positive log values are skipped", "[plot]") {
    const std::vector<float> x = {1, 2, 3, 4, 5, 6};
    const std::vector<float> y = {1, NAN, 0.1f, INFINITY, 0.0f, 0.01f};
    const std::vector<Series> series = {{"loss", x, y}};
    const std::string svg = line_chart_svg(series, {.log_y = true, .markers = true});
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("inf") == std::string::npos);
    CHECK(count(svg, "<circle") == 3 + 1);  // 3 drawable points + the legend marker
    const std::size_t d0 = svg.find(" d=\"M"), d1 = svg.find('"', d0 + 4);
    REQUIRE(d0 != std::string::npos);
    CHECK(count(svg.substr(d0, d1 - d0), "M") == 3);  // the line breaks at each gap
    for (const char* tick : {">0.01<", ">0.1<", ">1<"}) CHECK(svg.find(tick) != std::string::npos);
}

TEST_CASE("line chart: one colour per series and a legend", "[plot]") {
    const std::vector<float> y1 = {1, 2, 3}, y2 = {3, 2, 1};
    const std::vector<Series> series = {{"train", {}, y1}, {"val", {}, y2}};
    const std::string svg = line_chart_svg(series, {.title = "t", .x_title = "step", .y_title = "loss"});
    CHECK(svg.find("stroke=\"#1f77b4\"") != std::string::npos);
    CHECK(svg.find("stroke=\"#ff7f0e\"") != std::string::npos);
    CHECK(svg.find(">train</text>") != std::string::npos);
    CHECK(svg.find(">val</text>") != std::string::npos);
}

TEST_CASE("line chart: integer_x keeps the x ticks on whole numbers (epochs)", "[plot]") {
    const std::vector<float> epochs = {1, 2, 3, 4}, acc = {70, 75, 78, 77};
    const std::vector<Series> series = {{"test", epochs, acc}};
    // Four epochs span 3: the finest nice step for 8 ticks is 0.5, i.e. "1.5".
    const std::string plain = line_chart_svg(series, {.x_title = "epoch"});
    CHECK(plain.find(">1.5<") != std::string::npos);
    const std::string whole = line_chart_svg(series, {.x_title = "epoch", .integer_x = true});
    CHECK(whole.find(">1.5<") == std::string::npos);
    CHECK(whole.find(">2.5<") == std::string::npos);
    for (const char* tick : {">1<", ">2<", ">3<", ">4<"}) CHECK(whole.find(tick) != std::string::npos);
}

TEST_CASE("bar chart: grouped bars with value labels and tooltips", "[plot]") {
    const std::vector<std::string> cats = {"part 1", "part 2", "part 3"};
    const std::vector<float> a = {0.98f, 0.75f, 0.5f}, b = {0.25f, NAN, -0.125f};
    const std::vector<BarSeries> series = {{"transformer", a}, {"bag-of-words", b}};
    const std::string svg = bar_chart_svg(cats, series, {.y_title = "accuracy"});
    CHECK(count(svg, "</title></rect>") == 5);  // the NaN has no bar
    for (const char* label : {">0.980<", ">0.750<", ">-0.125<"}) CHECK(svg.find(label) != std::string::npos);
    CHECK(svg.find(">transformer</text>") != std::string::npos);
    const std::string bare = bar_chart_svg(cats, series, {.value_labels = false});
    CHECK(bare.find(">0.980<") == std::string::npos);
}

// ---------------------------------------------------------------------------
// bad arguments

TEST_CASE("bad arguments throw std::invalid_argument naming the function", "[plot]") {
    const std::vector<float> m12 = ramp(12), m15 = ramp(15);
    const std::vector<std::string> three = {"a", "b", "c"}, two = {"a", "b"};
    try {
        (void)heatmap_svg(m12, 3, 5, {}, {});
        FAIL("no exception");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()) == "heatmap_svg: values has 12 entries but rows*cols = 3*5 = 15");
    }
    CHECK_THROWS_AS(heatmap_svg(m15, 0, 5, {}, {}), std::invalid_argument);
    CHECK_THROWS_AS(heatmap_svg(m15, 3, 5, two, {}), std::invalid_argument);
    CHECK_THROWS_AS(heatmap_svg(m15, 3, 5, three, three), std::invalid_argument);
    CHECK_THROWS_AS(heatmap_svg(m15, 3, 5, {}, {}, {.vmin = 1.0, .vmax = 0.5}), std::invalid_argument);
    CHECK_THROWS_AS(heatmap_svg(m15, 3, 5, {}, {}, {.vmin = NAN}), std::invalid_argument);
    CHECK_THROWS_WITH(heatmap_svg(m15, 3, 5, two, {}), Catch::Contains("heatmap_svg") && Catch::Contains("row_labels"));

    const std::vector<std::string> titles = {"h0", "h1"};
    CHECK_THROWS_AS(heatmap_grid_svg(m15, 3, 5, {}, {}, titles, 2), std::invalid_argument);  // needs 30
    CHECK_THROWS_AS(heatmap_grid_svg(m15, 3, 5, {}, {}, {}, 2), std::invalid_argument);
    CHECK_THROWS_AS(heatmap_grid_svg(ramp(30), 3, 5, {}, {}, titles, 0), std::invalid_argument);
    CHECK_THROWS_WITH(heatmap_ppm(m12, 3, 5), Catch::StartsWith("heatmap_ppm: values has 12 entries"));

    const std::vector<float> x3 = {1, 2, 3}, y2 = {1, 2};
    const std::vector<Series> bad = {{"s", x3, y2}};
    CHECK_THROWS_AS(line_chart_svg(bad), std::invalid_argument);
    CHECK_THROWS_AS(line_chart_svg({}), std::invalid_argument);
    const std::vector<BarSeries> bars = {{"s", y2}};
    CHECK_THROWS_AS(bar_chart_svg(three, bars), std::invalid_argument);
    CHECK_THROWS_AS(bar_chart_svg({}, bars), std::invalid_argument);
    CHECK_THROWS_AS(bar_chart_svg(two, {}), std::invalid_argument);
}

// ---------------------------------------------------------------------------
// determinism

TEST_CASE("same call, same bytes", "[plot]") {
    const std::vector<float> m = ramp(36), big = ramp(64 * 128);
    const std::vector<std::string> toks = {"the", "cat", "sat", "on", "the", "mat"};
    const HeatmapOptions opt{.title = "t", .x_title = "key", .y_title = "query"};
    CHECK(heatmap_svg(m, 6, 6, toks, toks, opt) == heatmap_svg(m, 6, 6, toks, toks, opt));
    CHECK(heatmap_svg(big, 64, 128, {}, {}, opt) == heatmap_svg(big, 64, 128, {}, {}, opt));
    const std::vector<std::string> titles = {"a", "b"};
    const std::vector<float> two = ramp(72);
    CHECK(heatmap_grid_svg(two, 6, 6, toks, toks, titles, 2, opt) ==
          heatmap_grid_svg(two, 6, 6, toks, toks, titles, 2, opt));
    CHECK(heatmap_ppm(m, 6, 6) == heatmap_ppm(m, 6, 6));
    const std::vector<Series> series = {{"a", {}, m}};
    CHECK(line_chart_svg(series, {.log_y = true}) == line_chart_svg(series, {.log_y = true}));
    const std::vector<BarSeries> bars = {{"a", std::span(m).first(6)}};
    CHECK(bar_chart_svg(toks, bars) == bar_chart_svg(toks, bars));
}

// ---------------------------------------------------------------------------
// degenerate data still gives a sane figure

TEST_CASE("degenerate data: constant, all-NaN, single point, all zero", "[plot]") {
    // no NaN or infinite number in any tag (text such as tooltips may say "nan")
    const auto sane = [](const std::string& svg) {
        CHECK(xml_error(svg) == "");
        std::string tags;
        for (std::size_t p = svg.find('<'); p != std::string::npos; p = svg.find('<', p + 1))
            tags += svg.substr(p, svg.find('>', p) - p);
        CHECK(tags.find("nan") == std::string::npos);
        CHECK(tags.find("inf") == std::string::npos);
    };
    const std::vector<float> constant(6, 0.5f), zeros(6, 0.0f), nans(6, NAN);
    sane(heatmap_svg(constant, 2, 3, {}, {}));
    sane(heatmap_svg(zeros, 2, 3, {}, {}, {.cmap = Colormap::diverging}));
    sane(heatmap_svg(nans, 2, 3, {}, {}, {.show_values = false}));
    // a constant matrix sits in the middle of the colour scale
    const std::string ppm = heatmap_ppm(constant, 2, 3, {}, 3);
    REQUIRE(ppm.size() == std::string("P6\n3 2\n255\n").size() + 18);
    const Rgb mid = colormap(Colormap::viridis, 0.5);
    CHECK(Rgb{static_cast<std::uint8_t>(ppm[11]), static_cast<std::uint8_t>(ppm[12]), static_cast<std::uint8_t>(ppm[13])} == mid);

    const std::vector<float> one = {3.0f}, none = {NAN, NAN};
    sane(line_chart_svg(std::vector<Series>{{"one", {}, one}}));
    sane(line_chart_svg(std::vector<Series>{{"one", {}, one}}, {.log_x = true, .log_y = true}));
    const std::string empty = line_chart_svg(std::vector<Series>{{"none", {}, none}}, {.log_y = true});
    sane(empty);
    CHECK(empty.find(">0.0<") != std::string::npos);  // axes still get ticks: x over 0..1,
    CHECK(empty.find(">10<") != std::string::npos);   // log y over 1..10
    const std::vector<std::string> cats = {"a", "b", "c", "d", "e", "f"};
    sane(bar_chart_svg(cats, std::vector<BarSeries>{{"zero", zeros}}));
    sane(bar_chart_svg(cats, std::vector<BarSeries>{{"missing", nans}}));
}
