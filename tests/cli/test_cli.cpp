#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "support.hpp"

using namespace buzz::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// A scenario whose replicates spread far enough to exercise every kernel.
const char* kSpreading = R"(name: "spreading"
seed: 11
replicates: 4
ticks: 40
graph { communities { nodes: 20000 mean_degree: 16 } }
dynamics { sir { beta: 0.06 gamma: 0.25 seeds { count: 5 } } }
)";

}  // namespace

TEST_CASE("outputs are byte-identical for 1 and 2 threads", "[cli][determinism]") {
  TempDir dir;
  write_text(dir / "s.textproto", kSpreading);
  const auto s = (dir / "s.textproto").string();
  REQUIRE(
      buzzsim(fmt::format("run {} --out {} --threads 1", s, (dir / "one").string()), dir).status ==
      0);
  REQUIRE(
      buzzsim(fmt::format("run {} --out {} --threads 2", s, (dir / "two").string()), dir).status ==
      0);
  for (const char* f : {"timeseries.csv", "summary.csv", "summary.json"}) {
    const auto one = read_text(dir / "one" / "s" / f);
    CHECK(one.size() > 100);
    CHECK(one == read_text(dir / "two" / "s" / f));
  }
  // The run spread, so the files hold more than the seeds.
  CHECK_THAT(read_text(dir / "one" / "s" / "summary.csv"), !Contains("\nmean,,5,"));
}

TEST_CASE("campaign outputs and tables are byte-identical for 1 and 2 threads",
          "[cli][determinism]") {
  TempDir dir;
  write_text(dir / "c.textproto", R"(name: "c"
seed: 3
replicates: 3
ticks: 720
graph { communities { nodes: 8000 mean_degree: 16 } }
dynamics { campaign {
  brands { name: "a" tone: 0.8 reply_probability: 0.5 posts_per_week: 7 follower_share: 0.1
           events { kind: CRISIS day: 10 share: 0.05 } seeding { count: 20 } }
  brands { name: "b" tone: 0.3 posts_per_week: 14 follower_share: 0.1 paid_reach: 0.01 }
} }
outputs { record_every: 12 per_community: true share_log: true }
)");
  const auto c = (dir / "c.textproto").string();
  REQUIRE(
      buzzsim(fmt::format("run {} --out {} --threads 1", c, (dir / "one").string()), dir).status ==
      0);
  REQUIRE(
      buzzsim(fmt::format("run {} --out {} --threads 2", c, (dir / "two").string()), dir).status ==
      0);
  for (const char* f : {"timeseries.csv", "summary.csv", "summary.json", "cascades.csv",
                        "community_summary.csv", "communities.csv", "shares.csv"}) {
    const auto one = read_text(dir / "one" / "c" / f);
    CHECK(one.size() > 100);
    CHECK(one == read_text(dir / "two" / "c" / f));
  }
}

TEST_CASE("a run writes every output and reruns from its provenance", "[cli]") {
  TempDir dir;
  write_text(dir / "s.textproto", kSpreading);
  const auto out = dir / "runs";
  const auto run = buzzsim(fmt::format("run {} --out {} --seed 5 --replicates 2",
                                       (dir / "s.textproto").string(), out.string()),
                           dir);
  REQUIRE(run.status == 0);
  CHECK_THAT(run.out, Contains("final_share") && Contains("outputs: "));
  for (const char* f :
       {"timeseries.csv", "summary.csv", "summary.json", "result.binpb", "provenance.json"}) {
    CHECK(fs::exists(out / "s" / f));
  }
  // No staging folder is left beside it.
  CHECK(std::distance(fs::directory_iterator(out), fs::directory_iterator()) == 1);
  // The canonical scenario text in provenance.json holds the overrides.
  const auto provenance = read_text(out / "s" / "provenance.json");
  CHECK_THAT(provenance, Contains("seed: 5") && Contains("replicates: 2") &&
                             Contains("\"command_line\"") && Contains("\"build_version\""));
}

TEST_CASE("an SIR run stopped while people are infectious says its final size is partial",
          "[cli]") {
  TempDir dir;
  const std::string sir =
      "graph { erdos_renyi { nodes: 2000 mean_degree: 8 } } "
      "dynamics { sir { beta: 0.3 gamma: 0.05 seeds { count: 5 } } } replicates: 2 ticks: ";
  write_text(dir / "short.textproto", sir + "5");
  write_text(dir / "long.textproto", sir + "2000");
  const auto early = buzzsim(
      fmt::format("run {} --out {}", (dir / "short.textproto").string(), (dir / "o").string()),
      dir);
  REQUIRE(early.status == 0);
  CHECK_THAT(early.err, Contains("warning: in 2 of 2 replicates people were still infectious at "
                                 "the horizon (tick 5): final_size counts only those infected so "
                                 "far; raise ticks"));
  const auto ended = buzzsim(
      fmt::format("run {} --out {}", (dir / "long.textproto").string(), (dir / "o").string()), dir);
  REQUIRE(ended.status == 0);
  CHECK_THAT(ended.err, !Contains("still infectious"));
}

TEST_CASE("run --until-extinction stops when the last replicate's epidemic is over", "[cli]") {
  TempDir dir;
  const auto at_dir = [&](const std::string& args) {
    return buzzsim(fmt::format("run {}/{}", dir.path().string(), args), dir);
  };
  write_text(dir / "sir.textproto",
             "graph { erdos_renyi { nodes: 2000 mean_degree: 8 } } "
             "dynamics { sir { beta: 0.3 gamma: 0.05 seeds { count: 5 } } } replicates: 3 "
             "ticks: 5");
  const auto run = at_dir(fmt::format("sir.textproto --until-extinction --ticks 100000 --out {}",
                                      (dir / "a").string()));
  REQUIRE(run.status == 0);
  CHECK_THAT(run.err, !Contains("still infectious"));
  // The horizon is the tick the last infectious person recovered: the series ends there,
  // with no one infectious in any replicate and someone infectious a tick before.
  const auto series = read_text(dir / "a" / "sir" / "timeseries.csv");
  const std::string marker = "the spread was over in every replicate by tick ";
  const auto at = run.err.find(marker);
  REQUIRE(at != std::string::npos);
  const int end = std::stoi(run.err.substr(at + marker.size()));
  CHECK(end > 100);
  CHECK(end < 2000);
  // replicate,tick,day,susceptible,infectious,...: the last row is at that tick, no one
  // infectious.
  const auto last = series.substr(series.rfind('\n', series.size() - 2) + 1);
  CHECK_THAT(last, StartsWith(fmt::format("2,{},", end)) || StartsWith(fmt::format("1,{},", end)) ||
                       StartsWith(fmt::format("0,{},", end)));
  std::vector<std::string> cells;
  std::stringstream row(last);
  for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
  REQUIRE(cells.size() == 7);
  CHECK(cells[4] == "0");
  // The same files as a run given that horizon.
  const auto fixed =
      at_dir(fmt::format("sir.textproto --ticks {} --out {}", end, (dir / "b").string()));
  REQUIRE(fixed.status == 0);
  for (const char* f : {"timeseries.csv", "summary.csv"}) {
    INFO(f);
    CHECK(read_text(dir / "a" / "sir" / f) == read_text(dir / "b" / "sir" / f));
  }
  const auto one_less =
      at_dir(fmt::format("sir.textproto --ticks {} --out {}", end - 1, (dir / "c").string()));
  CHECK_THAT(one_less.err, Contains("people were still infectious at the horizon"));

  // A cap the epidemic outlasts is said; a model that never ends is refused.
  const auto capped = at_dir(
      fmt::format("sir.textproto --until-extinction --ticks 20 --out {}", (dir / "d").string()));
  REQUIRE(capped.status == 0);
  CHECK_THAT(capped.err, Contains("--until-extinction: in 3 of 3 replicates the spread was still "
                                  "going at the cap of 20 ticks"));
  write_text(dir / "campaign.textproto",
             "graph { communities { nodes: 500 } } dynamics { campaign { brands {} } } ticks: 48");
  const auto refused =
      at_dir(fmt::format("campaign.textproto --until-extinction --out {}", (dir / "e").string()));
  CHECK(refused.status == 2);
  CHECK_THAT(refused.err, Contains("--until-extinction needs a spread that ends"));
  CHECK(!fs::exists(dir / "e"));
}

TEST_CASE("a graph of named nodes seeds by name and writes the names beside the outputs",
          "[cli][edge_list]") {
  TempDir dir;
  const auto at_dir = [&](const std::string& args) {
    return buzzsim(fmt::format("{} {}/{}", args.substr(0, args.find(' ')), dir.path().string(),
                               args.substr(args.find(' ') + 1)),
                   dir);
  };
  write_text(dir / "friends.csv", "source,target\nalice,bob\nbob,carol\ncarol,dan\ndan,alice\n");
  write_text(dir / "s.textproto", R"(name: "s" seed: 2 ticks: 10
graph { edge_list { path: "friends.csv" } }
dynamics { sir { beta: 1 gamma: 0 seeds { names: ["carol"] } } }
outputs { share_log: true }
)");
  const auto run = at_dir(fmt::format("run s.textproto --out {}", (dir / "out").string()));
  REQUIRE(run.status == 0);
  CHECK(read_text(dir / "out" / "s" / "nodes.csv") ==
        "node,name,community\n0,alice,0\n1,bob,0\n2,carol,0\n3,dan,0\n");
  // With beta 1 carol infects everyone: the first tick's infectious are carol alone.
  const auto series = read_text(dir / "out" / "s" / "timeseries.csv");
  CHECK_THAT(series, Contains("\n0,0,0,3,1,0,1\n"));

  write_text(dir / "bad.textproto", R"(name: "bad" ticks: 10
graph { edge_list { path: "friends.csv" } }
dynamics { sir { seeds { names: ["carla"] } } }
)");
  const auto bad = at_dir(fmt::format("run bad.textproto --out {}", (dir / "x").string()));
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, Contains("dynamics.sir.seeds.names[0] is 'carla', which is not a node of "
                               "the graph file"));
  CHECK(!fs::exists(dir / "x"));
  const auto saved =
      at_dir(fmt::format("graph s.textproto --out {}", (dir / "g.buzzgraph").string()));
  CHECK(saved.status == 2);
  CHECK_THAT(saved.err, Contains("the graph's nodes are named"));
}

TEST_CASE("an existing output is never overwritten silently", "[cli]") {
  TempDir dir;
  write_text(dir / "s.textproto", kSpreading);
  const auto args = fmt::format("run {} --out {} --replicates 1 --ticks 3",
                                (dir / "s.textproto").string(), (dir / "runs").string());
  REQUIRE(buzzsim(args, dir).status == 0);
  const auto before = read_text(dir / "runs" / "s" / "timeseries.csv");
  const auto again = buzzsim(args + " --seed 99", dir);
  CHECK(again.status == 2);
  CHECK_THAT(again.err, Contains("output folder already exists"));
  CHECK(read_text(dir / "runs" / "s" / "timeseries.csv") == before);
  CHECK(buzzsim(args + " --seed 99 --overwrite", dir).status == 0);
  CHECK(read_text(dir / "runs" / "s" / "timeseries.csv") != before);
}

TEST_CASE("overwrite replaces only folders buzzsim wrote", "[cli][errors]") {
  TempDir dir;
  write_text(dir / "s.textproto", kSpreading);
  // Someone's folder where --out points: left alone, whatever the command.
  fs::create_directories(dir / "mine" / "s");
  write_text(dir / "mine" / "s" / "notes.txt", "keep me");
  fs::create_directories(dir / "project");
  write_text(dir / "project" / "notes.txt", "keep me too");
  const auto s = (dir / "s.textproto").string();
  for (const auto& args :
       {fmt::format("run {} --out {} --replicates 1 --ticks 3 --overwrite", s,
                    (dir / "mine").string()),
        fmt::format("compare {} {} --out {} --replicates 1 --ticks 3 --overwrite", s, s,
                    (dir / "project").string())}) {
    const auto r = buzzsim(args, dir);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("--overwrite replaces only a folder buzzsim wrote"));
  }
  CHECK(read_text(dir / "mine" / "s" / "notes.txt") == "keep me");
  CHECK(read_text(dir / "project" / "notes.txt") == "keep me too");
  CHECK(fs::directory_iterator(dir / "project") != fs::directory_iterator());
  // A sweep likewise.
  write_text(dir / "sweep.textproto", std::string(kSpreading) +
                                          "sweep { axes { field: \"dynamics.sir.beta\" "
                                          "values: [0.05] } }\n");
  const auto sweep =
      buzzsim(fmt::format("sweep {} --out {} --replicates 1 --ticks 3 --overwrite",
                          (dir / "sweep.textproto").string(), (dir / "project").string()),
              dir);
  CHECK(sweep.status == 2);
  CHECK(read_text(dir / "project" / "notes.txt") == "keep me too");
}

TEST_CASE("what a killed run left beside its output is cleaned up or put back", "[cli]") {
  TempDir dir;
  write_text(dir / "s.textproto", kSpreading);
  const auto args = fmt::format("run {} --out {} --replicates 1 --ticks 3",
                                (dir / "s.textproto").string(), (dir / "runs").string());
  REQUIRE(buzzsim(args, dir).status == 0);
  const auto before = read_text(dir / "runs" / "s" / "timeseries.csv");
  // A run killed between the two renames of a replace: the old output only aside, and its
  // staging folder. (Process 999999999 does not exist.)
  fs::rename(dir / "runs" / "s", dir / "runs" / ".s.replaced-999999999");
  fs::create_directories(dir / "runs" / ".s.staging-999999999");
  const auto again = buzzsim(args, dir);
  CHECK(again.status == 2);  // the old output is back, and is not replaced silently
  CHECK(read_text(dir / "runs" / "s" / "timeseries.csv") == before);
  CHECK(!fs::exists(dir / "runs" / ".s.replaced-999999999"));
  CHECK(!fs::exists(dir / "runs" / ".s.staging-999999999"));
}

TEST_CASE("bad input exits 2 with file:line and leaves no output folder", "[cli][errors]") {
  TempDir dir;
  write_text(dir / "ties.txt", "0 1\n1 2\n2 zz\n");
  write_text(dir / "good.txt", "0 1\n1 2\n");
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"syntax", "seed: 1\ndynamics { sir { beta: } }\n", ":2:24: Expected double, got: }"},
      {"unknown", "seed: 1\nreplicatse: 3\ndynamics { sir {} }\n",
       ":2:1: unknown field \"replicatse\" in Scenario; did you mean \"replicates\"?"},
      {"range", "dynamics {\n  independent_cascade { p: 1.25 }\n}\n",
       ":2:25: dynamics.independent_cascade.p must be in [0, 1], got 1.25"},
      {"missing_graph", "graph { edge_list { path: \"nowhere.txt\" } }\ndynamics { sir {} }\n",
       ":1:21: graph.edge_list.path: cannot open graph file"},
      {"bad_edges", "graph { edge_list { path: \"ties.txt\" } }\ndynamics { sir {} }\n",
       "ties.txt:3: column 2: 'zz' is not a node id"},
      // Rules that need the graph keep the place of the value in the file.
      {"seed_beyond_graph",
       "graph { edge_list { path: \"good.txt\" } }\ndynamics { sir {\n  seeds { nodes: [0, 7] } } "
       "}\n",
       ":3:11: dynamics.sir.seeds.nodes[1] must be at most the graph's last node id (2), got 7"},
      {"community_beyond_graph",
       "graph { edge_list { path: \"good.txt\" } }\ndynamics { campaign {\n  brands { "
       "follower_share: 0.5\n    target_community: 4 } } }\n",
       ":4:5: dynamics.campaign.brands[0].target_community must be at most the graph's last "
       "community (0), got 4"},
  };
  for (const auto& [name, text, message] : cases) {
    SECTION(name) {
      const auto file = dir / (name + ".textproto");
      write_text(file, text);
      const auto out = dir / "out";
      const auto run = buzzsim(fmt::format("run {} --out {}", file.string(), out.string()), dir);
      CHECK(run.status == 2);
      CHECK_THAT(run.err, Contains(message));
      CHECK_FALSE(fs::exists(out));
      // validate says the same, bar the graph file's contents, which only a run reads.
      const auto check = buzzsim("validate " + file.string(), dir);
      if (name != "bad_edges" && name.find("beyond_graph") == std::string::npos) {
        CHECK(check.status == 2);
        CHECK_THAT(check.err, StartsWith(file.string() + ":") && Contains(message));
      }
    }
  }
}

TEST_CASE("one bad file in a batch costs none of the others", "[cli][errors]") {
  TempDir dir;
  write_text(dir / "good.textproto", kSpreading);
  write_text(dir / "bad.textproto", "dynamics { sir { gamma: 7 } }\n");
  const auto run =
      buzzsim(fmt::format("run {} {} --out {} --ticks 3", (dir / "bad.textproto").string(),
                          (dir / "good.textproto").string(), (dir / "o").string()),
              dir);
  CHECK(run.status == 2);
  CHECK(fs::exists(dir / "o" / "good" / "summary.csv"));
  CHECK_FALSE(fs::exists(dir / "o" / "bad"));
  // The closing table names both, and the failure.
  CHECK_THAT(run.out, Contains("bad.textproto") && Contains("bad input") &&
                          Contains("1 of 2 files ran; 1 failed"));
  // Piped, there is no progress bar.
  CHECK_THAT(run.err, !Contains("runs/s"));
}

TEST_CASE("a batch on a terminal shows a progress bar", "[cli]") {
  TempDir dir;
  write_text(dir / "s.textproto", kSpreading);
  // script(1) gives buzzsim a terminal; CI, set on CI machines, would silence the bar.
  const std::string line = fmt::format(
      "env -u CI script -q -c '{} run {} --out {} --replicates 4 >/dev/null' /dev/null > {}",
      BUZZSIM_EXE, (dir / "s.textproto").string(), (dir / "o").string(),
      (dir / "tty.txt").string());
  REQUIRE(std::system(line.c_str()) == 0);
  CHECK_THAT(read_text(dir / "tty.txt"), Contains("4/4 runs") && Contains("runs/s"));
}

TEST_CASE("the command line checks its own input", "[cli]") {
  TempDir dir;
  write_text(dir / "s.textproto", kSpreading);
  const auto s = (dir / "s.textproto").string();
  CHECK(buzzsim("", dir).status == 2);
  CHECK(buzzsim("frobnicate", dir).status == 2);
  CHECK(buzzsim("run", dir).status == 2);
  const auto zero = buzzsim("run " + s + " --replicates 0", dir);
  CHECK(zero.status == 2);
  CHECK_THAT(zero.err, Contains("--replicates"));
  CHECK(buzzsim("run " + s + " --threads lots", dir).status == 2);
  for (const char* help :
       {"--help", "run --help", "validate --help", "compare --help", "sweep --help"}) {
    const auto h = buzzsim(help, dir);
    CHECK(h.status == 0);
    CHECK_THAT(h.out, Contains("Usage") || Contains("USAGE") || Contains("usage"));
  }
  const auto ok = buzzsim("validate " + s, dir);
  CHECK(ok.status == 0);
  CHECK(ok.out.empty());
  CHECK(ok.err.empty());
}

TEST_CASE("compare prints intervals, paired differences and win shares", "[cli][compare]") {
  TempDir dir;
  const auto conv = (source_dir() / "scenarios" / "conversational.textproto").string();
  const auto broad = (source_dir() / "scenarios" / "broadcast.textproto").string();
  const auto out = dir / "cmp";
  const auto r = buzzsim(
      fmt::format("compare {} {} --out {} --replicates 4 --ticks 480", conv, broad, out.string()),
      dir);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("Paired comparison of 2 scenarios on common random numbers") &&
                        Contains("broadcast - conversational [95%]") &&
                        Contains("conversational beats broadcast on:") &&
                        Contains("engagement_rate") && Contains("conversational 100%"));
  for (const char* f : {"report.html", "compare.csv", "compare.txt", "conversational/summary.csv",
                        "broadcast/timeseries.csv"}) {
    CHECK(fs::exists(out / f));
  }
  const auto html = read_text(out / "report.html");
  CHECK_THAT(html, Contains("<svg") && Contains("<polygon") && Contains("<rect") &&
                       Contains("By community") && Contains("people") && !Contains("<script") &&
                       !Contains("<link") && !Contains(" src="));
}

TEST_CASE("compare under uncertainty draws the priors and gives the same files for 1 and 2 threads",
          "[cli][compare][uncertainty][determinism]") {
  TempDir dir;
  constexpr const char* base = R"(seed: 5
replicates: 2
ticks: 480
graph {{ communities {{ nodes: 3000 mean_degree: 12 }} }}
dynamics {{ campaign {{ brands {{ name: "brand" follower_share: 0.2 {} }} {} }} }}
priors {{ field: "audience.engage_log_odds" low: -3.5 high: -3.3 }}
)";
  write_text(dir / "broadcast.textproto", fmt::format(base, "tone: 0.1", ""));
  // This one fixes share_probability itself: it is its own, so no draw sets it.
  write_text(dir / "conversational.textproto",
             fmt::format(base, "tone: 0.9", "audience { share_probability: 0.05 }"));
  const auto files = fmt::format("{} {}", (dir / "broadcast.textproto").string(),
                                 (dir / "conversational.textproto").string());
  for (int threads : {1, 2}) {
    const auto r = buzzsim(fmt::format("compare {} --uncertainty 8 --threads {} --out {}", files,
                                       threads, (dir / fmt::format("t{}", threads)).string()),
                           dir);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("Under parameter uncertainty: 8 draws of 75 parameters") &&
                          Contains("conversational - broadcast:") &&
                          Contains("of plausible worlds"));
  }
  for (const char* f : {"uncertainty.csv", "sensitivity.csv", "draws.csv", "compare.csv"}) {
    const auto one = read_text(dir / "t1" / f);
    CHECK(one.size() > 100);
    CHECK(one == read_text(dir / "t2" / f));
  }
  const auto draws = read_text(dir / "t1" / "draws.csv");
  CHECK_THAT(draws, Contains("dynamics.campaign.audience.engage_log_odds") &&
                        !Contains("audience.share_probability,") &&
                        Contains("conversational-broadcast.engagement_rate"));
  // The scenarios narrowed engage_log_odds: every draw lies in their range.
  {
    std::istringstream in(draws);
    std::string header, row;
    std::getline(in, header);
    std::vector<std::string> names;
    for (std::istringstream h(header); std::getline(h, row, ',');) names.push_back(row);
    const auto col =
        std::find(names.begin(), names.end(), "dynamics.campaign.audience.engage_log_odds") -
        names.begin();
    int rows = 0;
    while (std::getline(in, row)) {
      std::istringstream cells(row);
      std::string cell;
      for (int k = 0; k <= col; ++k) std::getline(cells, cell, ',');
      CHECK(std::stod(cell) >= -3.5);
      CHECK(std::stod(cell) <= -3.3);
      ++rows;
    }
    CHECK(rows == 8);
  }
  // Conversational engages more in every plausible world.
  CHECK_THAT(read_text(dir / "t1" / "uncertainty.csv"),
             Contains("engagement_rate,higher,conversational,broadcast,") &&
                 Contains("conversational beats broadcast in 100% of plausible worlds"));
}

TEST_CASE("a scenario compared with itself shows no difference and all ties", "[cli][compare]") {
  TempDir dir;
  const auto conv = (source_dir() / "scenarios" / "conversational.textproto").string();
  const auto r = buzzsim(fmt::format("compare {0} {0} --out {1} --replicates 3 --ticks 240", conv,
                                     (dir / "self").string()),
                         dir);
  REQUIRE(r.status == 0);
  const auto csv = read_text(dir / "self" / "compare.csv");
  // Every metric's difference is exactly 0 and every replicate a tie.
  std::istringstream rows(csv);
  std::string row;
  std::getline(rows, row);
  int checked = 0;
  while (std::getline(rows, row)) {
    if (row.find(",conversational-2,") == std::string::npos) continue;
    if (row.find(",none,") != std::string::npos) {  // no verdict: no wins and no ties
      CHECK_THAT(row, Contains(",0,0,0,0,0,"));
      continue;
    }
    CHECK_THAT(row, Contains(",0,0,0,0,1,"));  // difference, its interval, wins 0, ties 1
    ++checked;
  }
  CHECK(checked > 10);
  CHECK_THAT(r.out,
             Contains("No significant difference between conversational-2 and conversational"));
  CHECK_THAT(r.out, !Contains("beats"));
}

TEST_CASE("compare says the population scale and never weighs what cannot differ",
          "[cli][compare]") {
  TempDir dir;
  const auto conv = (source_dir() / "scenarios" / "conversational.textproto").string();
  const auto broad = (source_dir() / "scenarios" / "broadcast.textproto").string();
  const auto r = buzzsim(fmt::format("compare {} {} --out {} --replicates 3 --ticks 240 "
                                     "--set population.scale=0.1",
                                     conv, broad, (dir / "cmp").string()),
                         dir);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const std::string note =
      "Counts of people are of the simulated population, at 0.1 of the real one "
      "(population.scale): multiply them by 10 for the real size";
  CHECK_THAT(r.out, Contains(note));
  CHECK_THAT(read_text(dir / "cmp" / "report.html"), Contains(note));
  // One brand's share of voice is 1 in every run: said once, not "no significant difference".
  CHECK_THAT(r.out, Contains("The same in every run of every scenario, so they cannot differ: "
                             "share_of_voice"));
  CHECK_THAT(r.out, !Contains("No significant difference between broadcast and conversational "
                              "on: share_of_voice"));
  // Shares' intervals stay in [0, 1] and counts' at or above 0.
  const auto csv = read_text(dir / "cmp" / "compare.csv");
  std::istringstream rows(csv);
  std::string row;
  std::getline(rows, row);
  int bounded = 0;
  while (std::getline(rows, row)) {
    std::vector<std::string> cells;
    std::istringstream in(row);
    for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
    REQUIRE(cells.size() >= 7);
    const double low = std::stod(cells[5]), high = std::stod(cells[6]);
    if (cells[0] == "unique_reach" || cells[0] == "final_aware_share" ||
        cells[0] == "engagement_rate" || cells[0] == "unfollows") {
      CHECK(low >= 0);
      if (cells[0] != "unfollows") CHECK(high <= 1);
      ++bounded;
    }
  }
  CHECK(bounded == 8);
}

TEST_CASE("scenarios on different graphs are compared unpaired", "[cli][compare]") {
  TempDir dir;
  write_text(dir / "small.textproto", R"(replicates: 4 ticks: 20
graph { erdos_renyi { nodes: 2000 mean_degree: 6 } }
dynamics { sir { beta: 0.2 gamma: 0.3 seeds { count: 5 } } })");
  write_text(dir / "dense.textproto", R"(replicates: 4 ticks: 20
graph { erdos_renyi { nodes: 2000 mean_degree: 12 } }
dynamics { sir { beta: 0.2 gamma: 0.3 seeds { count: 5 } } })");
  const auto r = buzzsim(fmt::format("compare {} {} --out {}", (dir / "small.textproto").string(),
                                     (dir / "dense.textproto").string(), (dir / "c").string()),
                         dir);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("Unpaired comparison") && Contains("Welch"));
  CHECK_THAT(read_text(dir / "c" / "report.html"), Contains("Unpaired"));
}

namespace {

const char* kSweep = R"(name: "sw"
seed: 5
replicates: 3
ticks: 240
graph { communities { nodes: 4000 mean_degree: 16 } }
dynamics { campaign { brands { name: "brand" follower_share: 0.1 } } }
outputs { record_every: 24 }
sweep {
  axes { field: "campaign.tone" values: [0.1, 0.5, 0.9] }
  axes { field: "dynamics.campaign.brands[0].posts_per_week" values: [1, 7, 28, 70] }
}
)";

// Every file of a finished sweep folder but provenance.json, by relative path.
std::map<std::string, std::string> sweep_files(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().filename() != "provenance.json") {
      out[fs::relative(e.path(), root).string()] = read_text(e.path());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a sweep writes a row per point and replicate, and a heatmap report", "[cli][sweep]") {
  TempDir dir;
  write_text(dir / "sw.textproto", kSweep);
  const auto r = buzzsim(
      fmt::format("sweep {} --out {}", (dir / "sw.textproto").string(), (dir / "o").string()), dir);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("12 points x 3 replicates"));
  const auto results = read_text(dir / "o" / "results.csv");
  CHECK(std::count(results.begin(), results.end(), '\n') == 1 + 12 * 3);
  CHECK_THAT(results, StartsWith("point,dynamics.campaign.brands[0].tone,"
                                 "dynamics.campaign.brands[0].posts_per_week,replicate,reach,"));
  // Axes in words, each cell's value and interval shown.
  CHECK_THAT(read_text(dir / "o" / "report.html"),
             Contains("<svg") && Contains("reach (mean and 95% interval)") &&
                 Contains(">posts per week</text>") && Contains(">tone</text>") &&
                 Contains("style='font-size:8px"));
  // Each point's intervals stay within what the metric can be: a share in [0, 1].
  std::istringstream points(read_text(dir / "o" / "points.csv"));
  std::string line;
  std::getline(points, line);
  std::vector<std::string> header;
  for (std::istringstream h(line); std::getline(h, line, ',');) header.push_back(line);
  const auto column = std::find(header.begin(), header.end(), "unique_reach_ci95_high");
  REQUIRE(column != header.end());
  int rows = 0;
  while (std::getline(points, line)) {
    std::vector<std::string> cells;
    for (std::istringstream c(line); std::getline(c, line, ',');) cells.push_back(line);
    const double high = std::stod(cells.at(std::size_t(column - header.begin())));
    const double low = std::stod(cells.at(std::size_t(column - header.begin()) - 1));
    CHECK(low >= 0);
    CHECK(high <= 1);
    ++rows;
  }
  CHECK(rows == 12);
}

TEST_CASE("a killed sweep resumes to the same results without recomputing", "[cli][sweep]") {
  TempDir dir;
  // Points slow enough (about 0.3 s each on one thread) to be killed between them.
  std::string slow = kSweep;
  slow.replace(slow.find("ticks: 240"), 10, "ticks: 1440");
  slow.replace(slow.find("nodes: 4000"), 11, "nodes: 20000");
  write_text(dir / "sw.textproto", slow);
  const auto file = (dir / "sw.textproto").string();
  REQUIRE(buzzsim(fmt::format("sweep {} --out {} --threads 1", file, (dir / "whole").string()), dir)
              .status == 0);
  // Kill a second sweep partway, with SIGKILL, once a few points are on disk.
  const auto cut = dir / "cut";
  const std::string line = fmt::format(
      "({} sweep {} --out {} --threads 1 >/dev/null 2>&1 & pid=$!; "
      "while [ $(ls {}/points 2>/dev/null | grep -c '^point') -lt 3 ]; do sleep 0.02; done; "
      "kill -9 $pid; wait $pid) 2>/dev/null",
      BUZZSIM_EXE, file, cut.string(), cut.string());
  std::system(line.c_str());
  REQUIRE_FALSE(fs::exists(cut / "results.csv"));
  std::map<std::string, fs::file_time_type> before;
  for (const auto& e : fs::directory_iterator(cut / "points")) {
    if (e.path().extension() == ".binpb") {
      before[e.path().filename().string()] = e.last_write_time();
    }
  }
  REQUIRE(before.size() >= 3);
  REQUIRE(before.size() < 12);
  const auto resumed = buzzsim(fmt::format("sweep {} --out {} --resume", file, cut.string()), dir);
  REQUIRE(resumed.status == 0);
  CHECK_THAT(resumed.out, Contains(fmt::format("kept {} finished earlier", before.size())));
  for (const auto& [name, time] : before) CHECK(fs::last_write_time(cut / "points" / name) == time);
  // Nothing half-written survives, and the results equal the uninterrupted sweep's.
  const auto whole = sweep_files(dir / "whole"), again = sweep_files(cut);
  CHECK(whole.size() == again.size());
  for (const auto& [name, text] : whole) {
    INFO(name);
    CHECK(again.count(name) == 1);
    CHECK((again.count(name) == 1 && again.at(name) == text));
  }
}

TEST_CASE("resume recomputes empty and corrupt point files and names them", "[cli][sweep]") {
  TempDir dir;
  write_text(dir / "sw.textproto", kSweep);
  const auto file = (dir / "sw.textproto").string(), out = (dir / "sw").string();
  REQUIRE(buzzsim(fmt::format("sweep {} --out {}", file, out), dir).status == 0);
  const auto whole = sweep_files(dir / "sw");
  write_text(dir / "sw" / "points" / "point-000000.binpb", "");
  write_text(dir / "sw" / "points" / "point-000001.binpb", "not a protobuf \xff\xff");
  const auto resumed = buzzsim(fmt::format("sweep {} --out {} --resume", file, out), dir);
  REQUIRE(resumed.status == 0);
  CHECK_THAT(resumed.err, Contains("point-000000.binpb: empty; computing it again"));
  CHECK_THAT(resumed.err, Contains("point-000001.binpb: not a sweep point result (corrupt)"));
  CHECK_THAT(resumed.out, Contains("this run computed 2, kept 10 finished earlier"));
  const auto again = sweep_files(dir / "sw");
  for (const auto& [name, text] : whole) {
    INFO(name);
    CHECK((again.count(name) == 1 && again.at(name) == text));
  }
}

TEST_CASE("bad sweeps exit 2 and write nothing", "[cli][sweep][errors]") {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string(kSweep).replace(std::string(kSweep).find("campaign.tone"), 13, "campaign.tonne"),
       "sweep.axes[0].field: no field \"tonne\" in Brand; did you mean \"tone\"?"},
      {std::string(kSweep).replace(std::string(kSweep).find("0.9]"), 3, "1.5"),
       "dynamics.campaign.brands[0].tone must be in [0, 1], got 1.5"},
  };
  for (const auto& [text, message] : cases) {
    write_text(dir / "bad.textproto", text);
    const auto r = buzzsim(
        fmt::format("sweep {} --out {}", (dir / "bad.textproto").string(), (dir / "o").string()),
        dir);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains(message));
    CHECK_FALSE(fs::exists(dir / "o"));
  }
  write_text(dir / "sw.textproto", kSweep);
  const auto zero = buzzsim(fmt::format("sweep {} --out {} --replicates 0",
                                        (dir / "sw.textproto").string(), (dir / "o").string()),
                            dir);
  CHECK(zero.status == 2);
  CHECK_THAT(zero.err, Contains("--replicates"));
  CHECK_FALSE(fs::exists(dir / "o"));
  // The same for compare and run.
  CHECK(buzzsim(fmt::format("compare {0} {0} --replicates 0 --out {1}",
                            (dir / "sw.textproto").string(), (dir / "o").string()),
                dir)
            .status == 2);
  CHECK_FALSE(fs::exists(dir / "o"));
}

TEST_CASE("rerunning the scenario text in provenance.json gives the same results", "[cli]") {
  TempDir dir;
  write_text(dir / "s.textproto", kSpreading);
  REQUIRE(buzzsim(fmt::format("run {} --out {} --seed 17 --replicates 3",
                              (dir / "s.textproto").string(), (dir / "a").string()),
                  dir)
              .status == 0);
  // Pull scenario_text out of the JSON (protobuf escapes newlines and quotes).
  const std::string json = read_text(dir / "a" / "s" / "provenance.json");
  const std::string key = "\"scenario_text\": \"";
  const auto start = json.find(key) + key.size();
  std::string text;
  for (std::size_t i = start; json[i] != '"'; ++i) {
    if (json[i] == '\\') {
      ++i;
      text += json[i] == 'n' ? '\n' : json[i];
    } else {
      text += json[i];
    }
  }
  CHECK_THAT(text, Contains("seed: 17") && Contains("replicates: 3"));
  write_text(dir / "s.textproto", text);  // same stem, so the same output names
  REQUIRE(
      buzzsim(fmt::format("run {} --out {}", (dir / "s.textproto").string(), (dir / "b").string()),
              dir)
          .status == 0);
  for (const char* f : {"timeseries.csv", "summary.csv", "summary.json"}) {
    CHECK(read_text(dir / "a" / "s" / f) == read_text(dir / "b" / "s" / f));
  }
}

TEST_CASE("a silent brand never beats a responsive one in a crisis", "[cli][compare]") {
  TempDir dir;
  const auto s = source_dir() / "scenarios";
  const auto r =
      buzzsim(fmt::format("compare {} {} --out {}", (s / "crisis_silent.textproto").string(),
                          (s / "crisis_responsive.textproto").string(), (dir / "c").string()),
              dir);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, !Contains("crisis_silent beats crisis_responsive"));
  const auto at = r.out.find("crisis_responsive beats crisis_silent on: ");
  REQUIRE(at != std::string::npos);
  const std::string wins = r.out.substr(at, r.out.find('\n', at) - at);
  for (const char* m : {" reach,", "unique_reach", "mean_sentiment", "net_sentiment", " detractors",
                        "peak_detractors", "negative_reach", "complaints"}) {
    INFO(m);
    CHECK_THAT(wins, Contains(m));
  }
}

TEST_CASE("a field set on the command line by its path is run and goes into provenance", "[cli]") {
  TempDir dir;
  const auto scenario = source_dir() / "scenarios" / "conversational.textproto";
  const std::string common = fmt::format("run {} --replicates 2 --ticks 240", scenario.string());
  REQUIRE(buzzsim(common + fmt::format(" --out {}", (dir / "plain").string()), dir).status == 0);
  const auto set = buzzsim(common + fmt::format(" --set campaign.tone=0.1 --set "
                                                "audience.share_probability=0.2 --out {}",
                                                (dir / "set").string()),
                           dir);
  REQUIRE(set.status == 0);
  const auto provenance = read_text(dir / "set" / "conversational" / "provenance.json");
  CHECK_THAT(provenance, Contains("\"set\": [") && Contains("\"campaign.tone=0.1\"") &&
                             Contains("tone: 0.1") && Contains("share_probability: 0.2"));
  // The change is run: another tone and sharing give other results.
  CHECK(read_text(dir / "plain" / "conversational" / "summary.csv") !=
        read_text(dir / "set" / "conversational" / "summary.csv"));
  // The same as writing the values into the file.
  auto text = read_text(scenario);
  const auto at = text.find("tone:");
  REQUIRE(at != std::string::npos);
  text.replace(at, text.find('\n', at) - at, "tone: 0.1");
  const auto campaign = text.find("campaign {");
  REQUIRE(campaign != std::string::npos);
  text.insert(campaign + 10, " audience { share_probability: 0.2 } ");
  write_text(dir / "conversational.textproto", text);
  REQUIRE(
      buzzsim(fmt::format("run {} --replicates 2 --ticks 240 --out {}",
                          (dir / "conversational.textproto").string(), (dir / "written").string()),
              dir)
          .status == 0);
  CHECK(read_text(dir / "written" / "conversational" / "summary.csv") ==
        read_text(dir / "set" / "conversational" / "summary.csv"));
}

TEST_CASE("a graph per replicate gives replicate r the graph of seed plus r", "[cli]") {
  TempDir dir;
  const std::string body = "ticks: 30 replicates: 2 dynamics { sir { beta: 0.3 gamma: 0.1 } }";
  write_text(dir / "each.textproto",
             fmt::format("graph {{ seed: 5 per_replicate: true erdos_renyi {{ nodes: 2000 "
                         "mean_degree: 6 }} }} {}",
                         body));
  write_text(
      dir / "five.textproto",
      fmt::format("graph {{ seed: 5 erdos_renyi {{ nodes: 2000 mean_degree: 6 }} }} {}", body));
  write_text(
      dir / "six.textproto",
      fmt::format("graph {{ seed: 6 erdos_renyi {{ nodes: 2000 mean_degree: 6 }} }} {}", body));
  REQUIRE(buzzsim(fmt::format("run {} {} {} --out {}", (dir / "each.textproto").string(),
                              (dir / "five.textproto").string(), (dir / "six.textproto").string(),
                              (dir / "out").string()),
                  dir)
              .status == 0);
  // Rows of one replicate of timeseries.csv.
  const auto replicate = [&](const char* run, char r) {
    std::istringstream in(read_text(dir / "out" / run / "timeseries.csv"));
    std::string line, rows;
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] == r) rows += line + "\n";
    }
    return rows;
  };
  CHECK(!replicate("each", '1').empty());
  CHECK(replicate("each", '0') == replicate("five", '0'));
  CHECK(replicate("each", '1') == replicate("six", '1'));
  CHECK(replicate("each", '1') != replicate("five", '1'));
}

TEST_CASE("run with several files writes one table of every scenario and replicate", "[cli]") {
  TempDir dir;
  const auto scenarios = source_dir() / "scenarios";
  const auto r =
      buzzsim(fmt::format("run {} {} --replicates 2 --ticks 120 --out {}",
                          (scenarios / "conversational.textproto").string(),
                          (scenarios / "broadcast.textproto").string(), (dir / "out").string()),
              dir);
  REQUIRE(r.status == 0);
  std::istringstream in(read_text(dir / "out" / "batch.csv"));
  std::string header, line;
  std::getline(in, header);
  // The field the two files set differently is a column; fields they share are not.
  CHECK_THAT(header, StartsWith("file,scenario,replicate,") &&
                         Contains("dynamics.campaign.brands[0].tone") && Contains(",reach,") &&
                         !Contains("ticks"));
  std::vector<std::string> rows;
  while (std::getline(in, line)) rows.push_back(line);
  REQUIRE(rows.size() == 4);
  CHECK_THAT(rows[0], Contains("conversational,0,"));
  CHECK_THAT(rows[3], Contains("broadcast,1,"));

  // A field given with --set is a column even when every file has the same value, so
  // batches run with different values stack into one table.
  const auto set = buzzsim(
      fmt::format("run {} {} --replicates 2 --ticks 120 --set audience.share_probability=0.07 "
                  "--out {}",
                  (scenarios / "conversational.textproto").string(),
                  (scenarios / "broadcast.textproto").string(), (dir / "set").string()),
      dir);
  REQUIRE(set.status == 0);
  std::istringstream with_set(read_text(dir / "set" / "batch.csv"));
  std::getline(with_set, header);
  CHECK_THAT(header, Contains("dynamics.campaign.audience.share_probability"));
  std::getline(with_set, line);
  CHECK_THAT(line, Contains(",0.07,"));
}

TEST_CASE("a graph built once and saved runs as the generated one did", "[cli][buzzgraph]") {
  TempDir dir;
  const std::string body = R"(seed: 3
replicates: 2
ticks: 240
dynamics { campaign { brands { tone: 0.8 posts_per_week: 7 } } }
outputs { record_every: 24 per_community: true }
)";
  write_text(dir / "gen.textproto",
             "graph { communities { nodes: 3000 mean_degree: 12 } }\n" + body);
  const auto g = buzzsim(fmt::format("graph {} --out {}", (dir / "gen.textproto").string(),
                                     (dir / "g.buzzgraph").string()),
                         dir);
  REQUIRE(g.status == 0);
  CHECK_THAT(g.out, Contains("3000 nodes") && Contains("buzzgraph { path:"));
  // Not over an existing file without --overwrite.
  CHECK(buzzsim(fmt::format("graph {} --out {}", (dir / "gen.textproto").string(),
                            (dir / "g.buzzgraph").string()),
                dir)
            .status == 2);
  // The saved graph with the same seed: the same activity, so the same run.
  write_text(dir / "saved.textproto", "graph { buzzgraph { path: \"g.buzzgraph\" } }\n" + body);
  for (const char* name : {"gen", "saved"}) {
    REQUIRE(
        buzzsim(fmt::format("run {} --out {}", (dir / (std::string(name) + ".textproto")).string(),
                            (dir / "out").string()),
                dir)
            .status == 0);
  }
  for (const char* f : {"timeseries.csv", "summary.csv", "community_summary.csv"}) {
    CAPTURE(f);
    CHECK(read_text(dir / "out" / "gen" / f) == read_text(dir / "out" / "saved" / f));
  }
}
