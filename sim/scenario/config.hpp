#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "sim/dynamics/spec.hpp"
#include "sim/graph/spec.hpp"

namespace buzz::scenario {

// A scenario as the rest of buzzsim sees it: plain values, every one validated.
struct Config {
  std::filesystem::path file;  // the scenario file; empty when parsed from a string
  std::string name;            // the file's stem when the scenario names none
  std::string description;
  std::uint64_t seed = 1;
  std::uint32_t replicates = 1;
  std::uint32_t ticks = 1;
  double tick_hours = 1;
  graph::GraphSpec graph;
  std::uint64_t graph_seed = 1;
  // The graph and population as text: equal keys and seeds build the same graph.
  std::string graph_key;
  graph::PopulationSpec population;
  dynamics::DynamicsSpec dynamics;
  std::uint32_t record_every = 1;
  // The scenario with defaults and overrides applied, in protobuf text format: running
  // it again gives the same results.
  std::string canonical_text;
};

// Command-line values that replace the file's.
struct Overrides {
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replicates;
  std::optional<std::uint32_t> ticks;
};

}  // namespace buzz::scenario
