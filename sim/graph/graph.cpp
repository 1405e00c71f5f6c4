#include "sim/graph/graph.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <boost/iterator/transform_iterator.hpp>
#include <boost/sort/block_indirect_sort/block_indirect_sort.hpp>
#include <stdexcept>
#include <utility>

namespace buzz::graph {

namespace {

Csr transpose(std::span<const EdgeIndex> rows, std::span<const Vertex> targets, Vertex nodes) {
  std::vector<std::uint64_t> arcs;
  arcs.reserve(targets.size());
  for (Vertex u = 0; u < nodes; ++u) {
    for (auto k = rows[u]; k < rows[u + 1]; ++k) arcs.push_back(pack_arc(targets[k], u));
  }
  return csr_from_arcs(nodes, std::move(arcs), false);
}

std::span<const EdgeIndex> rows_of(const Csr& g) { return g.m_forward.m_rowstart; }
std::span<const Vertex> targets_of(const Csr& g) { return g.m_forward.m_column; }

}  // namespace

void sort_arcs(std::uint64_t* arcs, std::size_t count) {
  // Boost.Sort's parallel sort, on as many threads as TBB may use (--threads): a third
  // faster than tbb::parallel_sort on random arcs (not on nearly sorted ones).
  const auto threads = static_cast<std::uint32_t>(tbb::this_task_arena::max_concurrency());
  boost::sort::block_indirect_sort(arcs, arcs + count, std::max(threads, 1u));
}

Csr csr_from_arcs(Vertex nodes, std::vector<std::uint64_t> arcs, bool symmetric) {
  if (symmetric) {
    const std::size_t n = arcs.size();
    arcs.resize(2 * n);
    tbb::parallel_for(std::size_t{0}, n,
                      [&](std::size_t i) { arcs[n + i] = (arcs[i] << 32) | (arcs[i] >> 32); });
  }
  std::erase_if(arcs, [](std::uint64_t a) { return (a >> 32) == (a & 0xffffffffu); });
  tbb::parallel_sort(arcs.begin(), arcs.end());  // often nearly sorted (lattices, BA)
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

UpperTies upper_ties(Vertex nodes, std::span<const std::uint64_t> ties) {
  if (2 * ties.size() > std::numeric_limits<EdgeIndex>::max()) {
    throw std::length_error("graph has more arcs than a 32-bit edge index holds");
  }
  const std::uint64_t m = ties.size();
  const auto first = [&](std::uint64_t i) { return static_cast<Vertex>(ties[i] >> 32); };
  constexpr EdgeIndex kUnset = std::numeric_limits<EdgeIndex>::max();
  UpperTies up;
  up.rows.assign(std::size_t{nodes} + 1, kUnset);
  up.rows[nodes] = static_cast<EdgeIndex>(m);
  up.higher.resize(m);
  // Each run of a first end starts its row; a node without higher neighbours starts where
  // the next one does.
  tbb::parallel_for(std::uint64_t{0}, m, [&](std::uint64_t i) {
    up.higher[i] = static_cast<Vertex>(ties[i]);
    if (i == 0 || first(i) != first(i - 1)) up.rows[first(i)] = static_cast<EdgeIndex>(i);
  });
  for (Vertex u = nodes; u-- > 0;) {
    if (up.rows[u] == kUnset) up.rows[u] = up.rows[u + 1];
  }
  return up;
}

Csr csr_from_upper(Vertex nodes, UpperTies upper) {
  // Row w holds its lower neighbours (ties (u, w)) and then its higher ones (upper row w).
  // The lower ones come in order when the upper rows are scattered in order: no sort of
  // the 2m arcs. The scatter runs in a few fixed chunks of rows, each with its own count
  // per node, so no node's count is shared between threads (atomics on random nodes stall
  // on misses).
  const auto& up_rows = upper.rows;
  const auto& higher = upper.higher;
  const std::uint64_t m = higher.size();
  const std::size_t chunks = std::clamp<std::size_t>(
      std::min<std::uint64_t>(m >> 16, tbb::this_task_arena::max_concurrency()), 1, 8);
  std::vector<Vertex> from(chunks + 1, nodes);  // each chunk's first row
  for (std::size_t c = 0; c < chunks; ++c) {
    from[c] = static_cast<Vertex>(
        std::lower_bound(up_rows.begin(), up_rows.end() - 1, EdgeIndex(m * c / chunks)) -
        up_rows.begin());
  }
  const auto for_each_tie = [&](std::size_t c, auto&& act) {
    for (Vertex u = from[c]; u < from[c + 1]; ++u) {
      for (EdgeIndex j = up_rows[u]; j < up_rows[u + 1]; ++j) act(u, higher[j]);
    }
  };
  std::vector<std::vector<EdgeIndex>> lower(chunks, std::vector<EdgeIndex>(nodes, 0));
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    for_each_tie(c, [&](Vertex, Vertex v) { ++lower[c][v]; });
  });
  Csr csr(nodes);
  auto& rows = csr.m_forward.m_rowstart;
  auto& cols = csr.m_forward.m_column;
  rows.assign(std::size_t{nodes} + 1, 0);
  for (Vertex w = 0; w < nodes; ++w) {
    EdgeIndex at = rows[w];
    for (auto& count : lower) at += std::exchange(count[w], at);  // counts become starts
    rows[w + 1] = at + (up_rows[w + 1] - up_rows[w]);
  }
  cols.resize(2 * m);
  tbb::parallel_for(Vertex{0}, nodes, [&](Vertex w) {
    std::copy(higher.begin() + up_rows[w], higher.begin() + up_rows[w + 1],
              cols.begin() + (rows[w + 1] - (up_rows[w + 1] - up_rows[w])));
  });
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    for_each_tie(c, [&](Vertex u, Vertex v) { cols[lower[c][v]++] = u; });
  });
  return csr;
}

Graph::Graph(Csr out, bool directed, std::vector<std::uint32_t> community,
             std::vector<float> sessions_per_day)
    : sessions_per_day_(std::move(sessions_per_day)) {
  struct Owned {
    Csr out;
    std::vector<std::uint32_t> community;
  };
  auto owned = std::make_shared<const Owned>(Owned{std::move(out), std::move(community)});
  if (boost::num_vertices(owned->out) != owned->community.size()) {
    throw std::invalid_argument("graph attributes need one value per agent");
  }
  out_ = {rows_of(owned->out), targets_of(owned->out)};
  community_ = owned->community;
  owner_ = std::move(owned);
  finish(directed);
}

Graph::Graph(GraphArrays arrays, std::vector<float> sessions_per_day)
    : owner_(std::move(arrays.owner)),
      out_{arrays.rows, arrays.targets},
      community_(arrays.community),
      sessions_per_day_(std::move(sessions_per_day)) {
  if (out_.rows.size() != community_.size() + 1) {
    throw std::invalid_argument("graph attributes need one value per agent");
  }
  finish(arrays.directed);
}

void Graph::finish(bool directed) {
  const Vertex n = num_nodes();
  if (sessions_per_day_.size() != n) {
    throw std::invalid_argument("graph attributes need one value per agent");
  }
  directed_ = directed;
  num_communities_ =
      community_.empty() ? 0 : *std::max_element(community_.begin(), community_.end()) + 1;
  if (directed_) {
    transpose_ = std::make_shared<const Csr>(transpose(out_.rows, out_.targets, n));
    in_ = {rows_of(*transpose_), targets_of(*transpose_)};
  } else {
    in_ = out_;
  }
}

void Graph::name_nodes(std::vector<std::string> names) {
  if (names.empty()) return;
  if (names.size() != num_nodes()) {
    throw std::logic_error("Graph::name_nodes: one name per node");
  }
  names_ = std::make_shared<const std::vector<std::string>>(std::move(names));
}

std::optional<Vertex> Graph::find(std::string_view name) const {
  if (!names_) return std::nullopt;
  const auto it = std::find(names_->begin(), names_->end(), name);
  if (it == names_->end()) return std::nullopt;
  return static_cast<Vertex>(it - names_->begin());
}

}  // namespace buzz::graph
