#include "sim/dynamics/seeding.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <unordered_set>

namespace buzz::dynamics {

namespace {
constexpr engine::Purpose kSeedPurpose{0x5eed};
}

std::vector<graph::Vertex> choose_seeds(const graph::Graph& graph, const Seeding& seeding,
                                        const engine::Random& random) {
  const graph::Vertex n = graph.num_nodes();
  if (!seeding.nodes.empty() || !seeding.names.empty()) {
    std::vector<graph::Vertex> seeds(seeding.nodes.begin(), seeding.nodes.end());
    for (const auto& name : seeding.names) {
      const auto v = graph.find(name);
      if (!v) throw std::logic_error("seed name not in the graph");
      seeds.push_back(*v);
    }
    std::sort(seeds.begin(), seeds.end());
    seeds.erase(std::unique(seeds.begin(), seeds.end()), seeds.end());
    // Preconditions, not input checks: scenario::check_against_graph refuses such scenarios
    // with their place in the file before anything runs.
    if (seeds.back() >= n) throw std::logic_error("seed node beyond the graph");
    return seeds;
  }
  const std::uint32_t k = seeding.count;
  if (k > n) throw std::logic_error("more seeds than agents");
  std::vector<graph::Vertex> seeds;
  seeds.reserve(k);
  if (seeding.strategy == SeedStrategy::random) {
    std::unordered_set<graph::Vertex> chosen;
    for (graph::Vertex j = n - k; j < n; ++j) {
      auto t = static_cast<graph::Vertex>(random.below(std::uint64_t{j} + 1, 0, j, kSeedPurpose));
      if (!chosen.insert(t).second) chosen.insert(t = j);
      seeds.push_back(t);
    }
  } else {
    std::vector<graph::Vertex> order(n);
    std::iota(order.begin(), order.end(), graph::Vertex{0});
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](graph::Vertex a, graph::Vertex b) {
                        const auto da = graph.out_degree(a), db = graph.out_degree(b);
                        return da != db ? da > db : a < b;
                      });
    seeds.assign(order.begin(), order.begin() + k);
  }
  std::sort(seeds.begin(), seeds.end());
  return seeds;
}

}  // namespace buzz::dynamics
