#include <catch2/catch.hpp>

#include "sim/batch/runner.hpp"
#include "sim/scenario/scenario.hpp"
#include "support.hpp"

using namespace buzz;
namespace fs = std::filesystem;

// Every ready scenario loads, builds its graph and runs a short horizon (Mesa runs every
// example in a test).
TEST_CASE("every file in scenarios/ loads and runs briefly", "[scenarios]") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(testing::source_dir() / "scenarios")) {
    if (entry.path().extension() == ".textproto") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 2);
  for (const auto& file : files) {
    SECTION(file.filename().string()) {
      const auto config = scenario::load(file, {std::nullopt, 2, 5});
      CHECK_FALSE(config.description.empty());
      const auto g = batch::build_graph(config);
      const auto result = batch::run(config, g);
      REQUIRE(result.replicates.size() == 2);
      CHECK(result.replicates[0].ticks.back() == 5);
      CHECK(result.replicates[0].metrics.size() == result.metric_names.size());
    }
  }
}
