#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sim/dynamics/campaign_spec.hpp"

// Plain parameters of each dynamics. Defaults, units and ranges live in
// proto/scenario.proto; these structs hold values the scenario loader has validated.
namespace buzz::dynamics {

enum class SeedStrategy { random, top_degree };

struct Seeding {
  std::uint32_t count = 1;
  SeedStrategy strategy = SeedStrategy::random;
  std::vector<std::uint32_t> nodes;  // exactly these, when not empty (with names)
  std::vector<std::string> names;    // these by the graph's names for them
};

struct IndependentCascadeParams {
  double p;  // chance that a newly active person activates a given neighbour
  Seeding seeds;
};

struct SirParams {
  double beta;   // chance per tick that an infectious person infects a susceptible neighbour
  double gamma;  // chance per tick that an infectious person recovers
  Seeding seeds;
  bool reinfection = false;      // SIS: recovered people are susceptible again
  bool continuous_time = false;  // event-driven, with the rates below
  double transmission_rate = 0;  // per tie per tick
  double recovery_rate = 0;      // per tick
};

enum class Mixing { graph, full };

struct BassParams {
  double p, q;  // per year
  Mixing mixing;
  double years_per_tick;
};

// Threshold rules of the three threshold models.
enum class ThresholdRule {
  linear,    // Kempe et al.: random uniform thresholds, neighbours weighted 1 / in-degree
  fraction,  // Watts: adopted fraction of neighbours >= threshold
  count,     // complex contagion: adopted neighbours >= k
};

struct ThresholdParams {
  ThresholdRule rule;
  double threshold = 0;  // fraction rule
  std::uint32_t k = 0;   // count rule
  Seeding seeds;
};

enum class RumourVariant { maki_thompson, daley_kendall };

struct RumourParams {
  RumourVariant variant;
  Mixing mixing;
  Seeding seeds;
};

using DynamicsSpec = std::variant<IndependentCascadeParams, SirParams, CampaignParams, BassParams,
                                  ThresholdParams, RumourParams>;

}  // namespace buzz::dynamics
