#include "sim/dynamics/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace buzz::dynamics {

namespace {
constexpr engine::Purpose kJitter{0x5c4e};
constexpr engine::Purpose kSporadicDay{0x5c4f};
}  // namespace

std::vector<std::uint32_t> post_ticks(const Brand& brand, std::uint32_t brand_index,
                                      double tick_hours, const engine::Random& random) {
  if (!brand.calendar.empty()) {
    std::vector<std::uint32_t> ticks;
    for (const auto& post : brand.calendar) ticks.push_back(post.tick);
    return ticks;
  }
  if (brand.end_tick < brand.start_tick) return {};
  const double span = brand.end_tick - brand.start_tick + 1.0;  // ticks
  const auto posts =
      static_cast<std::uint32_t>(std::llround(brand.posts_per_week * span * tick_hours / (7 * 24)));
  std::vector<std::uint32_t> ticks;
  ticks.reserve(posts);
  const auto at = [&](double offset) {
    const double t = brand.start_tick + std::clamp(offset, 0.0, span - 1e-9);
    return static_cast<std::uint32_t>(std::floor(t));
  };
  const double gap = span / std::max<std::uint32_t>(posts, 1);
  switch (brand.regularity) {
    case Regularity::regular:
      for (std::uint32_t k = 0; k < posts; ++k) ticks.push_back(at((k + 0.5) * gap));
      break;
    case Regularity::jittered:
      for (std::uint32_t k = 0; k < posts; ++k) {
        const double u = random.uniform(0, brand_index, kJitter, k) - 0.5;
        ticks.push_back(at((k + 0.5 + u) * gap));
      }
      break;
    case Regularity::bursty:
    case Regularity::sporadic: {
      // Bursts of burst_size posts, one hour apart (at least a tick).
      const std::uint32_t bursts = (posts + brand.burst_size - 1) / brand.burst_size;
      const double hour = std::max(1.0, 1.0 / tick_hours);
      const double day = std::max(1.0, 24.0 / tick_hours);
      std::vector<double> starts;
      if (brand.regularity == Regularity::bursty) {
        for (std::uint32_t k = 0; k < bursts; ++k) starts.push_back(k * span / bursts);
      } else {
        // Distinct random days: the first `bursts` of the days in a random order.
        const auto days = static_cast<std::uint32_t>(std::max(1.0, std::floor(span / day)));
        std::vector<std::uint32_t> order(days);
        std::iota(order.begin(), order.end(), 0u);
        for (std::uint32_t i = 0; i + 1 < days; ++i) {
          const auto j = i + random.below(days - i, 0, brand_index, kSporadicDay, i);
          std::swap(order[i], order[j]);
        }
        for (std::uint32_t k = 0; k < bursts; ++k) starts.push_back(order[k % days] * day);
      }
      for (std::uint32_t k = 0; k < posts; ++k) {
        ticks.push_back(at(starts[k / brand.burst_size] + (k % brand.burst_size) * hour));
      }
      break;
    }
  }
  std::sort(ticks.begin(), ticks.end());
  return ticks;
}

}  // namespace buzz::dynamics
