#pragma once

// What the campaign's source files share and nothing else needs: the purposes of its
// random draws and two small helpers (the behavioural constants are in Audience).

#include <cmath>
#include <cstdint>

#include "sim/engine/random.hpp"

namespace buzz::dynamics::campaign_detail {

// What each draw decides. A namespace of their own: the campaign's Flow counts have names
// such as kPaid too, and one of them once stood in for the paid draw's purpose.
namespace draw {
constexpr engine::Purpose affinity{0xca01}, follow_at_start{0xca02}, first_session{0xca03},
    next_session{0xca04}, item{0xca05}, paid{0xca06}, event{0xca07}, detractor{0xca08},
    advocate_pick{0xca09}, organic{0xca0a}, story{0xca0b}, acquire{0xca0c}, post_quality{0xca0d},
    wake{0xca0e}, history{0xca0f};
}  // namespace draw

constexpr double kFixedPoint = 1 << 20;  // sentiment and awareness sums as exact integers

// std::llround (half away from zero) for |x| < 2^52, inline: the daily record rounds two
// values per person, and the library call was 2% of a page's run. Exact: x less its
// truncation is representable.
inline std::int64_t round_to_integer(double x) {
  const auto t = static_cast<std::int64_t>(x);
  const double rest = x - double(t);
  return t + (rest >= 0.5) - (rest <= -0.5);
}

inline double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Eight uniforms in [0, 1) from one draw's four words.
inline double u32(const engine::Random::Bits& b, int i) {
  return double((b[i / 2] >> (32 * (i % 2))) & 0xffffffffu) * 0x1.0p-32;
}

}  // namespace buzz::dynamics::campaign_detail
