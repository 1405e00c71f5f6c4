// The GML, GraphML and buzzgraph readers on arbitrary bytes: the first byte picks the format.
#include "fuzz_support.hpp"
#include "sim/graph/edge_list.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (buzz::fuzz::has_huge_number(bytes)) return 0;
  buzz::graph::EdgeListSpec spec;
  using Format = buzz::graph::EdgeListSpec::Format;
  spec.format = data[0] % 3 == 0   ? Format::gml
                : data[0] % 3 == 1 ? Format::graphml
                                   : Format::buzzgraph;
  spec.community_attribute = data[0] % 6 < 3 ? "club" : "";
  spec.path = buzz::fuzz::write("graph.txt", bytes);
  return buzz::fuzz::expect_clean([&] { buzz::graph::read_edge_list(spec); });
}
