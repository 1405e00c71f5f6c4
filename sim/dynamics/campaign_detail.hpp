#pragma once

// What the campaign's source files share and nothing else needs: the purposes of its
// random draws and two small helpers (the behavioural constants are in Audience).

#include <cmath>
#include <cstdint>

#include "sim/engine/random.hpp"

namespace buzz::dynamics::campaign_detail {

// What each draw decides.
enum Purpose : std::uint32_t {
  kAffinity = 0xca01,
  kFollowAtStart,
  kFirstSession,
  kNextSession,
  kItem,
  kPaid,
  kEvent,
  kDetractor,
  kAdvocatePick,
  kOrganic,
  kStory,
  kAcquire,
  kPostQuality,
};

constexpr double kFixedPoint = 1 << 20;  // sentiment and awareness sums as exact integers

inline double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Eight uniforms in [0, 1) from one draw's four words.
inline double u32(const engine::Random::Bits& b, int i) {
  return double((b[i / 2] >> (32 * (i % 2))) & 0xffffffffu) * 0x1.0p-32;
}

}  // namespace buzz::dynamics::campaign_detail
