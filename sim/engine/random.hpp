#pragma once

#include <Random123/philox.h>
#include <Random123/boxmuller.hpp>
#include <array>
#include <cstdint>

namespace buzz::engine {

// Counter-based random numbers (Philox4x64-10, Salmon et al. 2011, via Random123).
//
// A draw is a pure function of (seed, stream, tick, subject, purpose, index): no generator
// state is shared or advanced, so the draws a kernel makes do not depend on how agents are
// split over threads. `stream` is the replicate (or a fixed id for graph generation),
// `subject` an agent, an edge or a pair of agents, and `purpose` a constant naming what
// the draw decides, so two decisions about the same agent in the same tick never share
// bits.
// What a draw decides: a constant per decision (each model and stage names its own, e.g.
// `constexpr engine::Purpose kRecover{2}`). A type of its own, so that a count or a value
// of another enum cannot be passed for it by mistake.
enum class Purpose : std::uint32_t {};

class Random {
 public:
  using Bits = std::array<std::uint64_t, 4>;

  Random(std::uint64_t seed, std::uint64_t stream) : key_{{seed, stream}} {}

  // A stream of its own for `salt`, keyed by this one's seed and stream: for draws made
  // outside the run's usual keys (a live change's new schedule) that must still follow the
  // run's seed.
  Random derived(std::uint64_t salt) const {
    const Bits b = bits(salt, 0, Purpose{0xde41});
    return Random(b[0], b[1]);
  }

  // Four independent uniform 64-bit words.
  Bits bits(std::uint64_t tick, std::uint64_t subject, Purpose purpose,
            std::uint32_t index = 0) const {
    const Philox::ctr_type ctr = {{tick, subject, (std::uint64_t(purpose) << 32) | index, 0}};
    const Philox::ctr_type out = Philox()(ctr, key_);
    return {out[0], out[1], out[2], out[3]};
  }

  // Uniform in [0, 1), 53 bits.
  double uniform(std::uint64_t tick, std::uint64_t subject, Purpose purpose,
                 std::uint32_t index = 0) const {
    return to_unit(bits(tick, subject, purpose, index)[0]);
  }

  // True with probability p.
  bool bernoulli(double p, std::uint64_t tick, std::uint64_t subject, Purpose purpose,
                 std::uint32_t index = 0) const {
    return uniform(tick, subject, purpose, index) < p;
  }

  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-32 for n < 2^32).
  std::uint64_t below(std::uint64_t n, std::uint64_t tick, std::uint64_t subject, Purpose purpose,
                      std::uint32_t index = 0) const {
    return to_below(bits(tick, subject, purpose, index)[0], n);
  }

  // Standard normal.
  double normal(std::uint64_t tick, std::uint64_t subject, Purpose purpose,
                std::uint32_t index = 0) const {
    const Bits b = bits(tick, subject, purpose, index);
    return r123::boxmuller(b[0], b[1]).x;
  }

  static double to_unit(std::uint64_t word) { return double(word >> 11) * 0x1.0p-53; }
  static std::uint64_t to_below(std::uint64_t word, std::uint64_t n) {
    __extension__ using Wide = unsigned __int128;
    return static_cast<std::uint64_t>((static_cast<Wide>(word) * n) >> 64);
  }

 private:
  using Philox = r123::Philox4x64;
  Philox::key_type key_;
};

// Uniforms for kernels that make one draw per tie of a whole graph (the independent
// cascade's transmissions), where Random's four words per draw would go three unused:
// Random123's two-word Philox2x64 at 7 rounds, a third of the multiplications of a
// Random draw. Its authors know of no statistical flaw from 6 rounds (Random123's
// philox.h); their default of 10 left the cascade slower than limit_bfs's
// (bench/RESULTS.md). Keyed by a word of `random`'s
// for `purpose`, so each replicate and decision has draws of its own; each draw a pure
// function of (subject, index), as Random's are.
class TieRandom {
 public:
  TieRandom(const Random& random, Purpose purpose) : key_{{random.bits(0, 0, purpose)[0]}} {}

  // Uniform in [0, 1), 53 bits.
  double uniform(std::uint64_t subject, std::uint64_t index = 0) const {
    const Philox::ctr_type ctr = {{subject, index}};
    return Random::to_unit(Philox()(ctr, key_)[0]);
  }

 private:
  using Philox = r123::Philox2x64_R<7>;
  Philox::key_type key_;
};

// Subject id of an ordered pair of agents, for draws about one directed tie.
constexpr std::uint64_t pair_subject(std::uint32_t from, std::uint32_t to) {
  return (std::uint64_t{from} << 32) | to;
}

}  // namespace buzz::engine
