#include <sys/stat.h>

#include <xxhash.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <optional>

#include "sim/common/input_error.hpp"
#include "sim/graph/binary.hpp"
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
             "0 1\n1\t2\n\n  2 0   # trailing\n1 0\n3 3\n4 2\n");
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

TEST_CASE("an edge list with a CSV header and text community labels reads", "[graph][edge_list]") {
  TempDir dir;
  write_text(dir / "g.csv", "source,target\n0,1\n1,2\n2,3\n");
  write_text(dir / "c.tsv", "node\tgroup\n0\tred\n1\tblue\n2\t\"red\"\n");
  const Topology t = read_edge_list({dir / "g.csv", std::nullopt, false, dir / "c.tsv"});
  const Graph g(t.csr, t.directed, t.community, std::vector<float>(4, 1.0f));
  CHECK(g.num_edges() == 3);
  // blue and red in text order; node 3 unlisted gets the extra community.
  CHECK(t.community == std::vector<std::uint32_t>{1, 0, 1, 2});
}

TEST_CASE("an edge list of names numbers its nodes in order of first use and keeps the names",
          "[graph][edge_list]") {
  TempDir dir;
  // The header is recognised by its usual first word; names may be quoted.
  write_text(dir / "g.csv",
             "source,target\nalice,bob\nbob,carol\n\"dan smith\",alice\ncarol,bob\n");
  write_text(dir / "c.csv", "node,group\nalice,red\ncarol,blue\n");
  const Topology t = read_edge_list({dir / "g.csv", std::nullopt, false, dir / "c.csv"});
  CHECK(t.names == std::vector<std::string>{"alice", "bob", "carol", "dan smith"});
  Graph g(t.csr, t.directed, t.community, std::vector<float>(4, 1.0f));
  g.name_nodes(t.names);
  CHECK(g.num_edges() == 3);  // carol-bob repeats bob-carol
  CHECK(list(g.out_neighbors(0)) == std::vector<Vertex>{1, 3});
  CHECK(g.name(3) == "dan smith");
  CHECK(g.find("carol") == Vertex{2});
  CHECK(!g.find("erin"));
  // blue, red in text order; bob and dan unlisted share the extra community.
  CHECK(t.community == std::vector<std::uint32_t>{1, 2, 0, 2});

  // Without a header the first line is a tie; a numbered file is unnamed.
  write_text(dir / "h.txt", "alice bob\nbob 7\n");
  CHECK(read_edge_list({dir / "h.txt", std::nullopt, false, std::nullopt}).names ==
        std::vector<std::string>{"alice", "bob", "7"});
  write_text(dir / "n.txt", "from to\n0 1\n");
  CHECK(read_edge_list({dir / "n.txt", std::nullopt, false, std::nullopt}).names.empty());

  using Catch::Matchers::Contains;
  using Catch::Matchers::StartsWith;
  write_text(dir / "c2.csv", "alice red\nalicia blue\n");
  CHECK_THROWS_WITH(read_edge_list({dir / "g.csv", std::nullopt, false, dir / "c2.csv"}),
                    StartsWith((dir / "c2.csv").string() + ":2: node 'alicia' is not in the "
                                                           "edge list, whose nodes are named"));
  CHECK_THROWS_WITH(read_edge_list({dir / "g.csv", 9, false, std::nullopt}),
                    Contains("the edge list names its nodes ('alice' first), so it has as many "
                             "nodes as names (4)"));
  write_text(dir / "m.txt", "0 1\n1 bob\n");
  CHECK_THROWS_WITH(read_edge_list({dir / "m.txt", std::nullopt, false, std::nullopt}),
                    Contains("'bob' is not a node id (an integer from 0 to 4294967294); the "
                             "file's first line numbers its nodes"));
}

TEST_CASE("GraphML reads through Boost.Graph with communities from a node attribute",
          "[graph][graphml]") {
  TempDir dir;
  write_text(dir / "k.graphml", R"(<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="club" attr.type="int"/>
  <graph id="G" edgedefault="undirected">
    <node id="ann"><data key="d0">7</data></node>
    <node id="bob"><data key="d0">3</data></node>
    <node id="cy"><data key="d0">7</data></node>
    <node id="dee"/>
    <edge source="ann" target="bob"/><edge source="bob" target="cy"/>
    <edge source="cy" target="ann"/><edge source="cy" target="dee"/><edge source="dee" target="cy"/>
  </graph>
</graphml>)");
  EdgeListSpec spec{dir / "k.graphml", std::nullopt, false, std::nullopt};
  spec.format = EdgeListSpec::Format::graphml;
  spec.community_attribute = "club";
  const Topology t = read_edge_list(spec);
  const Graph g(t.csr, t.directed, t.community, std::vector<float>(4, 1.0f));
  CHECK_FALSE(g.directed());
  CHECK(g.num_nodes() == 4);
  CHECK(g.num_edges() == 4);  // the repeated cy-dee tie once
  CHECK(list(g.out_neighbors(2)) == std::vector<Vertex>{0, 1, 3});
  CHECK(t.community == std::vector<std::uint32_t>{1, 0, 1, 2});  // 3 < 7; dee has none
  spec.community_attribute = "team";
  CHECK_THROWS_WITH(read_edge_list(spec),
                    Catch::Matchers::Contains("must be a node attribute of the file (club)"));
}

TEST_CASE("GML reads nodes in file order and refuses what it cannot place", "[graph][gml]") {
  TempDir dir;
  write_text(dir / "k.gml", R"(# Zachary-style toy
graph [
  directed 1
  node [ id 10 label "Ann" club "red" ]
  node [ id 20 club "blue" graphics [ x 1.0 y 2.0 ] ]
  node [ id 5 ]
  edge [ source 10 target 20 label "knows" ]
  edge [ source 5 target 10 ]
]
)");
  EdgeListSpec spec{dir / "k.gml", std::nullopt, false, std::nullopt};
  spec.format = EdgeListSpec::Format::gml;
  spec.community_attribute = "club";
  const Topology t = read_edge_list(spec);
  const Graph g(t.csr, t.directed, t.community, std::vector<float>(3, 1.0f));
  CHECK(g.directed());
  CHECK(g.num_edges() == 2);
  CHECK(list(g.out_neighbors(0)) == std::vector<Vertex>{1});
  CHECK(list(g.in_neighbors(0)) == std::vector<Vertex>{2});
  CHECK(t.community == std::vector<std::uint32_t>{1, 0, 2});
  using Catch::Matchers::StartsWith;
  const auto file = (dir / "bad.gml").string();
  const auto read = [&](const std::string& text) {
    write_text(file, text);
    EdgeListSpec bad{file, std::nullopt, false, std::nullopt};
    bad.format = EdgeListSpec::Format::gml;
    read_edge_list(bad);
  };
  CHECK_THROWS_WITH(read("graph [\n node [ id 1 ]\n node [ id 1 ]\n]\n"),
                    StartsWith(file + ":3: node id 1 is declared twice"));
  CHECK_THROWS_WITH(read("graph [\n node [ id x ]\n]\n"),
                    StartsWith(file + ":2: node id must be an integer, got 'x'"));
  CHECK_THROWS_WITH(read("graph [\n node [ id 1 ]\n"), StartsWith(file + ":3: expected ']'"));
  CHECK_THROWS_WITH(read("creator \"me\"\n"), StartsWith(file + ":2: no 'graph [ ... ]' block"));
  CHECK_THROWS_WITH(read(std::string(100, '[')), Catch::Matchers::Contains("expected a key"));
  // A weight is refused, not dropped: the models' ties are unweighted.
  CHECK_THROWS_WITH(
      read("graph [\n node [ id 1 ]\n node [ id 2 ]\n edge [ source 1 target 2 weight 2.5 ]\n]\n"),
      StartsWith(file + ":4: an edge's 'weight': buzzsim's ties are unweighted"));
}

TEST_CASE("edge weights in an edge list or GraphML are refused with the reason",
          "[graph][weights]") {
  TempDir dir;
  write_text(dir / "w.txt", "source,target,weight\n0,1,0.5\n1,2,2\n");
  EdgeListSpec list_spec{dir / "w.txt", std::nullopt, false, std::nullopt};
  CHECK_THROWS_WITH(read_edge_list(list_spec),
                    Catch::Matchers::StartsWith((dir / "w.txt").string() +
                                                ":2: column 3 ('0.5'): buzzsim's ties are "
                                                "unweighted"));
  // Two columns and a comment after them read as before.
  write_text(dir / "c.txt", "0 1 # a tie\n1 2\n");
  EdgeListSpec comment_spec{dir / "c.txt", std::nullopt, false, std::nullopt};
  CHECK(boost::num_edges(read_edge_list(comment_spec).csr) > 0);
  write_text(dir / "w.graphml", R"(<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="edge" attr.name="weight" attr.type="double"/>
  <graph edgedefault="undirected">
    <node id="a"/><node id="b"/>
    <edge source="a" target="b"><data key="d0">0.5</data></edge>
  </graph>
</graphml>
)");
  EdgeListSpec graphml{dir / "w.graphml", std::nullopt, false, std::nullopt};
  graphml.format = EdgeListSpec::Format::graphml;
  CHECK_THROWS_WITH(read_edge_list(graphml),
                    Catch::Matchers::Contains("the edge attribute 'weight': buzzsim's ties are "
                                              "unweighted"));
}

TEST_CASE("a degree file reads one degree or a node and its degree per line", "[graph][degrees]") {
  TempDir dir;
  write_text(dir / "d.txt", "# degrees\n3\n2\n 2\n1\n");
  CHECK(read_degrees(dir / "d.txt") == std::vector<std::uint32_t>{3, 2, 2, 1});
  write_text(dir / "d.csv", "node,degree\n0,1\n1,1\n");
  CHECK(read_degrees(dir / "d.csv") == std::vector<std::uint32_t>{1, 1});
  write_text(dir / "e.csv", "0,1\n2,1\n");
  CHECK_THROWS_WITH(
      read_degrees(dir / "e.csv"),
      Catch::Matchers::Contains("e.csv:2: node 1 must come after node 0, got node 2"));
}

TEST_CASE("a graph saved as a buzzgraph reads back the same and refuses damage",
          "[graph][buzzgraph]") {
  TempDir dir;
  for (const bool directed : {false, true}) {
    CAPTURE(directed);
    write_text(dir / "g.txt", "0 1\n1 2\n2 0\n2 3\n4 0\n");
    write_text(dir / "c.txt", "0 a\n1 b\n2 a\n3 c\n");
    const Topology t = read_edge_list({dir / "g.txt", std::nullopt, directed, dir / "c.txt"});
    const Graph g(t.csr, t.directed, t.community, std::vector<float>(5, 1.0f));
    write_binary(g, dir / "g.buzzgraph");
    const Topology back = read_binary(dir / "g.buzzgraph");
    CHECK(back.directed == directed);
    CHECK(back.community == t.community);
    CHECK(back.csr.m_forward.m_rowstart == t.csr.m_forward.m_rowstart);
    CHECK(back.csr.m_forward.m_column == t.csr.m_forward.m_column);
  }
  const std::string bytes = buzz::testing::read_text(dir / "g.buzzgraph");
  using Catch::Matchers::Contains;
  const auto damaged = [&](std::string b) {
    write_text(dir / "bad.buzzgraph", b);
    read_binary(dir / "bad.buzzgraph");
  };
  CHECK_THROWS_WITH(damaged(bytes.substr(0, bytes.size() - 9)), Contains("is cut short"));
  std::string flipped = bytes;
  flipped[48] ^= 1;  // a row start
  CHECK_THROWS_AS(damaged(flipped), InputError);
  std::string late = bytes;
  late[late.size() - 12] ^= 1;  // a community label: only the hash can tell
  CHECK_THROWS_WITH(damaged(late), Contains("fails its hash"));
  CHECK_THROWS_WITH(damaged("0 1\n1 2\n"), Contains("does not start with BUZZGRF1"));
  CHECK_THROWS_WITH(damaged(bytes + "x"), Contains("has bytes after its end"));
  std::string older = bytes;
  older[8] = 1;  // a version 1 file (hashed with FNV-1a): refused with what to do
  CHECK_THROWS_WITH(damaged(older),
                    Contains("has version 1 (this buzzsim reads 2: write it again with"));
  // The hash is XXH3-64 of everything before it, as the header comment documents.
  std::uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
  CHECK(stored == XXH3_64bits(bytes.data(), bytes.size() - 8));
}

TEST_CASE("a mapped buzzgraph gives the saved graph's ties and outlives the file's replacement",
          "[graph][buzzgraph]") {
  TempDir dir;
  write_text(dir / "g.txt", "0 1\n1 2\n2 0\n2 3\n4 0\n");
  write_text(dir / "c.txt", "0 a\n1 b\n2 a\n3 c\n");
  for (const bool directed : {false, true}) {
    CAPTURE(directed);
    const Topology t = read_edge_list({dir / "g.txt", std::nullopt, directed, dir / "c.txt"});
    const Graph saved(t.csr, t.directed, t.community, std::vector<float>(5, 1.0f));
    write_binary(saved, dir / "g.buzzgraph");
    std::optional<Graph> mapped;
    mapped.emplace(map_binary(dir / "g.buzzgraph"), std::vector<float>(5, 2.0f));
    // `buzzsim graph` renames a new file over the old: the mapping keeps the old ties.
    const Graph other(Csr(Vertex{5}), false, std::vector<std::uint32_t>(5, 0),
                      std::vector<float>(5, 1));
    write_binary(other, dir / "g.buzzgraph");
    const Graph copy = *mapped;  // copies share the mapping
    mapped.reset();
    REQUIRE(copy.num_nodes() == 5);
    CHECK(copy.directed() == directed);
    CHECK(copy.num_arcs() == saved.num_arcs());
    CHECK(copy.num_communities() == saved.num_communities());
    CHECK(copy.sessions_per_day(4) == 2.0f);
    for (Vertex v = 0; v < 5; ++v) {
      CAPTURE(v);
      CHECK(list(copy.out_neighbors(v)) == list(saved.out_neighbors(v)));
      CHECK(list(copy.in_neighbors(v)) == list(saved.in_neighbors(v)));
      CHECK(copy.community(v) == saved.community(v));
    }
    CHECK(list(copy.in_neighbors(0)) ==
          (directed ? std::vector<Vertex>{2, 4} : std::vector<Vertex>{1, 2, 4}));
  }
}

TEST_CASE("a buzzgraph path that is not a file is refused without waiting", "[graph][buzzgraph]") {
  TempDir dir;
  REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(map_binary(dir / "pipe"),
                    Contains("pipe: is not a regular file (a device, pipe or socket)"));
  CHECK_THROWS_WITH(map_binary(dir.path()), Contains(": is a folder, not a file"));
  CHECK_THROWS_WITH(map_binary(dir / "missing"),
                    Contains("missing: cannot read the graph (No such file or directory)"));
  write_text(dir / "empty.buzzgraph", "");
  CHECK_THROWS_WITH(map_binary(dir / "empty.buzzgraph"), Contains("does not start with BUZZGRF1"));
}
