#pragma once

#include <filesystem>

#include "sim/graph/generators.hpp"
#include "sim/graph/graph.hpp"

namespace buzz::graph {

// A graph saved whole, to be built once and read back in a fraction of the time
// (`buzzsim graph FILE --out G.buzzgraph`, then graph { buzzgraph { path: "G.buzzgraph" } }).
// Little-endian: "BUZZGRF1", u32 version 2, u32 flags (bit 0: directed), u64 nodes, u64
// arcs, u32 row starts (nodes + 1), u32 targets (arcs), u32 communities (nodes), u64
// XXH3-64 hash (seed 0) of everything before it. Activity is not stored: it follows from the
// scenario's population and seed, as for a generated graph.
void write_binary(const Graph& graph, const std::filesystem::path& path);

// The file's arrays in place, memory-mapped: nothing is copied, and processes on one machine
// (MPI ranks, runs side by side) share one copy of the ties in the page cache. Throws
// InputError naming the file for one that is not a buzzgraph, is cut short, fails its hash,
// or holds rows or targets out of range.
GraphArrays map_binary(const std::filesystem::path& path);

// The same, copied into a Topology.
Topology read_binary(const std::filesystem::path& path);

}  // namespace buzz::graph
