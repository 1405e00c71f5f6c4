// The GML and GraphML readers on arbitrary bytes: the first byte picks the format.
#include "fuzz_support.hpp"
#include "sim/graph/edge_list.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (buzz::fuzz::has_huge_number(bytes)) return 0;
  buzz::graph::EdgeListSpec spec;
  spec.format = data[0] % 2 ? buzz::graph::EdgeListSpec::Format::graphml
                            : buzz::graph::EdgeListSpec::Format::gml;
  spec.community_attribute = data[0] % 4 < 2 ? "club" : "";
  spec.path = buzz::fuzz::write("graph.txt", bytes);
  return buzz::fuzz::expect_clean([&] { buzz::graph::read_edge_list(spec); });
}
