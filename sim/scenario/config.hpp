#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

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
  bool graph_per_replicate = false;  // replicate r builds its own graph with graph_seed + r
  // The graph and population as text: equal keys and seeds build the same graph.
  std::string graph_key;
  graph::PopulationSpec population;
  double scale = 1;  // the simulated population over the real one (population.scale)
  dynamics::DynamicsSpec dynamics;
  std::uint32_t record_every = 1;
  // The scenario with defaults and overrides applied, in protobuf text format: running
  // it again gives the same results.
  std::string canonical_text;
  std::vector<std::string> sets;  // the --set overrides applied, as given

  // Where the scenario came from (its file, or the name given to its text), and where
  // each field written in it sits, as "origin:line:col" by field path (e.g.
  // "dynamics.campaign.brands[0].target_community"), for checks made after loading.
  std::string origin;
  std::map<std::string, std::string, std::less<>> places;
  // The place of `path`, else of its nearest written parent, else the origin.
  std::string place(std::string_view path) const {
    while (!path.empty()) {
      if (const auto it = places.find(path); it != places.end()) return it->second;
      const auto cut = path.find_last_of(".[");
      path = cut == std::string_view::npos ? std::string_view{} : path.substr(0, cut);
    }
    return origin;
  }
};

// Command-line values that replace the file's.
struct Overrides {
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replicates;
  std::optional<std::uint32_t> ticks;
  // --set PATH=VALUE, in order: any field by its sweep path.
  std::vector<std::string> sets;
};

}  // namespace buzz::scenario
