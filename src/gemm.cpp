#include "gemm.hpp"

#include <cassert>
#include <cstddef>

namespace llm {

void gemm_reference(bool trans_a, bool trans_b, int M, int N, int K,
                    std::span<const float> A, std::span<const float> B,
                    std::span<float> C, bool accumulate) {
    assert(A.size() == static_cast<std::size_t>(M) * K);
    assert(B.size() == static_cast<std::size_t>(K) * N);
    assert(C.size() == static_cast<std::size_t>(M) * N);
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
            float acc = 0.0f;
            for (int k = 0; k < K; ++k) {
                const float a = trans_a ? A[static_cast<std::size_t>(k) * M + i] : A[static_cast<std::size_t>(i) * K + k];
                const float b = trans_b ? B[static_cast<std::size_t>(j) * K + k] : B[static_cast<std::size_t>(k) * N + j];
                acc += a * b;
            }
            float& c = C[static_cast<std::size_t>(i) * N + j];
            c = accumulate ? c + acc : acc;
        }
}

void gemm(bool trans_a, bool trans_b, int M, int N, int K,
          std::span<const float> A, std::span<const float> B,
          std::span<float> C, bool accumulate) {
    gemm_reference(trans_a, trans_b, M, N, K, A, B, C, accumulate);
}

}  // namespace llm
