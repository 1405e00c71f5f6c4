// The community file of an edge-list graph, on arbitrary bytes, beside a small valid graph.
#include "fuzz_support.hpp"
#include "sim/graph/edge_list.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (buzz::fuzz::has_huge_number(bytes)) return 0;
  static const auto edges = buzz::fuzz::write("edges.txt", "0 1\n1 2\n2 3\n3 0\n4 5\n");
  buzz::graph::EdgeListSpec spec;
  spec.path = edges;
  spec.community_path = buzz::fuzz::write("communities.txt", bytes);
  return buzz::fuzz::expect_clean([&] { buzz::graph::read_edge_list(spec); });
}
