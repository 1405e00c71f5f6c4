#include <oneapi/tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <random>

#include "sim/graph/build.hpp"
#include "sim/graph/generators.hpp"
#include "sim/graph/weighted_pick.hpp"
#include "support.hpp"

using namespace buzz::graph;

namespace {

const PopulationSpec kPopulation{1.5, 1.0};

// Every arc u -> v has its reverse, and none is a self-loop.
bool symmetric_without_loops(const Graph& g) {
  for (Vertex u = 0; u < g.num_nodes(); ++u) {
    for (Vertex v : g.out_neighbors(u)) {
      if (u == v) return false;
      const auto back = g.out_neighbors(v);
      if (!std::binary_search(back.begin(), back.end(), u)) return false;
    }
  }
  return true;
}

bool same_arcs(const Csr& a, const Csr& b) {
  return a.m_forward.m_rowstart == b.m_forward.m_rowstart &&
         a.m_forward.m_column == b.m_forward.m_column;
}

double mean_degree(const Graph& g) { return 2.0 * g.num_edges() / g.num_nodes(); }

}  // namespace

TEST_CASE("Erdos-Renyi has exactly n * k / 2 distinct ties", "[graph]") {
  const Graph g = build(ErdosRenyiSpec{1000, 10}, kPopulation, 1);
  CHECK(g.num_nodes() == 1000);
  CHECK(g.num_edges() == 5000);
  CHECK_FALSE(g.directed());
  CHECK(symmetric_without_loops(g));
}

TEST_CASE("generators are deterministic in the seed and the thread count", "[graph]") {
  const CommunitySpec spec{20000, 12, 2.5, 0.05, 1.5, 50, 1000, 0.2};
  const auto build = [&] { return community_graph(spec, 9); };
  const Topology one_thread = buzz::testing::with_threads(1, build);
  const Topology two_threads = buzz::testing::with_threads(2, build);
  CHECK(same_arcs(one_thread.csr, two_threads.csr));
  CHECK(one_thread.community == two_threads.community);
  CHECK_FALSE(same_arcs(community_graph(spec, 10).csr, two_threads.csr));
  CHECK(same_arcs(erdos_renyi({5000, 8}, 3).csr, erdos_renyi({5000, 8}, 3).csr));
  CHECK(same_arcs(barabasi_albert({5000, 3}, 3).csr, barabasi_albert({5000, 3}, 3).csr));
  CHECK(same_arcs(watts_strogatz({5000, 6, 0.2}, 3).csr, watts_strogatz({5000, 6, 0.2}, 3).csr));
}

TEST_CASE("Watts-Strogatz without rewiring is the ring lattice", "[graph]") {
  const Graph g = build(WattsStrogatzSpec{100, 4, 0.0}, kPopulation, 1);
  // Node 0 links to 98, 99, 1, 2; node 50 to 48, 49, 51, 52.
  CHECK(std::vector<Vertex>(g.out_neighbors(0).begin(), g.out_neighbors(0).end()) ==
        std::vector<Vertex>{1, 2, 98, 99});
  CHECK(std::vector<Vertex>(g.out_neighbors(50).begin(), g.out_neighbors(50).end()) ==
        std::vector<Vertex>{48, 49, 51, 52});
  CHECK(g.num_edges() == 200);
  // Full rewiring keeps almost every tie (a few collide) and breaks the lattice.
  const Graph r = build(WattsStrogatzSpec{1000, 4, 1.0}, kPopulation, 1);
  CHECK(r.num_edges() > 1950);
  CHECK(symmetric_without_loops(r));
}

TEST_CASE("Barabasi-Albert adds m ties per node and grows hubs", "[graph]") {
  const Graph g = build(BarabasiAlbertSpec{10000, 3}, kPopulation, 5);
  CHECK(g.num_edges() == (10000 - 3) * 3);
  std::uint32_t min_degree = ~0u, max_degree = 0;
  for (Vertex v = 0; v < g.num_nodes(); ++v) {
    min_degree = std::min(min_degree, g.out_degree(v));
    max_degree = std::max(max_degree, g.out_degree(v));
  }
  CHECK(min_degree >= 3);
  // Expected largest degree grows like m * sqrt(n) = 300; a Poisson graph would top out near 15.
  CHECK(max_degree > 100);
  CHECK(symmetric_without_loops(g));
}

TEST_CASE("the complete graph links everyone to everyone", "[graph]") {
  const Graph g = build(CompleteSpec{50}, kPopulation, 1);
  CHECK(g.num_edges() == 50 * 49 / 2);
  for (Vertex v = 0; v < 50; ++v) CHECK(g.out_degree(v) == 49);
  CHECK(symmetric_without_loops(g));
}

TEST_CASE("the community graph has its mean degree and mixing and heavy tails", "[graph]") {
  const CommunitySpec spec{50000, 20, 2.5, 0.05, 1.5, 50, 2000, 0.1};
  const Graph g = build(spec, kPopulation, 3);
  CHECK(symmetric_without_loops(g));
  CHECK(mean_degree(g) == Approx(20).epsilon(0.02));

  std::uint64_t crossing = 0;
  std::uint32_t max_degree = 0;
  for (Vertex u = 0; u < g.num_nodes(); ++u) {
    max_degree = std::max(max_degree, g.out_degree(u));
    for (Vertex v : g.out_neighbors(u)) crossing += g.community(u) != g.community(v);
  }
  CHECK(double(crossing) / g.num_arcs() == Approx(0.1).margin(0.02));
  CHECK(max_degree > 10 * 20);  // a power-law tail; a Poisson graph would stay near 35

  // Community sizes lie in [min, max], bar the last which may absorb a short remainder.
  std::vector<std::uint32_t> sizes(g.num_communities(), 0);
  for (Vertex v = 0; v < g.num_nodes(); ++v) ++sizes[g.community(v)];
  CHECK(g.num_communities() > 10);
  for (std::size_t c = 0; c + 1 < sizes.size(); ++c) {
    CHECK(sizes[c] >= 50);
    CHECK(sizes[c] <= 2000);
  }
  CHECK(sizes.back() <= 2000 + 50);
}

TEST_CASE("activity is heavy tailed with the chosen mean", "[graph]") {
  const auto rate = sessions_per_day(PopulationSpec{2.0, 1.0}, 200000, 4);
  const double mean = std::accumulate(rate.begin(), rate.end(), 0.0) / rate.size();
  // Log-normal with sigma 1: sd/mean = sqrt(e - 1) = 1.31, so the standard error is 0.3%.
  CHECK(mean == Approx(2.0).epsilon(0.02));
  CHECK(*std::max_element(rate.begin(), rate.end()) > 20 * 2.0);
}

TEST_CASE("a random regular graph gives everyone the same degree and no repeats", "[graph]") {
  const Graph g = build(RandomRegularSpec{3000, 14}, kPopulation, 5);
  CHECK(g.num_edges() == 3000 * 14 / 2);  // nothing dropped as a loop or a repeat
  CHECK(symmetric_without_loops(g));
  for (Vertex v = 0; v < g.num_nodes(); ++v) {
    REQUIRE(g.out_degree(v) == 14);
    const auto nbrs = g.out_neighbors(v);
    CHECK(std::adjacent_find(nbrs.begin(), nbrs.end()) == nbrs.end());
  }
  CHECK(same_arcs(random_regular({3000, 14}, 5).csr, random_regular({3000, 14}, 5).csr));
  CHECK_FALSE(same_arcs(random_regular({3000, 14}, 6).csr, random_regular({3000, 14}, 5).csr));
}

TEST_CASE("the configuration model gives each node its degree and no repeats", "[graph]") {
  // A heavy-tailed sequence, as percolation checks on scale-free graphs use: degree
  // floor(2 / u^(1/1.5)) for evenly spread u, capped well below n, made even.
  std::vector<std::uint32_t> degrees(4000);
  for (std::size_t i = 0; i < degrees.size(); ++i) {
    const double u = (i + 0.5) / degrees.size();
    degrees[i] = std::min<std::uint32_t>(200, std::uint32_t(2 / std::pow(u, 1 / 1.5)));
  }
  if (std::accumulate(degrees.begin(), degrees.end(), 0ull) % 2) ++degrees.back();
  REQUIRE_FALSE(not_graphical(degrees));
  const Graph g = build(ConfigurationSpec{degrees}, kPopulation, 3);
  CHECK(symmetric_without_loops(g));
  for (Vertex v = 0; v < g.num_nodes(); ++v) {
    REQUIRE(g.out_degree(v) == degrees[v]);
    const auto nbrs = g.out_neighbors(v);
    CHECK(std::adjacent_find(nbrs.begin(), nbrs.end()) == nbrs.end());
  }
  CHECK(same_arcs(configuration_model({degrees}, 3).csr, configuration_model({degrees}, 3).csr));
  // A constant sequence is the random regular graph, draw for draw.
  CHECK(same_arcs(configuration_model({std::vector<std::uint32_t>(500, 6)}, 9).csr,
                  random_regular({500, 6}, 9).csr));
}

TEST_CASE("degree sequences no simple graph has are named with the reason", "[graph]") {
  using Why = std::optional<std::string>;
  CHECK(not_graphical({3, 2, 1, 1}) == Why("has an odd sum (7)"));
  CHECK(not_graphical({4, 4, 1, 1, 1, 1}) == Why("fails the Erdos-Gallai inequality at k = 2"));
  CHECK(not_graphical({3, 3, 1, 1}) == Why("fails the Erdos-Gallai inequality at k = 2"));
  CHECK(not_graphical({5, 1, 1, 1}) == Why("asks node 0 for 5 ties among 4 nodes"));
  CHECK(not_graphical({0, 0}) == Why("has no ties at all"));
  CHECK_FALSE(not_graphical({4, 1, 1, 1, 1}));  // a star
  CHECK_FALSE(not_graphical({3, 3, 3, 3}));
  CHECK_FALSE(not_graphical({1, 1}));
  CHECK_FALSE(not_graphical({2, 2, 2}));
}

TEST_CASE("the guide-table pick gives what a binary search over the prefix sums gives",
          "[graph][pick]") {
  // Weights with zeros, ties in the sums and a hub holding a third of the total.
  std::mt19937_64 gen(5);
  std::vector<double> weight(5000);
  for (auto& w : weight) w = gen() % 4 == 0 ? 0.0 : double(1 + gen() % 50);
  weight[1234] = std::accumulate(weight.begin(), weight.end(), 0.0) / 2;
  std::vector<double> cum(weight.size() + 1, 0.0);
  std::partial_sum(weight.begin(), weight.end(), cum.begin() + 1);
  std::vector<std::uint32_t> community(weight.size());
  for (std::size_t i = 0; i < community.size(); ++i) community[i] = std::uint32_t(i / 100);
  const WeightedPick pick(cum, community);
  const auto n = static_cast<Vertex>(weight.size());
  const auto binary = [&](Vertex first, Vertex last, double target) {
    const auto it = std::upper_bound(cum.begin() + first, cum.begin() + last + 1, target);
    const auto i = std::int64_t(it - cum.begin()) - 1;
    return Vertex(std::clamp<std::int64_t>(i, first, std::int64_t{last} - 1));
  };
  std::vector<double> targets{0.0, cum[n], std::nextafter(cum[n], 0.0)};
  for (Vertex i = 0; i <= n; i += 7) targets.push_back(cum[i]);  // every boundary kind
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int k = 0; k < 20000; ++k) targets.push_back(unit(gen) * cum[n]);
  std::size_t mismatches = 0;
  for (const double t : targets) {
    mismatches += pick(0, n, t) != binary(0, n, t);
    mismatches += pick(1200, 1300, t) != binary(1200, 1300, t);  // a range, as for a community
  }
  CHECK(mismatches == 0);
  const Vertex hub = pick(0, n, cum[1234] + 1);
  CHECK(hub == 1234);
  CHECK(pick.community(hub) == 12);
}

TEST_CASE("CSR from sorted distinct ties equals the general builder", "[graph][csr]") {
  // 300,000 ties over 50,000 nodes (several scatter chunks), a hub, and isolated nodes.
  std::mt19937_64 gen(11);
  const Vertex n = 50000;
  std::vector<std::uint64_t> ties;
  for (int k = 0; k < 300000; ++k) {
    Vertex u = Vertex(gen() % (n - 100)), v = k % 5 == 0 ? 77 : Vertex(gen() % (n - 100));
    if (u == v) continue;
    ties.push_back(pack_arc(std::min(u, v), std::max(u, v)));
  }
  std::sort(ties.begin(), ties.end());
  ties.erase(std::unique(ties.begin(), ties.end()), ties.end());
  const Csr general = csr_from_arcs(n, ties, true);
  const Csr one = buzz::testing::with_threads(1, [&] { return csr_from_ties(n, ties); });
  const Csr two = buzz::testing::with_threads(2, [&] { return csr_from_ties(n, ties); });
  CHECK(same_arcs(general, one));
  CHECK(same_arcs(general, two));
  CHECK(general.m_forward.m_rowstart.back() == 2 * ties.size());
}
