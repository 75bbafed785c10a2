// Lesson 4's synthetic order task (lessons/fixtures/tasks.hpp): "does A come before B?".
// The lesson's claim that a bag of words cannot beat chance rests on the
// generator's properties, so each is checked here: A and B exactly once, the
// label correct, the padding consistent, the draw deterministic and balanced.
#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>

#include "fixtures/tasks.hpp"

using namespace llm;

namespace {

// Position of `id` among the first `len` tokens of row i, and how often it occurs.
struct Found { int pos = -1, count = 0; };
Found find(const OrderBatch& b, int i, int id) {
    Found f;
    for (int t = 0; t < b.lengths[static_cast<std::size_t>(i)]; ++t)
        if (b.ids[static_cast<std::size_t>(i * b.T + t)] == id) f.pos = t, ++f.count;
    return f;
}

}  // namespace

TEST_CASE("order task: A and B occur exactly once and the label says whether A comes first", "[tasks][order]") {
    const OrderTaskConfig cfg{16, 6, 12};
    Rng rng(11);
    const OrderBatch b = order_task_batch(cfg, 500, rng);
    REQUIRE(b.B == 500);
    REQUIRE(b.labels.size() == 500);
    REQUIRE(b.lengths.size() == 500);
    for (int i = 0; i < b.B; ++i) {
        const Found a = find(b, i, order_a), bb = find(b, i, order_b);
        INFO("example " << i);
        REQUIRE(a.count == 1);
        REQUIRE(bb.count == 1);
        CHECK(b.labels[static_cast<std::size_t>(i)] == (a.pos < bb.pos ? 1 : 0));
        // every other real token is a filler: never <pad> or <unk> inside the sequence
        for (int t = 0; t < b.lengths[static_cast<std::size_t>(i)]; ++t) {
            const int id = b.ids[static_cast<std::size_t>(i * b.T + t)];
            if (t != a.pos && t != bb.pos) {
                CHECK(id >= order_first_filler);
                CHECK(id < cfg.vocab_size);
            }
        }
    }
}

TEST_CASE("order task: lengths in range, padding after each sequence, pad mask matches", "[tasks][order]") {
    const OrderTaskConfig cfg{10, 3, 9};
    Rng rng(12);
    const OrderBatch b = order_task_batch(cfg, 400, rng);
    int longest = 0;
    std::map<int, int> seen;
    REQUIRE(b.pad.shape() == Shape{b.B, b.T});
    REQUIRE(b.ids.size() == static_cast<std::size_t>(b.B * b.T));
    for (int i = 0; i < b.B; ++i) {
        const int len = b.lengths[static_cast<std::size_t>(i)];
        CHECK(len >= cfg.min_len);
        CHECK(len <= cfg.max_len);
        longest = std::max(longest, len);
        ++seen[len];
        for (int t = 0; t < b.T; ++t) {
            const bool real = t < len;
            CHECK(b.pad.at({i, t}) == (real ? 0.0f : 1.0f));
            if (!real) CHECK(b.ids[static_cast<std::size_t>(i * b.T + t)] == order_pad);
        }
    }
    CHECK(b.T == longest);                       // padded to the longest sequence drawn
    CHECK(seen.size() == 7u);                    // every length 3..9 occurs in 400 draws
}

TEST_CASE("order task: the same rng state gives the same batch; another gives another", "[tasks][order]") {
    const OrderTaskConfig cfg;
    Rng r1(42), r2(42), r3(43);
    const OrderBatch a = order_task_batch(cfg, 64, r1), b = order_task_batch(cfg, 64, r2), c = order_task_batch(cfg, 64, r3);
    CHECK(a.ids == b.ids);
    CHECK(a.labels == b.labels);
    CHECK(a.lengths == b.lengths);
    CHECK(a.ids != c.ids);
    // consecutive draws from one rng differ (the state advances)
    const OrderBatch a2 = order_task_batch(cfg, 64, r1);
    CHECK(a2.ids != a.ids);
}

TEST_CASE("order task: labels balanced, and both orders of every position pair occur", "[tasks][order]") {
    // The bag-of-words argument: for each unordered pair of positions {p, q},
    // A-first and B-first must be equally likely, so the tokens present say
    // nothing about the label. Checked statistically on 20,000 draws.
    const OrderTaskConfig cfg{16, 6, 6};         // fixed length 6: 15 position pairs
    Rng rng(13);
    const OrderBatch b = order_task_batch(cfg, 20000, rng);
    int ones = 0;
    std::map<std::pair<int, int>, std::pair<int, int>> by_pair;   // {p, q} -> (A first, B first)
    for (int i = 0; i < b.B; ++i) {
        ones += b.labels[static_cast<std::size_t>(i)];
        const int pa = find(b, i, order_a).pos, pb = find(b, i, order_b).pos;
        auto& n = by_pair[{std::min(pa, pb), std::max(pa, pb)}];
        (pa < pb ? n.first : n.second) += 1;
    }
    CHECK(ones > 9700);                          // 10,000 expected; sd 71: ±4 sd
    CHECK(ones < 10300);
    REQUIRE(by_pair.size() == 15u);              // every pair of the 6 positions occurs
    for (const auto& [pair, n] : by_pair) {
        INFO("positions " << pair.first << ", " << pair.second << ": A first " << n.first << ", B first " << n.second);
        const int total = n.first + n.second;    // about 1,333 per pair; sd of one side ~18
        CHECK(n.first > total / 2 - 120);
        CHECK(n.first < total / 2 + 120);
    }
}

TEST_CASE("order task: bad configurations and arguments are rejected with the reason", "[tasks][order]") {
    Rng rng(1);
    CHECK_THROWS_WITH(order_task_batch({4, 6, 12}, 8, rng), Catch::Contains("vocab_size"));
    CHECK_THROWS_WITH(order_task_batch({16, 1, 12}, 8, rng), Catch::Contains("min_len"));
    CHECK_THROWS_WITH(order_task_batch({16, 8, 6}, 8, rng), Catch::Contains("max_len"));
    CHECK_THROWS_WITH(order_task_batch({16, 6, 12}, 0, rng), Catch::Contains("batch_size"));
    CHECK_NOTHROW(order_task_batch({5, 2, 2}, 8, rng));   // the smallest valid task: "A B" or "B A"
}

TEST_CASE("order task: token names", "[tasks][order]") {
    CHECK(order_task_token(order_pad) == "<pad>");
    CHECK(order_task_token(order_unk) == "<unk>");
    CHECK(order_task_token(order_a) == "A");
    CHECK(order_task_token(order_b) == "B");
    CHECK(order_task_token(order_first_filler) == "c");
    CHECK(order_task_token(order_first_filler + 23) == "z");
    CHECK(order_task_token(order_first_filler + 24) == "f28");
    CHECK_THROWS_AS(order_task_token(-1), std::invalid_argument);
}
