#include "sim/graph/graph.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <boost/iterator/transform_iterator.hpp>
#include <stdexcept>

namespace buzz::graph {

namespace {

Csr transpose(const Csr& g, Vertex nodes) {
  std::vector<std::uint64_t> arcs;
  arcs.reserve(g.m_forward.m_column.size());
  for (Vertex u = 0; u < nodes; ++u) {
    for (auto k = g.m_forward.m_rowstart[u]; k < g.m_forward.m_rowstart[u + 1]; ++k) {
      arcs.push_back(pack_arc(g.m_forward.m_column[k], u));
    }
  }
  return csr_from_arcs(nodes, std::move(arcs), false);
}

}  // namespace

Csr csr_from_arcs(Vertex nodes, std::vector<std::uint64_t> arcs, bool symmetric) {
  if (symmetric) {
    const std::size_t n = arcs.size();
    arcs.resize(2 * n);
    tbb::parallel_for(std::size_t{0}, n,
                      [&](std::size_t i) { arcs[n + i] = (arcs[i] << 32) | (arcs[i] >> 32); });
  }
  std::erase_if(arcs, [](std::uint64_t a) { return (a >> 32) == (a & 0xffffffffu); });
  tbb::parallel_sort(arcs.begin(), arcs.end());
  arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  if (arcs.size() > std::numeric_limits<EdgeIndex>::max()) {
    throw std::length_error("graph has more arcs than a 32-bit edge index holds");
  }
  auto to_pair = [](std::uint64_t a) {
    return std::pair<Vertex, Vertex>(static_cast<Vertex>(a >> 32), static_cast<Vertex>(a));
  };
  auto begin = boost::make_transform_iterator(arcs.cbegin(), to_pair);
  auto end = boost::make_transform_iterator(arcs.cend(), to_pair);
  return Csr(boost::edges_are_sorted, begin, end, nodes);
}

Graph::Graph(Csr out, bool directed, std::vector<std::uint32_t> community,
             std::vector<float> sessions_per_day)
    : out_(std::move(out)),
      directed_(directed),
      community_(std::move(community)),
      sessions_per_day_(std::move(sessions_per_day)) {
  const Vertex n = num_nodes();
  if (boost::num_vertices(out_) != n || sessions_per_day_.size() != n) {
    throw std::invalid_argument("graph attributes need one value per agent");
  }
  num_communities_ =
      community_.empty() ? 0 : *std::max_element(community_.begin(), community_.end()) + 1;
  in_ = directed_ ? transpose(out_, n) : Csr();
}

}  // namespace buzz::graph
