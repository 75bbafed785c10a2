// Tests of the safetensors reader and writer: the exact bytes of the format,
// round trips, every rejection with a handcrafted file, truncation, random
// corruption, and atomic saves.
#include "io/files.hpp"
#include "io/safetensors.hpp"

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <csignal>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace llm::safetensors;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------
// Helpers

std::string u64le(uint64_t v) {
    std::string out;
    for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
    return out;
}

// A file from its header text and `data_bytes` zero bytes of data.
std::string make_file(std::string_view header, std::size_t data_bytes = 0) {
    return u64le(header.size()) + std::string(header) + std::string(data_bytes, '\0');
}

std::vector<uint32_t> bits(const std::vector<float>& v) {
    std::vector<uint32_t> out;
    for (const float f : v) out.push_back(std::bit_cast<uint32_t>(f));
    return out;
}

// Equality of files, comparing floats bit for bit (NaN payloads, -0.0).
void require_same(const File& a, const File& b) {
    REQUIRE(a.metadata == b.metadata);
    REQUIRE(a.tensors.size() == b.tensors.size());
    for (const auto& [name, t] : a.tensors) {
        INFO("tensor " << name);
        REQUIRE(b.tensors.count(name) == 1);
        REQUIRE(t.shape == b.tensors.at(name).shape);
        REQUIRE(bits(t.data) == bits(b.tensors.at(name).data));
    }
}

std::vector<float> iota(std::size_t n) {
    std::vector<float> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<float>(i) * 0.25f - 1.0f;
    return v;
}

// A file exercising every feature: metadata with hard characters, a scalar,
// an empty tensor, several ranks.
File sample() {
    File f;
    f.metadata["vocab"] = "a\nb\n\"q\"\n\\\n\t\n\x01\x1f\x7f\né\n日本\n😀";
    f.metadata["config"] = R"({"d_model": 64, "name": "mini \"llm\""})";
    f.metadata[""] = "";
    f.tensors["scalar"] = {{}, {3.5f}};
    f.tensors["empty"] = {{0}, {}};
    f.tensors["empty2d"] = {{2, 0, 3}, {}};
    f.tensors["vec"] = {{3}, {1.0f, -2.0f, 3.0f}};
    f.tensors["cube"] = {{2, 3, 4}, iota(24)};
    f.tensors["special"] = {{8},
                            {-0.0f, std::numeric_limits<float>::denorm_min(),
                             std::numeric_limits<float>::min() / 3.0f, std::numeric_limits<float>::infinity(),
                             -std::numeric_limits<float>::infinity(), std::bit_cast<float>(uint32_t{0x7FC12345}),
                             std::bit_cast<float>(uint32_t{0xFF812345}), std::numeric_limits<float>::max()}};
    return f;
}

std::string message_of(std::string_view bytes) {
    try {
        parse(bytes, "t.safetensors");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(parsed without error)";
}

using llm::testing::TempDir;

// Runs `child` in a forked process and returns its exit status (-1 if it did
// not exit normally). The child never returns into Catch.
template <class F>
int in_child(F&& child) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int code = 99;
        try {
            code = child();
        } catch (...) {
        }
        ::_exit(code);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

// ---------------------------------------------------------------------------
// The format itself

TEST_CASE("safetensors: the exact bytes of a tiny file", "[safetensors]") {
    File f;
    f.metadata["k"] = "v";
    f.tensors["b"] = {{}, {0.5f}};
    f.tensors["a"] = {{2}, {1.0f, -2.0f}};
    // 132 bytes of JSON + 4 spaces = 136 = 0x88; then a = 1.0, -2.0; b = 0.5.
    const std::string expected =
        std::string("\x88\0\0\0\0\0\0\0", 8) +
        R"({"__metadata__":{"k":"v"},)"
        R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
        R"("b":{"dtype":"F32","shape":[],"data_offsets":[8,12]}})"
        "    " +
        std::string("\x00\x00\x80\x3f" "\x00\x00\x00\xc0" "\x00\x00\x00\x3f", 12);
    REQUIRE(serialize(f) == expected);
    require_same(parse(expected, "tiny"), f);
}

TEST_CASE("safetensors: metadata strings are escaped as JSON", "[safetensors]") {
    File f;
    f.metadata["m"] = "q\"b\\n\nt\tc\x01r\rf\f\bé日";
    const std::string bytes = serialize(f);
    REQUIRE_THAT(bytes, Contains(R"({"__metadata__":{"m":"q\"b\\n\nt\tc\u0001r\rf\f\bé日"}})"));
    REQUIRE(parse(bytes, "m").metadata == f.metadata);
}

TEST_CASE("safetensors: no metadata, no tensors", "[safetensors]") {
    const std::string bytes = serialize(File{});
    REQUIRE(bytes == u64le(8) + "{}      ");
    const File f = parse(bytes, "empty");
    REQUIRE(f.metadata.empty());
    REQUIRE(f.tensors.empty());
}

TEST_CASE("safetensors: the header is padded so that the data is 8-byte aligned", "[safetensors]") {
    File f;
    for (const char* name : {"a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh"}) {
        f.tensors[name] = {{1}, {1.0f}};
        const std::string bytes = serialize(f);
        const uint64_t n = static_cast<unsigned char>(bytes[0]) | (static_cast<unsigned char>(bytes[1]) << 8);
        REQUIRE(n % 8 == 0);
        REQUIRE(bytes.size() == 8 + n + 4 * f.tensors.size());
        require_same(parse(bytes, "pad"), f);
    }
}

TEST_CASE("safetensors: round trip, bit exact", "[safetensors]") {
    const File f = sample();
    const std::string bytes = serialize(f);
    const File g = parse(bytes, "sample");
    require_same(f, g);
    REQUIRE(serialize(g) == bytes);
    REQUIRE(std::signbit(g.tensors.at("special").data[0]));
    REQUIRE(g.tensors.at("scalar").shape.empty());
    REQUIRE(g.tensors.at("empty2d").shape == std::vector<int64_t>{2, 0, 3});
}

TEST_CASE("safetensors: serialize is deterministic, whatever the insertion order", "[safetensors]") {
    File a, b;
    a.tensors["x"] = {{1}, {1.0f}};
    a.tensors["y"] = {{1}, {2.0f}};
    b.tensors["y"] = {{1}, {2.0f}};
    b.tensors["x"] = {{1}, {1.0f}};
    REQUIRE(serialize(a) == serialize(b));
    REQUIRE(serialize(sample()) == serialize(sample()));
}

TEST_CASE("safetensors: files from other writers are read", "[safetensors]") {
    SECTION("Python-style spacing, keys in another order, data not in name order, metadata last") {
        const std::string header =
            "{\"b\": {\"shape\": [2], \"data_offsets\": [0, 8], \"dtype\": \"F32\"},\t\n"
            "\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]},\r\n"
            " \"__metadata__\": {\"format\": \"pt\"}}   ";
        std::string bytes = make_file(header);
        bytes += std::string("\x00\x00\x80\x3f" "\x00\x00\x00\xc0" "\x00\x00\x00\x3f", 12);
        const File f = parse(bytes, "py");
        REQUIRE(f.metadata.at("format") == "pt");
        REQUIRE(f.tensors.at("b").data == std::vector<float>{1.0f, -2.0f});
        REQUIRE(f.tensors.at("a").data == std::vector<float>{0.5f});
    }
    SECTION("unaligned data, escapes in names and metadata") {
        const std::string header =
            R"({"w\u00e9\/x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
            R"("__metadata__":{"k":"\u65e5\ud83d\ude00\"\\\b\f\n\r\t\u0000"}})";
        const File f = parse(make_file(header, 4), "esc");
        REQUIRE(f.tensors.count("wé/x") == 1);
        REQUIRE(f.metadata.at("k") == std::string("日😀\"\\\b\f\n\r\t\0", 15));
    }
    SECTION("empty tensors may sit anywhere in the tiling") {
        const std::string header =
            R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
            R"("e":{"dtype":"F32","shape":[0,5],"data_offsets":[4,4]},)"
            R"("z":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},)"
            R"("b":{"dtype":"F32","shape":[1,1],"data_offsets":[4,8]},)"
            R"("end":{"dtype":"F32","shape":[3,0],"data_offsets":[8,8]}})";
        const File f = parse(make_file(header, 8), "empties");
        REQUIRE(f.tensors.size() == 5);
        REQUIRE(f.tensors.at("e").data.empty());
    }
    SECTION("a 0 dimension makes any shape empty, even with huge other dimensions") {
        const File f = parse(
            make_file(R"({"e":{"dtype":"F32","shape":[4611686018427387904,4611686018427387904,0],"data_offsets":[0,0]}})"),
            "zero");
        REQUIRE(f.tensors.at("e").data.empty());
    }
}

// ---------------------------------------------------------------------------
// Rejections: each handcrafted file names its problem

TEST_CASE("safetensors: the length prefix is checked", "[safetensors]") {
    for (std::size_t n = 0; n < 8; ++n)
        REQUIRE(message_of(std::string(n, '\0')) ==
                "'t.safetensors': file is " + std::to_string(n) +
                    " bytes, too short for the 8-byte header length");
    REQUIRE(message_of(u64le(1000000000000) + std::string(4088, ' ')) ==
            "'t.safetensors': header length 1000000000000 is beyond the file size 4096");
    REQUIRE_THAT(message_of(u64le(~uint64_t{0}) + "{}"), Contains("header length 18446744073709551615 is beyond"));
    REQUIRE_THAT(message_of(u64le(3) + "{}"), Contains("beyond the file size 10"));
    REQUIRE_THAT(message_of(u64le(0)), Contains("header is not valid JSON at byte 0: expected a value"));
}

TEST_CASE("safetensors: headers beyond the 100 MiB limit are refused", "[safetensors]") {
    const std::string big = u64le(kMaxHeaderBytes + 1) + std::string(kMaxHeaderBytes + 1, ' ');
    REQUIRE_THAT(message_of(big), Contains("header length 104857601 exceeds the limit of 104857600 bytes"));
}

namespace {

struct Bad {
    const char* header;
    std::size_t data_bytes;
    const char* problem;
};

#define ENTRY(name, dtype, shape, offsets) \
    "\"" name "\":{\"dtype\":\"" dtype "\",\"shape\":" shape ",\"data_offsets\":" offsets "}"

const Bad kBadHeaders[] = {
    // dtypes
    {"{" ENTRY("w", "F16", "[2]", "[0,4]") "}", 4, "tensor 'w': dtype 'F16' is not supported (only F32)"},
    {"{" ENTRY("w", "BF16", "[2]", "[0,4]") "}", 4, "dtype 'BF16' is not supported"},
    {"{" ENTRY("w", "F64", "[2]", "[0,16]") "}", 16, "dtype 'F64' is not supported"},
    {"{" ENTRY("w", "I64", "[2]", "[0,16]") "}", 16, "dtype 'I64' is not supported"},
    {"{" ENTRY("w", "Q7", "[2]", "[0,8]") "}", 8, "tensor 'w': dtype 'Q7' is unknown"},
    {"{" ENTRY("w", "f32", "[2]", "[0,8]") "}", 8, "dtype 'f32' is unknown"},
    // sizes and layout
    {"{" ENTRY("w", "F32", "[3,4]", "[0,40]") "}", 40,
     "tensor 'w': data_offsets [0, 40] do not match shape [3, 4] × 4 bytes = 48"},
    {"{" ENTRY("w", "F32", "[]", "[0,8]") "}", 8, "do not match shape [] × 4 bytes = 4"},
    {"{" ENTRY("w", "F32", "[0]", "[0,4]") "}", 4, "do not match shape [0] × 4 bytes = 0"},
    {"{" ENTRY("a", "F32", "[3,4]", "[0,48]") "," ENTRY("b", "F32", "[5]", "[40,60]") "}", 60,
     "tensor 'b': data_offsets [40, 60] overlap 'a' ending at 48"},
    {"{" ENTRY("a", "F32", "[3,4]", "[0,48]") "," ENTRY("b", "F32", "[5]", "[52,72]") "}", 72,
     "tensor 'b': data_offsets [52, 72] leave a gap after 'a' ending at 48"},
    {"{" ENTRY("a", "F32", "[3,4]", "[0,48]") "," ENTRY("b", "F32", "[3,4]", "[0,48]") "}", 48,
     "tensor 'b': data_offsets [0, 48] overlap 'a' ending at 48"},
    {"{" ENTRY("a", "F32", "[3,4]", "[0,48]") "," ENTRY("z", "F32", "[0]", "[8,8]") "}", 48,
     "tensor 'z': data_offsets [8, 8] overlap 'a' ending at 48"},
    {"{" ENTRY("a", "F32", "[3,4]", "[4,52]") "}", 52,
     "tensor 'a': data_offsets [4, 52] leave a gap at the start of the data buffer"},
    {"{" ENTRY("w", "F32", "[30]", "[0,120]") "}", 96, "tensor 'w': data_offsets end 120 is beyond the data size 96"},
    {"{" ENTRY("w", "F32", "[3,4]", "[0,48]") "}", 56, "data buffer has 8 trailing bytes not covered by any tensor"},
    {"{}", 4, "data buffer has 4 trailing bytes not covered by any tensor"},
    {"{" ENTRY("w", "F32", "[2]", "[8,0]") "}", 8, "tensor 'w': data_offsets [8, 0] are reversed"},
    // shapes
    {"{" ENTRY("w", "F32", "[-1]", "[0,4]") "}", 4, "tensor 'w': shape dimension -1 is not a non-negative integer"},
    {"{" ENTRY("w", "F32", "[-0]", "[0,0]") "}", 0, "shape dimension -0 is not a non-negative integer"},
    {"{" ENTRY("w", "F32", "[2.0]", "[0,8]") "}", 8, "shape dimension 2.0 is not a non-negative integer"},
    {"{" ENTRY("w", "F32", "[1e3]", "[0,8]") "}", 8, "shape dimension 1e3 is not a non-negative integer"},
    {"{" ENTRY("w", "F32", "[9223372036854775808]", "[0,8]") "}", 8,
     "shape dimension 9223372036854775808 is too large"},
    {"{" ENTRY("w", "F32", "[99999999999999999999999]", "[0,8]") "}", 8,
     "shape dimension 99999999999999999999999 is too large"},
    {"{" ENTRY("w", "F32", "[1099511627776,1099511627776]", "[0,8]") "}", 8,
     "tensor 'w': shape [1099511627776, 1099511627776] × 4 bytes overflows 64 bits"},
    {"{" ENTRY("w", "F32", "[4611686018427387904]", "[0,0]") "}", 0, "× 4 bytes overflows 64 bits"},
    {"{" ENTRY("w", "F32", "[1,1,1,1,1,1,1,1,1,1,4611686018427387904]", "[0,0]") "}", 0,
     "shape [1, 1, 1, 1, 1, 1, 1, 1, ... (11 dimensions)] × 4 bytes overflows"},
    {"{" ENTRY("w", "F32", "[\"2\"]", "[0,8]") "}", 8, "tensor 'w': shape dimension must be a number, not a string"},
    {"{" ENTRY("w", "F32", "{}", "[0,8]") "}", 8, "tensor 'w': shape must be an array, not an object"},
    {"{" ENTRY("w", "F32", "null", "[0,8]") "}", 8, "tensor 'w': shape must be an array, not null"},
    // data_offsets
    {"{" ENTRY("w", "F32", "[1]", "[-4,0]") "}", 4, "data_offsets entry -4 is not a non-negative integer"},
    {"{" ENTRY("w", "F32", "[1]", "[0,4.0]") "}", 4, "data_offsets entry 4.0 is not a non-negative integer"},
    {"{" ENTRY("w", "F32", "[1]", "[0,18446744073709551616]") "}", 4,
     "data_offsets entry 18446744073709551616 is too large"},
    {"{" ENTRY("w", "F32", "[1]", "[0,4,8]") "}", 4, "tensor 'w': data_offsets must have 2 entries, not more"},
    {"{" ENTRY("w", "F32", "[1]", "[4]") "}", 4, "tensor 'w': data_offsets must have 2 entries, not 1"},
    {"{" ENTRY("w", "F32", "[1]", "[]") "}", 4, "data_offsets must have 2 entries, not 0"},
    {"{" ENTRY("w", "F32", "[1]", "true") "}", 4, "tensor 'w': data_offsets must be an array, not a boolean"},
    // entries
    {R"({"w":{"shape":[1],"data_offsets":[0,4]}})", 4, "tensor 'w': missing 'dtype'"},
    {R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", 4, "tensor 'w': missing 'shape'"},
    {R"({"w":{"dtype":"F32","shape":[1]}})", 4, "tensor 'w': missing 'data_offsets'"},
    {R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"foo":1}})", 4,
     "tensor 'w': unknown key 'foo' (expected dtype, shape, data_offsets)"},
    {R"({"w":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4, "duplicate key 'dtype' at byte 20"},
    {R"({"w":{"dtype":7,"shape":[1],"data_offsets":[0,4]}})", 4, "tensor 'w': dtype must be a string, not a number"},
    {R"({"w":"F32"})", 0, "tensor 'w' must be an object, not a string"},
    {R"({"w":[]})", 0, "tensor 'w' must be an object, not an array"},
    {R"({"":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}})", 0, "tensor name is empty"},
    {"{" ENTRY("a", "F32", "[1]", "[0,4]") "," ENTRY("a", "F32", "[1]", "[4,8]") "}", 8,
     "header has a duplicate key 'a' at byte 54"},
    {"{\"a\\nb\":1}", 0, "tensor 'a\\x0Ab' must be an object"},
    // metadata
    {R"({"__metadata__":[]})", 0, "__metadata__ must be an object, not an array"},
    {R"({"__metadata__":{"k":1}})", 0, "__metadata__ value for 'k' must be a string, not a number"},
    {R"({"__metadata__":{"k":{"x":"y"}}})", 0, "__metadata__ value for 'k' must be a string, not an object"},
    {R"({"__metadata__":{"k":"a","k":"b"}})", 0, "duplicate key 'k'"},
    {R"({"__metadata__":{},"__metadata__":{}})", 0, "duplicate key '__metadata__'"},
    // JSON syntax
    {R"({"a" {}})", 0, "header is not valid JSON at byte 5: expected ':', found '{'"},
    {R"([])", 0, "header must be an object, not an array"},
    {R"("x")", 0, "header must be an object, not a string"},
    {"", 0, "header is not valid JSON at byte 0: expected a value, found the end of the header"},
    {"        ", 0, "at byte 8: expected a value, found the end of the header"},
    {"{", 0, "at byte 1: expected '\"', found the end of the header"},
    {R"({"a":1,})", 0, "tensor 'a' must be an object, not a number"},
    {R"({"__metadata__":{"k":"v",}})", 0, "at byte 25: expected '\"', found '}'"},
    {R"({"__metadata__":{"k":"v"})", 0, "at byte 25: expected ',' or '}', found the end of the header"},
    {R"({"__metadata__":{"k":"v"}} x)", 0, "at byte 27: unexpected data after the header object, found 'x'"},
    {R"({}{})", 0, "unexpected data after the header object"},
    {R"({"__metadata__":{"k":"v})", 0, "at byte 24: unterminated string"},
    {R"({"__metadata__":{"k":"\x"}})", 0, "at byte 23: invalid escape, found 'x'"},
    {R"({"__metadata__":{"k":"\u12G4"}})", 0, "at byte 22: invalid \\u escape"},
    {R"({"__metadata__":{"k":"\u12"}})", 0, "invalid \\u escape"},
    {R"({"__metadata__":{"k":"\ud800"}})", 0, "at byte 22: unpaired high surrogate"},
    {R"({"__metadata__":{"k":"\ud800\u0041"}})", 0, "unpaired high surrogate"},
    {R"({"__metadata__":{"k":"\udc00"}})", 0, "unpaired low surrogate"},
    {"{\"__metadata__\":{\"k\":\"a\nb\"}}", 0, "at byte 23: control character \\x0A in a string must be escaped"},
    {"{\"__metadata__\":{\"k\":\"\xff\"}}", 0, "at byte 22: invalid UTF-8 in a string"},
    {"{\"__metadata__\":{\"k\":\"\xc0\xaf\"}}", 0, "invalid UTF-8"},          // overlong '/'
    {"{\"__metadata__\":{\"k\":\"\xed\xa0\x80\"}}", 0, "invalid UTF-8"},      // surrogate
    {"{\"__metadata__\":{\"k\":\"\xf4\x90\x80\x80\"}}", 0, "invalid UTF-8"},  // above U+10FFFF
    {"{\"__metadata__\":{\"k\":\"\xe6\x97\"}}", 0, "invalid UTF-8"},          // cut sequence
    {"{" ENTRY("w", "F32", "[01]", "[0,4]") "}", 4, "expected ',' or ']', found '1'"},
    {"{" ENTRY("w", "F32", "[1,]", "[0,4]") "}", 4, "expected a value, found ']'"},
    {"{" ENTRY("w", "F32", "[-]", "[0,4]") "}", 4, "invalid number, found ']'"},
    {"{" ENTRY("w", "F32", "[1.]", "[0,4]") "}", 4, "invalid number, found ']'"},
    {"{" ENTRY("w", "F32", "[1e]", "[0,4]") "}", 4, "invalid number, found ']'"},
    {"{" ENTRY("w", "F32", "[+1]", "[0,4]") "}", 4, "expected a value, found '+'"},
    {R"({"w":nul})", 0, "at byte 5: invalid literal"},
    {R"({"w":tru})", 0, "invalid literal"},
    {R"({"w":false})", 0, "tensor 'w' must be an object, not a boolean"},
    {R"({'w':1})", 0, "at byte 1: expected '\"', found '''"},
};

#undef ENTRY

}  // namespace

TEST_CASE("safetensors: every malformed header is refused with its problem named", "[safetensors]") {
    for (const Bad& bad : kBadHeaders) {
        const std::string header = bad.header;
        INFO("header: " << header);
        const std::string message = message_of(make_file(header, bad.data_bytes));
        CHECK_THAT(message, StartsWith("'t.safetensors': "));
        CHECK_THAT(message, Contains(bad.problem));
        CHECK(message.find('\n') == std::string::npos);
    }
}

TEST_CASE("safetensors: NUL bytes in a header", "[safetensors]") {
    const std::string header("{}\0\0\0\0\0\0", 8);
    REQUIRE_THAT(message_of(make_file(header)),
                 Contains("at byte 2: unexpected data after the header object, found byte \\x00"));
    const std::string name("{\"a\0b\":1}", 9);
    REQUIRE_THAT(message_of(make_file(name)), Contains("control character \\x00 in a string must be escaped"));
}

TEST_CASE("safetensors: hostile nesting is refused without recursion", "[safetensors]") {
    const std::size_t depth = 100000;
    const std::string deep = std::string(depth, '[') + std::string(depth, ']');
    REQUIRE_THAT(message_of(make_file(deep)), Contains("header must be an object, not an array"));
    REQUIRE_THAT(message_of(make_file(R"({"__metadata__":{"k":)" + deep + "}}")),
                 Contains("__metadata__ value for 'k' must be a string, not an array"));
    REQUIRE_THAT(message_of(make_file(R"({"w":{"dtype":"F32","shape":)" + deep + "}}")),
                 Contains("shape dimension must be a number, not an array"));
}

TEST_CASE("safetensors: long names and numbers are cut in messages", "[safetensors]") {
    const std::string name(5000, 'n');
    const std::string message = message_of(make_file("{\"" + name + "\":1}"));
    REQUIRE_THAT(message, Contains("tensor 'nnnnnnnn"));
    REQUIRE_THAT(message, Contains("...' must be an object"));
    REQUIRE(message.size() < 200);
    const std::string digits(5000, '7');
    const std::string m2 =
        message_of(make_file(R"({"w":{"dtype":"F32","shape":[)" + digits + R"(],"data_offsets":[0,4]}})", 4));
    REQUIRE_THAT(m2, Contains("77777... is too large"));
    REQUIRE(m2.size() < 200);
}

// ---------------------------------------------------------------------------
// Hostile bytes: truncation and corruption never crash

TEST_CASE("safetensors: every truncation of a valid file is refused", "[safetensors]") {
    const std::string bytes = serialize(sample());
    REQUIRE_NOTHROW(parse(bytes, "whole"));
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        INFO("prefix of " << n << " bytes");
        REQUIRE_THROWS_AS(parse(std::string_view(bytes).substr(0, n), "cut"), std::runtime_error);
    }
    REQUIRE_THROWS_WITH(parse(bytes + '\0', "long"), Contains("1 trailing bytes"));
}

TEST_CASE("safetensors: random corruption either parses or throws runtime_error", "[safetensors]") {
    const std::string valid = serialize(sample());
    const std::string alphabet = "{}[],:\"\\ 0123456789-+.eEuFf";
    std::mt19937 rng(20240601);
    const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    std::size_t parsed = 0, refused = 0;
    for (int round = 0; round < 4000; ++round) {
        std::string bytes = valid;
        const std::size_t edits = 1 + pick(4);
        for (std::size_t k = 0; k < edits && !bytes.empty(); ++k) {
            // Mostly inside the header, where the structure is.
            const std::size_t span = std::min<std::size_t>(bytes.size(), 400);
            const std::size_t at = pick(4) && span > 8 ? 8 + pick(span - 8) : pick(bytes.size());
            switch (pick(5)) {
                case 0: bytes[at] = static_cast<char>(bytes[at] ^ (1 << pick(8))); break;
                case 1: bytes[at] = static_cast<char>(pick(256)); break;
                case 2: bytes[at] = alphabet[pick(alphabet.size())]; break;
                case 3: bytes.erase(at, 1 + pick(3)); break;
                case 4: bytes.insert(at, 1, alphabet[pick(alphabet.size())]); break;
            }
        }
        try {
            const File f = parse(bytes, "fuzz");
            require_same(parse(serialize(f), "again"), f);  // whatever parses, round-trips
            ++parsed;
        } catch (const std::runtime_error& e) {
            const std::string message = e.what();
            INFO(message);
            REQUIRE_THAT(message, StartsWith("'fuzz': "));
            REQUIRE(message.find('\n') == std::string::npos);
            ++refused;
        }
    }
    INFO("parsed " << parsed << ", refused " << refused);
    REQUIRE(parsed > 100);
    REQUIRE(refused > 1000);
}

// ---------------------------------------------------------------------------
// The writer refuses what it could not read back

TEST_CASE("safetensors: serialize validates its input", "[safetensors]") {
    const auto refusal = [](const File& f) {
        try {
            serialize(f);
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("(serialized)");
    };
    File f;
    f.tensors["x"] = {{2, 3}, std::vector<float>(5)};
    REQUIRE(refusal(f) == "safetensors: tensor 'x': shape [2, 3] has 6 elements but data has 5");
    f.tensors["x"] = {{}, {}};
    REQUIRE_THAT(refusal(f), Contains("shape [] has 1 elements but data has 0"));
    f.tensors["x"] = {{2, -3}, std::vector<float>(6)};
    REQUIRE_THAT(refusal(f), Contains("tensor 'x': shape dimension -3 is negative"));
    f.tensors["x"] = {{int64_t{1} << 40, int64_t{1} << 40}, {}};
    REQUIRE_THAT(refusal(f), Contains("tensor 'x': shape [1099511627776, 1099511627776] × 4 bytes overflows 64 bits"));

    File g;
    g.tensors[""] = {{1}, {1.0f}};
    REQUIRE(refusal(g) == "safetensors: tensor name is empty");
    File h;
    h.tensors["__metadata__"] = {{1}, {1.0f}};
    REQUIRE_THAT(refusal(h), Contains("a tensor cannot be named '__metadata__'"));
    File i;
    i.tensors["bad\xff"] = {{1}, {1.0f}};
    REQUIRE_THAT(refusal(i), Contains("tensor 'bad\\xFF': name is not valid UTF-8"));
    File j;
    j.metadata["k"] = "\xc3";
    REQUIRE_THAT(refusal(j), Contains("metadata value for 'k' is not valid UTF-8"));
    File k;
    k.metadata["\xed\xa0\x80"] = "v";
    REQUIRE_THAT(refusal(k), Contains("metadata key '\\xED\\xA0\\x80' is not valid UTF-8"));
}

// ---------------------------------------------------------------------------
// Files: save is atomic, load names the file

TEST_CASE("safetensors: save and load", "[safetensors]") {
    TempDir dir;
    const std::string path = dir / "sub/model.safetensors";
    save(path, sample());
    require_same(load(path), sample());
    REQUIRE(llm::io::read_file(path) == serialize(sample()));

    File other;
    other.tensors["only"] = {{1}, {42.0f}};
    save(path, other);  // replaces the previous file
    require_same(load(path), other);
    REQUIRE(dir.count("sub") == 1);  // no temporary left behind

    REQUIRE_THROWS_WITH(load(dir / "missing.safetensors"), Contains("cannot read"));
    llm::io::write_file_atomic(dir / "bad.safetensors", "{}");
    REQUIRE_THROWS_WITH(load(dir / "bad.safetensors"),
                        "'" + (dir / "bad.safetensors") + "': file is 2 bytes, too short for the 8-byte header length");
}

TEST_CASE("safetensors: a failing save leaves the previous file byte-identical", "[safetensors]") {
    TempDir dir;
    const std::string path = dir / "model.safetensors";
    save(path, sample());
    const std::string before = llm::io::read_file(path);
    File big;
    big.tensors["w"] = {{4096}, iota(4096)};

    SECTION("the File is invalid: nothing is written") {
        File bad;
        bad.tensors["w"] = {{3}, {1.0f}};
        REQUIRE_THROWS_WITH(save(path, bad), "cannot save '" + path + "': tensor 'w': shape [3] has 3 elements but data has 1");
    }
    SECTION("the target is a directory") {
        const std::string sub = dir / "adir";
        fs::create_directory(sub);
        REQUIRE_THROWS_WITH(save(sub, big), Contains("cannot write '" + sub + "'"));
        REQUIRE(fs::is_directory(sub));
    }
    SECTION("the parent is a regular file") {
        REQUIRE_THROWS_WITH(save(path + "/x.safetensors", big), Contains("cannot"));
    }
    SECTION("a write fails midway (file size limit)") {
        const int status = in_child([&] {
            std::signal(SIGXFSZ, SIG_IGN);
            const rlimit limit{100, 100};
            if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return 10;
            try {
                save(path, big);
            } catch (const std::runtime_error& e) {
                return std::string(e.what()).find("cannot write '" + path + "'") != std::string::npos ? 0 : 11;
            }
            return 12;
        });
        REQUIRE(status == 0);
        REQUIRE(dir.count() == 1);  // the temporary file was removed
    }
    SECTION("the process is killed before the rename") {
        const int status = in_child([&] {
            ::setenv("LLM_FAULT_INJECT", "before_rename", 1);
            save(path, big);
            return 12;  // not reached if the fault injection works
        });
        REQUIRE(status == 3);
        for (const auto& entry : fs::directory_iterator(dir.path))
            if (entry.path().string() != path) fs::remove(entry.path());  // the orphan temporary
    }
    SECTION("the directory is not writable (skipped as root)") {
        if (::geteuid() == 0) {
            WARN("running as root: permissions do not stop writes, section skipped");
        } else {
            fs::permissions(dir.path, fs::perms::owner_write, fs::perm_options::remove);
            REQUIRE_THROWS_WITH(save(path, big), Contains("cannot write"));
            fs::permissions(dir.path, fs::perms::owner_write, fs::perm_options::add);
        }
    }
    REQUIRE(llm::io::read_file(path) == before);
    require_same(load(path), sample());
}
