// The French catalogue (src/viz/i18n.hpp): keys, the number format, the
// lookup, and the placeholder check over every entry of every lesson's
// catalogue (lessons/fr/*.cpp are linked into the test program).
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <string_view>

#include "viz/i18n.hpp"

using namespace llm;

namespace {

// Restores English whatever a test does.
struct French {
    French() { i18n::set_language(i18n::Lang::fr); }
    ~French() { i18n::set_language(i18n::Lang::en); }
};

constexpr i18n::Entry kTestEntries[] = {
    {"largest weight {} vs {} in {}", "poids le plus grand {} contre {} dans {}"},
    {"every row sums to 1: %s", "chaque ligne somme à 1 : %s"},
    {"[test] plain sentence.", "[test] phrase simple."},
};
const i18n::Catalogue kTestCatalogue{kTestEntries};

}  // namespace

TEST_CASE("i18n: a key abstracts numbers and 'quoted' parts, nothing else", "[i18n]") {
    CHECK(i18n::key_of("largest weight 0.957 vs -0.249 in 'out/lesson1'") == "largest weight {} vs {} in {}");
    CHECK(i18n::key_of("24,035,843 parameters, 1.2e-07, 6.5x") == "{} parameters, {}, {}x");
    CHECK(i18n::key_of("lesson1 uses W2 and d_k = 64") == "lesson1 uses W2 and d_k = {}");   // no number inside a word
    CHECK(i18n::key_of("the model's weights") == "the model's weights");                     // an apostrophe is no quote
    CHECK(i18n::key_of("shape [2, 6, 8]") == "shape [{}, {}, {}]");
    CHECK(i18n::key_of("1-2 and 3.") == "{}-{} and {}.");
}

TEST_CASE("i18n: French numbers have a decimal comma and no-break-spaced thousands; English is untouched", "[i18n]") {
    CHECK(i18n::localize_numbers("0.957 and 24,035,843") == "0.957 and 24,035,843");
    French fr;
    CHECK(i18n::localize_numbers("0.957 and 24,035,843 and 1.2e-07") == "0,957 and 24\u00a0035\u00a0843 and 1,2e-07");
    CHECK(i18n::localize_numbers("src/nn/model.hpp, [2, 6], 'v1.5'") == "src/nn/model.hpp, [2, 6], 'v1.5'");
}

TEST_CASE("i18n: tr finds the entry and puts the parts back, numbers in French", "[i18n]") {
    CHECK(i18n::tr("largest weight 0.957 vs 0.249 in 'a.b'") == "largest weight 0.957 vs 0.249 in 'a.b'");   // English
    French fr;
    CHECK(i18n::tr("largest weight 0.957 vs 1,024 in 'a.b'") == "poids le plus grand 0,957 contre 1\u00a0024 dans 'a.b'");
    CHECK(i18n::tr("\n  [test] plain sentence.\n") == "\n  [test] phrase simple.\n");          // blanks kept
    CHECK(i18n::tr_format("  every row sums to 1: %s\n") == "  chaque ligne somme à 1 : %s\n");
    CHECK(i18n::tr("[test] no entry for this") == "[test] no entry for this");                  // missing: English
    CHECK(i18n::tr("0.5 | 12") == "0,5 | 12");                                                  // no words: numbers only
}

TEST_CASE("i18n: the placeholder check catches a missing, extra or reordered placeholder", "[i18n]") {
    CHECK(i18n::placeholder_problem({"a {} b {}", "x {} y {}"}).empty());
    CHECK(i18n::placeholder_problem({"a %s b %.3f", "x %s y %.3f"}).empty());
    CHECK_FALSE(i18n::placeholder_problem({"a {} b {}", "x {} y"}).empty());          // missing
    CHECK_FALSE(i18n::placeholder_problem({"a {}", "x {} {}"}).empty());              // extra
    CHECK_FALSE(i18n::placeholder_problem({"a %s b %d", "x %d y %s"}).empty());       // reordered
    CHECK_FALSE(i18n::placeholder_problem({"a %.3f", "x %.2f"}).empty());             // changed
    CHECK(i18n::placeholder_problem({"{}% of the tokens", "{} % des jetons"}).empty());  // a tr key: % is prose
}

TEST_CASE("i18n: every entry of every catalogue keeps its placeholders", "[i18n]") {
    std::size_t n = 0;
    for (const i18n::Entry& e : i18n::all_entries()) {
        const std::string problem = i18n::placeholder_problem(e);
        INFO("entry: \"" << e.en << "\" -> \"" << e.fr << "\"");
        CHECK(problem == "");
        CHECK(!e.fr.empty());
        ++n;
    }
    CHECK(n > 3);   // the lessons' catalogues are linked in, not only this file's
}

TEST_CASE("i18n: a key is in one catalogue only, once", "[i18n]") {
    // Two entries for one key would make the French depend on link order:
    // a word that several lessons print lives in lessons/fr/common.cpp.
    std::map<std::string_view, std::size_t> seen;
    for (const i18n::Entry& e : i18n::all_entries()) ++seen[e.en];
    std::string twice;
    for (const auto& [key, n] : seen)
        if (n > 1) twice += "  \"" + std::string(key) + "\" (" + std::to_string(n) + " entries)\n";
    INFO("keys with more than one entry:\n" << twice);
    CHECK(twice.empty());
}
