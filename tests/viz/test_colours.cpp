#include <catch2/catch.hpp>

#include <set>

#include "sim/batch/runner.hpp"
#include "sim/dynamics/dynamics.hpp"
#include "sim/scenario/scenario.hpp"
#include "support.hpp"
#include "viz/colours.hpp"

using namespace buzz;

TEST_CASE("each state of every model gets a colour of its own", "[viz][colours]") {
  // Every shipped model's states, as the viewer reads them.
  for (const char* name :
       {"sir", "sis", "sir_continuous", "sis_continuous", "watts_threshold", "linear_threshold",
        "k_threshold_ring", "bass_on_graph", "maki_thompson", "influencer_seeding"}) {
    CAPTURE(name);
    const auto config = scenario::load(testing::source_dir() / "scenarios" / "classic" /
                                       (std::string(name) + ".textproto"));
    const auto graph = batch::build_graph(config);
    const auto names = dynamics::make_model(config.dynamics, graph)->state_names();
    REQUIRE(names.size() >= 2);
    const auto colours = viz::state_colours(names);
    REQUIRE(colours.size() == names.size());
    CHECK(std::set<std::uint32_t>(colours.begin(), colours.end()).size() == names.size());
  }
  const auto campaign =
      viz::state_colours({"unaware", "aware", "engaged", "advocate", "annoyed", "detractor"});
  CHECK(std::set<std::uint32_t>(campaign.begin(), campaign.end()).size() == 6);
  // SIR's infectious and recovered were both blue once.
  const auto sir = viz::state_colours({"susceptible", "infectious", "recovered"});
  CHECK(sir[1] != sir[2]);
  // Unknown names still differ from each other.
  const auto odd = viz::state_colours({"x", "y", "z"});
  CHECK(std::set<std::uint32_t>(odd.begin(), odd.end()).size() == 3);
}
