#pragma once

#include "sim/graph/generators.hpp"
#include "sim/graph/spec.hpp"

namespace buzz::graph {

// Reads a SNAP-style edge list: one "source target" pair of non-negative integer ids per
// line (further columns ignored), blank lines and `#` comments skipped. The node count
// is the spec's, else a "# Nodes: N" comment's, else the largest id + 1. Self-loops and
// repeated ties are dropped. The optional community file holds "node community" pairs;
// nodes it does not list share one extra community.
//
// Throws InputError naming the file, the line and what is wrong.
Topology read_edge_list(const EdgeListSpec& spec);

}  // namespace buzz::graph
