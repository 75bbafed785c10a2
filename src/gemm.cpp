// GEMM: the readable reference, then the fast version.
//
// The fast version is the GotoBLAS / BLIS structure, in plain C++:
//
//   for jc over N in steps of NC:              a column panel of C
//     for pc over K in steps of KC:            a slab of the sum
//       pack op(B)[pc:+KC, jc:+NC] -> Bp       slivers of NR columns, k-major
//       for ic over M in steps of MC:
//         pack op(A)[ic:+MC, pc:+KC] -> Ap     slivers of MR rows, k-major
//         for each Ap sliver (it stays in L1), for each Bp sliver (from L2):
//           acc = Ap sliver · Bp sliver        the micro-kernel: MR*NR sums in registers
//           C tile = C tile + acc              (or = acc on the first slab without `accumulate`)
//
// Packing copies each operand into the exact order the micro-kernel reads it,
// so the kernel streams contiguous memory whatever the transposes were, and a
// block is reused from cache many times. The kernel is a loop the compiler
// turns into vector FMAs with the accumulators held in registers.
//
// Determinism. Element C[i,j] is always computed the same way:
//     s_p = fma chain over k = pc .. pc+KC-1 in increasing order, from 0
//     C   = ((C0 + s_0) + s_1) + ...           (C0 = 0 without `accumulate`)
// KC is a constant, so this does not depend on M, N, on how M and N are
// blocked, nor on the thread count: threads split C by rows or by columns,
// never the sum. std::fma is written out because the Makefile forbids the
// compiler to contract a*b+c on its own (-ffp-contract=off); an explicit fma
// rounds once, identically under g++ and clang++.
#include "gemm.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <memory>
#include <new>

#include "parallel.hpp"

namespace llm {

using std::size_t;

void gemm_reference(bool trans_a, bool trans_b, int M, int N, int K,
                    std::span<const float> A, std::span<const float> B,
                    std::span<float> C, bool accumulate) {
    assert(A.size() == static_cast<size_t>(M) * K);
    assert(B.size() == static_cast<size_t>(K) * N);
    assert(C.size() == static_cast<size_t>(M) * N);
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
            float acc = 0.0f;
            for (int k = 0; k < K; ++k) {
                const float a = trans_a ? A[static_cast<size_t>(k) * M + i] : A[static_cast<size_t>(i) * K + k];
                const float b = trans_b ? B[static_cast<size_t>(j) * K + k] : B[static_cast<size_t>(k) * N + j];
                acc += a * b;
            }
            float& c = C[static_cast<size_t>(i) * N + j];
            c = accumulate ? c + acc : acc;
        }
}

// ---------------------------------------------------------------------------
// Blocking parameters.
//
// MR x NR is the register tile: MR*NR/W vector accumulators for W floats per
// vector register. With AVX-512 (32 registers of 16 floats) 6 x 32 is 12
// accumulators plus 2 loads of B and a broadcast of A; with AVX2 (16 registers
// of 8 floats) 4 x 24 is 12 accumulators. KC bounds a slab of the sum (an
// Ap sliver MR x KC stays in L1), MC x KC the packed A block (in L2),
// KC x NC the packed B panel (in L2/L3).

#if defined(__AVX512F__)
constexpr int MR = 6, NR = 32;
#else
constexpr int MR = 4, NR = 24;
#endif
constexpr int MC = 20 * MR;
constexpr int NC = 16 * NR;
constexpr int KC = 256;                      // fixed: part of the summation order (see above)

// Work below which a GEMM stays on one thread (multiply-adds, M*N*K).
constexpr double kParallelMinWork = 64.0 * 64.0 * 64.0;

namespace {

// An operand as stored: row-major with row length ld, read transposed or not.
//   op(A)(i, k) = trans ? A[k*ld + i] : A[i*ld + k]        (likewise op(B)(k, j))
struct Operand {
    const float* p;
    size_t ld;
    bool trans;
};

// Ap[k*MR + i] = op(A)(i0+s+i, p0+k) for each sliver s of MR rows; rows past m are zeros.
// Every branch reads memory in order (and the compiler vectorizes the copies).
void pack_a(const Operand& A, int i0, int m, int p0, int kc, float* Ap) {
    for (int s = 0; s < m; s += MR, Ap += size_t(MR) * kc) {
        const int rows = std::min(MR, m - s);
        if (A.trans) {                                   // op(A) column k is a stored row: contiguous in i
            for (int k = 0; k < kc; ++k) {
                const float* src = A.p + size_t(p0 + k) * A.ld + (i0 + s);
                for (int i = 0; i < MR; ++i) Ap[k * MR + i] = i < rows ? src[i] : 0.0f;
            }
        } else if (rows == MR) {                         // op(A) row i is a stored row: contiguous in k
            const float* src = A.p + size_t(i0 + s) * A.ld + p0;
            for (int k = 0; k < kc; ++k)                 // MR streams in, one contiguous MR-group out
                for (int i = 0; i < MR; ++i) Ap[k * MR + i] = src[size_t(i) * A.ld + k];
        } else {                                         // the last, partial sliver
            for (int i = 0; i < MR; ++i) {
                const float* src = i < rows ? A.p + size_t(i0 + s + i) * A.ld + p0 : nullptr;
                for (int k = 0; k < kc; ++k) Ap[k * MR + i] = src ? src[k] : 0.0f;
            }
        }
    }
}

// Bp[k*NR + j] = op(B)(p0+k, j0+s+j) for each sliver s of NR columns; columns past n are zeros.
void pack_b(const Operand& B, int p0, int kc, int j0, int n, float* Bp) {
    for (int s = 0; s < n; s += NR, Bp += size_t(NR) * kc) {
        const int cols = std::min(NR, n - s);
        if (!B.trans) {                                  // op(B) row k is a stored row: contiguous in j
            for (int k = 0; k < kc; ++k) {
                const float* src = B.p + size_t(p0 + k) * B.ld + (j0 + s);
                if (cols == NR)
                    for (int j = 0; j < NR; ++j) Bp[k * NR + j] = src[j];
                else
                    for (int j = 0; j < NR; ++j) Bp[k * NR + j] = j < cols ? src[j] : 0.0f;
            }
        } else {                                         // op(B) column j is a stored row: contiguous in k
            for (int j = 0; j < NR; ++j) {
                const float* src = j < cols ? B.p + size_t(j0 + s + j) * B.ld + p0 : nullptr;
                for (int k = 0; k < kc; ++k) Bp[k * NR + j] = src ? src[k] : 0.0f;
            }
        }
    }
}

// The micro-kernel: acc[i][j] = sum_k Ap[k*MR + i] * Bp[k*NR + j], k in order.
// Written for the vectorizer: the j loop becomes NR/W vector FMAs per row,
// and t (MR*NR/W registers) never touches memory inside the k loop. (clang
// unrolls the k loop by default and then runs out of registers: not here.)
inline void micro_kernel(int kc, const float* __restrict Ap, const float* __restrict Bp, float (&acc)[MR][NR]) {
    float t[MR][NR] = {};
#if defined(__clang__)
#pragma clang loop unroll(disable)
#endif
    for (int k = 0; k < kc; ++k) {
        const float* a = Ap + k * MR;
        const float* b = Bp + k * NR;
        for (int i = 0; i < MR; ++i)
            for (int j = 0; j < NR; ++j) t[i][j] = std::fma(a[i], b[j], t[i][j]);
    }
    for (int i = 0; i < MR; ++i)
        for (int j = 0; j < NR; ++j) acc[i][j] = t[i][j];
}

// C tile (m x n valid entries of MR x NR, row stride ldc) = acc, or += acc.
inline void store_tile(const float (&acc)[MR][NR], float* C, size_t ldc, int m, int n, bool overwrite) {
    if (m == MR && n == NR) {               // the common full tile: constant bounds, vectorized
        for (int i = 0; i < MR; ++i)
            for (int j = 0; j < NR; ++j) C[i * ldc + j] = overwrite ? acc[i][j] : C[i * ldc + j] + acc[i][j];
        return;
    }
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) C[i * ldc + j] = overwrite ? acc[i][j] : C[i * ldc + j] + acc[i][j];
}

// Per-thread packing buffers, allocated once (64-byte aligned) and reused.
struct PackBuffers {
    static constexpr size_t a_size = size_t(MC) * KC, b_size = size_t(KC) * NC;
    struct Free { void operator()(float* p) const { ::operator delete[](p, std::align_val_t(64)); } };
    std::unique_ptr<float[], Free> a, b;
    PackBuffers()
        : a(static_cast<float*>(::operator new[](sizeof(float) * a_size, std::align_val_t(64)))),
          b(static_cast<float*>(::operator new[](sizeof(float) * b_size, std::align_val_t(64)))) {}
};

// C[i0:i1, j0:j1] of the whole product, on the calling thread.
void gemm_block(const Operand& A, const Operand& B, int K, float* C, size_t ldc, int i0, int i1, int j0, int j1,
                bool accumulate) {
    thread_local PackBuffers buf;
    float* Ap = buf.a.get();
    float* Bp = buf.b.get();
    for (int jc = j0; jc < j1; jc += NC) {
        const int nc = std::min(NC, j1 - jc);
        for (int pc = 0; pc < K; pc += KC) {
            const int kc = std::min(KC, K - pc);
            const bool overwrite = pc == 0 && !accumulate;
            pack_b(B, pc, kc, jc, nc, Bp);
            for (int ic = i0; ic < i1; ic += MC) {
                const int mc = std::min(MC, i1 - ic);
                pack_a(A, ic, mc, pc, kc, Ap);
                for (int ir = 0; ir < mc; ir += MR)
                    for (int jr = 0; jr < nc; jr += NR) {
                        float acc[MR][NR];
                        micro_kernel(kc, Ap + size_t(ir) * kc, Bp + size_t(jr) * kc, acc);
                        store_tile(acc, C + size_t(ic + ir) * ldc + (jc + jr), ldc, std::min(MR, mc - ir),
                                   std::min(NR, nc - jr), overwrite);
                    }
            }
        }
    }
}

}  // namespace

void gemm(bool trans_a, bool trans_b, int M, int N, int K,
          std::span<const float> A, std::span<const float> B,
          std::span<float> C, bool accumulate) {
    assert(A.size() == static_cast<size_t>(M) * K);
    assert(B.size() == static_cast<size_t>(K) * N);
    assert(C.size() == static_cast<size_t>(M) * N);
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {                           // an empty sum
        if (!accumulate) std::fill(C.begin(), C.end(), 0.0f);
        return;
    }
    const Operand a{A.data(), size_t(trans_a ? M : K), trans_a};   // A stored K x M, or M x K
    const Operand b{B.data(), size_t(trans_b ? K : N), trans_b};   // B stored N x K, or K x N

    // Threads split C into bands of whole tiles: by rows when M >= N (each
    // band packs all of B, the smaller operand), else by columns. Two bands
    // per thread, claimed as threads come free, so that a thread the system
    // delays holds up at most a small band.
    const double work = double(M) * N * K;
    const int threads = work >= kParallelMinWork ? num_threads() : 1;
    const bool by_rows = M >= N;
    const int extent = by_rows ? M : N, tile = by_rows ? MR : NR, tiles = (extent + tile - 1) / tile;
    const int bands = std::max(1, std::min(threads == 1 ? 1 : 2 * threads, tiles));
    parallel_for(bands, [&](int p) {
        const int lo = std::min(extent, tiles * p / bands * tile), hi = std::min(extent, tiles * (p + 1) / bands * tile);
        if (by_rows) gemm_block(a, b, K, C.data(), size_t(N), lo, hi, 0, N, accumulate);
        else gemm_block(a, b, K, C.data(), size_t(N), 0, M, lo, hi, accumulate);
    });
}

}  // namespace llm
