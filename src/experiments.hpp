#pragma once
// Lesson 2's experiment: a synthetic task that needs attending to two places
// at once, and the small model that learns it. One head against several,
// same parameters, same data, same steps.
//
// The two-slot copy task. A sequence holds L random values in [0, m); two
// distinct positions are flagged, one "A" and one "B"; a query token "?"
// ends the sequence. The model must read, at "?", both flagged values:
//
//   tokens   3  7  1  0  5  2  6  4  ?        (ids 0..m-1, and m for "?")
//   flags    .  A  .  .  .  B  .  .  .        (0 plain, 1 A, 2 B)
//   targets  slot A = 7, slot B = 2
//
// The flagged positions change from example to example, so the model must
// find them by content (the flag), not by position.
//
// The model: one attention layer and a linear read-out at "?".
//
//   x      = token_emb[tokens] + flag_emb[flags] + PE[:T]   [N, T, C]
//   y      = MultiHeadAttention(x)                          [N, T, C]
//   r      = y[:, T-1, :]  (the query position)             [N, C]
//   logits = r W^T + b                                      [N, 2m]
//   slot A = logits[:, :m], slot B = logits[:, m:]          [N, m] each
//
// Why this task separates one head from two: a head's output at "?" is a
// weighted average of value vectors, and a value vector is linear in its
// token's embedding. The flags add a constant to their positions' values,
// so if the head weighs A and B equally, the value of (a at A, b at B) and
// that of (b at A, a at B) are the same vector: the order is lost. Two heads
// can look at A and at B separately. Lesson 2 measures what training does.
#include <cstdint>
#include <span>
#include <vector>

#include "attention.hpp"
#include "rng.hpp"
#include "tensor.hpp"

namespace llm {

struct TwoSlotTask {
    int num_values = 8;                           // m: values 0..m-1; id m is the query token "?"
    int length = 8;                               // L: value tokens per sequence
    int seq_len() const { return length + 1; }    // T = L + 1 with the query token
    int vocab_size() const { return num_values + 1; }
    void validate() const;                        // throws std::invalid_argument (m >= 2, L >= 2)
};

struct TwoSlotData {
    int n = 0;                                    // N examples
    int seq_len = 0;                              // T tokens per example
    std::vector<int> tokens;                      // [N, T] ids; the last is the query token
    std::vector<int> flags;                       // [N, T] 0 plain, 1 = A, 2 = B
    std::vector<int> pos_a, pos_b;                // [N] the flagged positions, distinct
    std::vector<int> target_a, target_b;          // [N] the values at pos_a and pos_b
    TwoSlotData subset(std::span<const int> rows) const;   // the given examples, in that order
};

// n examples drawn from rng: values, then pos_a, then pos_b, example by example.
TwoSlotData make_two_slot_data(const TwoSlotTask& task, int n, Rng& rng);

class TwoSlotModel {
public:
    TwoSlotModel(const TwoSlotTask& task, int d_model, int num_heads, Rng& rng);

    struct Output {
        Tensor logits_a;                          // [N, m]
        Tensor logits_b;                          // [N, m]
        Tensor weights;                           // [N, H, T, T] the attention weights
    };
    Output forward(const TwoSlotData& data) const;
    NamedTensors parameters() const;              // the trainable tensors (not the PE table)

    TwoSlotTask task;
    Tensor token_embedding;                       // [m + 1, C]  N(0, 1)
    Tensor flag_embedding;                        // [3, C]      N(0, 1)
    Tensor positions;                             // [T, C]      sinusoidal, fixed
    MultiHeadAttention attention;                 // C -> C, H heads
    Tensor classifier_weight, classifier_bias;    // [2m, C], [2m]
};

// The mean of the two slots' cross-entropies: a scalar [].
Tensor two_slot_loss(const TwoSlotModel::Output& out, const TwoSlotData& data);

struct SlotAccuracy {
    double a = 0, b = 0;                          // fraction of slot A (B) predicted right
    double both = 0;                              // fraction with both slots right
};
SlotAccuracy two_slot_accuracy(const TwoSlotModel::Output& out, const TwoSlotData& data);

}  // namespace llm
