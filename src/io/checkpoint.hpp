#pragma once
// Saving a trained MiniLLM, with everything needed to use it again, as one
// safetensors file (safetensors.hpp), and loading it back with every field
// checked.
//
//   tensors        every MiniLLM::named_parameters() tensor under its torch
//                  name (embedding.weight, encoder.layers.0.self_attn.in_proj_weight, ...)
//   __metadata__   "format"       "llm-from-scratch/minillm-v1"
//                  "vocab_size" "d_model" "num_heads" "d_ff" "num_layers"
//                  "num_classes" "max_len"      decimal integers ("64")
//                  "dropout"      the shortest decimal that reads back as the
//                                 same float ("0.1")
//                  "activation"   "relu" or "gelu"
//                  "pre_norm"     "true" or "false"
//                  "vocab"        Vocab::serialize(): the tokens in id order, '\n'-joined
//                  "classes"      the class names in label-id order, '\n'-joined
//                  "training"     optional, free text: how the model was trained
//                  "crc32"        CRC-32 of everything else (content_crc32), 8 hex digits
//
// The positional-encoding table is not stored: it is a function of max_len
// and d_model. Saving is atomic (the old file or the new one, never a mix)
// and deterministic (same model, same bytes).
//
// Loading trusts nothing. Every problem is one std::runtime_error line
// "'PATH': PROBLEM": not a safetensors file (truncated, corrupted: the
// safetensors reader's messages), not a MiniLLM checkpoint (no or another
// "format"), a checksum that does not match (a flipped byte in a weight or
// a metadata value, which the safetensors format alone cannot see), a missing, non-numeric or out-of-range config field, an unknown
// metadata key, a config that does not validate (d_model not divisible by
// num_heads), a vocab that does not deserialize or whose size is not
// vocab_size, a class list that is empty, duplicated or not num_classes long,
// a missing or unexpected tensor, a tensor whose shape disagrees with the
// config (both shapes named), a tensor holding NaN or infinity.
#include <string>
#include <string_view>
#include <vector>

#include "nn/model.hpp"
#include "io/safetensors.hpp"
#include "io/tokenizer.hpp"

namespace llm::checkpoint {

inline constexpr std::string_view format_tag = "llm-from-scratch/minillm-v1";

// Largest values a checkpoint's config may hold (sanity caps: a file is
// refused before any allocation that its own size does not justify).
struct Limits {
    static constexpr int vocab_size = 10'000'000, d_model = 65'536, num_heads = 4096, d_ff = 1 << 20,
                         num_layers = 1024, num_classes = 100'000, max_len = 1 << 20;
};

// A model ready to use: its weights, its tokenizer vocabulary and the names
// of its classes (classes[k] is the name of logit k).
struct Loaded {
    MiniLLM model;
    Vocab vocab;
    std::vector<std::string> classes;
    std::string training;   // the optional "training" note, "" when absent
};

// The file's content. Throws std::invalid_argument when the pieces disagree
// (vocab size or class count not matching the model's config, a class name
// empty, duplicated or containing '\n').
safetensors::File to_file(const MiniLLM& model, const Vocab& vocab, const std::vector<std::string>& classes,
                          const std::string& training = "");

// The checks described at the top; `what` names the source in messages.
Loaded from_file(const safetensors::File& file, const std::string& what);

// to_file + safetensors::save, and safetensors::load + from_file.
void save(const std::string& path, const MiniLLM& model, const Vocab& vocab,
          const std::vector<std::string>& classes, const std::string& training = "");
Loaded load(const std::string& path);

// The number of parameters a config describes (nn/model.hpp).
using llm::parameter_count;

// The checksum stored under "crc32": CRC-32 (IEEE) of every metadata key and
// value except "crc32" (in key order), then every tensor's name, shape and
// little-endian float bytes (in name order), each item followed by a 0 byte.
// 8 lowercase hex digits.
std::string content_crc32(const safetensors::File& file);

// "0.1": the shortest decimal that reads back as the same float.
std::string float_to_string(float v);

}  // namespace llm::checkpoint
