#pragma once

#include <cstdint>
#include <vector>

#include "sim/dynamics/campaign_spec.hpp"
#include "sim/engine/random.hpp"

namespace buzz::dynamics {

// The ticks at which a brand posts, ascending, within [brand.start_tick, brand.end_tick].
// Every regularity gives the same number of posts, round(posts_per_week * weeks), so
// schedules can be compared post for post (C2):
//   regular   evenly spaced;
//   jittered  evenly spaced, each moved by up to half a gap either way;
//   bursty    bursts of burst_size posts one hour apart, the bursts evenly spaced;
//   sporadic  the same bursts on random days.
// Draws come from `random` keyed by the brand's index. A brand with a calendar posts at its
// calendar's ticks instead.
std::vector<std::uint32_t> post_ticks(const Brand& brand, std::uint32_t brand_index,
                                      double tick_hours, const engine::Random& random);

}  // namespace buzz::dynamics
