#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

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

// A graph read from a file: an edge list, GraphML, GML or a saved buzzgraph.
struct EdgeListSpec {
  enum class Format { edge_list, graphml, gml, buzzgraph };
  std::filesystem::path path;
  std::optional<std::uint32_t> nodes;  // edge lists only
  bool directed = false;               // edge lists only; GraphML and GML say so themselves
  std::optional<std::filesystem::path> community_path;
  Format format = Format::edge_list;
  std::string community_attribute{};  // GraphML and GML: the node attribute of communities
};

// Node i gets degrees[i] ties at random (a graphical sequence, checked when loaded).
struct ConfigurationSpec {
  std::vector<std::uint32_t> degrees;
};

using GraphSpec = std::variant<CommunitySpec, ErdosRenyiSpec, WattsStrogatzSpec, BarabasiAlbertSpec,
                               CompleteSpec, EdgeListSpec, RandomRegularSpec, ConfigurationSpec>;

struct PopulationSpec {
  double mean_sessions_per_day;
  double activity_sigma;
};

}  // namespace buzz::graph
