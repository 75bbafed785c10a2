#pragma once
// safetensors: the file format of trained models and of the PyTorch golden files.
//
//   offset 0        8                    8+N                              end
//          +--------+--------------------+---------------------------------+
//          |   N    |  header: N bytes   |  data buffer: little-endian     |
//          | u64 LE |  UTF-8 JSON object |  tensor bytes, back to back     |
//          +--------+--------------------+---------------------------------+
//
// The header maps each tensor name to its description, plus an optional
// "__metadata__" object of string -> string:
//
//   {"__metadata__":{"vocab":"a\nb"},
//    "w":{"dtype":"F32","shape":[3,4],"data_offsets":[0,48]}}
//
// data_offsets [begin, end) are relative to the first byte of the data buffer.
// Taken together the ranges must tile the buffer exactly: sorted by begin
// they start at 0, each begins where the previous one ended, the last ends
// at the end of the file. The header may end with spaces so that the data
// starts at a multiple of 8.
//
// This module stores F32 tensors only. Other dtypes (F16, BF16, F64, I64, ...)
// are recognised by name and refused as unsupported. Shape [] is a scalar
// (1 element, 4 bytes); a shape with a 0 dimension is an empty tensor whose
// range is empty (begin == end). Both are allowed, as in the reference
// implementation.
//
// Reading treats the bytes as hostile: every length and offset is checked
// before use, arithmetic is overflow-checked, no allocation exceeds a small
// multiple of the input size, and every problem is a std::runtime_error with
// one line "'FILE': PROBLEM". JSON byte positions in messages count from the
// first byte of the header.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace llm::safetensors {

struct Tensor {
    std::vector<int64_t> shape;  // row-major; [] is a scalar
    std::vector<float> data;     // product(shape) values
};

struct File {
    std::map<std::string, std::string> metadata;  // the "__metadata__" object
    std::map<std::string, Tensor> tensors;        // sorted by name: deterministic bytes
};

// Largest header accepted by parse (the reference implementation's limit).
inline constexpr uint64_t kMaxHeaderBytes = 100u << 20;

// The file's bytes. Deterministic: tensors in name order, compact JSON with
// keys in a fixed order, no "__metadata__" key when metadata is empty.
// Throws std::runtime_error("safetensors: tensor 'x': ...") when a name is
// empty or "__metadata__", a shape does not match its data, or a string is
// not valid UTF-8.
std::string serialize(const File& file);

// Parses the bytes of a file; `what` names it in messages. Pure function of
// its input (a fuzzing entry point). Throws std::runtime_error.
File parse(std::string_view bytes, const std::string& what);

// serialize + llm::io::write_file_atomic: `path` is either the old file or the
// complete new one, never a mix. Throws std::runtime_error naming `path`.
void save(const std::string& path, const File& file);

// llm::io::read_file + parse.
File load(const std::string& path);

}  // namespace llm::safetensors
