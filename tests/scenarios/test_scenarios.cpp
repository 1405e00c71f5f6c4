#include <catch2/catch.hpp>

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

}  // namespace

// Every ready scenario loads, builds its graph, runs a short horizon (Mesa runs every
// example in a test) and gives its golden outputs.
TEST_CASE("every file in scenarios/ loads and runs briefly", "[scenarios]") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(testing::source_dir() / "scenarios")) {
    if (entry.path().extension() == ".textproto") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 20);
  for (const auto& file : files) {
    SECTION(file.filename().string()) {
      const auto full = scenario::load(file);
      CHECK_FALSE(full.description.empty());
      const std::uint32_t ticks = short_horizon(full);
      auto config = scenario::load(file, {std::nullopt, 2, std::nullopt, {}});
      config.ticks = ticks;
      if (auto* c = std::get_if<dynamics::CampaignParams>(&config.dynamics)) {
        for (auto& brand : c->brands) {
          std::erase_if(brand.calendar, [&](const auto& p) { return p.tick > ticks; });
          brand.end_tick = std::min(brand.end_tick, ticks);
        }
      }
      const auto g = batch::build_graph(config);
      const auto result = batch::run(config, g);
      REQUIRE(result.replicates.size() == 2);
      CHECK(result.replicates[0].ticks.back() == ticks);
      CHECK(result.replicates[0].metrics.size() == result.run_reporters.size());
      check_golden(file, "summary.csv", batch::summary_csv(result));
      check_golden(file, "timeseries.csv", batch::timeseries_csv(config, result));
    }
  }
}
