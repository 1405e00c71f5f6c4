#include <catch2/catch.hpp>

#include <oneapi/tbb/task_arena.h>

#include <cstdlib>

#include "sim/batch/runner.hpp"
#include "sim/batch/writers.hpp"
#include "sim/scenario/scenario.hpp"
#include "support.hpp"

using namespace buzz;
namespace fs = std::filesystem;

namespace {

// A short horizon that holds every event the scenario schedules, and at most ten days of
// a calendar (a year of posts on 300,000 people is the calibration tests' to run).
std::uint32_t short_horizon(const scenario::Config& config) {
  std::uint32_t last_event = 0;
  if (const auto* c = std::get_if<dynamics::CampaignParams>(&config.dynamics)) {
    for (const auto& brand : c->brands) {
      for (const auto& e : brand.events) last_event = std::max(last_event, e.tick);
      for (const auto& p : brand.calendar) {
        if (p.tick <= 240) last_event = std::max(last_event, p.tick);
      }
    }
  }
  return std::min(config.ticks, last_event + 48);
}

// Golden outputs (igraph's practice): each shipped scenario's summary.csv and
// timeseries.csv at its short horizon are checked in under tests/golden/, so that any
// change of results shows as a diff. BUZZ_UPDATE_GOLDEN=1 rewrites them
// (scripts/update_golden.sh); a change must then be explained in its commit.
void check_golden(const fs::path& scenario_file, const std::string& name, const std::string& text) {
  const auto relative = fs::relative(scenario_file, testing::source_dir() / "scenarios");
  const auto golden =
      testing::source_dir() / "tests" / "golden" / relative.parent_path() / relative.stem() / name;
  if (std::getenv("BUZZ_UPDATE_GOLDEN") != nullptr) {
    fs::create_directories(golden.parent_path());
    testing::write_text(golden, text);
    return;
  }
  INFO(golden.string() << " (BUZZ_UPDATE_GOLDEN=1 rewrites it after an intended change)");
  REQUIRE(fs::exists(golden));
  CHECK(testing::read_text(golden) == text);
}

// Every shipped scenario file.
std::vector<fs::path> scenario_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(testing::source_dir() / "scenarios")) {
    if (entry.path().extension() == ".textproto") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The scenario at its short horizon, two replicates, with its calendar cut to match.
scenario::Config short_config(const fs::path& file) {
  auto config = scenario::load(file, {std::nullopt, 2, std::nullopt, {}});
  config.ticks = short_horizon(config);
  if (auto* c = std::get_if<dynamics::CampaignParams>(&config.dynamics)) {
    for (auto& brand : c->brands) {
      std::erase_if(brand.calendar, [&](const auto& p) { return p.tick > config.ticks; });
      brand.end_tick = std::min(brand.end_tick, config.ticks);
    }
  }
  return config;
}

}  // namespace

// Every ready scenario loads, builds its graph, runs a short horizon (Mesa runs every
// example in a test) and gives its golden outputs.
TEST_CASE("every file in scenarios/ loads and runs briefly", "[scenarios]") {
  const auto files = scenario_files();
  REQUIRE(files.size() >= 20);
  for (const auto& file : files) {
    SECTION(file.filename().string()) {
      const auto config = short_config(file);
      CHECK_FALSE(config.description.empty());
      const auto g = batch::build_graph(config);
      const auto result = batch::run(config, g);
      REQUIRE(result.replicates.size() == 2);
      CHECK(result.replicates[0].ticks.back() == config.ticks);
      CHECK(result.replicates[0].metrics.size() == result.run_reporters.size());
      check_golden(file, "summary.csv", batch::summary_csv(result));
      check_golden(file, "timeseries.csv", batch::timeseries_csv(config, result));
    }
  }
}

// The golden outputs whatever the thread count, graph building included: 1, 3 and 4
// threads (an arena of its own, so 3 and 4 are real threads on a two-core machine too),
// beside the test above at the machine's count.
TEST_CASE("every scenario gives its golden outputs on 1 3 and 4 threads",
          "[scenarios][determinism]") {
  std::vector<std::pair<fs::path, scenario::Config>> scenarios;
  for (const auto& file : scenario_files()) scenarios.emplace_back(file, short_config(file));
  for (const int threads : {1, 3, 4}) {
    testing::with_threads(threads, [&] {
      REQUIRE(tbb::this_task_arena::max_concurrency() == threads);
      for (const auto& [file, config] : scenarios) {
        INFO(file.string() << " on " << threads << " threads");
        const auto g = batch::build_graph(config);
        const auto result = batch::run(config, g);
        check_golden(file, "summary.csv", batch::summary_csv(result));
        check_golden(file, "timeseries.csv", batch::timeseries_csv(config, result));
      }
    });
  }
}
