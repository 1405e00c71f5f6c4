#include <catch2/catch.hpp>

#include "sim/analysis/compare.hpp"
#include "sim/analysis/stats.hpp"
#include "sim/batch/memory.hpp"
#include "sim/batch/output_dir.hpp"
#include "sim/batch/runner.hpp"
#include "sim/batch/writers.hpp"
#include "sim/common/input_error.hpp"
#include "sim/report/csv.hpp"
#include "sim/report/html.hpp"
#include "sim/report/report.hpp"
#include "sim/report/svg.hpp"
#include "sim/report/tables.hpp"
#include "sim/scenario/scenario.hpp"
#include "support.hpp"

using namespace buzz;
namespace fs = std::filesystem;

TEST_CASE("the 95% interval uses Student's t", "[batch][stats]") {
  const std::vector<double> x{1, 2, 3, 4, 5};
  const auto i = analysis::mean_interval(x);
  // sd = sqrt(2.5) = 1.5811; t(0.975, 4) = 2.7764; half-width = 2.7764 * 1.5811 / sqrt(5).
  CHECK(i.n == 5);
  CHECK(i.mean == 3);
  CHECK(i.sd == Approx(1.58114).epsilon(1e-5));
  CHECK(i.low == Approx(3 - 1.96324).epsilon(1e-5));
  CHECK(i.high == Approx(3 + 1.96324).epsilon(1e-5));
  CHECK(std::isnan(analysis::mean_interval(std::vector<double>{2}).low));
}

TEST_CASE("intervals stay within what a metric can be", "[batch][stats]") {
  engine::Reporter share{
      "unique_reach", "share", engine::Measure::stock, engine::Direction::higher_is_better, "",
      false};
  engine::Reporter stock{
      "aware", "people", engine::Measure::stock, engine::Direction::higher_is_better, "", false};
  engine::Reporter flow{
      "unfollows", "people", engine::Measure::flow, engine::Direction::lower_is_better, "", false};
  engine::Reporter signed_share = share;
  signed_share.can_be_negative = true;
  CHECK(analysis::value_range(share, 100).high == 1);
  CHECK(analysis::value_range(signed_share, 100).low == -1);
  CHECK(analysis::value_range(stock, 30000).high == 30000);
  CHECK(std::isinf(analysis::value_range(flow, 30000).high));
  // A share near 1 whose t interval would pass 1: on the logit scale it stays below,
  // around the same mean.
  const std::vector<double> shares{0.99, 0.7, 0.98, 0.995, 0.94};
  const auto plain = analysis::mean_interval(shares);
  REQUIRE(plain.high > 1);
  const auto bounded = analysis::mean_interval(shares, analysis::value_range(share, 100));
  CHECK(bounded.mean == plain.mean);
  CHECK(bounded.low > 0);
  CHECK(bounded.high < 1);
  CHECK(bounded.low < bounded.mean);
  CHECK(bounded.high > bounded.mean);
  // A rare count whose t interval would pass 0: it stops at 0, its top end as it was.
  const std::vector<double> counts{0, 0, 1, 0, 0};
  REQUIRE(analysis::mean_interval(counts).low < 0);
  const auto rare = analysis::mean_interval(counts, analysis::value_range(flow, 30000));
  CHECK(rare.low == 0);
  CHECK(rare.high == analysis::mean_interval(counts).high);
  // Awareness near the whole town stays within it.
  const std::vector<double> aware{29000, 21000, 29990, 28500};
  CHECK(analysis::mean_interval(aware).high > 30000);
  CHECK(analysis::mean_interval(aware, analysis::value_range(stock, 30000)).high < 30000);
  // Unbounded: the t interval; no spread: the mean.
  CHECK(analysis::mean_interval(shares, analysis::Range{}).high == plain.high);
  const std::vector<double> same{1, 1, 1};
  CHECK(analysis::mean_interval(same, analysis::value_range(share, 100)).high == 1);
}

TEST_CASE("a heatmap is dark at the better end whatever the metric's direction",
          "[batch][report]") {
  report::svg::Heatmap h{"unfollows", "tone", "posts", {0, 1}, {0, 0}, {2, 9}, {}, {}, {}, {}};
  const std::string dark = "fill='rgb(8,48,107)'", pale = "fill='rgb(255,247,188)'";
  // Higher is better: the 9 is dark.
  auto svg = report::svg::heatmap(h);
  CHECK(svg.find(dark) > svg.find("= 2"));  // cells in order: 2 (pale) then 9 (dark)
  CHECK_THAT(svg,
             Catch::Matchers::Contains("worse (2)") && Catch::Matchers::Contains("better (9)"));
  // Lower is better: the 2 is dark, and the legend says which end is which.
  h.direction = engine::Direction::lower_is_better;
  svg = report::svg::heatmap(h);
  CHECK(svg.find(dark) < svg.find(pale));
  CHECK_THAT(svg,
             Catch::Matchers::Contains("worse (9)") && Catch::Matchers::Contains("better (2)"));
  h.direction = engine::Direction::no_verdict;
  CHECK_THAT(report::svg::heatmap(h),
             Catch::Matchers::Contains("low (2)") && Catch::Matchers::Contains("high (9)"));
  // A preset axis's ticks are its presets' names, not their positions.
  h.x_names = {"conversational", "broadcast"};
  svg = report::svg::heatmap(h);
  CHECK(svg.find(">conversational<") < svg.find(">broadcast<"));
  CHECK(svg.find(">broadcast<") != std::string::npos);
}

TEST_CASE("an output folder appears whole on commit and not at all otherwise", "[batch][output]") {
  testing::TempDir dir;
  const auto target = dir / "run";
  {
    batch::OutputDir out(target, false);
    batch::write_file(out.staging() / "a.csv", "x\n");
    CHECK_FALSE(fs::exists(target));
  }  // not committed: nothing remains
  CHECK(fs::is_empty(dir.path()));
  {
    batch::OutputDir out(target, false);
    batch::write_file(out.staging() / "a.csv", "x\n");
    out.commit();
  }
  CHECK(testing::read_text(target / "a.csv") == "x\n");
  // An existing output is never replaced without --overwrite...
  CHECK_THROWS_AS(batch::OutputDir(target, false), InputError);
  CHECK(testing::read_text(target / "a.csv") == "x\n");
  // ...and is replaced whole with it.
  {
    batch::OutputDir out(target, true);
    batch::write_file(out.staging() / "b.csv", "y\n");
    out.commit();
  }
  CHECK_FALSE(fs::exists(target / "a.csv"));
  CHECK(testing::read_text(target / "b.csv") == "y\n");
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("outputs have stable columns and one row per tick and replicate", "[batch][output]") {
  const auto config = scenario::parse(R"(
      replicates: 3
      ticks: 4
      tick_hours: 6
      graph { erdos_renyi { nodes: 500 mean_degree: 6 } }
      dynamics { sir { beta: 0.2 gamma: 0.3 seeds { count: 3 } } })");
  const auto g = batch::build_graph(config);
  const auto result = batch::run(config, g);
  const auto ts = batch::timeseries_csv(config, result);
  CHECK_THAT(ts, Catch::Matchers::StartsWith(
                     "replicate,tick,day,susceptible,infectious,recovered,new_infections\n"
                     "0,0,0,497,3,0,3\n0,1,0.25,"));
  CHECK(std::count(ts.begin(), ts.end(), '\n') == 1 + 3 * 5);
  const auto summary = batch::summary_csv(result);
  CHECK_THAT(summary,
             Catch::Matchers::StartsWith(
                 "kind,replicate,final_size,final_share,peak_infectious,time_to_peak,duration\n"
                 "replicate,0,"));
  CHECK_THAT(summary,
             Catch::Matchers::Contains("\nmean,,") && Catch::Matchers::Contains("\nci95_high,,"));
  CHECK_THAT(batch::summary_json(config, result), Catch::Matchers::Contains("\"aggregate\"") &&
                                                      Catch::Matchers::Contains("\"ci95_low\""));

  testing::TempDir dir;
  batch::write_outputs(dir.path(), config, g, result, {{"buzzsim", "run"}, 2, "now"});
  for (const char* f :
       {"timeseries.csv", "summary.csv", "summary.json", "result.binpb", "provenance.json"}) {
    CHECK(fs::file_size(dir / f) > 0);
  }
  CHECK_THAT(testing::read_text(dir / "provenance.json"),
             Catch::Matchers::Contains(scenario::hash(config)) &&
                 Catch::Matchers::Contains("\"threads\": 2"));
}

namespace {
// Fields of one RFC 4180 line, quotes undone.
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      out.back() += '"', ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}
}  // namespace

TEST_CASE("CSV fields with commas and quotes stay whole (RFC 4180)", "[batch][output]") {
  report::Csv csv;
  csv.text("Acme, Inc.aware").text("Bob \"B\".aware").number(0.5).end_row();
  CHECK(csv.str() == "\"Acme, Inc.aware\",\"Bob \"\"B\"\".aware\",0.5\n");
  const auto config = scenario::parse(R"(ticks: 24 replicates: 1
      graph { communities { nodes: 500 mean_degree: 8 } }
      dynamics { campaign { brands { name: "Acme, Inc" follower_share: 0.1 }
                            brands { name: "Bob \"B\"" follower_share: 0.1 } } })");
  const auto g = batch::build_graph(config);
  const auto text = batch::timeseries_csv(config, batch::run(config, g));
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  const auto header = csv_fields(line);
  CHECK(header[3] == "Acme, Inc.aware");
  CHECK(std::find(header.begin(), header.end(), "Bob \"B\".aware") != header.end());
  int rows = 0;
  while (std::getline(lines, line)) {
    CHECK(csv_fields(line).size() == header.size());
    ++rows;
  }
  CHECK(rows == 25);
}

TEST_CASE("memory and disk estimates grow with what is recorded and refuse what cannot fit",
          "[batch][output]") {
  const auto small = scenario::parse(
      "replicates: 2 ticks: 100 graph { communities { nodes: 1000 mean_degree: 8 } } "
      "dynamics { campaign { brands { follower_share: 0.1 } } }");
  const auto e = batch::estimate_memory(small, 2);
  CHECK(e.records == 102);
  CHECK(e.columns > 10);
  CHECK(e.graph > 1000 * 8 / 2 * 8);  // at least the ties' two arcs
  auto twice = small;
  twice.record_every = 1, twice.ticks = 200;
  CHECK(batch::estimate_memory(twice, 2).series > 1.9 * e.series);
  CHECK_NOTHROW(batch::check_memory(small, 2));
  buzz::testing::TempDir dir;
  CHECK_NOTHROW(batch::check_disk_space({small}, dir / "out"));
  // 100,000 replicates of ten million records: hundreds of terabytes on any disk here.
  auto huge = small;
  huge.replicates = 100000, huge.ticks = 10000000;
  CHECK_THROWS_WITH(batch::check_disk_space({huge}, dir / "out"),
                    Catch::Contains("the outputs need about") && Catch::Contains("GB free"));
  CHECK_THROWS_WITH(batch::check_memory(huge, 2), Catch::Contains("more than this machine's"));
}

TEST_CASE("report numbers read as a marketer writes them", "[batch][report]") {
  CHECK(report::svg::number(2050) == "2,050");
  CHECK(report::svg::number(-1234567) == "-1,234,567");
  CHECK(report::svg::number(123.4) == "123");
  CHECK(report::svg::number(0.0456) == "0.0456");
  CHECK(report::svg::number(12.34) == "12.3");
  CHECK(report::svg::number(0) == "0");
  CHECK(report::svg::number(std::nan("")) == "n/a");
  CHECK(report::svg::percent_of(-53, 100) == "-53%");
  CHECK(report::svg::percent_of(1.5, 100) == "+1.5%");
  CHECK(report::svg::percent_of(1, 0).empty());
  CHECK(report::words("dynamics.campaign.brands[0].posts_per_week") == "posts per week");
  CHECK(report::words("engagement_rate") == "engagement rate");
}

TEST_CASE("the comparison report opens with a verdict in words and leaves out empty charts",
          "[batch][report]") {
  const auto base = scenario::parse(R"(
    name: "talk" seed: 3 replicates: 4 ticks: 480
    graph { communities { nodes: 3000 mean_degree: 12 } }
    dynamics { campaign { brands { tone: 0.9 reply_probability: 0.5 posts_per_week: 7 } } }
    outputs { record_every: 24 })");
  const auto other = scenario::parse(R"(
    name: "shout" seed: 3 replicates: 4 ticks: 480
    graph { communities { nodes: 3000 mean_degree: 12 } }
    dynamics { campaign { brands { tone: 0.1 posts_per_week: 7 } } }
    outputs { record_every: 24 })");
  const auto graph = batch::build_graph(base);
  std::vector<analysis::ScenarioRun> runs{{base, batch::run(base, graph)},
                                          {other, batch::run(other, graph)}};
  const auto c = analysis::compare(runs);
  const std::string html = report::comparison_report(runs, c, nullptr);
  CHECK(html.find("<p class='headline'>shout does worse than talk") != std::string::npos);
  CHECK(html.find("<h2>Glossary</h2>") != std::string::npos);
  CHECK(html.find("engagement rate") != std::string::npos);
  CHECK(html.find("e+0") == std::string::npos);  // no exponents
  // No crisis in either: the detractors series is zero throughout and gets no chart.
  CHECK(html.find("detractors (mean, 95% band)") == std::string::npos);
  CHECK(html.find("aware (mean, 95% band)") != std::string::npos);
}

TEST_CASE("with two brands the report charts each brand's headline series under its name",
          "[batch][report]") {
  const auto config = scenario::parse(R"(
    name: "two" seed: 3 replicates: 2 ticks: 240
    graph { communities { nodes: 2000 mean_degree: 12 } }
    dynamics { campaign { brands { name: "talk" tone: 0.9 posts_per_week: 7 }
                          brands { name: "shout" tone: 0.1 posts_per_week: 7 }
                          audience { engage_log_odds: -1 } } }
    outputs { record_every: 24 })");
  // Readers engage readily, so that both brands have engagement to chart: a series that is
  // zero in every run has no chart.
  const auto graph = batch::build_graph(config);
  std::vector<analysis::ScenarioRun> runs{{config, batch::run(config, graph)},
                                          {config, batch::run(config, graph)}};
  runs[1].config.name = "again";
  const std::string html = report::comparison_report(runs, analysis::compare(runs), nullptr);
  for (const char* brand : {"talk", "shout"}) {
    INFO(brand);
    CHECK(html.find(fmt::format("{}: aware (mean, 95% band)", brand)) != std::string::npos);
    CHECK(html.find(fmt::format("class='title'>{}: engagement rate<", brand)) != std::string::npos);
  }
  CHECK(report::metric_title("talk.share_of_voice") == "talk: share of voice");
  CHECK(report::metric_title("engagement_rate") == "engagement rate");
}
