#pragma once

#include <cstdint>

#include "sim/graph/graph.hpp"
#include "sim/graph/spec.hpp"

namespace buzz::graph {

// The graph a spec describes, with activity attached. Reads files for an EdgeListSpec and
// throws InputError on a bad one.
Graph build(const GraphSpec& spec, const PopulationSpec& population, std::uint64_t seed);

}  // namespace buzz::graph
