#pragma once

#include <cstdint>
#include <variant>

#include "sim/dynamics/campaign_spec.hpp"

// Plain parameters of each dynamics. Defaults, units and ranges live in
// proto/scenario.proto; these structs hold values the scenario loader has validated.
namespace buzz::dynamics {

enum class SeedStrategy { random, top_degree };

struct Seeding {
  std::uint32_t count = 1;
  SeedStrategy strategy = SeedStrategy::random;
};

struct IndependentCascadeParams {
  double p;  // chance that a newly active person activates a given neighbour
  Seeding seeds;
};

struct SirParams {
  double beta;   // chance per tick that an infectious person infects a susceptible neighbour
  double gamma;  // chance per tick that an infectious person recovers
  Seeding seeds;
};

using DynamicsSpec = std::variant<IndependentCascadeParams, SirParams, CampaignParams>;

}  // namespace buzz::dynamics
