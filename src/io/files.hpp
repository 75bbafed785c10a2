#pragma once
// Files: whole-file reads and atomic writes.
//
// Every file this project writes (figures, checkpoints) goes through
// write_file_atomic: the bytes go to a temporary file next to the target,
// are flushed to disk, and only then renamed over the target. A crash or a
// kill at any moment leaves either the old file or the new one, never a
// truncated mix.
#include <string>
#include <string_view>

namespace llm::io {

// Reads a whole file. Throws std::runtime_error("cannot read 'PATH': REASON").
std::string read_file(const std::string& path);

// Writes `bytes` to `path` atomically (temporary file + fsync + rename).
// Creates missing parent directories. Throws std::runtime_error on failure,
// after removing the temporary file; the previous `path` is left untouched.
//
// Fault injection, for the tests that prove the previous file survives: when
// the environment variable LLM_FAULT_INJECT is "before_rename", the process
// exits with status 3 right after the temporary file is written, before the
// rename, as if it had been killed there. "before_rename:NAME" does so only
// for a target whose file name is NAME (e.g. before_rename:model.safetensors:
// the figures written before it are saved, the kill hits the model's save).
void write_file_atomic(const std::string& path, std::string_view bytes);

// Creates a directory and its parents if missing. Throws std::runtime_error.
void make_dirs(const std::string& dir);

}  // namespace llm::io
