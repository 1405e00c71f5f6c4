#include <catch2/catch.hpp>
#include <cmath>

#include "sim/graph/build.hpp"
#include "support.hpp"
#include "viz/layout.hpp"

using namespace buzz;

TEST_CASE("the layout draws communities as compact, separate clusters", "[viz][layout]") {
  const auto g =
      graph::build(graph::CommunitySpec{20000, 20, 2.5, 0.05, 1.5, 50, 2000, 0.1}, {1.5, 1}, 7);
  const auto layout = viz::community_layout(g, 7);
  REQUIRE(layout.x.size() == g.num_nodes());
  double same = 0, any = 0;
  int same_n = 0, any_n = 0;
  for (graph::Vertex v = 0; v < g.num_nodes(); ++v) {
    CHECK(std::abs(layout.x[v]) <= 1);
    CHECK(std::abs(layout.y[v]) <= 1);
    const graph::Vertex u = (v * 7919u + 13) % g.num_nodes();
    const double d = std::hypot(layout.x[v] - layout.x[u], layout.y[v] - layout.y[u]);
    any += d, ++any_n;
    if (v + 1 < g.num_nodes() && g.community(v + 1) == g.community(v)) {
      same += std::hypot(layout.x[v] - layout.x[v + 1], layout.y[v] - layout.y[v + 1]), ++same_n;
    }
  }
  INFO("mean distance within a community " << same / same_n << ", between any two " << any / any_n);
  // Clusters: members of a community sit far closer together than people at random.
  CHECK(same / same_n < 0.25 * (any / any_n));
  // Compact: clusters are packed, so the mean distance within communities is not tiny
  // against the picture (about a tenth of a random pair's for these sizes).
  CHECK(same / same_n > 0.03 * (any / any_n));
}

TEST_CASE("the layout is cached on disk and read back", "[viz][layout]") {
  testing::TempDir dir;
  const auto g = graph::build(graph::ErdosRenyiSpec{2000, 6}, {1.5, 1}, 3);
  const auto first = viz::cached_layout(g, 3, "er-2000", dir.path());
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);
  const auto second = viz::cached_layout(g, 3, "er-2000", dir.path());
  CHECK(first.x == second.x);
  CHECK(first.y == second.y);
}
