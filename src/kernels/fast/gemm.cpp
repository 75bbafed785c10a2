// The fast GEMM (kernels.hpp; the readable build uses reference.cpp).
// It is the GotoBLAS / BLIS structure, in plain C++:
//
//   for jc over N in steps of NC:              a column panel of C
//     for pc over K in steps of KC:            a slab of the sum
//       pack op(B)[pc:+KC, jc:+NC] -> Bp       slivers of NR columns, k-major (once, shared by the threads)
//       threads split the panel's rows (or columns); each, for ic over its rows in steps of MC:
//         pack op(A)[ic:+MC, pc:+KC] -> Ap     slivers of MR rows, k-major (read in place if A is row-major)
//         for each A sliver (it stays in L1), for each Bp sliver (from L2):
//           acc = A sliver · Bp sliver         the micro-kernel: MR*NR sums in registers
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
#include "kernels/kernels.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <memory>
#include <new>

#if defined(__AVX2__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace llm::kernels {

using std::size_t;

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

// Work below which a GEMM stays on one thread (multiply-adds, M*N*K), and
// the size of a B panel (floats) from which the threads share its packing.
constexpr double kParallelMinWork = 64.0 * 64.0 * 64.0;
constexpr size_t kParallelPackMin = size_t(1) << 12;

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

#if defined(__AVX512F__)
// The AVX-512 micro-kernel: the plain one (#else) written with intrinsics, so
// that the 12 sums are registers from the start (set to zero, not a zeroed
// array the compiler copies in and out of the stack) and go straight into C
// with masked loads and stores at the edges. _mm512_fmadd_ps is std::fma in
// every lane: each C[i,j] is the same chain, the same bits
// (tests/test_gemm.cpp). Row i of the sliver: a[k*6 + i] packed, or
// a[i*a_row + k] read in place.
static_assert(MR == 6 && NR == 32, "the AVX-512 micro-kernel is written for a 6 x 32 tile");
inline void micro_kernel_avx512(int kc, const float* __restrict Ap, const float* __restrict Bp, float* __restrict C,
                                size_t ldc, int m, int n, bool overwrite, size_t a_row, const float* __restrict bias) {
    __m512 t[MR][2];                                    // (every loop over i unrolled: t stays in registers)
#pragma GCC unroll 6
    for (int i = 0; i < MR; ++i) t[i][0] = t[i][1] = _mm512_setzero_ps();
    const size_t step = a_row ? 1 : MR, row = a_row ? a_row : 1;   // a(i, k) = Ap[k * step + i * row]
    for (int k = 0; k < kc; ++k) {
        const __m512 b0 = _mm512_loadu_ps(Bp + size_t(k) * NR), b1 = _mm512_loadu_ps(Bp + size_t(k) * NR + 16);
        const float* a = Ap + size_t(k) * step;
#pragma GCC unroll 6
        for (int i = 0; i < MR; ++i) {
            const __m512 ai = _mm512_set1_ps(a[size_t(i) * row]);
            t[i][0] = _mm512_fmadd_ps(ai, b0, t[i][0]);
            t[i][1] = _mm512_fmadd_ps(ai, b1, t[i][1]);
        }
    }
    const __mmask16 lo = n >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << n) - 1u);
    const __mmask16 hi = n >= 32 ? __mmask16(0xffff) : n <= 16 ? __mmask16(0) : static_cast<__mmask16>((1u << (n - 16)) - 1u);
    const __m512 bias0 = bias ? _mm512_maskz_loadu_ps(lo, bias) : _mm512_setzero_ps();
    const __m512 bias1 = bias ? _mm512_maskz_loadu_ps(hi, bias + 16) : _mm512_setzero_ps();
#pragma GCC unroll 6
    for (int i = 0; i < MR; ++i) {                      // C = t, or C + t; then + bias (rows i < m)
        if (i >= m) break;
        float* c = C + size_t(i) * ldc;
        __m512 v0 = overwrite ? t[i][0] : _mm512_add_ps(_mm512_maskz_loadu_ps(lo, c), t[i][0]);
        __m512 v1 = overwrite ? t[i][1] : _mm512_add_ps(_mm512_maskz_loadu_ps(hi, c + 16), t[i][1]);
        if (bias) v0 = _mm512_add_ps(v0, bias0), v1 = _mm512_add_ps(v1, bias1);
        _mm512_mask_storeu_ps(c, lo, v0);
        _mm512_mask_storeu_ps(c + 16, hi, v1);
    }
}
#else
// The micro-kernel (R x W = MR x NR): t[i][j] = sum_k Ap[k*R + i] * Bp[k*W + j], k in order,
// then the C tile (m x n valid entries of R x W, row stride ldc) = t, or += t.
// Written for the vectorizer: the j loop becomes W/16 (or W/8) vector FMAs per
// row, and t (R*W/16 registers) never touches memory: it starts as zeros in
// registers and goes straight into C. (clang unrolls the k loop by default and
// then runs out of registers: not here.)
// A sliver is read as Ap[k * R + i] when packed, or (a_row != 0) straight from
// a row-major A as Ap[i * a_row + k]: same values, same order.
inline void micro_kernel(int kc, const float* __restrict Ap, const float* __restrict Bp, float* __restrict C,
                         size_t ldc, int m, int n, bool overwrite, size_t a_row, const float* __restrict bias) {
    constexpr int R = MR, W = NR;
    float t[R][W];
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < W; ++j) t[i][j] = 0.0f;
    if (a_row == 0) {
#if defined(__clang__)
#pragma clang loop unroll(disable)
#endif
        for (int k = 0; k < kc; ++k) {
            const float* a = Ap + k * R;
            const float* b = Bp + k * W;
            for (int i = 0; i < R; ++i)
                for (int j = 0; j < W; ++j) t[i][j] = std::fma(a[i], b[j], t[i][j]);
        }
    } else {
#if defined(__clang__)
#pragma clang loop unroll(disable)
#endif
        for (int k = 0; k < kc; ++k) {
            const float* b = Bp + k * W;
            for (int i = 0; i < R; ++i)
                for (int j = 0; j < W; ++j) t[i][j] = std::fma(Ap[i * a_row + k], b[j], t[i][j]);
        }
    }
    if (m == R && n == W) {                 // the common full tile: constant bounds, vectorized
        if (bias)                           // the last slab of a GEMM with a bias: C = (C + t) + bias
            for (int i = 0; i < R; ++i)
                for (int j = 0; j < W; ++j) C[i * ldc + j] = (overwrite ? t[i][j] : C[i * ldc + j] + t[i][j]) + bias[j];
        else
            for (int i = 0; i < R; ++i)
                for (int j = 0; j < W; ++j) C[i * ldc + j] = overwrite ? t[i][j] : C[i * ldc + j] + t[i][j];
        return;
    }
    float acc[R][W];                        // an edge tile: through memory, only the valid part stored
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < W; ++j) acc[i][j] = t[i][j];
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
            const float v = overwrite ? acc[i][j] : C[i * ldc + j] + acc[i][j];
            C[i * ldc + j] = bias ? v + bias[j] : v;
        }
}

#endif  // AVX-512, or the plain micro-kernel

// A per-thread packing buffer of N floats, allocated once (64-byte aligned) and reused.
template <size_t N>
struct PackBuffer {
    struct Free { void operator()(float* p) const { ::operator delete[](p, std::align_val_t(64)); } };
    std::unique_ptr<float[], Free> p{static_cast<float*>(::operator new[](sizeof(float) * N, std::align_val_t(64)))};
    float* get() const { return p.get(); }
};
using PackA = PackBuffer<size_t(MC) * KC>;   // an MC x KC block of op(A), on the thread that computes it
using PackB = PackBuffer<size_t(KC) * NC>;   // a KC x NC panel of op(B), on the thread that calls gemm

// Rows i0..i1-1 and panel columns jr0..jr1-1 of C's panel (jc, pc): op(B)'s
// panel is already packed in Bp (shared by the threads); A is read in place
// when stored row-major (its slivers are contiguous in k already), packed
// otherwise (and for a last partial sliver), into this thread's buffer.
void gemm_panel(const Operand& A, const float* Bp, int pc, int kc, int jc, float* C, size_t ldc, int i0, int i1,
                int jr0, int jr1, bool overwrite, const float* bias) {   // bias: C's column jc's, or nullptr
    thread_local PackA pack_a_buf;
    float* Ap = pack_a_buf.get();
    for (int ic = i0; ic < i1; ic += MC) {
        const int mc = std::min(MC, i1 - ic);
        if (A.trans) pack_a(A, ic, mc, pc, kc, Ap);
        for (int ir = 0; ir < mc; ir += MR) {
            const int m = std::min(MR, mc - ir);
            const float* a = Ap + size_t(ir) * kc;
            size_t a_row = 0;
            if (!A.trans && m == MR) a = A.p + size_t(ic + ir) * A.ld + pc, a_row = A.ld;
            else if (!A.trans) pack_a(A, ic + ir, m, pc, kc, Ap), a = Ap;
            for (int jr = jr0; jr < jr1; jr += NR)
#if defined(__AVX512F__)
                micro_kernel_avx512(kc, a, Bp + size_t(jr) * kc, C + size_t(ic + ir) * ldc + (jc + jr), ldc, m,
                                    std::min(NR, jr1 - jr), overwrite, a_row, bias ? bias + jr : nullptr);
#else
                micro_kernel(kc, a, Bp + size_t(jr) * kc, C + size_t(ic + ir) * ldc + (jc + jr), ldc, m,
                                     std::min(NR, jr1 - jr), overwrite, a_row, bias ? bias + jr : nullptr);
#endif
        }
    }
}

// ---------------------------------------------------------------------------
// Small products (attention's per-head T x T and T x D blocks): there the
// blocked path's packing and 6 x 32 tile cost more than the arithmetic, and a
// 32-wide tile is half padding when N = 16. So for M, N, K <= 64: slivers of
// 16 columns of op(B) (read in place when B is row-major and N a multiple of
// 16, else packed, zero-padded), SR rows of op(A) packed k-major (as pack_a),
// and an SR x 16 tile of sums: one 16-float vector per row.
//
// g++ turns the plain loop for a 16-wide tile into shuffles, 5 to 10 times
// slower than the 32-wide one (measured), so where the CPU has them the tile
// is written with vector intrinsics: _mm512_fmadd_ps and _mm256_fmadd_ps are
// std::fma in every lane. Each C[i,j] is the same fma chain over k = 0..K-1
// from 0, stored the same way, so (K <= KC) the bits equal the blocked path's
// (tests/test_gemm.cpp checks all three paths against that chain).

#if defined(__AVX512F__)
constexpr int SR = 8;                        // 8 rows: 8 vector accumulators of 16 floats
#else
constexpr int SR = 4;                        // 4 rows: 8 AVX2 accumulators of 8 floats
#endif
constexpr int SN = 16;
constexpr int kSmallMax = 64;                // M, N, K all at most this: the small path

// t[i][j] = sum_k a[k*SR + i] * b[k*ldb + j], k in order (j < 16); then rows
// i < m, columns j < n of C (row stride ldc) = t, or += t.
inline void small_tile(int K, const float* a, const float* b, size_t ldb, float* C, size_t ldc, int m, int n,
                       bool overwrite, const float* bias) {
#if defined(__AVX512F__)
    __m512 t[SR];
    for (int i = 0; i < SR; ++i) t[i] = _mm512_setzero_ps();
    for (int k = 0; k < K; ++k) {
        const __m512 bk = _mm512_loadu_ps(b + size_t(k) * ldb);
        for (int i = 0; i < SR; ++i) t[i] = _mm512_fmadd_ps(_mm512_set1_ps(a[k * SR + i]), bk, t[i]);
    }
    const __mmask16 cols = static_cast<__mmask16>((1u << n) - 1u);
    const __m512 bv = bias ? _mm512_maskz_loadu_ps(cols, bias) : _mm512_setzero_ps();
    for (int i = 0; i < m; ++i) {
        float* c = C + size_t(i) * ldc;
        const __m512 v = overwrite ? t[i] : _mm512_add_ps(_mm512_maskz_loadu_ps(cols, c), t[i]);
        _mm512_mask_storeu_ps(c, cols, bias ? _mm512_add_ps(v, bv) : v);   // (C + t) + bias
    }
#else
    alignas(32) float t[SR][SN];
#if defined(__AVX2__) && defined(__FMA__)
    __m256 lo[SR], hi[SR];
    for (int i = 0; i < SR; ++i) lo[i] = hi[i] = _mm256_setzero_ps();
    for (int k = 0; k < K; ++k) {
        const __m256 b0 = _mm256_loadu_ps(b + size_t(k) * ldb), b1 = _mm256_loadu_ps(b + size_t(k) * ldb + 8);
        for (int i = 0; i < SR; ++i) {
            const __m256 ai = _mm256_set1_ps(a[k * SR + i]);
            lo[i] = _mm256_fmadd_ps(ai, b0, lo[i]);
            hi[i] = _mm256_fmadd_ps(ai, b1, hi[i]);
        }
    }
    for (int i = 0; i < SR; ++i) _mm256_store_ps(t[i], lo[i]), _mm256_store_ps(t[i] + 8, hi[i]);
#else
    for (int i = 0; i < SR; ++i)
        for (int j = 0; j < SN; ++j) t[i][j] = 0.0f;
    for (int k = 0; k < K; ++k)
        for (int i = 0; i < SR; ++i)
            for (int j = 0; j < SN; ++j) t[i][j] = std::fma(a[k * SR + i], b[size_t(k) * ldb + j], t[i][j]);
#endif
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
            const float v = overwrite ? t[i][j] : C[size_t(i) * ldc + j] + t[i][j];
            C[size_t(i) * ldc + j] = bias ? v + bias[j] : v;
        }
#endif
}

void gemm_small(const Operand& A, const Operand& B, int M, int N, int K, float* C, size_t ldc, bool accumulate,
                const float* bias) {
    alignas(64) float Bp[kSmallMax * kSmallMax];                 // op(B): slivers of SN columns, k-major, zero-padded
    alignas(64) float Ap[SR * kSmallMax];                        // SR rows of op(A), k-major
    const bool in_place = !B.trans && N % SN == 0;               // op(B)'s rows hold whole slivers already
    if (!in_place)
        for (int j0 = 0; j0 < N; j0 += SN) {
            float* sliver = Bp + size_t(j0) * K;
            const int cols = std::min(SN, N - j0);
            if (cols < SN) std::fill_n(sliver, size_t(SN) * K, 0.0f);
            if (!B.trans)                                        // row k of op(B) is contiguous
                for (int k = 0; k < K; ++k) std::copy_n(B.p + size_t(k) * B.ld + j0, cols, sliver + k * SN);
            else                                                 // column j of op(B) is contiguous
                for (int j = 0; j < cols; ++j)
                    for (int k = 0; k < K; ++k) sliver[k * SN + j] = B.p[size_t(j0 + j) * B.ld + k];
        }
    for (int i0 = 0; i0 < M; i0 += SR) {
        const int rows = std::min(SR, M - i0);
        if (rows < SR) std::fill_n(Ap, size_t(SR) * K, 0.0f);   // rows past M: zeros, never stored
        if (!A.trans && rows == SR)                              // SR rows stream in, k-major out
            for (int k = 0; k < K; ++k)
                for (int i = 0; i < SR; ++i) Ap[k * SR + i] = A.p[size_t(i0 + i) * A.ld + k];
        else if (!A.trans)
            for (int i = 0; i < rows; ++i)
                for (int k = 0; k < K; ++k) Ap[k * SR + i] = A.p[size_t(i0 + i) * A.ld + k];
        else if (rows == SR)                                     // A^T: SR contiguous floats per k
            for (int k = 0; k < K; ++k) std::copy_n(A.p + size_t(k) * A.ld + i0, SR, Ap + k * SR);
        else
            for (int k = 0; k < K; ++k)
                for (int i = 0; i < rows; ++i) Ap[k * SR + i] = A.p[size_t(k) * A.ld + i0 + i];
        for (int j0 = 0; j0 < N; j0 += SN) {
            const float* b = in_place ? B.p + j0 : Bp + size_t(j0) * K;
            small_tile(K, Ap, b, in_place ? B.ld : size_t(SN), C + size_t(i0) * ldc + j0, ldc, rows,
                       std::min(SN, N - j0), !accumulate, bias ? bias + j0 : nullptr);
        }
    }
}

}  // namespace

void gemm(bool trans_a, bool trans_b, int M, int N, int K,
          std::span<const float> A, std::span<const float> B,
          std::span<float> C, bool accumulate) {
    gemm(trans_a, trans_b, M, N, K, A, size_t(trans_a ? M : K), B, size_t(trans_b ? K : N), C, size_t(N), accumulate);
}

namespace {
void gemm_impl(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A, size_t lda,
               std::span<const float> B, size_t ldb, std::span<float> C, size_t ldc, bool accumulate,
               const float* bias) {
    // a stored matrix of `rows` rows of `cols` floats, ld apart, fits in `size` floats
    [[maybe_unused]] auto fits = [](size_t size, int rows, int cols, size_t ld) {
        return rows == 0 || cols == 0 || (ld >= size_t(cols) && (size_t(rows) - 1) * ld + size_t(cols) <= size);
    };
    assert(fits(A.size(), trans_a ? K : M, trans_a ? M : K, lda));
    assert(fits(B.size(), trans_b ? N : K, trans_b ? K : N, ldb));
    assert(fits(C.size(), M, N, ldc));
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {                           // an empty sum
        if (!accumulate)
            for (int i = 0; i < M; ++i) std::fill_n(C.begin() + std::ptrdiff_t(size_t(i) * ldc), N, 0.0f);
        if (bias)
            for (int i = 0; i < M; ++i)
                for (int j = 0; j < N; ++j) C[size_t(i) * ldc + size_t(j)] += bias[j];
        return;
    }
    const Operand a{A.data(), lda, trans_a};   // A stored K x M, or M x K
    const Operand b{B.data(), ldb, trans_b};   // B stored N x K, or K x N

    if (M <= kSmallMax && N <= kSmallMax && K <= kSmallMax) {
        static_assert(kSmallMax <= KC, "the small path must sum in one slab to match the blocked path");
        gemm_small(a, b, M, N, K, C.data(), ldc, accumulate, bias);
        return;
    }

    // For each panel of op(B) (KC x NC), packed once (by all threads from 4K
    // floats) into this thread's buffer and read by all, the
    // threads split C's panel into bands of whole tiles: by rows when M >= N,
    // else by columns. Four bands per thread, claimed as threads come free, so
    // that a thread the system delays holds up at most a small band.
    thread_local PackB pack_b_buf;
    float* Bp = pack_b_buf.get();
    const double work = double(M) * N * K;
    const int threads = work >= kParallelMinWork ? num_threads() : 1;
    for (int jc = 0; jc < N; jc += NC) {
        const int nc = std::min(NC, N - jc);
        for (int pc = 0; pc < K; pc += KC) {
            const int kc = std::min(KC, K - pc);
            const bool overwrite = pc == 0 && !accumulate;
            const float* slab_bias = bias && pc + kc == K ? bias + jc : nullptr;   // added after the last slab
            const int slivers = (nc + NR - 1) / NR;          // a big panel is packed by all threads
            const int parts = threads > 1 && size_t(kc) * size_t(nc) >= kParallelPackMin ? std::min(slivers, threads) : 1;
            parallel_for(parts, [&](int p) {
                const int s0 = slivers * p / parts, s1 = slivers * (p + 1) / parts;
                pack_b(b, pc, kc, jc + s0 * NR, std::min(nc, s1 * NR) - s0 * NR, Bp + size_t(s0) * NR * kc);
            });
            const bool by_rows = M >= nc;
            const int extent = by_rows ? M : nc, tile = by_rows ? MR : NR, tiles = (extent + tile - 1) / tile;
            const int bands = std::max(1, std::min(threads == 1 ? 1 : 4 * threads, tiles));
            parallel_for(bands, [&](int p) {
                const int lo = std::min(extent, tiles * p / bands * tile);
                const int hi = std::min(extent, tiles * (p + 1) / bands * tile);
                if (by_rows) gemm_panel(a, Bp, pc, kc, jc, C.data(), ldc, lo, hi, 0, nc, overwrite, slab_bias);
                else gemm_panel(a, Bp, pc, kc, jc, C.data(), ldc, 0, M, lo, hi, overwrite, slab_bias);
            });
        }
    }
}
}  // namespace

void gemm(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A, size_t lda,
          std::span<const float> B, size_t ldb, std::span<float> C, size_t ldc, bool accumulate) {
    gemm_impl(trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc, accumulate, nullptr);
}

// The bias added as each tile of C is stored, after its last slab: the same
// (sum) + bias[j] as a separate pass, without reading C back from memory.
void gemm_bias(bool trans_a, bool trans_b, int M, int N, int K, std::span<const float> A, std::span<const float> B,
               std::span<const float> bias, std::span<float> C) {
    assert(bias.size() >= size_t(N));
    gemm_impl(trans_a, trans_b, M, N, K, A, size_t(trans_a ? M : K), B, size_t(trans_b ? K : N), C, size_t(N), false,
              bias.data());
}

}  // namespace llm::kernels
