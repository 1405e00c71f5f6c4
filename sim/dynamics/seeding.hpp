#pragma once

#include <vector>

#include "sim/dynamics/spec.hpp"
#include "sim/engine/random.hpp"
#include "sim/graph/graph.hpp"

namespace buzz::dynamics {

// The agents who start a cascade, ascending: the listed nodes and names if any, else `count` of
// them. Random seeds are a uniform sample without replacement (Floyd's algorithm) from
// the replicate's stream; top-degree seeds are the highest out-degrees, ties to the lower
// id. Seeds must exist in the graph.
std::vector<graph::Vertex> choose_seeds(const graph::Graph& graph, const Seeding& seeding,
                                        const engine::Random& random);

}  // namespace buzz::dynamics
