// The sweep planner on arbitrary scenario text: axes checked, points drawn and converted.
#include "fuzz_support.hpp"
#include "sim/scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Up to a million points is a legitimate sweep; each is a scenario of its own, too slow
  // for a fuzzer's time limit. Six or more digits are skipped (the limit has its own test).
  std::size_t run = 0;
  for (char c : text) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run >= 6) return 0;
  }
  const auto file = buzz::fuzz::write("sweep.textproto", text);
  return buzz::fuzz::expect_clean([&] { buzz::scenario::load_sweep(file); });
}
