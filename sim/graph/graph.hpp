#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace buzz::graph {

using Vertex = std::uint32_t;
using EdgeIndex = std::uint32_t;
using Csr =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                       boost::no_property, Vertex, EdgeIndex>;

// The arrays of a graph held elsewhere, such as a mapped buzzgraph file, and what keeps
// them alive. `rows` has one start per node and one past the end; `targets` one node per
// arc; `community` one label per node.
struct GraphArrays {
  std::span<const EdgeIndex> rows;
  std::span<const Vertex> targets;
  std::span<const std::uint32_t> community;
  bool directed = false;
  std::shared_ptr<const void> owner;
};

// An immutable social graph with per-agent attributes.
//
// Arcs point the way information flows: an arc u -> v means v sees what u posts or
// shares. A friendship graph is undirected and stores both arcs of each tie, so
// in_neighbors and out_neighbors coincide; a following graph stores each arc once and
// keeps the transpose for in_neighbors. Copies share the ties and communities.
class Graph {
 public:
  // `out` has both arcs of each tie when undirected. `community` and `sessions_per_day`
  // hold one value per agent.
  Graph(Csr out, bool directed, std::vector<std::uint32_t> community,
        std::vector<float> sessions_per_day);
  // Over arrays it does not own (checked by their reader), without copying them.
  Graph(GraphArrays arrays, std::vector<float> sessions_per_day);

  Vertex num_nodes() const { return static_cast<Vertex>(community_.size()); }
  std::uint64_t num_arcs() const { return out_.targets.size(); }
  // Ties: arcs for a directed graph, arc pairs for an undirected one.
  std::uint64_t num_edges() const { return directed_ ? num_arcs() : num_arcs() / 2; }
  bool directed() const { return directed_; }

  // Whom v reaches.
  std::span<const Vertex> out_neighbors(Vertex v) const { return out_.row(v); }
  // Who reaches v: whose posts and shares v sees.
  std::span<const Vertex> in_neighbors(Vertex v) const { return in_.row(v); }
  std::uint32_t out_degree(Vertex v) const {
    return static_cast<std::uint32_t>(out_neighbors(v).size());
  }
  std::uint32_t in_degree(Vertex v) const {
    return static_cast<std::uint32_t>(in_neighbors(v).size());
  }

  std::uint32_t community(Vertex v) const { return community_[v]; }
  std::uint32_t num_communities() const { return num_communities_; }
  std::span<const std::uint32_t> communities() const { return community_; }

  // Names of the nodes, from a graph file that names them (an edge list of names): for
  // outputs and the viewer. Unnamed graphs give none.
  void name_nodes(std::vector<std::string> names);
  bool named() const { return names_ != nullptr; }
  const std::string& name(Vertex v) const { return (*names_)[v]; }
  // The node of that name, if any (a scan: for a few look-ups, such as seeds).
  std::optional<Vertex> find(std::string_view name) const;

  // Mean sessions per day of each agent (heavy tailed across agents).
  float sessions_per_day(Vertex v) const { return sessions_per_day_[v]; }
  std::span<const float> sessions_per_day() const { return sessions_per_day_; }

  // The out-arcs in CSR form: row starts (nodes + 1) and targets, as saved.
  std::span<const EdgeIndex> out_rows() const { return out_.rows; }
  std::span<const Vertex> out_targets() const { return out_.targets; }

 private:
  struct Rows {
    std::span<const EdgeIndex> rows;
    std::span<const Vertex> targets;
    std::span<const Vertex> row(Vertex v) const {
      return {targets.data() + rows[v], targets.data() + rows[v + 1]};
    }
  };
  void finish(bool directed);

  std::shared_ptr<const void> owner_;     // what out_ and community_ point into
  std::shared_ptr<const Csr> transpose_;  // what in_ points into, when directed
  Rows out_, in_;
  bool directed_ = false;
  std::span<const std::uint32_t> community_;
  std::uint32_t num_communities_ = 0;
  std::vector<float> sessions_per_day_;
  std::shared_ptr<const std::vector<std::string>> names_;
};

// Packs an arc for sorting: source in the high word.
constexpr std::uint64_t pack_arc(Vertex from, Vertex to) {
  return (std::uint64_t{from} << 32) | to;
}

// Sorts packed arcs drawn at random, in parallel.
void sort_arcs(std::uint64_t* arcs, std::size_t count);

// Builds a CSR from arcs packed with pack_arc. Sorts them, drops self-loops and duplicates.
// With `symmetric`, each arc is taken as an undirected tie and both directions are stored.
Csr csr_from_arcs(Vertex nodes, std::vector<std::uint64_t> arcs, bool symmetric);

// Ties that are sorted, distinct and packed u < v, as each node's row of its higher
// neighbours: half the bytes of the packed ties, so that a caller can let those go before
// the CSR's columns are made (the peak of a graph's build).
struct UpperTies {
  std::vector<EdgeIndex> rows;  // nodes + 1 starts into `higher`
  std::vector<Vertex> higher;
};
UpperTies upper_ties(Vertex nodes, std::span<const std::uint64_t> ties);
// The same CSR as csr_from_arcs(nodes, ties, true), without sorting all 2m arcs again.
Csr csr_from_upper(Vertex nodes, UpperTies upper);
inline Csr csr_from_ties(Vertex nodes, std::span<const std::uint64_t> ties) {
  return csr_from_upper(nodes, upper_ties(nodes, ties));
}

}  // namespace buzz::graph
