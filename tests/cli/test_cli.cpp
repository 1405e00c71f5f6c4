#include <catch2/catch.hpp>

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

TEST_CASE("bad input exits 2 with file:line and leaves no output folder", "[cli][errors]") {
  TempDir dir;
  write_text(dir / "ties.txt", "0 1\n1 2\n2 zz\n");
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
      if (name != "bad_edges") {
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
  for (const char* help : {"--help", "run --help", "validate --help"}) {
    const auto h = buzzsim(help, dir);
    CHECK(h.status == 0);
    CHECK_THAT(h.out, Contains("Usage") || Contains("USAGE") || Contains("usage"));
  }
  const auto ok = buzzsim("validate " + s, dir);
  CHECK(ok.status == 0);
  CHECK(ok.out.empty());
  CHECK(ok.err.empty());
}
