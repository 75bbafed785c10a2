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

}  // namespace llm::kernels
