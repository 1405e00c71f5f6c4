#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <set>

#include "sim/common/input_error.hpp"
#include "sim/common/input_file.hpp"
#include "sim/scenario/scenario.hpp"
#include "support.hpp"

using namespace buzz;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;

TEST_CASE("a minimal scenario takes the documented defaults", "[scenario]") {
  const auto c = scenario::parse("dynamics { sir {} }");
  CHECK(c.seed == 1);
  CHECK(c.replicates == 10);
  CHECK(c.ticks == 100);
  CHECK(c.tick_hours == 1.0);
  const auto* g = std::get_if<graph::CommunitySpec>(&c.graph);  // communities by default
  REQUIRE(g != nullptr);
  CHECK(g->nodes == 10000);
  CHECK(g->mean_degree == 20);
  const auto& sir = std::get<dynamics::SirParams>(c.dynamics);
  CHECK(sir.beta == 0.1);
  CHECK(sir.gamma == 0.2);
  CHECK(sir.seeds.count == 1);
  CHECK(c.graph_seed == c.seed);
}

TEST_CASE("a syntax error gives file:line:column and the parser's reason", "[scenario]") {
  CHECK_THROWS_WITH(scenario::parse("seed: 1\nreplicates: [\n", "x.textproto"),
                    StartsWith("x.textproto:2:13: ") && Contains("integer"));
  CHECK_THROWS_AS(scenario::parse("seed: 1\nreplicates: [\n"), InputError);
}

TEST_CASE("an unknown field is rejected with the nearest valid name", "[scenario]") {
  CHECK_THROWS_WITH(scenario::parse("seeed: 3\n", "x.textproto"),
                    Equals("x.textproto:1:1: unknown field \"seeed\" in Scenario; did you mean "
                           "\"seed\"?"));
  CHECK_THROWS_WITH(
      scenario::parse("graph {\n  erdos_renyi { mean_degre: 3 }\n}\n", "x.textproto"),
      StartsWith("x.textproto:2:17: unknown field \"mean_degre\" in ErdosRenyi; did you mean "
                 "\"mean_degree\"?"));
  // Nothing close: list the valid names instead.
  CHECK_THROWS_WITH(scenario::parse("zzzzzzzzzzzz: 1\n"), Contains("valid fields are: name, "));
}

TEST_CASE("a value out of range names the field path and the rule and the value", "[scenario]") {
  CHECK_THROWS_WITH(scenario::parse("seed: 4\ndynamics {\n  sir { beta: 1.5 }\n}\n", "x.textproto"),
                    Equals("x.textproto:3:9: dynamics.sir.beta must be in [0, 1], got 1.5"));
  CHECK_THROWS_WITH(scenario::parse("tick_hours: 0\ndynamics { sir {} }", "x.textproto"),
                    Equals("x.textproto:1:1: tick_hours must be in (0, 8784], got 0"));
  CHECK_THROWS_WITH(scenario::parse("replicates: 0\ndynamics { sir {} }", "x.textproto"),
                    Equals("x.textproto:1:1: replicates must be in [1, 100000], got 0"));
  // Every error is reported, one per line.
  CHECK_THROWS_WITH(
      scenario::parse("dynamics { sir { beta: -1 gamma: 2 } }", "x.textproto"),
      Contains(
          "dynamics.sir.beta must be in [0, 1], got -1\nx.textproto:1:27: dynamics.sir.gamma"));
}

TEST_CASE("an input error carries its file and line and column and field and rule and value",
          "[scenario]") {
  try {
    scenario::parse("seed: 4\ndynamics {\n  sir { beta: 1.5 }\n}\n", "x.textproto");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.file() == "x.textproto");
    CHECK(e.line() == 3);
    CHECK(e.column() == 9);
    CHECK(e.field() == "dynamics.sir.beta");
    CHECK(e.rule() == "be in [0, 1]");
    CHECK(e.value() == "1.5");
  }
  const InputError bare("ties.txt: cannot open graph file");
  CHECK(bare.file() == "ties.txt");
  CHECK(bare.line() == -1);
  CHECK(bare.field().empty());
}

TEST_CASE("rules across fields are checked", "[scenario]") {
  CHECK_THROWS_WITH(
      scenario::parse("graph { watts_strogatz { nodes: 100 neighbors: 5 } }\ndynamics { sir {} }"),
      Contains("graph.watts_strogatz.neighbors must be even and below nodes (100), got 5"));
  CHECK_THROWS_WITH(
      scenario::parse("graph { complete { nodes: 10 } }\n"
                      "dynamics { independent_cascade { seeds { count: 11 } } }"),
      Contains("2:42: dynamics.independent_cascade.seeds.count must be at most the graph's nodes "
               "(10), got 11"));
  CHECK_THROWS_WITH(
      scenario::parse("seed: 1"),
      Contains("dynamics must choose one model: campaign, independent_cascade, sir, sis"));
  CHECK_THROWS_WITH(
      scenario::parse("graph { communities { min_community_size: 500 max_community_size: 100 } }\n"
                      "dynamics { sir {} }"),
      Contains("graph.communities.max_community_size must be at least min_community_size (500), "
               "got 100"));
}

TEST_CASE("missing files are named", "[scenario]") {
  testing::TempDir dir;
  CHECK_THROWS_WITH(scenario::load(dir / "nope.textproto"),
                    Equals((dir / "nope.textproto").string() +
                           ": cannot open scenario file (No such file or directory)"));
  testing::write_text(dir / "s.textproto",
                      "graph {\n  edge_list { path: \"ties.txt\" }\n}\ndynamics { sir {} }\n");
  CHECK_THROWS_WITH(scenario::load(dir / "s.textproto"),
                    Equals((dir / "s.textproto").string() +
                           ":2:15: graph.edge_list.path: cannot open graph file \"" +
                           (dir / "ties.txt").string() + "\" (No such file or directory)"));
  // Relative to the scenario's folder, it is found.
  testing::write_text(dir / "ties.txt", "0 1\n");
  CHECK(std::get<graph::EdgeListSpec>(scenario::load(dir / "s.textproto").graph).path ==
        dir / "ties.txt");
}

TEST_CASE("every file a scenario names that is a FIFO is refused without waiting", "[scenario]") {
  // The scenario itself, a calendar, an observed file and a posterior: each checked for
  // what it is before it is opened (opening a FIFO blocks until a writer comes).
  testing::TempDir dir;
  REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
  CHECK_THROWS_WITH(
      scenario::load(dir / "pipe"),
      Equals((dir / "pipe").string() + ": cannot open scenario file (it is not a regular file)"));
  testing::write_text(dir / "s.textproto",
                      "ticks: 240 dynamics { campaign { brands { follower_share: 0.1 "
                      "calendar_file: \"pipe\" } } }");
  CHECK_THROWS_WITH(scenario::load(dir / "s.textproto"),
                    Contains("cannot open calendar file \"" + (dir / "pipe").string() +
                             "\" (it is not a regular file)"));
  testing::write_text(dir / "cal.csv", "date,hour\n2014-01-02,9\n");
  testing::write_text(dir / "c.textproto",
                      "ticks: 480 graph { communities { nodes: 500 mean_degree: 8 } } dynamics { "
                      "campaign { brands { follower_share: 0.2 calendar_file: \"cal.csv\" "
                      "calendar_start_date: \"2014-01-01\" } } } calibrate { observed_file: "
                      "\"pipe\" free { field: \"audience.organic_reach\" } match { observed: "
                      "\"x\" simulated: \"follower_reach\" } }");
  CHECK_THROWS_WITH(scenario::load_calibration(dir / "c.textproto"),
                    Contains("cannot open observed file \"" + (dir / "pipe").string() +
                             "\" (it is not a regular file)"));
  CHECK_THROWS_WITH(read_input_file(dir / "pipe", "posterior file"),
                    Equals((dir / "pipe").string() +
                           ": cannot read the posterior file (it is not a regular file)"));
}

TEST_CASE("a graph path that is a FIFO is refused at its line without waiting", "[scenario]") {
  testing::TempDir dir;
  REQUIRE(::mkfifo((dir / "pipe.buzzgraph").c_str(), 0600) == 0);
  testing::write_text(
      dir / "s.textproto",
      "graph {\n  buzzgraph { path: \"pipe.buzzgraph\" }\n}\ndynamics { sir {} }\n");
  CHECK_THROWS_WITH(scenario::load(dir / "s.textproto"),
                    Equals((dir / "s.textproto").string() +
                           ":2:15: graph.buzzgraph.path: " + (dir / "pipe.buzzgraph").string() +
                           ": is not a regular file (a device, pipe or socket); graphs are read "
                           "from files"));
}

TEST_CASE("overrides replace the file's values and show in the canonical text", "[scenario]") {
  const auto base = scenario::parse("seed: 5\nreplicates: 3\ndynamics { sir {} }");
  const auto changed =
      scenario::parse("seed: 5\nreplicates: 3\ndynamics { sir {} }", "x", {}, {9, 4, 50, {}});
  CHECK(changed.seed == 9);
  CHECK(changed.replicates == 4);
  CHECK(changed.ticks == 50);
  CHECK_THAT(changed.canonical_text, Contains("seed: 9") && Contains("ticks: 50"));
  // The hash identifies the scenario as run: comments do not change it, values do.
  CHECK(scenario::hash(base) ==
        scenario::hash(scenario::parse("# note\nseed: 5 replicates: 3 dynamics { sir {} }")));
  CHECK(scenario::hash(base) != scenario::hash(changed));
  CHECK(scenario::hash(base).size() == 64);
}

TEST_CASE("bad campaign values are rejected with their field path", "[scenario][campaign]") {
  const auto with_brand = [](const std::string& brand) {
    return "ticks: 2160\ndynamics { campaign {\n  brands { " + brand + " }\n} }\n";
  };
  CHECK_THROWS_WITH(scenario::parse(with_brand("tone: 1.5"), "x.textproto"),
                    Equals("x.textproto:3:12: dynamics.campaign.brands[0].tone must be in [0, 1], "
                           "got 1.5"));
  CHECK_THROWS_WITH(scenario::parse(with_brand("posts_per_week: -2"), "x.textproto"),
                    Equals("x.textproto:3:12: dynamics.campaign.brands[0].posts_per_week must be "
                           "in (0, 168], got -2"));
  CHECK_THROWS_WITH(
      scenario::parse(with_brand("events { kind: CRISIS day: 120 }"), "x.textproto"),
      Equals("x.textproto:3:34: dynamics.campaign.brands[0].events[0].day must be before the "
             "horizon (90 days), got 120"));
  CHECK_THROWS_WITH(
      scenario::parse(with_brand("follower_share: 0"), "x.textproto"),
      StartsWith("x.textproto:3:12: dynamics.campaign.brands[0]: a brand needs followers, paid "
                 "reach or seeded advocates"));
  CHECK_THROWS_WITH(
      scenario::parse("dynamics { campaign { audience { awareness_half_life_days: -1 } "
                      "brands { } } }"),
      Contains(
          "dynamics.campaign.audience.awareness_half_life_days must be in (0, 36600], got -1"));
  CHECK_THROWS_WITH(scenario::parse("dynamics { campaign { } }"),
                    Contains("dynamics.campaign.brands must list at least one brand"));
  CHECK_THROWS_WITH(
      scenario::parse("dynamics { campaign { brands { name: \"a\" } brands { name: \"a\" } } }"),
      Contains("must differ from every other brand's"));
  // A brand with paid reach and no followers is seen, so it is fine.
  CHECK_NOTHROW(scenario::parse(with_brand("follower_share: 0 paid_reach: 0.1")));
}

TEST_CASE("sweep designs: grid, random and Latin hypercube", "[scenario][sweep]") {
  testing::TempDir dir;
  const std::string base = R"(seed: 3
dynamics { campaign { brands { name: "b" } } }
sweep { )";
  testing::write_text(dir / "grid.textproto",
                      base + R"(axes { field: "campaign.tone" values: [0.2, 0.8] }
  axes { field: "dynamics.campaign.brands[0].burst_size" values: [2, 4, 8] } })");
  const auto grid = scenario::load_sweep(dir / "grid.textproto");
  REQUIRE(grid.points.size() == 6);
  CHECK(grid.fields[0] == "dynamics.campaign.brands[0].tone");
  // First axis slowest; each point's config carries its values.
  CHECK(grid.points[4].values == std::vector<double>{0.8, 4});
  const auto& brand = std::get<dynamics::CampaignParams>(grid.points[4].config.dynamics).brands[0];
  CHECK(brand.tone == 0.8);
  CHECK(brand.burst_size == 4);

  testing::write_text(dir / "lhs.textproto", base + R"(design: LATIN_HYPERCUBE points: 20
  axes { field: "campaign.tone" min: 0 max: 1 }
  axes { field: "campaign.value" min: 0.5 max: 1 } })");
  const auto lhs = scenario::load_sweep(dir / "lhs.textproto");
  REQUIRE(lhs.points.size() == 20);
  for (std::size_t a = 0; a < 2; ++a) {
    // One point in each of the 20 strata of each axis.
    std::set<int> strata;
    const double lo = a == 0 ? 0 : 0.5, width = (a == 0 ? 1 : 0.5) / 20;
    for (const auto& p : lhs.points) strata.insert(int((p.values[a] - lo) / width));
    CHECK(strata.size() == 20);
  }
  testing::write_text(
      dir / "random.textproto",
      base + R"(design: RANDOM points: 50 axes { field: "campaign.tone" min: 0.2 max: 0.4 } })");
  const auto random = scenario::load_sweep(dir / "random.textproto");
  REQUIRE(random.points.size() == 50);
  for (const auto& p : random.points) {
    CHECK(p.values[0] >= 0.2);
    CHECK(p.values[0] < 0.4);
  }
  // The same file gives the same points.
  CHECK(scenario::load_sweep(dir / "random.textproto").points[7].values == random.points[7].values);
}

TEST_CASE("a sweep axis of presets sets each preset's fields and names its points",
          "[scenario][sweep]") {
  testing::TempDir dir;
  const std::string base = R"(seed: 3
dynamics { campaign { brands { name: "b" tone: 0.5 reply_probability: 0.3 } } }
sweep { )";
  testing::write_text(dir / "voice.textproto",
                      base + R"(axes { name: "voice" presets { name: "conversational" }
    presets { name: "broadcast" } presets { name: "loud" set: ["campaign.tone=1", "campaign.value=0.7"] } }
  axes { field: "campaign.posts_per_week" values: [1, 7] } })");
  const auto plan = scenario::load_sweep(dir / "voice.textproto");
  REQUIRE(plan.points.size() == 6);
  CHECK(plan.fields ==
        std::vector<std::string>{"voice", "dynamics.campaign.brands[0].posts_per_week"});
  const auto brand = [&](std::size_t i) {
    return std::get<dynamics::CampaignParams>(plan.points[i].config.dynamics).brands[0];
  };
  // The built-ins are the shipped conversational and broadcast scenarios' settings.
  CHECK(plan.points[0].labels == std::vector<std::string>{"conversational", ""});
  CHECK(brand(0).tone == 0.9);
  CHECK(brand(0).reply_probability == 0.5);
  CHECK(brand(1).posts_per_week == 7);
  CHECK(plan.points[2].labels[0] == "broadcast");
  CHECK(brand(2).tone == 0.1);
  CHECK(brand(2).reply_probability == 0);
  // One's own preset sets what it lists and leaves the rest as written.
  CHECK(plan.points[5].values == std::vector<double>{2, 7});
  CHECK(brand(5).tone == 1);
  CHECK(brand(5).value == 0.7);
  CHECK(brand(5).reply_probability == 0.3);
  // Every built-in name is a preset that loads.
  for (const auto& name : scenario::preset_names()) {
    CAPTURE(name);
    testing::write_text(dir / "one.textproto",
                        base + "axes { presets { name: \"" + name + "\" } } }");
    CHECK(scenario::load_sweep(dir / "one.textproto").points.size() == 1);
  }
  // Errors name the file, the line, the preset and the rule.
  const auto error = [&](const std::string& axes) {
    testing::write_text(dir / "bad.textproto", base + axes + " }");
    try {
      scenario::load_sweep(dir / "bad.textproto");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error(R"(axes { presets { name: "broadcst" } })"),
             Contains("bad.textproto:3:") &&
                 Contains(R"(presets[0] "broadcst" is not a built-in)") &&
                 Contains(R"(did you mean "broadcast"?)"));
  CHECK_THAT(error(R"(axes { presets { name: "x" set: ["campaign.tone=2"] } })"),
             Contains(R"(set "campaign.tone=2")") && Contains("must be in [0, 1], got 2"));
  CHECK_THAT(
      error(R"(axes { field: "campaign.tone" values: [0.1] presets { name: "broadcast" } })"),
      Contains("presets or a field with values, not both"));
  CHECK_THAT(error(R"(design: RANDOM axes { presets { name: "broadcast" } })"),
             Contains("presets need a GRID design, got RANDOM"));
}

TEST_CASE("a calendar of posts replaces the schedule and its errors name file and line",
          "[scenario][campaign]") {
  testing::TempDir dir;
  testing::write_text(dir / "cal.csv",
                      "date,hour,category,paid,likes\n2014-01-01,4,product,,91\n"
                      "2014-01-02,8,action,1,93\n2014-01-03,9,inspiration,0,7\n");
  const std::string brand =
      "ticks: 240 dynamics { campaign { brands { follower_share: 0.1 "
      "calendar_file: \"cal.csv\" calendar_start_date: \"2014-01-01\" "
      "posts { day: 5 hour: 12 commerciality: 0.7 } } } }";
  testing::write_text(dir / "s.textproto", brand);
  const auto config = scenario::load(dir / "s.textproto");
  const auto& posts = std::get<dynamics::CampaignParams>(config.dynamics).brands[0].calendar;
  REQUIRE(posts.size() == 4);
  CHECK(posts[0].tick == 4);       // 1 January, 04:00
  CHECK(posts[1].tick == 24 + 8);  // 2 January, 08:00
  CHECK(posts[1].content.paid);
  CHECK(posts[1].content.commerciality == 0.9);  // action
  CHECK(posts[2].content.commerciality == 0.1);  // inspiration
  CHECK(posts[3].tick == 5 * 24 + 12);
  CHECK(posts[3].content.commerciality == 0.7);  // set by the post itself

  testing::write_text(dir / "bad.csv",
                      "date,hour,category\n2014-01-01,4,product\n2014-01-02,8,sale\n");
  testing::write_text(dir / "bad.textproto",
                      "ticks: 240 dynamics { campaign { brands { follower_share: 0.1 "
                      "calendar_file: \"bad.csv\" calendar_start_date: \"2014-01-01\" } } }");
  CHECK_THROWS_WITH(scenario::load(dir / "bad.textproto"),
                    Contains("bad.csv:3: column 3 (category) must be action, product or "
                             "inspiration (or 1, 2, 3), got 'sale'"));
  testing::write_text(dir / "late.textproto",
                      "ticks: 24 dynamics { campaign { brands { follower_share: 0.1 "
                      "posts { day: 3 } } } }");
  CHECK_THROWS_WITH(scenario::load(dir / "late.textproto"),
                    Contains("post 0 (day 3, hour 0) must be before the horizon (1 days)"));
}

TEST_CASE("a calendar reads an export's names and codes and refuses columns it does not know",
          "[scenario][campaign]") {
  testing::TempDir dir;
  // The Facebook metrics data set's names and codes, `;`-separated with a byte-order mark,
  // CRLF line ends and a quoted cell.
  testing::write_text(dir / "cal.csv",
                      "\xEF\xBB\xBF"
                      "day;Post Hour;Type;Category;Paid;Lifetime Post Total Reach\r\n"
                      "0;4;Photo;1;0;\"2,200\"\r\n1;8;Status;3;1;900\r\n");
  const std::string scenario =
      "ticks: 240 dynamics { campaign { brands { follower_share: 0.1 "
      "calendar_file: \"cal.csv\" } } }";
  testing::write_text(dir / "s.textproto", scenario);
  const auto config = scenario::load(dir / "s.textproto");
  const auto& posts = std::get<dynamics::CampaignParams>(config.dynamics).brands[0].calendar;
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].tick == 4);
  CHECK(posts[0].content.category == dynamics::Category::action);
  CHECK_FALSE(posts[0].content.paid);
  CHECK(posts[1].tick == 24 + 8);
  CHECK(posts[1].content.category == dynamics::Category::inspiration);
  CHECK(posts[1].content.format == dynamics::Format::status);
  CHECK(posts[1].content.paid);

  const auto refused = [&](const std::string& csv) {
    testing::write_text(dir / "cal.csv", csv);
    try {
      scenario::load(dir / "s.textproto");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK_THAT(refused("day,hour,Catgory\n0,4,1\n"),
             Contains("cal.csv:1: column 3 ('Catgory') must be a calendar column") &&
                 Contains("did you mean 'category'?"));
  CHECK_THAT(refused("day,hour,mood\n0,4,1\n"),
             Contains("column 3 ('mood') must be a calendar column") &&
                 Contains("got an unknown name; rename or remove it"));
  CHECK_THAT(refused("Post Month;Post Weekday;Post Hour\n1;4;3\n"),
             Contains("column 1 ('Post Month') is an export's month of the post") &&
                 Contains("buzzsim import"));
  CHECK_THAT(refused("day,Post Message\n0,hello\n"),
             Contains("column 2 ('Post Message') holds the post's text"));
  CHECK_THAT(refused("day,type,format\n0,photo,photo\n"),
             Contains("columns 2 ('type') and 3 ('format') must not both give type"));
  CHECK_THAT(refused("day,hour\n0,\"4\n"), Contains("cal.csv:2: a quoted field must end"));
}

TEST_CASE("a calendar's type column gives each post its format", "[scenario][campaign]") {
  testing::TempDir dir;
  testing::write_text(dir / "cal.csv",
                      "day,hour,type\n0,4,Photo\n0,8,status\n1,9,link\n2,9,video\n3,9,\n");
  testing::write_text(dir / "s.textproto",
                      "ticks: 240 dynamics { campaign { brands { follower_share: 0.1 "
                      "format: LINK calendar_file: \"cal.csv\" } } }");
  const auto config = scenario::load(dir / "s.textproto");
  const auto& posts = std::get<dynamics::CampaignParams>(config.dynamics).brands[0].calendar;
  REQUIRE(posts.size() == 5);
  using dynamics::Format;
  CHECK(posts[0].content.format == Format::photo);
  CHECK(posts[1].content.format == Format::status);
  CHECK(posts[2].content.format == Format::link);
  CHECK(posts[3].content.format == Format::video);
  CHECK(posts[4].content.format == Format::link);  // none given: the brand's format

  testing::write_text(dir / "bad.csv", "day,hour,type\n0,4,photo\n1,8,carousel\n");
  testing::write_text(dir / "bad.textproto",
                      "ticks: 240 dynamics { campaign { brands { follower_share: 0.1 "
                      "calendar_file: \"bad.csv\" } } }");
  CHECK_THROWS_WITH(scenario::load(dir / "bad.textproto"),
                    Contains("bad.csv:3: column 3 (type) must be photo, status, link or video, "
                             "got 'carousel'"));
}

TEST_CASE("a daily rhythm needs 24 hours of activity", "[scenario][campaign]") {
  CHECK_THROWS_WITH(
      scenario::parse("population { hourly_activity: [1, 2, 3] } "
                      "dynamics { campaign { brands { follower_share: 0.1 } } }",
                      "x.textproto"),
      Contains("population.hourly_activity must hold 24 values, none negative and not all 0, "
               "got 3 values summing to 6"));
}
