#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <span>
#include <vector>

namespace buzz::graph {

using Vertex = std::uint32_t;
using EdgeIndex = std::uint32_t;
using Csr =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                       boost::no_property, Vertex, EdgeIndex>;

// An immutable social graph with per-agent attributes.
//
// Arcs point the way information flows: an arc u -> v means v sees what u posts or
// shares. A friendship graph is undirected and stores both arcs of each tie, so
// in_neighbors and out_neighbors coincide; a following graph stores each arc once and
// keeps the transpose for in_neighbors.
class Graph {
 public:
  // `out` has both arcs of each tie when undirected. `community` and `sessions_per_day`
  // hold one value per agent.
  Graph(Csr out, bool directed, std::vector<std::uint32_t> community,
        std::vector<float> sessions_per_day);

  Vertex num_nodes() const { return static_cast<Vertex>(community_.size()); }
  std::uint64_t num_arcs() const { return out_.m_forward.m_column.size(); }
  // Ties: arcs for a directed graph, arc pairs for an undirected one.
  std::uint64_t num_edges() const { return directed_ ? num_arcs() : num_arcs() / 2; }
  bool directed() const { return directed_; }

  // Whom v reaches.
  std::span<const Vertex> out_neighbors(Vertex v) const { return row(out_, v); }
  // Who reaches v: whose posts and shares v sees.
  std::span<const Vertex> in_neighbors(Vertex v) const { return row(directed_ ? in_ : out_, v); }
  std::uint32_t out_degree(Vertex v) const {
    return static_cast<std::uint32_t>(out_neighbors(v).size());
  }
  std::uint32_t in_degree(Vertex v) const {
    return static_cast<std::uint32_t>(in_neighbors(v).size());
  }

  std::uint32_t community(Vertex v) const { return community_[v]; }
  std::uint32_t num_communities() const { return num_communities_; }
  std::span<const std::uint32_t> communities() const { return community_; }

  // Mean sessions per day of each agent (heavy tailed across agents).
  float sessions_per_day(Vertex v) const { return sessions_per_day_[v]; }
  std::span<const float> sessions_per_day() const { return sessions_per_day_; }

  // The Boost.Graph view, for Boost's algorithms.
  const Csr& csr() const { return out_; }

 private:
  static std::span<const Vertex> row(const Csr& g, Vertex v) {
    const auto& rows = g.m_forward.m_rowstart;
    return {g.m_forward.m_column.data() + rows[v], g.m_forward.m_column.data() + rows[v + 1]};
  }

  Csr out_;
  Csr in_;
  bool directed_;
  std::vector<std::uint32_t> community_;
  std::uint32_t num_communities_;
  std::vector<float> sessions_per_day_;
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

// The same CSR as csr_from_arcs(nodes, ties, true) for ties that are already sorted,
// distinct and packed u < v, without sorting all 2m arcs again.
Csr csr_from_ties(Vertex nodes, std::span<const std::uint64_t> ties);

}  // namespace buzz::graph
