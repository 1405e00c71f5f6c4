#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>

// Plain descriptions of the graphs buzzsim can build. Defaults, units and ranges live in
// proto/scenario.proto; these structs hold values the scenario loader has validated.
namespace buzz::graph {

struct CommunitySpec {
  std::uint32_t nodes;
  double mean_degree;
  double degree_exponent;
  double max_degree_share;
  double community_size_exponent;
  std::uint32_t min_community_size;
  std::uint32_t max_community_size;
  double mixing;
};

struct ErdosRenyiSpec {
  std::uint32_t nodes;
  double mean_degree;
};

struct WattsStrogatzSpec {
  std::uint32_t nodes;
  std::uint32_t neighbors;
  double rewire;
};

struct BarabasiAlbertSpec {
  std::uint32_t nodes;
  std::uint32_t edges_per_node;
};

struct CompleteSpec {
  std::uint32_t nodes;
};

// Every node has exactly `degree` ties, otherwise at random (low clustering).
struct RandomRegularSpec {
  std::uint32_t nodes;
  std::uint32_t degree;
};

struct EdgeListSpec {
  std::filesystem::path path;
  std::optional<std::uint32_t> nodes;
  bool directed = false;
  std::optional<std::filesystem::path> community_path;
};

using GraphSpec = std::variant<CommunitySpec, ErdosRenyiSpec, WattsStrogatzSpec, BarabasiAlbertSpec,
                               CompleteSpec, EdgeListSpec, RandomRegularSpec>;

struct PopulationSpec {
  double mean_sessions_per_day;
  double activity_sigma;
};

}  // namespace buzz::graph
