#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "sim/batch/runner.hpp"
#include "sim/dynamics/dynamics.hpp"
#include "sim/scenario/scenario.hpp"
#include "support.hpp"
#include "viz/colours.hpp"

using namespace buzz;

namespace {

// Every shipped model's display facts and state names: the classic models' and the
// campaign's.
struct Shown {
  std::string scenario;
  std::vector<std::string> names;
  engine::Display display;
};

std::vector<Shown> every_model() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::source_dir() / "scenarios" / "classic")) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  files.push_back(testing::source_dir() / "scenarios" / "advocate_seeding.textproto");
  std::vector<Shown> out;
  for (const auto& file : files) {
    const auto config = scenario::load(file);
    const auto model = dynamics::make_model(config.dynamics, batch::build_graph(config));
    out.push_back({file.filename().string(), model->state_names(), model->display()});
  }
  return out;
}

}  // namespace

TEST_CASE("each state of every model gets a colour of its own", "[viz][colours]") {
  // Each model declares a role for each of its states, and its states' colours differ.
  for (const auto& m : every_model()) {
    CAPTURE(m.scenario);
    REQUIRE(m.names.size() >= 2);
    REQUIRE(m.display.roles.size() == m.names.size());
    const auto colours = viz::state_colours(m.display.roles);
    REQUIRE(colours.size() == m.names.size());
    CHECK(std::set<std::uint32_t>(colours.begin(), colours.end()).size() == m.names.size());
  }
  // A role means one colour in every model: SIR's infectious and the threshold model's
  // active are both "spreading", recovered and spent both "removed".
  using engine::StateRole;
  const auto spreading = viz::state_colours({StateRole::spreading})[0];
  CHECK(viz::state_colours({StateRole::untouched, StateRole::spreading})[1] == spreading);
  CHECK(viz::state_colours({StateRole::removed})[0] != spreading);
  // A model that declares no roles: one grey for everyone.
  CHECK(viz::state_colours({}) == std::vector<std::uint32_t>{viz::palette::grey});
}

TEST_CASE("only the campaign keeps a calendar clock and passes messages", "[viz][colours]") {
  for (const auto& m : every_model()) {
    CAPTURE(m.scenario);
    const bool campaign = m.scenario == "advocate_seeding.textproto";
    CHECK(m.display.clock == campaign);
    CHECK(m.display.messages == campaign);
  }
}

namespace {

std::uint8_t channel(std::uint32_t c, int i) { return std::uint8_t(c >> (8 * i)); }

}  // namespace

TEST_CASE("the colour maths gives the published reference values", "[viz][colours]") {
  const auto black = viz::rgb(0, 0, 0), white = viz::rgb(255, 255, 255);
  // WCAG 2.1: black on white is 21:1, a colour on itself 1:1.
  CHECK(viz::contrast_ratio(black, white) == Approx(21));
  CHECK(viz::contrast_ratio(white, black) == Approx(21));
  CHECK(viz::contrast_ratio(viz::palette::blue, viz::palette::blue) == Approx(1));
  // CIELAB: black is L* 0 and white L* 100 with no hue, so they differ by 100.
  CHECK(viz::colour_difference(black, white, viz::Vision::normal) == Approx(100).margin(0.01));
  // Machado et al.'s rows each sum to 1, so greys look the same to everyone (to a unit).
  for (const auto vision : {viz::Vision::protan, viz::Vision::deutan, viz::Vision::tritan}) {
    for (const std::uint8_t g : {0, 0x70, 0xc0, 255}) {
      const auto seen = viz::as_seen(viz::rgb(g, g, g), vision);
      for (int i = 0; i < 3; ++i) CHECK(std::abs(int(channel(seen, i)) - int(g)) <= 1);
    }
  }
  // A protanope sees pure red as a dark olive: linear (0.152, 0.115, 0) in the paper's
  // matrix's first column, (109, 95, 0) in sRGB.
  const auto red = viz::as_seen(viz::rgb(255, 0, 0), viz::Vision::protan);
  CHECK(int(channel(red, 0)) == 109);
  CHECK(int(channel(red, 1)) == 95);
  CHECK(int(channel(red, 2)) == 0);
  // And a red and green a deuteranope cannot tell apart differ far less than they do in
  // normal vision.
  const auto r = viz::rgb(0xe5, 0x39, 0x35), g = viz::rgb(0x43, 0xa0, 0x47);
  CHECK(viz::colour_difference(r, g, viz::Vision::deutan) <
        0.5 * viz::colour_difference(r, g, viz::Vision::normal));
}

// The palette's rules, for every model: each state stands out from the background (WCAG
// 2.1 non-text contrast, at least 3:1) and each pair of a model's states differs by at
// least 15 Delta E*ab in normal vision and in full protan, deutan and tritan deficiency
// (Machado et al. 2009). The old red/green palette's advocate and detractor differed by 15
// for a deuteranope (111 in normal vision) and its susceptible grey had 2.8:1 contrast.
TEST_CASE("every model's state colours read against the background and to colour-blind eyes",
          "[viz][colours]") {
  for (const auto& m : every_model()) {
    const auto& names = m.names;
    const auto colours = viz::state_colours(m.display.roles);
    for (std::size_t a = 0; a < names.size(); ++a) {
      CAPTURE(names[a]);
      CHECK(viz::contrast_ratio(colours[a], viz::kBackground) >= 3);
      for (std::size_t b = a + 1; b < names.size(); ++b) {
        CAPTURE(names[b]);
        for (const auto vision :
             {viz::Vision::normal, viz::Vision::protan, viz::Vision::deutan, viz::Vision::tritan}) {
          CAPTURE(int(vision));
          CHECK(viz::colour_difference(colours[a], colours[b], vision) >= 15);
        }
      }
    }
  }
}
