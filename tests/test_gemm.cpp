// The fast GEMM against the three-loop reference, and its determinism: the
// same bytes for 1 and 2 threads, whatever the shape (see gemm.cpp), for a
// GEMM and for a whole training step; and the thread pool on its own.
#include <catch2/catch.hpp>

#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstddef>
#include <vector>

#include "kernels/kernels.hpp"
#include "nn/model.hpp"
#include "core/ops.hpp"
#include "nn/optim.hpp"
#include "core/rng.hpp"

using namespace llm;
using namespace llm::kernels;

namespace {

std::vector<float> random_vector(std::size_t n, Rng& rng) {
    std::vector<float> v(n);
    for (float& x : v) x = rng.uniform(-1.0f, 1.0f);
    return v;
}

// Restores the thread count when a test ends, even on failure.
struct ThreadsGuard {
    int saved = num_threads();
    ~ThreadsGuard() { set_num_threads(saved); }
};

// Odd sizes straddle every blocking boundary: register tiles (4/6 rows,
// 24/32 columns), the packed blocks, and the K slab of 256.
const int kSizes[] = {1, 7, 63, 65, 129};

}  // namespace

TEST_CASE("gemm matches the reference for every transpose, odd sizes, with and without accumulate", "[gemm]") {
    Rng rng(61);
    for (int M : kSizes)
        for (int N : kSizes)
            for (int K : {1, 7, 65, 300}) {            // 300 > 256: two slabs of the sum
                const auto A = random_vector(std::size_t(M) * K, rng), B = random_vector(std::size_t(K) * N, rng);
                const auto C0 = random_vector(std::size_t(M) * N, rng);
                for (int t = 0; t < 8; ++t) {
                    const bool ta = t & 1, tb = t & 2, acc = t & 4;
                    std::vector<float> want = C0, got = C0;
                    gemm_reference(ta, tb, M, N, K, A, B, want, acc);
                    gemm(ta, tb, M, N, K, A, B, got, acc);
                    // |error| of a float sum of K products of magnitude <= 1 stays well under K * 2^-22
                    const double tol = 1e-6 * K + 1e-6;
                    double worst = 0.0;
                    for (std::size_t i = 0; i < want.size(); ++i)
                        worst = std::max(worst, double(std::abs(got[i] - want[i])));
                    INFO("M " << M << " N " << N << " K " << K << " trans_a " << ta << " trans_b " << tb
                              << " accumulate " << acc);
                    REQUIRE(worst <= tol);
                }
            }
}

TEST_CASE("gemm sums each entry as one fma chain over k: the small and the blocked path give the same bits", "[gemm]") {
    if (kernels::readable) return;                      // the readable gemm is the three-loop reference
    // fast/gemm.cpp's contract for K <= 256: C[i,j] = fma(a_iK-1, b_K-1j, ... fma(a_i0, b_0j, 0)), then
    // stored (or added to C). Sizes <= 64 take the small path, the others the packed one.
    Rng rng(63);
    for (int M : {1, 16, 63, 64, 65, 130})
        for (int N : {1, 16, 33, 64, 65})
            for (int K : {1, 16, 64, 65, 256}) {
                const auto A = random_vector(std::size_t(M) * K, rng), B = random_vector(std::size_t(K) * N, rng);
                const auto C0 = random_vector(std::size_t(M) * N, rng);
                for (int t = 0; t < 8; ++t) {
                    const bool ta = t & 1, tb = t & 2, acc = t & 4;
                    std::vector<float> want = C0, got = C0;
                    for (int i = 0; i < M; ++i)
                        for (int j = 0; j < N; ++j) {
                            float s = 0.0f;
                            for (int k = 0; k < K; ++k)
                                s = std::fma(ta ? A[std::size_t(k) * M + i] : A[std::size_t(i) * K + k],
                                             tb ? B[std::size_t(j) * K + k] : B[std::size_t(k) * N + j], s);
                            float& c = want[std::size_t(i) * N + j];
                            c = acc ? c + s : s;
                        }
                    gemm(ta, tb, M, N, K, A, B, got, acc);
                    INFO("M " << M << " N " << N << " K " << K << " trans_a " << ta << " trans_b " << tb
                              << " accumulate " << acc);
                    REQUIRE(got == want);                      // bit for bit
                }
            }
}

TEST_CASE("gemm on matrices inside larger buffers equals gemm on contiguous copies", "[gemm]") {
    Rng rng(64);
    for (int M : {5, 16, 70})
        for (int N : {3, 16, 90})
            for (int K : {4, 16, 80})
                for (int t = 0; t < 8; ++t) {
                    const bool ta = t & 1, tb = t & 2, acc = t & 4;
                    const int ar = ta ? K : M, ac = ta ? M : K, br = tb ? N : K, bc = tb ? K : N;   // stored shapes
                    const std::size_t lda = std::size_t(ac) + 3, ldb = std::size_t(bc) + 5, ldc = std::size_t(N) + 2;
                    const auto Abig = random_vector(std::size_t(ar) * lda, rng), Bbig = random_vector(std::size_t(br) * ldb, rng);
                    auto Cbig = random_vector(std::size_t(M) * ldc, rng);
                    std::vector<float> A, B, C;                   // the same matrices, contiguous
                    for (int r = 0; r < ar; ++r) A.insert(A.end(), Abig.begin() + std::ptrdiff_t(r * lda), Abig.begin() + std::ptrdiff_t(r * lda + ac));
                    for (int r = 0; r < br; ++r) B.insert(B.end(), Bbig.begin() + std::ptrdiff_t(r * ldb), Bbig.begin() + std::ptrdiff_t(r * ldb + bc));
                    for (int r = 0; r < M; ++r) C.insert(C.end(), Cbig.begin() + std::ptrdiff_t(r * ldc), Cbig.begin() + std::ptrdiff_t(r * ldc + N));
                    const std::vector<float> before = Cbig;
                    gemm(ta, tb, M, N, K, A, B, C, acc);
                    gemm(ta, tb, M, N, K, Abig, lda, Bbig, ldb, Cbig, ldc, acc);
                    INFO("M " << M << " N " << N << " K " << K << " trans_a " << ta << " trans_b " << tb);
                    for (int r = 0; r < M; ++r)
                        for (std::size_t c = 0; c < ldc; ++c) {
                            const std::size_t i = r * ldc + c;
                            if (c < std::size_t(N)) REQUIRE(Cbig[i] == C[std::size_t(r) * N + c]);
                            else REQUIRE(Cbig[i] == before[i]);   // the gaps between rows are left alone
                        }
                }
}

TEST_CASE("gemm of an empty sum gives zeros, or leaves C alone when accumulating", "[gemm]") {
    std::vector<float> C = {1, 2, 3, 4, 5, 6};
    gemm(false, false, 2, 3, 0, {}, {}, C, true);
    CHECK(C == std::vector<float>{1, 2, 3, 4, 5, 6});
    gemm(false, false, 2, 3, 0, {}, {}, C, false);
    CHECK(C == std::vector<float>(6, 0.0f));
}

TEST_CASE("gemm gives the same bytes on 1, 2 and 3 threads", "[gemm][threads]") {
    ThreadsGuard guard;
    Rng rng(62);
    // large enough to be split over threads, by rows (M >= N) and by columns (M < N)
    const int shapes[][3] = {{129, 65, 300}, {65, 257, 129}, {512, 192, 64}, {64, 256, 512}, {7, 1024, 65}};
    for (const auto& s : shapes) {
        const int M = s[0], N = s[1], K = s[2];
        const auto A = random_vector(std::size_t(M) * K, rng), B = random_vector(std::size_t(K) * N, rng);
        const auto C0 = random_vector(std::size_t(M) * N, rng);
        for (int t = 0; t < 8; ++t) {
            const bool ta = t & 1, tb = t & 2, acc = t & 4;
            std::vector<float> one = C0, two = C0, three = C0;
            set_num_threads(1);
            gemm(ta, tb, M, N, K, A, B, one, acc);
            set_num_threads(2);
            gemm(ta, tb, M, N, K, A, B, two, acc);
            set_num_threads(3);
            gemm(ta, tb, M, N, K, A, B, three, acc);
            INFO("M " << M << " N " << N << " K " << K << " trans_a " << ta << " trans_b " << tb);
            REQUIRE(one == two);                        // bit-identical, not approximately equal
            REQUIRE(one == three);
        }
    }
}

TEST_CASE("gemm_bias is gemm and then the bias, bit for bit, on every path and thread count", "[gemm][bias]") {
    // The fast build adds the bias as each tile is stored, after the last K slab:
    // small path (M, N, K <= 64), edge tiles, one and two slabs (K > 256), rows
    // and columns split over threads.
    ThreadsGuard guard;
    Rng rng(63);
    const int shapes[][3] = {{5, 7, 3}, {64, 64, 64}, {33, 17, 64}, {65, 7, 63}, {129, 65, 300}, {7, 257, 129},
                             {512, 192, 64}, {70, 40, 513}};
    for (const auto& s : shapes) {
        const int M = s[0], N = s[1], K = s[2];
        const auto A = random_vector(std::size_t(M) * K, rng), B = random_vector(std::size_t(K) * N, rng);
        const auto bias = random_vector(std::size_t(N), rng);
        for (int t = 0; t < 4; ++t)
            for (int threads : {1, 2}) {
                set_num_threads(threads);
                const bool ta = t & 1, tb = t & 2;
                std::vector<float> fused(std::size_t(M) * N, -7.0f), plain(std::size_t(M) * N, -7.0f);
                gemm_bias(ta, tb, M, N, K, A, B, bias, fused);
                gemm(ta, tb, M, N, K, A, B, plain, false);
                for (std::size_t r = 0; r < std::size_t(M); ++r)
                    for (std::size_t j = 0; j < std::size_t(N); ++j) plain[r * std::size_t(N) + j] += bias[j];
                INFO("M " << M << " N " << N << " K " << K << " trans_a " << ta << " trans_b " << tb << " threads " << threads);
                std::size_t differ = 0;
                for (std::size_t i = 0; i < fused.size(); ++i)
                    differ += std::bit_cast<std::uint32_t>(fused[i]) != std::bit_cast<std::uint32_t>(plain[i]);
                REQUIRE(differ == 0);
            }
    }
}

TEST_CASE("parallel_for runs every index exactly once, nests serially, and passes exceptions on", "[threads]") {
    ThreadsGuard guard;
    for (int threads : {1, 2, 3}) {
        set_num_threads(threads);
        for (int n : {0, 1, 2, 5, 1000}) {
            std::vector<std::atomic<int>> hits(std::size_t(n) + 1);
            for (int rep = 0; rep < 20; ++rep)
                parallel_for(n, [&](int i) {
                    hits[std::size_t(i)].fetch_add(1);
                    parallel_for(3, [&](int) { hits[std::size_t(n)].fetch_add(1); });   // nested: serial
                });
            for (int i = 0; i < n; ++i) REQUIRE(hits[std::size_t(i)].load() == 20);
            REQUIRE(hits[std::size_t(n)].load() == 20 * 3 * n);
        }
        CHECK_THROWS_WITH(parallel_for(4, [](int i) { if (i == 3) throw std::runtime_error("index 3"); }), "index 3");
    }
    set_num_threads(0);
    CHECK(num_threads() == 1);                          // clamped
}

TEST_CASE("a MiniLLM training step gives the same bytes on 1, 2 and 3 threads", "[gemm][threads]") {
    ThreadsGuard guard;
    // big enough that the GEMMs and the batched attention products go to the pool
    ModelConfig cfg;
    cfg.vocab_size = 50, cfg.d_model = 64, cfg.num_heads = 4, cfg.d_ff = 128, cfg.num_layers = 2, cfg.max_len = 16;
    const int B = 16, T = 16;
    Rng data(3);
    std::vector<int> ids(std::size_t(B) * T), labels(B);
    Tensor pad = Tensor::zeros({B, T});
    for (int b = 0; b < B; ++b) {
        const int len = 4 + static_cast<int>(data.below(T - 3));
        for (int t = 0; t < T; ++t) {
            ids[std::size_t(b) * T + t] = t < len ? 2 + static_cast<int>(data.below(48)) : 0;
            pad.data()[std::size_t(b) * T + t] = t < len ? 0.0f : 1.0f;
        }
        labels[std::size_t(b)] = static_cast<int>(data.below(3));
    }
    auto run = [&](int threads) {
        set_num_threads(threads);
        MiniLLM model(cfg, 11);
        AdamW opt(model.named_parameters(), {});
        Rng drop(5);
        std::vector<float> out;
        for (int step = 0; step < 2; ++step) {
            opt.zero_grad();
            Tensor loss = cross_entropy(model.forward(ids, pad, &drop).logits, labels);
            loss.backward();
            opt.step();
            out.push_back(loss.item());
        }
        for (const auto& [name, p] : model.named_parameters()) out.insert(out.end(), p.data().begin(), p.data().end());
        return out;
    };
    const std::vector<float> one = run(1), two = run(2), three = run(3);
    REQUIRE(one.size() == two.size());
    CHECK(one == two);
    CHECK(one == three);
}
