#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/graph/graph.hpp"

namespace buzz::viz {

// Positions of the agents in [-1, 1] x [-1, 1].
struct Layout {
  std::vector<float> x, y;
};

// Communities as clusters: each community is a disk (area in proportion to its size)
// placed by a force-directed layout of the community graph (Fruchterman & Reingold 1991,
// with a grid for the repulsion, so O(communities) per iteration); inside its disk each
// person starts on a sunflower spiral, hubs in the middle, and is pulled towards their
// friends in the same community for a few rounds. O(agents + ties); 100,000 agents take a
// fraction of a second.
Layout community_layout(const graph::Graph& graph, std::uint64_t seed);

// The same, cached on disk under `cache_dir` by `key` (the graph's spec and seed): a
// graph is laid out once.
Layout cached_layout(const graph::Graph& graph, std::uint64_t seed, const std::string& key,
                     const std::filesystem::path& cache_dir);

}  // namespace buzz::viz
