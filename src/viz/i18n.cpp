#include "viz/i18n.hpp"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace llm::i18n {

namespace {

Lang current = Lang::en;

std::vector<std::span<const Entry>>& registered() {
    static std::vector<std::span<const Entry>> r;
    return r;
}

const std::unordered_map<std::string_view, std::string_view>& table() {
    static const auto map = [] {
        std::unordered_map<std::string_view, std::string_view> m;
        for (const auto& part : registered())
            for (const Entry& e : part) m.emplace(e.en, e.fr);
        return m;
    }();
    return map;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_word(char c) { return is_digit(c) || is_letter(c) || c == '_'; }

// The length of the number starting at s[i], or 0. A number does not start
// inside a word ("lesson1", "W2"); a '-' belongs to it after a blank or a
// bracket; ",ddd" groups are thousands; then an optional fraction and exponent.
std::size_t number_at(std::string_view s, std::size_t i) {
    const auto at = [&](std::size_t k) { return k < s.size() ? s[k] : '\0'; };
    std::size_t j = i;
    if (at(j) == '-' || at(j) == '+') {
        const char before = i == 0 ? ' ' : s[i - 1];
        if (!(before == ' ' || before == '(' || before == '[' || before == '=' || before == '\n')) return 0;
        ++j;
    }
    if (!is_digit(at(j))) return 0;
    if (i > 0 && (is_word(s[i - 1]) || s[i - 1] == '.')) return 0;
    while (is_digit(at(j))) ++j;
    while (at(j) == ',' && is_digit(at(j + 1)) && is_digit(at(j + 2)) && is_digit(at(j + 3)) && !is_digit(at(j + 4)))
        j += 4;
    if (at(j) == '.' && is_digit(at(j + 1))) {
        ++j;
        while (is_digit(at(j))) ++j;
    }
    if ((at(j) == 'e' || at(j) == 'E') && (is_digit(at(j + 1)) || ((at(j + 1) == '-' || at(j + 1) == '+') && is_digit(at(j + 2))))) {
        j += 2;
        while (is_digit(at(j))) ++j;
    }
    if (is_digit(at(j)) || at(j) == '_') return 0;
    return j - i;
}

// The length of the 'quoted' text starting at s[i] (quotes included), or 0.
std::size_t quote_at(std::string_view s, std::size_t i) {
    if (s[i] != '\'' || (i > 0 && is_word(s[i - 1]))) return 0;
    for (std::size_t j = i + 1; j < s.size() && s[j] != '\n'; ++j)
        if (s[j] == '\'' && (j + 1 == s.size() || !is_word(s[j + 1]))) return j > i + 1 ? j + 1 - i : 0;
    return 0;
}

// 24,035,843 -> "24 035 843" with no-break spaces (U+00A0): a number is never
// cut at the end of a line; 0.957 -> "0,957".
std::string french_number(std::string_view n) {
    std::string out;
    for (char c : n) {
        if (c == ',') out += "\u00a0";
        else out += c == '.' ? ',' : c;
    }
    return out;
}

struct Abstracted {
    std::string key;
    std::vector<std::pair<std::string, bool>> parts;   // (text, is a number)
};

Abstracted abstract(std::string_view s) {
    Abstracted a;
    for (std::size_t i = 0; i < s.size();) {
        if (const std::size_t n = number_at(s, i)) {
            a.parts.emplace_back(std::string(s.substr(i, n)), true);
            a.key += "{}";
            i += n;
        } else if (const std::size_t q = quote_at(s, i)) {
            a.parts.emplace_back(std::string(s.substr(i, q)), false);
            a.key += "{}";
            i += q;
        } else {
            a.key += s[i++];
        }
    }
    return a;
}

bool has_letter_outside_placeholders(std::string_view key) {
    for (std::size_t i = 0; i < key.size(); ++i) {
        if (key[i] == '%') {                               // skip a printf conversion
            ++i;
            while (i < key.size() && !is_letter(key[i]) && key[i] != '%') ++i;
            continue;
        }
        if (is_letter(key[i])) return true;
    }
    return false;
}

void log_missing(const std::string& key) {
    static std::mutex m;
    static std::set<std::string> seen;
    const char* path = std::getenv("LLM_I18N_MISSING");
    if (!path || !*path) return;
    std::lock_guard lock(m);
    if (!seen.insert(key).second) return;
    if (std::FILE* f = std::fopen(path, "a")) {
        for (char c : key) {
            if (c == '\n') std::fputs("\\n", f);
            else std::fputc(c, f);
        }
        std::fputc('\n', f);
        std::fclose(f);
    }
}

std::string_view strip(std::string_view s, std::string_view& lead, std::string_view& trail) {
    const std::size_t a = s.find_first_not_of(" \n");
    if (a == std::string_view::npos) {
        lead = s;
        trail = {};
        return {};
    }
    const std::size_t b = s.find_last_not_of(" \n") + 1;
    lead = s.substr(0, a);
    trail = s.substr(b);
    return s.substr(a, b - a);
}

// The printf conversions of a format, in order ("%s", "%.3f", ...).
std::vector<std::string> conversions(std::string_view f) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < f.size(); ++i) {
        if (f[i] != '%') continue;
        std::size_t j = i + 1;
        while (j < f.size() && std::string_view("-+ #0123456789.*lzh").find(f[j]) != std::string_view::npos) ++j;
        if (j < f.size() && std::string_view("sdiufFeEgGxXcp%").find(f[j]) != std::string_view::npos) {
            if (f[j] != '%') out.emplace_back(f.substr(i, j + 1 - i));
            i = j;
        }
    }
    return out;
}

std::size_t count_braces(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t p = s.find("{}"); p != std::string_view::npos; p = s.find("{}", p + 2)) ++n;
    return n;
}

}  // namespace

void set_language(Lang lang) { current = lang; }
Lang language() { return current; }

Lang parse_language(std::string_view name) {
    if (name == "en") return Lang::en;
    if (name == "fr") return Lang::fr;
    throw std::invalid_argument("--lang '" + std::string(name) + "' is not a language of the course (en, fr)");
}

Lang language_in(std::span<const std::string> args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view name;
        if (args[i] == "--lang" && i + 1 < args.size()) name = args[i + 1];
        else if (args[i].rfind("--lang=", 0) == 0) name = std::string_view(args[i]).substr(7);
        else continue;
        return name == "fr" ? Lang::fr : Lang::en;
    }
    return Lang::en;
}

Catalogue::Catalogue(std::span<const Entry> entries) { registered().push_back(entries); }

std::span<const Entry> all_entries() {
    static std::vector<Entry> all;
    if (all.empty())
        for (const auto& part : registered()) all.insert(all.end(), part.begin(), part.end());
    return all;
}

std::string key_of(std::string_view text) { return abstract(text).key; }

std::string localize_numbers(std::string_view text) {
    if (current == Lang::en) return std::string(text);
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (const std::size_t n = number_at(text, i)) {
            out += french_number(text.substr(i, n));
            i += n;
        } else if (const std::size_t q = quote_at(text, i)) {
            out += text.substr(i, q);                      // a quoted name keeps its digits
            i += q;
        } else {
            out += text[i++];
        }
    }
    return out;
}

std::string tr(std::string_view english) {
    if (current == Lang::en) return std::string(english);
    std::string_view lead, trail;
    const std::string_view core = strip(english, lead, trail);
    const Abstracted a = abstract(core);
    if (!has_letter_outside_placeholders(a.key)) return localize_numbers(english);
    const auto it = table().find(a.key);
    if (it == table().end()) {
        log_missing(a.key);
        return std::string(english);
    }
    std::string out(lead);
    std::size_t part = 0;
    const std::string_view fr = it->second;
    for (std::size_t i = 0; i < fr.size(); ++i) {
        if (fr.compare(i, 2, "{}") == 0 && part < a.parts.size()) {
            const auto& [text, is_number] = a.parts[part++];
            out += is_number ? french_number(text) : text;
            ++i;
        } else {
            out += fr[i];
        }
    }
    return out + std::string(trail);
}

std::string tr_format(std::string_view format) {
    if (current == Lang::en) return std::string(format);
    std::string_view lead, trail;
    const std::string_view core = strip(format, lead, trail);
    if (!has_letter_outside_placeholders(core)) return std::string(format);
    const auto it = table().find(core);
    if (it == table().end()) {
        log_missing(std::string(core));
        return std::string(format);
    }
    return std::string(lead) + std::string(it->second) + std::string(trail);
}

std::string placeholder_problem(const Entry& e) {
    const std::size_t a = count_braces(e.en), b = count_braces(e.fr);
    if (a != b) return "{} count " + std::to_string(a) + " in English vs " + std::to_string(b) + " in French";
    // A key with {} is looked up by tr() and never used as a printf format:
    // "{} % des jetons" is prose there, not a conversion.
    if (a > 0) return {};
    const auto ca = conversions(e.en), cb = conversions(e.fr);
    if (ca != cb) {
        std::string s = "printf conversions";
        for (const auto& c : ca) s += " " + c;
        s += " vs";
        for (const auto& c : cb) s += " " + c;
        return s;
    }
    return {};
}

}  // namespace llm::i18n
