#pragma once
// UTF-8 validation: the one copy the loaders, the safetensors reader, the
// figures and the tests share.
//
// Well-formed means Unicode's table 3-7: no overlong forms (0xC0, 0xC1, 0xE0
// followed by < 0xA0, 0xF0 followed by < 0x90), no UTF-16 surrogates (0xED
// followed by > 0x9F), no code point above U+10FFFF (0xF4 followed by > 0x8F,
// leads 0xF5..0xFF), no continuation byte without its lead, no cut sequence.
#include <cstddef>
#include <string>
#include <string_view>

namespace llm::utf8 {

// Length (1..4) of the well-formed sequence starting at s[i], or 0 when there
// is none. i must be < s.size().
inline std::size_t sequence_length(std::string_view s, std::size_t i) {
    const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = at(i);
    if (lead < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;   // the allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        n = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        n = 3;
        if (lead == 0xE0) lo = 0xA0;      // overlong
        if (lead == 0xED) hi = 0x9F;      // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        n = 4;
        if (lead == 0xF0) lo = 0x90;      // overlong
        if (lead == 0xF4) hi = 0x8F;      // above U+10FFFF
    } else {
        return 0;
    }
    if (s.size() - i < n) return 0;
    if (at(i + 1) < lo || at(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if ((at(i + k) & 0xC0) != 0x80) return 0;
    return n;
}

// Byte offset of the first byte that does not start a well-formed sequence,
// or std::string_view::npos when all of s is valid.
inline std::size_t find_invalid(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = sequence_length(s, i);
        if (n == 0) return i;
        i += n;
    }
    return std::string_view::npos;
}

inline bool valid(std::string_view s) { return find_invalid(s) == std::string_view::npos; }

}  // namespace llm::utf8
