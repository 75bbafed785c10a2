#pragma once
// Synthetic tasks: small problems whose answer is known by construction, so
// that what a model learns (or cannot learn) is measured exactly.
//
// ---------------------------------------------------------------------------
// The order task (lesson 4): "does A come before B?"
//
// A sequence of random filler tokens in which two marker tokens, A and B,
// each occur exactly once; the label is 1 when A comes before B, else 0.
//
//   c k A g B e      label 1  (A at 2, B at 4)
//   f B d A m        label 0  (B at 1, A at 3)
//
// Token ids:  0 <pad>   1 <unk> (never generated)   2 A   3 B
//             4 .. V-1  fillers, named c, d, e, ... (then f4, f5, ... past z)
// Lengths are uniform in [min_len, max_len]; shorter sequences are padded
// with <pad> up to the longest of the batch (pad = 1 there).
//
// Both labels have exactly the same distribution of token MULTISETS (the two
// positions of A and B are an unordered pair, drawn uniformly, and which of
// them holds A is a fair coin), so a model that sees only which tokens occur
// (a bag of words) cannot beat 50% on average. Only order tells the classes
// apart.
#include <cstdint>
#include <string>
#include <vector>

#include "rng.hpp"
#include "tensor.hpp"

namespace llm {

struct OrderTaskConfig {
    int vocab_size = 16;   // V: 4 special/marker ids + at least 1 filler
    int min_len = 6;       // shortest sequence, >= 2 (room for A and B)
    int max_len = 12;      // longest sequence
    void validate() const; // throws std::invalid_argument naming the bad field
};

inline constexpr int order_pad = 0, order_unk = 1, order_a = 2, order_b = 3, order_first_filler = 4;

struct OrderBatch {
    int B = 0, T = 0;                // batch size, padded length (the longest sequence drawn)
    std::vector<int> ids;            // [B, T] row-major; <pad> after each sequence's end
    Tensor pad;                      // [B, T] 1 = padding, 0 = real token
    std::vector<int> labels;         // [B] 1 if A comes before B, else 0
    std::vector<int> lengths;        // [B] real tokens per sequence
};

// `batch_size` fresh examples drawn from rng (same rng state, same batch).
OrderBatch order_task_batch(const OrderTaskConfig& cfg, int batch_size, Rng& rng);

// A token's printable name: "<pad>", "<unk>", "A", "B", "c", "d", ...
std::string order_task_token(int id);

}  // namespace llm
