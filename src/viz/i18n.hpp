#pragma once
// The lessons in French: a catalogue of translations keyed by the English
// text, in the spirit of gettext, compiled into each lesson program.
//
// The English stays in the code, where it reads best. Every line a lesson
// prints goes through the report layer (viz/report.hpp), and the report layer
// asks tr() for the text in the current language. English is the default and
// is never looked up.
//
// Keys. A printf-style format is its own key ("  every row sums to 1: %s\n"
// is looked up as it is, without the surrounding blanks). Any other text is
// looked up with its variable parts abstracted, so that one entry covers
// every run of it:
//   - numbers        (42, -0.957, 24,035,843, 1.2e-07, 6.5x keeps its x)
//   - 'quoted' text  (file names, flags, words from the data)
// each become {} in the key; the French entry has the same {} in the same
// order, and tr() puts the captured parts back, numbers in French format.
//   English line  : "largest weight 0.957 vs 0.249 in 'out/lesson1'"
//   its key       : "largest weight {} vs {} in {}"
//   French entry  : "poids le plus grand {} contre {} dans {}"
//   printed       : "poids le plus grand 0,957 contre 0,249 dans 'out/lesson1'"
//
// The French number format, applied to everything a learner reads in French
// (prose and tables): a decimal comma (0,957) and a no-break space (U+00A0)
// between groups of three digits (24 035 843). Machine-readable outputs (--predict's line) do
// not go through the report layer and keep the English format.
//
// Checks (tests/test_i18n.cpp): every entry keeps its key's placeholders
// ({} count; printf conversions in the same order); every message the lessons
// print in French has an entry (LLM_I18N_MISSING=FILE makes the programs
// append each key they could not find to FILE).
#include <span>
#include <string>
#include <string_view>

namespace llm::i18n {

enum class Lang { en, fr };

void set_language(Lang lang);
Lang language();
// "en" or "fr"; anything else throws std::invalid_argument naming the value.
Lang parse_language(std::string_view name);
// The language that "--lang X" or "--lang=X" names in a program's arguments;
// English when there is none or it names no language (the flag parser then
// reports it). Programs call it before parsing their other flags, so that a
// mistake in those is already reported in the learner's language.
Lang language_in(std::span<const std::string> args);

struct Entry {
    std::string_view en;    // the key: the English text, variable parts as {} (see above)
    std::string_view fr;    // the French text, the same placeholders in the same order
};
// Adds entries to the program's catalogue. Each lesson defines its catalogue
// as a static Catalogue object in lessons/fr/ (registered before main runs).
class Catalogue {
public:
    explicit Catalogue(std::span<const Entry> entries);
};
std::span<const Entry> all_entries();   // every entry registered, for the checks

// The text in the current language. A printf format (tr_format) is looked up
// as it is; other text (tr) with its numbers and 'quoted' parts abstracted.
// Untranslatable pieces (no letter outside placeholders) come back as they
// are; a missing entry gives the English text (and is logged, see above).
std::string tr(std::string_view english);
std::string tr_format(std::string_view format);

// The French number format applied to a whole text (no-op in English).
std::string localize_numbers(std::string_view text);

// The key of a text: numbers and 'quoted' parts replaced by {} (see above).
std::string key_of(std::string_view text);

// Placeholder problems of one entry, empty when it is fine: "{} count 2 vs 1",
// "printf conversions %s %d vs %d %s" (only for keys without {}: a key with {}
// is never a printf format). Used by the tests.
std::string placeholder_problem(const Entry& e);

}  // namespace llm::i18n
