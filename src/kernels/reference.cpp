// GEMM by its definition: three loops, one dot product per element, summed
// left to right. The readable build's gemm, and the tests' oracle for the fast one.
#include <cassert>

#include "kernels/kernels.hpp"

namespace llm::kernels {

void gemm_reference(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A, size_t lda,
                    std::span<const float> B, size_t ldb, std::span<float> C, size_t ldc, bool accumulate) {
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
            float acc = 0.0f;                                   // C[i,j] = sum_k op(A)[i,k] op(B)[k,j]
            for (int k = 0; k < K; ++k) {
                const float a = trans_a ? A[size_t(k) * lda + size_t(i)] : A[size_t(i) * lda + size_t(k)];
                const float b = trans_b ? B[size_t(j) * ldb + size_t(k)] : B[size_t(k) * ldb + size_t(j)];
                acc += a * b;
            }
            float& c = C[size_t(i) * ldc + size_t(j)];
            c = accumulate ? c + acc : acc;
        }
}

void gemm_reference(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A,
                    std::span<const float> B, std::span<float> C, bool accumulate) {
    assert(A.size() == size_t(M) * size_t(K) && B.size() == size_t(K) * size_t(N) && C.size() == size_t(M) * size_t(N));
    gemm_reference(trans_a, trans_b, M, N, K, A, size_t(trans_a ? M : K), B, size_t(trans_b ? K : N), C, size_t(N),
                   accumulate);
}

// ---------------------------------------------------------------------------
// Batched products: entries split over the threads in contiguous chunks when
// there are several and the work (multiply-adds in all) pays for it; each
// entry is computed the same way wherever it runs.

void gemm_batched(const Batch& batch, bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A,
                  std::span<const float> B, std::span<float> C, bool accumulate) {
    const size_t n = batch.count;
    const size_t size_a = size_t(M) * size_t(K), size_b = size_t(K) * size_t(N), size_c = size_t(M) * size_t(N);
    auto one = [&](size_t i) {
        gemm(trans_a, trans_b, M, N, K, A.subspan(i * batch.stride_a, size_a), B.subspan(i * batch.stride_b, size_b),
             C.subspan(i * batch.stride_c, size_c), accumulate);
    };
    const double work = double(n) * M * N * K;
    if (batch.stride_c == 0 || n < 2 || work < 64.0 * 64 * 64) {   // a shared C sums the entries in order
        for (size_t i = 0; i < n; ++i) one(i);
        return;
    }
    const int chunks = static_cast<int>(std::min<size_t>(n, 4 * size_t(num_threads())));
    parallel_for(chunks, [&](int c) {
        for (size_t i = n * size_t(c) / size_t(chunks); i < n * size_t(c + 1) / size_t(chunks); ++i) one(i);
    });
}

}  // namespace llm::kernels
