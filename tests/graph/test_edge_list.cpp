#include <catch2/catch.hpp>

#include "sim/common/input_error.hpp"
#include "sim/graph/edge_list.hpp"
#include "support.hpp"

using namespace buzz::graph;
using buzz::InputError;
using buzz::testing::TempDir;
using buzz::testing::write_text;

namespace {
std::vector<Vertex> list(std::span<const Vertex> s) { return {s.begin(), s.end()}; }
}  // namespace

TEST_CASE("a SNAP edge list reads with comments and header and drops repeats and loops",
          "[graph][edge_list]") {
  TempDir dir;
  write_text(dir / "g.txt",
             "# Undirected graph\n# Nodes: 6 Edges: 5\n"
             "0 1\n1\t2\n\n  2 0   # trailing\n1 0\n3 3\n4 2 17\n");
  const Topology t = read_edge_list({dir / "g.txt", std::nullopt, false, std::nullopt});
  const Graph g(t.csr, t.directed, t.community, std::vector<float>(6, 1.0f));
  CHECK(g.num_nodes() == 6);  // from the header: node 5 has no ties
  CHECK(g.num_edges() == 4);  // 0-1, 1-2, 0-2, 2-4; the repeat and the loop are dropped
  CHECK(list(g.out_neighbors(2)) == std::vector<Vertex>{0, 1, 4});
  CHECK(g.out_degree(5) == 0);
}

TEST_CASE("a directed edge list keeps who sees whom", "[graph][edge_list]") {
  TempDir dir;
  write_text(dir / "g.txt", "0 1\n0 2\n2 1\n");
  const Topology t = read_edge_list({dir / "g.txt", std::nullopt, true, std::nullopt});
  const Graph g(t.csr, t.directed, t.community, std::vector<float>(3, 1.0f));
  CHECK(g.num_edges() == 3);
  CHECK(list(g.out_neighbors(0)) == std::vector<Vertex>{1, 2});
  CHECK(list(g.in_neighbors(1)) == std::vector<Vertex>{0, 2});
  CHECK(g.in_degree(0) == 0);
}

TEST_CASE("a community file labels nodes densely", "[graph][edge_list]") {
  TempDir dir;
  write_text(dir / "g.txt", "0 1\n1 2\n2 3\n3 4\n");
  write_text(dir / "c.txt", "# node community\n0 70\n1 70\n2 9\n3 9\n");
  const Topology t = read_edge_list({dir / "g.txt", std::nullopt, false, dir / "c.txt"});
  // Ids 9 and 70 become 0 and 1; unlisted node 4 gets the extra community 2.
  CHECK(t.community == std::vector<std::uint32_t>{1, 1, 0, 0, 2});
}

TEST_CASE("a bad edge list names the file and the line and the fault", "[graph][edge_list]") {
  TempDir dir;
  const auto file = (dir / "bad.txt").string();
  auto read = [&](const std::string& text, std::optional<std::uint32_t> nodes = std::nullopt) {
    write_text(file, text);
    read_edge_list({file, nodes, false, std::nullopt});
  };
  using Catch::Matchers::Contains;
  using Catch::Matchers::StartsWith;
  CHECK_THROWS_WITH(read("0 1\n1 x2\n"), StartsWith(file + ":2: column 2: 'x2' is not a node id"));
  CHECK_THROWS_WITH(read("0 1\n# fine\n7\n"), StartsWith(file + ":3: missing column 2"));
  CHECK_THROWS_WITH(read("-1 3\n"), StartsWith(file + ":1: column 1: '-1' is not a node id"));
  CHECK_THROWS_WITH(read("# Nodes: 4\n0 1\n1 4\n"),
                    StartsWith(file + ":3: node id 4 is beyond the declared node count 4"));
  CHECK_THROWS_WITH(read("0 1\n1 9\n", 5),
                    StartsWith(file + ":2: node id 9 is beyond the declared node count 5 "
                                      "(edge_list.nodes)"));
  CHECK_THROWS_WITH(read(""), StartsWith(file + ": no edges"));
  CHECK_THROWS_WITH(read("# only a comment\n\n"), StartsWith(file + ": no edges"));
  CHECK_THROWS_AS(read_edge_list({dir / "missing.txt", std::nullopt, false, std::nullopt}),
                  InputError);
  CHECK_THROWS_WITH(read_edge_list({dir / "missing.txt", std::nullopt, false, std::nullopt}),
                    Contains("missing.txt: cannot open file"));
}
