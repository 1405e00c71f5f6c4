#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/graph/graph.hpp"
#include "sim/graph/spec.hpp"

namespace buzz::graph {

// Ties and community labels, before per-agent activity is attached.
struct Topology {
  Csr csr;
  bool directed = false;
  std::vector<std::uint32_t> community;  // one label per node, 0-based and dense
  std::vector<std::string> names;        // each node's name from its file; empty: unnamed
};

// Each generator is a pure function of its spec and seed, whatever the thread count.
Topology community_graph(const CommunitySpec& spec, std::uint64_t seed);
Topology erdos_renyi(const ErdosRenyiSpec& spec, std::uint64_t seed);
Topology watts_strogatz(const WattsStrogatzSpec& spec, std::uint64_t seed);
Topology barabasi_albert(const BarabasiAlbertSpec& spec, std::uint64_t seed);
Topology complete(const CompleteSpec& spec);
Topology random_regular(const RandomRegularSpec& spec, std::uint64_t seed);
Topology configuration_model(const ConfigurationSpec& spec, std::uint64_t seed);

// Why no simple graph has these degrees ("has an odd sum", "asks node 3 for 12 ties among
// 10 nodes", "fails the Erdos-Gallai inequality at k = 4"), or nothing when one does.
std::optional<std::string> not_graphical(std::vector<std::uint32_t> degrees);

// Sessions per day for each of `nodes` agents: log-normal with the spec's mean and sigma.
std::vector<float> sessions_per_day(const PopulationSpec& spec, Vertex nodes, std::uint64_t seed);

}  // namespace buzz::graph
