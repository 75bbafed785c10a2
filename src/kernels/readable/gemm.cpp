// The readable build's GEMM: the three-loop definition (reference.cpp).
#include "kernels/kernels.hpp"

namespace llm::kernels {

void gemm(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A, std::span<const float> B,
          std::span<float> C, bool accumulate) {
    gemm_reference(trans_a, trans_b, M, N, K, A, B, C, accumulate);
}

void gemm(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A, size_t lda,
          std::span<const float> B, size_t ldb, std::span<float> C, size_t ldc, bool accumulate) {
    gemm_reference(trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc, accumulate);
}

void gemm_bias(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A, std::span<const float> B,
               std::span<const float> bias, std::span<float> C) {
    gemm_reference(trans_a, trans_b, M, N, K, A, B, C, false);
    for (size_t r = 0; r < size_t(M); ++r)                  // then the bias, row by row
        for (size_t j = 0; j < size_t(N); ++j) C[r * size_t(N) + j] += bias[j];
}

}  // namespace llm::kernels
