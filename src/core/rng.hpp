#pragma once
// A seeded random number generator whose draws are the same bytes under every
// compiler and standard library. std::mt19937 is portable, but the std::
// distributions are not (std::normal_distribution's algorithm is left to the
// implementation), so the transforms are written here.
//
//   engine   xoshiro256** (Blackman & Vigna), state seeded by splitmix64
//   uniform  the top 24 bits of a draw, times 2^-24: exact floats in [0, 1)
//   normal   Box–Muller on two uniforms, in double, then rounded to float
#include <cstdint>
#include <span>
#include <vector>

namespace llm {

// Draw i of the splitmix64 sequence that starts at `key` (Steele, Lea &
// Flood 2014): the sequence's state after i+1 steps is key + (i+1)*gamma, so
// any draw can be computed directly, in any order, on any thread, in vector
// lanes, with the same result. Dropout draws its masks this way.
inline std::uint64_t splitmix64_at(std::uint64_t key, std::uint64_t i) {
    std::uint64_t z = key + (i + 1) * 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class Rng {
public:
    explicit Rng(std::uint64_t seed = 42);
    std::uint64_t next_u64() {                        // inline: initializers draw one per element
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    float uniform() { return static_cast<float>(next_u64() >> 40) * 0x1.0p-24f; }   // [0, 1)
    float uniform(float lo, float hi);                // [lo, hi)
    float normal(float mean = 0.0f, float stddev = 1.0f);
    std::uint32_t below(std::uint32_t n);             // uniform integer in [0, n), unbiased
    template <class T>
    void shuffle(std::vector<T>& v) {                 // Fisher–Yates
        for (std::size_t i = v.size(); i > 1; --i) {
            const std::size_t j = below(static_cast<std::uint32_t>(i));
            std::swap(v[i - 1], v[j]);
        }
    }
private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
    bool has_spare_ = false;
    double spare_ = 0.0;
};

}  // namespace llm
