#include "io/safetensors.hpp"

#include "io/files.hpp"
#include "io/utf8.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <tuple>

namespace llm::safetensors {
namespace {

constexpr std::size_t kLengthBytes = 8;   // the u64 header length in front
constexpr uint64_t kF32Bytes = 4;
constexpr std::size_t kShownBytes = 60;   // longest file text quoted in a message
constexpr std::size_t kShownDims = 8;     // most dimensions shown in a message

// ---------------------------------------------------------------------------
// UTF-8 (validation: io/utf8.hpp)

unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

void append_utf8(std::string& out, uint32_t cp) {
    const auto put = [&](uint32_t b) { out += static_cast<char>(b); };
    if (cp < 0x80) {
        put(cp);
    } else if (cp < 0x800) {
        put(0xC0 | (cp >> 6));
        put(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        put(0xE0 | (cp >> 12));
        put(0x80 | ((cp >> 6) & 0x3F));
        put(0x80 | (cp & 0x3F));
    } else {
        put(0xF0 | (cp >> 18));
        put(0x80 | ((cp >> 12) & 0x3F));
        put(0x80 | ((cp >> 6) & 0x3F));
        put(0x80 | (cp & 0x3F));
    }
}

// ---------------------------------------------------------------------------
// Messages: one line each, whatever the file contains

std::string hex_byte(unsigned c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02X", c & 0xFFu);
    return buf;
}

// `text` in single quotes, fit for a one-line message: control characters,
// backslashes and (when `text` is not valid UTF-8) non-ASCII bytes become
// \xNN; long text is cut after kShownBytes, never inside a UTF-8 sequence.
std::string quote(std::string_view text) {
    const bool utf8 = utf8::valid(text);
    std::string out = "'";
    std::size_t i = 0;
    for (; i < text.size(); ++i) {
        const unsigned c = byte_at(text, i);
        const bool continuation = utf8 && (c & 0xC0) == 0x80;
        if (out.size() > kShownBytes && !continuation) break;
        if (c < 0x20 || c == 0x7F || c == '\\' || (c >= 0x80 && !utf8))
            out += hex_byte(c);
        else
            out += static_cast<char>(c);
    }
    if (i < text.size()) out += "...";
    return out + "'";
}

// A number token from the file (ASCII by construction), cut if very long.
std::string clip(std::string_view token) {
    if (token.size() <= kShownBytes) return std::string(token);
    return std::string(token.substr(0, kShownBytes)) + "...";
}

std::string show_shape(std::span<const int64_t> shape) {
    std::string out = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) out += ", ";
        if (i == kShownDims) {
            out += "... (" + std::to_string(shape.size()) + " dimensions)";
            break;
        }
        out += std::to_string(shape[i]);
    }
    return out + "]";
}

std::string show_range(uint64_t begin, uint64_t end) {
    std::string out = "[";  // appended piece by piece: g++ 12 -O3 warns falsely (-Wrestrict) on "[" + ...
    out += std::to_string(begin);
    out += ", ";
    out += std::to_string(end);
    out += ']';
    return out;
}

[[noreturn]] void fail(const std::string& what, const std::string& problem) {
    throw std::runtime_error("'" + what + "': " + problem);
}

// ---------------------------------------------------------------------------
// Sizes: overflow-checked

// Bytes of an F32 tensor of this shape; nullopt if a dimension is negative or
// the size does not fit in 64 bits. Any zero dimension makes the size 0.
std::optional<uint64_t> f32_bytes(std::span<const int64_t> shape) {
    if (std::any_of(shape.begin(), shape.end(), [](int64_t d) { return d < 0; })) return std::nullopt;
    if (std::find(shape.begin(), shape.end(), 0) != shape.end()) return 0;
    uint64_t bytes = kF32Bytes;
    for (const int64_t d : shape)
        if (__builtin_mul_overflow(bytes, static_cast<uint64_t>(d), &bytes)) return std::nullopt;
    return bytes;
}

bool is_plain_integer(std::string_view token) {
    return !token.empty() && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Value of a string of decimal digits; nullopt if it exceeds 2^64 - 1.
std::optional<uint64_t> parse_u64(std::string_view digits) {
    uint64_t v = 0;
    for (const char c : digits) {
        if (__builtin_mul_overflow(v, uint64_t{10}, &v)) return std::nullopt;
        if (__builtin_add_overflow(v, static_cast<uint64_t>(c - '0'), &v)) return std::nullopt;
    }
    return v;
}

// ---------------------------------------------------------------------------
// Little-endian bytes

uint64_t load_u64(std::string_view bytes) {
    uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) v |= uint64_t{byte_at(bytes, i)} << (8 * i);
    return v;
}

float load_f32(const char* p) {
    uint32_t u = 0;
    for (std::size_t i = 0; i < 4; ++i) u |= uint32_t{static_cast<unsigned char>(p[i])} << (8 * i);
    return std::bit_cast<float>(u);
}

void append_u64(std::string& out, uint64_t v) {
    for (std::size_t i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

void append_f32(std::string& out, float f) {
    const auto u = std::bit_cast<uint32_t>(f);
    for (std::size_t i = 0; i < 4; ++i) out += static_cast<char>((u >> (8 * i)) & 0xFF);
}

// ---------------------------------------------------------------------------
// JSON reading
//
// A cursor over the header text with the few primitives the schema needs.
// It never recurses: the schema bounds nesting to three levels (header
// object, tensor object, shape array), and a value of the wrong kind is
// refused from its first character, before anything nested in it is read.
// So hostile nesting ("[[[[...") costs neither stack nor memory.

enum class Kind { Object, Array, String, Number, Boolean, Null };

const char* with_article(Kind k) {
    switch (k) {
        case Kind::Object: return "an object";
        case Kind::Array: return "an array";
        case Kind::String: return "a string";
        case Kind::Number: return "a number";
        case Kind::Boolean: return "a boolean";
        case Kind::Null: return "null";
    }
    return "?";
}

class JsonCursor {
public:
    JsonCursor(std::string_view text, const std::string& what) : text_(text), what_(what) {}

    // Kind of the value starting at the next non-space byte.
    Kind peek_kind() {
        skip_space();
        switch (peek()) {
            case '{': return Kind::Object;
            case '[': return Kind::Array;
            case '"': return Kind::String;
            case 't': return literal("true", Kind::Boolean);
            case 'f': return literal("false", Kind::Boolean);
            case 'n': return literal("null", Kind::Null);
            default: break;
        }
        if (peek() == '-' || is_digit(peek())) return Kind::Number;
        syntax("expected a value");
    }

    std::string string() {
        expect('"');
        std::string out;
        for (;;) {
            if (at_end()) syntax("unterminated string");
            const unsigned c = byte_at(text_, pos_);
            if (c == '"') break;
            if (c == '\\') {
                escape(out);
            } else if (c < 0x20) {
                syntax("control character " + hex_byte(c) + " in a string must be escaped");
            } else {
                const std::size_t n = utf8::sequence_length(text_, pos_);
                if (n == 0) syntax("invalid UTF-8 in a string");
                out.append(text_.substr(pos_, n));
                pos_ += n;
            }
        }
        ++pos_;
        return out;
    }

    // The text of a number (RFC 8259 grammar: -?int frac? exp?).
    std::string_view number() {
        skip_space();
        const std::size_t start = pos_;
        if (peek() == '-') ++pos_;
        if (peek() == '0') {
            ++pos_;
        } else {
            digits();
        }
        if (peek() == '.') {
            ++pos_;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            ++pos_;
            if (peek() == '+' || peek() == '-') ++pos_;
            digits();
        }
        return text_.substr(start, pos_ - start);
    }

    // Calls member(key) for each member; it must consume the member's value.
    // Duplicate keys are refused (the format forbids them).
    template <class F>
    void object(F&& member) {
        expect('{');
        if (accept('}')) return;
        std::set<std::string> seen;
        do {
            skip_space();
            const std::size_t at = pos_;
            const std::string key = string();
            if (!seen.insert(key).second)
                fail(what_, "header has a duplicate key " + quote(key) + " at byte " + std::to_string(at));
            expect(':');
            member(key);
        } while (accept(','));
        expect('}', "expected ',' or '}'");
    }

    // Calls element() for each element; it must consume the element.
    template <class F>
    void array(F&& element) {
        expect('[');
        if (accept(']')) return;
        do element();
        while (accept(','));
        expect(']', "expected ',' or ']'");
    }

    // After the top-level value only whitespace (the padding) may follow.
    void finish() {
        skip_space();
        if (!at_end()) syntax("unexpected data after the header object");
    }

private:
    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }
    static bool is_digit(char c) { return c >= '0' && c <= '9'; }

    void skip_space() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
    }

    bool accept(char c) {
        skip_space();
        if (peek() != c || at_end()) return false;
        ++pos_;
        return true;
    }

    void expect(char c, const char* message = nullptr) {
        if (accept(c)) return;
        syntax(message ? message : std::string("expected '") + c + "'");
    }

    void digits() {
        if (!is_digit(peek())) syntax("invalid number");
        while (is_digit(peek())) ++pos_;
    }

    Kind literal(std::string_view word, Kind kind) {
        if (text_.substr(pos_, word.size()) != word) syntax("invalid literal");
        return kind;
    }

    // After a backslash inside a string.
    void escape(std::string& out) {
        const std::size_t at = pos_++;
        if (at_end()) syntax("unterminated string");
        const char c = text_[pos_++];
        switch (c) {
            case '"': out += '"'; return;
            case '\\': out += '\\'; return;
            case '/': out += '/'; return;
            case 'b': out += '\b'; return;
            case 'f': out += '\f'; return;
            case 'n': out += '\n'; return;
            case 'r': out += '\r'; return;
            case 't': out += '\t'; return;
            case 'u': append_utf8(out, code_point(at)); return;
            default: pos_ = at + 1; syntax("invalid escape");
        }
    }

    // After "\u": one code point, from a surrogate pair if need be.
    uint32_t code_point(std::size_t at) {
        const uint32_t first = hex4(at);
        if (first >= 0xDC00 && first <= 0xDFFF) syntax_at(at, "unpaired low surrogate");
        if (first < 0xD800 || first > 0xDBFF) return first;
        if (text_.substr(pos_, 2) != "\\u") syntax_at(at, "unpaired high surrogate");
        pos_ += 2;
        const uint32_t second = hex4(at);
        if (second < 0xDC00 || second > 0xDFFF) syntax_at(at, "unpaired high surrogate");
        return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
    }

    uint32_t hex4(std::size_t at) {
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = peek();
            uint32_t d = 0;
            if (c >= '0' && c <= '9') d = static_cast<uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') d = static_cast<uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') d = static_cast<uint32_t>(c - 'A' + 10);
            else syntax_at(at, "invalid \\u escape");
            v = v * 16 + d;
            ++pos_;
        }
        return v;
    }

    std::string found() const {
        if (at_end()) return "found the end of the header";
        const unsigned c = byte_at(text_, pos_);
        if (c < 0x20 || c >= 0x7F || c == '\\') return "found byte " + hex_byte(c);
        return std::string("found '") + static_cast<char>(c) + "'";
    }

    [[noreturn]] void syntax(const std::string& problem) const { syntax_at(pos_, problem + ", " + found()); }

    [[noreturn]] void syntax_at(std::size_t at, const std::string& problem) const {
        fail(what_, "header is not valid JSON at byte " + std::to_string(at) + ": " + problem);
    }

    std::string_view text_;
    const std::string& what_;
    std::size_t pos_ = 0;
};

// ---------------------------------------------------------------------------
// dtypes

enum class Dtype { F32, Unsupported, Unknown };

Dtype classify(std::string_view name) {
    static constexpr std::string_view kOthers[] = {
        "BOOL", "U8",  "I8",  "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4",  "I16",
        "U16",  "F16", "BF16", "I32",    "U32",     "F64",     "I64",     "U64",     "C64",
    };
    if (name == "F32") return Dtype::F32;
    if (std::find(std::begin(kOthers), std::end(kOthers), name) != std::end(kOthers)) return Dtype::Unsupported;
    return Dtype::Unknown;
}

// ---------------------------------------------------------------------------
// Header: JSON -> entries, each checked on its own

struct Entry {
    std::string name;
    std::vector<int64_t> shape;
    uint64_t begin = 0;
    uint64_t end = 0;
};

struct Header {
    std::map<std::string, std::string> metadata;
    std::vector<Entry> entries;
};

class HeaderReader {
public:
    HeaderReader(std::string_view text, uint64_t data_size, const std::string& what)
        : json_(text, what), data_size_(data_size), what_(what) {}

    Header read() {
        Header h;
        require(Kind::Object, "header");
        json_.object([&](const std::string& key) {
            if (key == "__metadata__") {
                h.metadata = read_metadata();
            } else {
                h.entries.push_back(read_entry(key));
            }
        });
        json_.finish();
        return h;
    }

private:
    void require(Kind want, const std::string& subject) {
        const Kind got = json_.peek_kind();
        if (got != want)
            fail(what_, subject + " must be " + with_article(want) + ", not " + with_article(got));
    }

    std::map<std::string, std::string> read_metadata() {
        std::map<std::string, std::string> metadata;
        require(Kind::Object, "__metadata__");
        json_.object([&](const std::string& key) {
            require(Kind::String, "__metadata__ value for " + quote(key));
            metadata.emplace(key, json_.string());
        });
        return metadata;
    }

    Entry read_entry(const std::string& name) {
        if (name.empty()) fail(what_, "tensor name is empty");
        const std::string who = "tensor " + quote(name);
        require(Kind::Object, who);
        Entry e{name, {}, 0, 0};
        bool has_dtype = false, has_shape = false, has_offsets = false;
        json_.object([&](const std::string& key) {
            if (key == "dtype") {
                read_dtype(who);
                has_dtype = true;
            } else if (key == "shape") {
                e.shape = read_shape(who);
                has_shape = true;
            } else if (key == "data_offsets") {
                read_offsets(who, e);
                has_offsets = true;
            } else {
                fail(what_, who + ": unknown key " + quote(key) + " (expected dtype, shape, data_offsets)");
            }
        });
        if (!has_dtype) fail(what_, who + ": missing 'dtype'");
        if (!has_shape) fail(what_, who + ": missing 'shape'");
        if (!has_offsets) fail(what_, who + ": missing 'data_offsets'");
        check_entry(e, who);
        return e;
    }

    void read_dtype(const std::string& who) {
        require(Kind::String, who + ": dtype");
        const std::string dtype = json_.string();
        switch (classify(dtype)) {
            case Dtype::F32: return;
            case Dtype::Unsupported: fail(what_, who + ": dtype " + quote(dtype) + " is not supported (only F32)");
            case Dtype::Unknown: fail(what_, who + ": dtype " + quote(dtype) + " is unknown");
        }
    }

    // A JSON number that must be a non-negative integer of at most `max`.
    uint64_t read_count(const std::string& subject, uint64_t max) {
        require(Kind::Number, subject);
        const std::string_view token = json_.number();
        if (!is_plain_integer(token)) fail(what_, subject + " " + clip(token) + " is not a non-negative integer");
        const std::optional<uint64_t> v = parse_u64(token);
        if (!v || *v > max) fail(what_, subject + " " + clip(token) + " is too large");
        return *v;
    }

    std::vector<int64_t> read_shape(const std::string& who) {
        require(Kind::Array, who + ": shape");
        std::vector<int64_t> shape;
        json_.array([&] {
            const uint64_t d = read_count(who + ": shape dimension", std::numeric_limits<int64_t>::max());
            shape.push_back(static_cast<int64_t>(d));
        });
        return shape;
    }

    void read_offsets(const std::string& who, Entry& e) {
        require(Kind::Array, who + ": data_offsets");
        uint64_t v[2] = {0, 0};
        std::size_t n = 0;
        json_.array([&] {
            const uint64_t x = read_count(who + ": data_offsets entry", std::numeric_limits<uint64_t>::max());
            if (n == 2) fail(what_, who + ": data_offsets must have 2 entries, not more");
            v[n++] = x;
        });
        if (n != 2) fail(what_, who + ": data_offsets must have 2 entries, not " + std::to_string(n));
        e.begin = v[0];
        e.end = v[1];
    }

    void check_entry(const Entry& e, const std::string& who) const {
        const std::string range = show_range(e.begin, e.end);
        const std::optional<uint64_t> bytes = f32_bytes(e.shape);
        if (!bytes) fail(what_, who + ": shape " + show_shape(e.shape) + " × 4 bytes overflows 64 bits");
        if (e.end < e.begin) fail(what_, who + ": data_offsets " + range + " are reversed");
        if (e.end - e.begin != *bytes)
            fail(what_, who + ": data_offsets " + range + " do not match shape " + show_shape(e.shape) +
                            " × 4 bytes = " + std::to_string(*bytes));
        if (e.end > data_size_)
            fail(what_, who + ": data_offsets end " + std::to_string(e.end) + " is beyond the data size " +
                            std::to_string(data_size_));
    }

    JsonCursor json_;
    uint64_t data_size_;
    const std::string& what_;
};

// ---------------------------------------------------------------------------
// Layout: the ranges tile the data buffer exactly

void check_layout(const std::vector<Entry>& entries, uint64_t data_size, const std::string& what) {
    std::vector<const Entry*> order;
    for (const Entry& e : entries) order.push_back(&e);
    std::sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
        return std::tie(a->begin, a->end, a->name) < std::tie(b->begin, b->end, b->name);
    });
    uint64_t covered = 0;  // the ranges so far cover [0, covered)
    const Entry* previous = nullptr;
    for (const Entry* e : order) {
        if (e->begin != covered) {
            const std::string who = "tensor " + quote(e->name) + ": data_offsets " + show_range(e->begin, e->end);
            if (!previous) fail(what, who + " leave a gap at the start of the data buffer");
            const std::string after = quote(previous->name) + " ending at " + std::to_string(covered);
            if (e->begin < covered) fail(what, who + " overlap " + after);
            fail(what, who + " leave a gap after " + after);
        }
        covered = e->end;
        previous = e;
    }
    if (covered != data_size)
        fail(what, "data buffer has " + std::to_string(data_size - covered) +
                       " trailing bytes not covered by any tensor");
}

Tensor decode(const Entry& e, std::string_view data) {
    Tensor t{e.shape, {}};
    t.data.resize((e.end - e.begin) / kF32Bytes);
    const char* p = data.data() + e.begin;
    for (std::size_t i = 0; i < t.data.size(); ++i) t.data[i] = load_f32(p + kF32Bytes * i);
    return t;
}

// ---------------------------------------------------------------------------
// Writing

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += ch;  // UTF-8 passes through unchanged
                }
        }
    }
    out += '"';
}

// Serialisation with `context` ("safetensors" or "cannot save 'PATH'") in front of every message.
class Writer {
public:
    explicit Writer(std::string context) : context_(std::move(context)) {}

    std::string run(const File& file) const {
        std::string header = "{";
        append_metadata(header, file.metadata);
        uint64_t offset = 0;
        for (const auto& [name, tensor] : file.tensors) {
            const uint64_t bytes = checked_bytes(name, tensor);
            if (header.size() > 1) header += ',';
            append_entry(header, name, tensor.shape, offset, offset + bytes);
            offset += bytes;
        }
        header += '}';
        header.append((8 - header.size() % 8) % 8, ' ');
        if (header.size() > kMaxHeaderBytes) refuse("header is " + std::to_string(header.size()) + " bytes, beyond the limit");

        std::string out;
        out.reserve(kLengthBytes + header.size() + offset);
        append_u64(out, header.size());
        out += header;
        for (const auto& entry : file.tensors)
            for (const float v : entry.second.data) append_f32(out, v);
        return out;
    }

private:
    [[noreturn]] void refuse(const std::string& problem) const {
        throw std::runtime_error(context_ + ": " + problem);
    }

    void append_metadata(std::string& header, const std::map<std::string, std::string>& metadata) const {
        if (metadata.empty()) return;
        header += "\"__metadata__\":{";
        bool first = true;
        for (const auto& [key, value] : metadata) {
            if (!utf8::valid(key)) refuse("metadata key " + quote(key) + " is not valid UTF-8");
            if (!utf8::valid(value)) refuse("metadata value for " + quote(key) + " is not valid UTF-8");
            if (!first) header += ',';
            first = false;
            append_json_string(header, key);
            header += ':';
            append_json_string(header, value);
        }
        header += '}';
    }

    uint64_t checked_bytes(const std::string& name, const Tensor& t) const {
        const std::string who = "tensor " + quote(name);
        if (name.empty()) refuse("tensor name is empty");
        if (name == "__metadata__") refuse("a tensor cannot be named '__metadata__'");
        if (!utf8::valid(name)) refuse(who + ": name is not valid UTF-8");
        for (const int64_t d : t.shape)
            if (d < 0) refuse(who + ": shape dimension " + std::to_string(d) + " is negative");
        const std::optional<uint64_t> bytes = f32_bytes(t.shape);
        if (!bytes) refuse(who + ": shape " + show_shape(t.shape) + " × 4 bytes overflows 64 bits");
        if (*bytes / kF32Bytes != t.data.size())
            refuse(who + ": shape " + show_shape(t.shape) + " has " + std::to_string(*bytes / kF32Bytes) +
                   " elements but data has " + std::to_string(t.data.size()));
        return *bytes;
    }

    static void append_entry(std::string& header, const std::string& name, const std::vector<int64_t>& shape,
                             uint64_t begin, uint64_t end) {
        append_json_string(header, name);
        header += ":{\"dtype\":\"F32\",\"shape\":[";
        for (std::size_t i = 0; i < shape.size(); ++i) {
            if (i > 0) header += ',';
            header += std::to_string(shape[i]);
        }
        header += "],\"data_offsets\":[" + std::to_string(begin) + "," + std::to_string(end) + "]}";
    }

    std::string context_;
};

}  // namespace

// ---------------------------------------------------------------------------
// API

std::string serialize(const File& file) { return Writer("safetensors").run(file); }

File parse(std::string_view bytes, const std::string& what) {
    if (bytes.size() < kLengthBytes)
        fail(what, "file is " + std::to_string(bytes.size()) + " bytes, too short for the 8-byte header length");
    const uint64_t n = load_u64(bytes);
    const uint64_t room = bytes.size() - kLengthBytes;
    if (n > room)
        fail(what, "header length " + std::to_string(n) + " is beyond the file size " + std::to_string(bytes.size()));
    if (n > kMaxHeaderBytes)
        fail(what, "header length " + std::to_string(n) + " exceeds the limit of " + std::to_string(kMaxHeaderBytes) +
                       " bytes");
    const std::string_view header = bytes.substr(kLengthBytes, n);
    const std::string_view data = bytes.substr(kLengthBytes + n);

    Header h = HeaderReader(header, data.size(), what).read();
    check_layout(h.entries, data.size(), what);

    File file;
    file.metadata = std::move(h.metadata);
    for (const Entry& e : h.entries) file.tensors.emplace(e.name, decode(e, data));
    return file;
}

void save(const std::string& path, const File& file) {
    const std::string bytes = Writer("cannot save '" + path + "'").run(file);
    io::write_file_atomic(path, bytes);
}

File load(const std::string& path) { return parse(io::read_file(path), path); }

}  // namespace llm::safetensors
