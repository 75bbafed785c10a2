#include "experiments.hpp"

#include <stdexcept>
#include <string>

#include "init.hpp"
#include "ops.hpp"
#include "positional.hpp"

namespace llm {

void TwoSlotTask::validate() const {
    if (num_values < 2 || length < 2)
        throw std::invalid_argument("TwoSlotTask: needs num_values >= 2 and length >= 2, got " +
                                    std::to_string(num_values) + " and " + std::to_string(length));
}

TwoSlotData make_two_slot_data(const TwoSlotTask& task, int n, Rng& rng) {
    task.validate();
    if (n < 0) throw std::invalid_argument("make_two_slot_data: n = " + std::to_string(n) + " is negative");
    const int L = task.length, T = task.seq_len(), m = task.num_values;
    TwoSlotData d;
    d.n = n;
    d.seq_len = T;
    d.tokens.assign(std::size_t(n) * T, 0);
    d.flags.assign(std::size_t(n) * T, 0);
    for (int i = 0; i < n; ++i) {
        int* tok = &d.tokens[std::size_t(i) * T];
        int* flag = &d.flags[std::size_t(i) * T];
        for (int t = 0; t < L; ++t) tok[t] = static_cast<int>(rng.below(std::uint32_t(m)));
        tok[L] = m;                                                        // the query token "?"
        const int a = static_cast<int>(rng.below(std::uint32_t(L)));
        int b = static_cast<int>(rng.below(std::uint32_t(L - 1)));          // any position but a:
        if (b >= a) ++b;                                                   // uniform over the other L-1
        flag[a] = 1;
        flag[b] = 2;
        d.pos_a.push_back(a);
        d.pos_b.push_back(b);
        d.target_a.push_back(tok[a]);
        d.target_b.push_back(tok[b]);
    }
    return d;
}

TwoSlotData TwoSlotData::subset(std::span<const int> rows) const {
    TwoSlotData s;
    s.n = static_cast<int>(rows.size());
    s.seq_len = seq_len;
    const std::size_t T = static_cast<std::size_t>(seq_len);
    for (int r : rows) {
        if (r < 0 || r >= n)
            throw std::invalid_argument("TwoSlotData::subset: row " + std::to_string(r) + " is outside [0, " +
                                        std::to_string(n) + ")");
        const std::size_t i = static_cast<std::size_t>(r);
        s.tokens.insert(s.tokens.end(), tokens.begin() + std::ptrdiff_t(i * T), tokens.begin() + std::ptrdiff_t((i + 1) * T));
        s.flags.insert(s.flags.end(), flags.begin() + std::ptrdiff_t(i * T), flags.begin() + std::ptrdiff_t((i + 1) * T));
        s.pos_a.push_back(pos_a[i]);
        s.pos_b.push_back(pos_b[i]);
        s.target_a.push_back(target_a[i]);
        s.target_b.push_back(target_b[i]);
    }
    return s;
}

// ---------------------------------------------------------------------------

TwoSlotModel::TwoSlotModel(const TwoSlotTask& t, int d_model, int num_heads, Rng& rng)
    : task(t),
      token_embedding(init::normal({t.vocab_size(), d_model}, 1.0f, rng)),
      flag_embedding(init::normal({3, d_model}, 1.0f, rng)),
      positions(sinusoidal_encoding(t.seq_len(), d_model)),
      attention(d_model, num_heads, rng),
      classifier_weight(init::linear_weight(2 * t.num_values, d_model, rng)),
      classifier_bias(init::linear_bias(2 * t.num_values, d_model, rng)) {
    task.validate();
}

TwoSlotModel::Output TwoSlotModel::forward(const TwoSlotData& d) const {
    if (d.seq_len != task.seq_len())
        throw std::invalid_argument("TwoSlotModel: data of length " + std::to_string(d.seq_len) +
                                    " for a model of length " + std::to_string(task.seq_len()));
    const int N = d.n, T = d.seq_len, C = attention.d_model(), m = task.num_values;
    Tensor x = add(embedding(token_embedding, d.tokens, {N, T}),             // [N, T, C]
                   embedding(flag_embedding, d.flags, {N, T}));             // [N, T, C]
    x = add_positions(x, positions);                                        // [N, T, C]
    MultiHeadAttention::Output a = attention.forward(x);                    // [N, T, C], [N, H, T, T]
    Tensor r = reshape(narrow(a.out, 1, T - 1, 1), {N, C});                 // [N, C]  the query position
    Tensor logits = linear(r, classifier_weight, classifier_bias);          // [N, 2m]
    return {narrow(logits, 1, 0, m), narrow(logits, 1, m, m), a.weights};   // [N, m], [N, m], [N, H, T, T]
}

NamedTensors TwoSlotModel::parameters() const {
    NamedTensors p;
    p.emplace_back("token_embedding.weight", token_embedding);
    p.emplace_back("flag_embedding.weight", flag_embedding);
    attention.parameters("attention.", p);
    p.emplace_back("classifier.weight", classifier_weight);
    p.emplace_back("classifier.bias", classifier_bias);
    return p;
}

Tensor two_slot_loss(const TwoSlotModel::Output& out, const TwoSlotData& d) {
    return scale(add(cross_entropy(out.logits_a, d.target_a), cross_entropy(out.logits_b, d.target_b)), 0.5f);
}

namespace {
int argmax_row(const Tensor& logits, int row) {
    const int K = logits.dim(1);
    auto v = logits.data().subspan(std::size_t(row) * K, std::size_t(K));
    int best = 0;
    for (int k = 1; k < K; ++k)
        if (v[std::size_t(k)] > v[std::size_t(best)]) best = k;                // ties: the lowest index
    return best;
}
}  // namespace

SlotAccuracy two_slot_accuracy(const TwoSlotModel::Output& out, const TwoSlotData& d) {
    if (out.logits_a.dim(0) != d.n || out.logits_b.dim(0) != d.n)
        throw std::invalid_argument("two_slot_accuracy: logits and data disagree on N");
    SlotAccuracy acc;
    if (d.n == 0) return acc;
    int ra = 0, rb = 0, rboth = 0;
    for (int i = 0; i < d.n; ++i) {
        const bool okA = argmax_row(out.logits_a, i) == d.target_a[std::size_t(i)];
        const bool okB = argmax_row(out.logits_b, i) == d.target_b[std::size_t(i)];
        ra += okA;
        rb += okB;
        rboth += okA && okB;
    }
    acc.a = double(ra) / d.n;
    acc.b = double(rb) / d.n;
    acc.both = double(rboth) / d.n;
    return acc;
}

}  // namespace llm
