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

// Reads a graph file: by spec.format an edge list, GraphML or GML.
//
// An edge list (SNAP style) has one "source target" pair of non-negative integer ids per
// line, separated by spaces, tabs or commas (further columns ignored); blank lines, `#`
// comments and a header line ("source,target") are skipped. The node count
// is the spec's, else a "# Nodes: N" comment's, else the largest id + 1. Self-loops and
// repeated ties are dropped. The optional community file holds "node community" pairs, a
// community being any text; nodes it does not list share one extra community.
//
// GraphML (Boost.Graph's read_graphml) and GML: nodes are numbered in file order, the
// file says whether it is directed, and spec.community_attribute names the node attribute
// that holds communities (each distinct value one community, in order of first use).
//
// Reads only regular files. Throws InputError naming the file, the line and what is wrong.
Topology read_edge_list(const EdgeListSpec& spec);

// Throws InputError naming `path` if it is a folder, or a device, pipe or socket (which
// would read as nothing, never end, or block on opening). A missing file passes: opening
// it names the error.
void require_regular_file(const std::filesystem::path& path);

// A degree sequence: one degree per line, or "node degree" pairs in node order; `#`
// comments and a header line skipped. Throws InputError naming the file and line.
std::vector<std::uint32_t> read_degrees(const std::filesystem::path& path);

}  // namespace buzz::graph
