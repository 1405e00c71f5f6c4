// The scenario loader on arbitrary text: parse, check, convert.
#include "fuzz_support.hpp"
#include "sim/scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (buzz::fuzz::has_huge_number(text)) return 0;
  return buzz::fuzz::expect_clean(
      [&] { buzz::scenario::parse(text, "<fuzz>", buzz::fuzz::scratch("")); });
}
