// The edge-list reader on arbitrary bytes.
#include "fuzz_support.hpp"
#include "sim/graph/edge_list.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (buzz::fuzz::has_huge_number(bytes)) return 0;
  buzz::graph::EdgeListSpec spec;
  spec.path = buzz::fuzz::write("edges.txt", bytes);
  return buzz::fuzz::expect_clean([&] { buzz::graph::read_edge_list(spec); });
}
