#pragma once
// Matrix multiply, the one kernel that dominates a transformer's time.
//
//   C[M,N] = op(A)[M,K] · op(B)[K,N]      (+ C when accumulate)
//
// op(A) is A (row-major M×K) or, with trans_a, the transpose of a row-major
// K×M matrix; likewise op(B) is B (K×N) or, with trans_b, the transpose of an
// N×K matrix. Spans must hold the elements described (checked by assert).
//
// gemm_reference is the three-loop definition, kept as the readable version
// and as the tests' oracle; gemm is the one the ops call: cache-blocked,
// packed, register-tiled, and spread over the thread pool (parallel.hpp) when
// the product is large enough. Its result does not depend on the thread
// count: every C[i,j] is summed in the same fixed order (gemm.cpp explains),
// so 1 and 2 threads, g++ and clang++ give the same bytes. It differs from
// gemm_reference only by rounding (it uses fma and sums in slabs of 256).
#include <cstddef>
#include <span>

namespace llm {

void gemm_reference(bool trans_a, bool trans_b, int M, int N, int K,
                    std::span<const float> A, std::span<const float> B,
                    std::span<float> C, bool accumulate);

void gemm(bool trans_a, bool trans_b, int M, int N, int K,
          std::span<const float> A, std::span<const float> B,
          std::span<float> C, bool accumulate);

// The same product on matrices that sit inside larger buffers (a head's
// columns of a [T, 3C] projection, say): row r of a stored matrix starts
// ld floats after row r-1. Each span starts at the matrix's first element and
// must reach its last. Same summation order, so the same bits, as gemm on
// contiguous copies of the operands.
void gemm(bool trans_a, bool trans_b, int M, int N, int K,
          std::span<const float> A, std::size_t lda, std::span<const float> B, std::size_t ldb,
          std::span<float> C, std::size_t ldc, bool accumulate);

}  // namespace llm
