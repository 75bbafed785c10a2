#include "tasks.hpp"

#include <algorithm>
#include <stdexcept>

namespace llm {

void OrderTaskConfig::validate() const {
    auto fail = [](const std::string& why) { throw std::invalid_argument("order task: " + why); };
    if (vocab_size <= order_first_filler)
        fail("vocab_size must be at least " + std::to_string(order_first_filler + 1) +
             " (<pad>, <unk>, A, B and one filler), got " + std::to_string(vocab_size));
    if (min_len < 2) fail("min_len must be at least 2 (room for A and B), got " + std::to_string(min_len));
    if (max_len < min_len)
        fail("max_len " + std::to_string(max_len) + " is below min_len " + std::to_string(min_len));
}

OrderBatch order_task_batch(const OrderTaskConfig& cfg, int batch_size, Rng& rng) {
    cfg.validate();
    if (batch_size <= 0) throw std::invalid_argument("order task: batch_size must be positive, got " + std::to_string(batch_size));
    const auto span = static_cast<std::uint32_t>(cfg.max_len - cfg.min_len + 1);
    const auto fillers = static_cast<std::uint32_t>(cfg.vocab_size - order_first_filler);

    // Draw every sequence first, then pad to the longest.
    std::vector<std::vector<int>> seqs(static_cast<std::size_t>(batch_size));
    OrderBatch b;
    b.B = batch_size;
    for (auto& s : seqs) {
        const int len = cfg.min_len + static_cast<int>(rng.below(span));
        s.resize(static_cast<std::size_t>(len));
        for (int& t : s) t = order_first_filler + static_cast<int>(rng.below(fillers));
        // An unordered pair of distinct positions p < q, uniform over all pairs ...
        int p = static_cast<int>(rng.below(static_cast<std::uint32_t>(len)));
        int q = static_cast<int>(rng.below(static_cast<std::uint32_t>(len - 1)));
        if (q >= p) ++q;
        if (p > q) std::swap(p, q);
        // ... then a fair coin decides which of the two holds A.
        const bool a_first = rng.below(2) == 1;
        s[static_cast<std::size_t>(a_first ? p : q)] = order_a;
        s[static_cast<std::size_t>(a_first ? q : p)] = order_b;
        b.labels.push_back(a_first ? 1 : 0);
        b.lengths.push_back(len);
        b.T = std::max(b.T, len);
    }
    b.ids.assign(static_cast<std::size_t>(b.B) * static_cast<std::size_t>(b.T), order_pad);
    std::vector<float> pad(b.ids.size(), 1.0f);
    for (int i = 0; i < b.B; ++i)
        for (int t = 0; t < b.lengths[static_cast<std::size_t>(i)]; ++t) {
            const std::size_t k = static_cast<std::size_t>(i) * static_cast<std::size_t>(b.T) + static_cast<std::size_t>(t);
            b.ids[k] = seqs[static_cast<std::size_t>(i)][static_cast<std::size_t>(t)];
            pad[k] = 0.0f;
        }
    b.pad = Tensor::from({b.B, b.T}, std::move(pad));
    return b;
}

std::string order_task_token(int id) {
    switch (id) {
        case order_pad: return "<pad>";
        case order_unk: return "<unk>";
        case order_a: return "A";
        case order_b: return "B";
        default: break;
    }
    if (id < 0) throw std::invalid_argument("order task: negative token id " + std::to_string(id));
    const int k = id - order_first_filler;              // 0 -> 'c'
    if (k < 24) return std::string(1, static_cast<char>('c' + k));
    std::string name = "f";                             // (appended, not "f" + ...: g++ 12 -Wrestrict false positive)
    name += std::to_string(id);
    return name;
}

}  // namespace llm
