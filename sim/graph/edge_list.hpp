#pragma once

#include "sim/graph/generators.hpp"
#include "sim/graph/spec.hpp"

#include <cstdint>

namespace buzz::graph {

// What an edge list may hold: at most 500 million nodes and a file of at most 32 GiB
// (about two billion lines), so that a header or an id cannot ask for more memory than a
// large machine has.
inline constexpr std::uint64_t kMaxEdgeListNodes = 500'000'000;
inline constexpr std::uint64_t kMaxEdgeListBytes = std::uint64_t{32} << 30;

// Reads a SNAP-style edge list: one "source target" pair of non-negative integer ids per
// line (further columns ignored), blank lines and `#` comments skipped. The node count
// is the spec's, else a "# Nodes: N" comment's, else the largest id + 1. Self-loops and
// repeated ties are dropped. The optional community file holds "node community" pairs;
// nodes it does not list share one extra community.
//
// Reads only regular files. Throws InputError naming the file, the line and what is wrong.
Topology read_edge_list(const EdgeListSpec& spec);

}  // namespace buzz::graph
