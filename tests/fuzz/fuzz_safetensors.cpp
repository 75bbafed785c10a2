// libFuzzer harness for the safetensors reader.
//
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//       tests/fuzz/fuzz_safetensors.cpp src/io/safetensors.cpp src/io/files.cpp -o build/fuzz_safetensors
//   ./build/fuzz_safetensors -max_total_time=180 build/corpus-safetensors tests/fuzz/corpus_safetensors
//
// (The first directory receives the new inputs, the second is the seed corpus.)
//
// What counts as a bug: any crash or sanitizer report, any exception other
// than std::runtime_error from parse, and any input that parses but does not
// survive serialize -> parse -> serialize byte for byte.
#include "io/safetensors.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace llm::safetensors;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    File file;
    try {
        file = parse(bytes, "fuzz");
    } catch (const std::runtime_error&) {
        return 0;  // refused: the expected outcome for most inputs
    }
    // Accepted: the writer must take it and the reader must take that back.
    const std::string once = serialize(file);
    if (serialize(parse(once, "round trip")) != once) std::abort();
    return 0;
}
