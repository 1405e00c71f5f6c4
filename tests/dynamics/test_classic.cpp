// The classic models against published results. Each check names its source and says why
// its tolerance is what it is; docs/validation.md lists them with the values seen.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <cmath>

#include "sim/analysis/stats.hpp"
#include "sim/batch/runner.hpp"
#include "sim/dynamics/bass.hpp"
#include "sim/dynamics/dynamics.hpp"
#include "sim/engine/engine.hpp"
#include "sim/scenario/scenario.hpp"
#include "support.hpp"

using namespace buzz;

namespace {

batch::RunResult run_text(const std::string& text) {
  const auto config = scenario::parse(text);
  return batch::run(config, batch::build_graph(config));
}

batch::RunResult run_file(const std::string& name, const scenario::Overrides& overrides = {}) {
  const auto config = scenario::load(
      testing::source_dir() / "scenarios" / "classic" / (name + ".textproto"), overrides);
  return batch::run(config, batch::build_graph(config));
}

std::size_t index_of(const std::vector<std::string>& names, const std::string& name) {
  const auto at = std::find(names.begin(), names.end(), name);
  REQUIRE(at != names.end());
  return static_cast<std::size_t>(at - names.begin());
}

// Mean over replicates of a per-run metric.
double mean_metric(const batch::RunResult& r, const std::string& name) {
  const auto m = index_of(engine::names(r.run_reporters), name);
  double sum = 0;
  for (const auto& rep : r.replicates) sum += rep.metrics[m];
  return sum / r.replicates.size();
}

// Mean over replicates of a time-series column at a recorded tick.
double mean_at_tick(const batch::RunResult& r, const std::string& column, std::uint32_t tick) {
  const auto c = index_of(engine::names(r.tick_reporters), column);
  double sum = 0;
  for (const auto& rep : r.replicates) {
    const auto row = std::find(rep.ticks.begin(), rep.ticks.end(), tick) - rep.ticks.begin();
    REQUIRE(std::size_t(row) < rep.ticks.size());
    sum += rep.at(row, c, r.tick_reporters.size());
  }
  return sum / r.replicates.size();
}

// Root in (0, 1) of f, which changes sign on [lo, hi], by bisection.
template <typename F>
double root(F f, double lo, double hi) {
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (f(lo) * f(mid) <= 0 ? hi : lo) = mid;
  }
  return (lo + hi) / 2;
}

}  // namespace

TEST_CASE("Bass fully mixed with small steps follows the closed form",
          "[classic][bass][validation]") {
  // Bass (1969): F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}), p = 0.03, q = 0.38.
  // Steps of 0.01 year: the simulation is Euler's scheme for Bass's equation plus
  // binomial noise. Euler's error is below 0.0006 at these times. Imitation amplifies
  // early noise: at N = 100,000 the sd per replicate peaks near 0.0034 at t = 5, so the
  // mean of 8 replicates has a standard error of 0.0012, and +-0.005 is about 4 of them.
  const auto r = run_file("bass_fully_mixed");
  for (double years : {1.0, 2.0, 5.0, 10.0, 20.0}) {
    const double simulated =
        mean_at_tick(r, "adopted_share", static_cast<std::uint32_t>(years * 100));
    const double theory = dynamics::Bass::adopted_share(0.03, 0.38, years);
    INFO("t = " << years << " years: simulated " << simulated << ", Bass " << theory);
    CHECK(std::abs(simulated - theory) <= 0.005);
  }
}

TEST_CASE("Bass with one-year steps follows the discrete recurrence",
          "[classic][bass][validation]") {
  // With dt = 1 year each non-adopter adopts with chance p + q F_{t-1}, so the expected
  // share follows F_t = F_{t-1} + (p + q F_{t-1})(1 - F_{t-1}) exactly (Bass 1969's
  // discrete form); the mean of 5 replicates of 100,000 people is within 0.002 of it.
  const auto r = run_file("bass_yearly");
  double f = 0;
  for (std::uint32_t t = 1; t <= 20; ++t) {
    f += (0.03 + 0.38 * f) * (1 - f);
    const double simulated = mean_at_tick(r, "adopted_share", t);
    INFO("year " << t << ": simulated " << simulated << ", recurrence " << f);
    CHECK(std::abs(simulated - f) <= 0.005);
  }
}

TEST_CASE("Maki-Thompson rumour leaves 0.2032 who never hear", "[classic][rumour][validation]") {
  // Sudbury (1985): in a large fully mixed population the share never hearing tends to
  // the root theta != 1 of theta e^{2 - 2 theta} = 1, 0.2032. N = 10,000, 100 runs: the
  // run-to-run sd is about 0.006, so the mean's standard error is 0.0006 and +-0.003 is
  // five of them.
  const double theta = root([](double x) { return x * std::exp(2 - 2 * x) - 1; }, 0.01, 0.9);
  REQUIRE(theta == Approx(0.2032).margin(5e-5));
  const double never = mean_metric(run_file("maki_thompson"), "never_heard_share");
  INFO("mean never-heard share " << never);
  CHECK(std::abs(never - 0.2032) <= 0.003);
}

TEST_CASE("Daley-Kendall rumour leaves 0.2032 who never hear", "[classic][rumour][validation]") {
  // Daley & Kendall (1965): with pair meetings, two spreaders who meet both stop; the
  // mean-field equations then match Maki-Thompson's and so does the limit, 0.2032.
  // (Stopping only one of them would give about 0.285.) Same set-up and tolerance.
  const double never = mean_metric(run_file("daley_kendall"), "never_heard_share");
  INFO("mean never-heard share " << never);
  CHECK(std::abs(never - 0.2032) <= 0.003);
}

TEST_CASE("continuous-time SIR on Erdos-Renyi reaches the percolation final size",
          "[classic][sir][validation]") {
  // Markovian SIR with tau = 0.3, gamma = 1 has T = tau / (tau + gamma) = 0.2308; on a
  // Poisson graph with k = 10 the final size is the root of r = 1 - exp(-T k r), 0.8638
  // (bond percolation, Newman 2002). N = 100,000, 10 replicates, 10 seeds each: sd per
  // replicate about 0.0015, standard error 0.0005; +-0.003 leaves room for finite-size
  // bias.
  const double r = root([](double x) { return 1 - std::exp(-0.3 / 1.3 * 10 * x) - x; }, 0.5, 1);
  REQUIRE(r == Approx(0.8637).margin(2e-4));
  const double share = mean_metric(run_file("sir_continuous"), "final_share");
  INFO("mean final share " << share << ", theory " << r);
  CHECK(std::abs(share - 0.8637) <= 0.003);
}

TEST_CASE("continuous-time SIS settles at the mean-field prevalence",
          "[classic][sis][validation]") {
  // On a complete graph SIS is mean-field: prevalence settles near 1 - gamma / (tau (N - 1))
  // (Kiss, Miller & Simon 2017, ch. 4). N = 500, tau (N - 1) / gamma = 2: 0.5, with finite
  // -size corrections of order 1/sqrt(N), so +-0.03.
  const double prevalence = mean_metric(run_text(R"(
      seed: 4
      replicates: 4
      ticks: 80
      graph { complete { nodes: 500 } }
      dynamics { sis { continuous_time: true transmission_rate: 0.004008 recovery_rate: 1
                       seeds { count: 25 } } })"),
                                        "mean_prevalence");
  INFO("mean prevalence " << prevalence);
  CHECK(std::abs(prevalence - 0.5) <= 0.03);
}

TEST_CASE("discrete SIS settles at its fixed point on the complete graph", "[classic][sis]") {
  // Fully connected discrete SIS: i' = i (1 - gamma) + (1 - i)(1 - (1 - beta)^{N i}).
  // beta = 0.002, gamma = 0.3, N = 500; fixed point solved here, +-0.03 as above.
  const double n = 500, beta = 0.002, gamma = 0.3;
  const double fixed = root(
      [&](double i) { return i * (1 - gamma) + (1 - i) * (1 - std::pow(1 - beta, n * i)) - i; },
      0.05, 0.99);
  const double prevalence = mean_metric(run_text(R"(
      seed: 4
      replicates: 4
      ticks: 200
      graph { complete { nodes: 500 } }
      dynamics { sis { beta: 0.002 gamma: 0.3 seeds { count: 25 } } })"),
                                        "mean_prevalence");
  INFO("mean prevalence " << prevalence << ", fixed point " << fixed);
  CHECK(std::abs(prevalence - fixed) <= 0.03);
}

TEST_CASE("Watts threshold cascades have a window in mean degree", "[classic][watts][validation]") {
  // Watts (2002), phi = 0.18, N = 10,000, one random seed: global cascades (>= 10%) need
  // a percolating cluster of vulnerable nodes (degree <= 5), which exists only for
  // 1 < z < about 6. Each z: 4 graphs x 25 seeds = 100 runs.
  const auto global_share = [](double z) {
    double global = 0, runs = 0;
    for (int graph_seed = 1; graph_seed <= 4; ++graph_seed) {
      const auto r = run_text(fmt::format(R"(
          seed: {}
          replicates: 25
          ticks: 200
          graph {{ erdos_renyi {{ nodes: 10000 mean_degree: {} }} }}
          dynamics {{ watts_threshold {{ threshold: 0.18 seeds {{ count: 1 }} }} }})",
                                          graph_seed, z));
      global += mean_metric(r, "global_cascade") * r.replicates.size();
      runs += r.replicates.size();
    }
    return global / runs;
  };
  for (double z : {1.0, 6.5, 7.0, 8.0}) {
    INFO("z = " << z);
    CHECK(global_share(z) == 0);
  }
  for (double z : {2.0, 3.0, 4.0, 5.0}) {
    const double share = global_share(z);
    INFO("z = " << z << ": global cascades in " << share << " of runs");
    CHECK(share > 0.5);
  }
}

TEST_CASE("complex contagion on a ring takes exactly ceil((N - 2) / 2) ticks",
          "[classic][k_threshold][validation]") {
  // Ring lattice, 4 nearest neighbours, k = 2, two adjacent seeds, synchronous ticks:
  // each tick the front advances one node each way (the next node sees two adopters), so
  // the N - 2 others adopt in ceil((N - 2) / 2) ticks (Centola & Macy 2007). Exact for
  // even N. For odd N the last three nodes adopt together (the middle one has an adopter
  // two steps away on each side), one tick sooner: floor((N - 2) / 2).
  for (std::uint32_t n : {1000u, 12u, 1001u, 13u}) {
    const auto r = run_text(fmt::format(R"(
        replicates: 1
        ticks: 700
        graph {{ watts_strogatz {{ nodes: {} neighbors: 4 rewire: 0 }} }}
        dynamics {{ k_threshold {{ k: 2 seeds {{ nodes: [0, 1] }} }} }})",
                                        n));
    INFO("N = " << n);
    CHECK(mean_metric(r, "final_share") == 1);
    CHECK(mean_metric(r, "duration") == (n % 2 == 0 ? (n - 2 + 1) / 2 : (n - 2) / 2));
  }
  // One seed alone never reaches two adopted neighbours: nothing happens.
  const auto lone = run_text(R"(
      replicates: 1
      ticks: 10
      graph { watts_strogatz { nodes: 100 neighbors: 4 rewire: 0 } }
      dynamics { k_threshold { k: 2 seeds { nodes: [0] } } })");
  CHECK(mean_metric(lone, "final_active") == 1);
}

TEST_CASE("linear threshold spreads along a path with chance one half per step",
          "[classic][linear_threshold]") {
  // Path 0 - 1 - ... - 199 seeded at its end: each next node has two neighbours, one of
  // them adopted, so it adopts when its uniform threshold is <= 1/2. The count beyond the
  // seed is geometric with mean 1, so the mean total is 2 (sd 1.4; 400 runs: se 0.07).
  std::string ties;
  for (int v = 0; v + 1 < 200; ++v) ties += fmt::format("{} {}\n", v, v + 1);
  testing::TempDir dir;
  testing::write_text(dir / "path.txt", ties);
  testing::write_text(dir / "lt.textproto", R"(
      replicates: 400
      ticks: 300
      graph { edge_list { path: "path.txt" } }
      dynamics { linear_threshold { seeds { nodes: [0] } } })");
  const auto config = scenario::load(dir / "lt.textproto");
  const double total = mean_metric(batch::run(config, batch::build_graph(config)), "final_active");
  INFO("mean adopted " << total);
  CHECK(std::abs(total - 2) <= 0.25);
}

TEST_CASE("bad classic parameters are rejected or warned about", "[classic][errors]") {
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(scenario::parse("dynamics { watts_threshold { threshold: 1.2 } }"),
                    Contains("dynamics.watts_threshold.threshold must be in [0, 1], got 1.2"));
  CHECK_THROWS_WITH(
      scenario::parse("dynamics { sir { continuous_time: true transmission_rate: 0 } }"),
      Contains("dynamics.sir.transmission_rate must be in (0, 1000000], got 0"));
  CHECK_THROWS_WITH(scenario::parse("dynamics { sis { continuous_time: true recovery_rate: -1 } }"),
                    Contains("dynamics.sis.recovery_rate must be in (0, 1000000], got -1"));
  CHECK_THROWS_WITH(scenario::parse("dynamics { bass { p: 0 } }"),
                    Contains("dynamics.bass.p must be in (0, 10000], got 0"));
  CHECK_THROWS_WITH(scenario::parse("tick_hours: 8766\ndynamics { bass { p: 0.5 q: 0.8 } }"),
                    Contains("(p + q) * tick must be at most 1"));
  // k above every degree is allowed, with a warning.
  const auto config = scenario::parse(
      "graph { watts_strogatz { nodes: 100 neighbors: 4 } }\n"
      "dynamics { k_threshold { k: 9 } }");
  std::vector<std::string> warnings;
  batch::build_graph(config, &warnings);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Contains("dynamics.k_threshold.k (9) is larger than any degree"));
}

TEST_CASE("docking: the reduced campaign follows network Bass", "[classic][bass][docking]") {
  // Rand & Rust 2011 ("Agent-based modeling in marketing: Guidelines for rigor"): dock an
  // agent-based model to the textbook one it reduces to. The campaign with every mechanism
  // but paid reach and sharing off (scenarios/docking/bass_campaign.textproto) against
  // network Bass, p = 0.03 and q = 0.38, on the same random 10-regular graph, 4 replicates
  // each. Tolerance: adopted shares within 0.02 at every recorded tick (seen: 0.006; with 2
  // replicates each the gap was 0.015 or 0.023 depending on the paid draws' numbers).
  const auto dir = testing::source_dir() / "scenarios" / "docking";
  const auto bass_config = scenario::load(dir / "bass_network.textproto");
  const auto campaign_config = scenario::load(dir / "bass_campaign.textproto");
  const auto g = batch::build_graph(bass_config);
  const auto bass = batch::run(bass_config, g);
  const auto campaign = batch::run(campaign_config, g);
  const double n = g.num_nodes();
  const auto& ticks = bass.replicates[0].ticks;
  REQUIRE(campaign.replicates[0].ticks == ticks);
  double worst = 0;
  for (std::size_t row = 0; row < ticks.size(); ++row) {
    const double b = mean_at_tick(bass, "adopted_share", ticks[row]);
    const double c = (mean_at_tick(campaign, "engaged", ticks[row]) +
                      mean_at_tick(campaign, "advocates", ticks[row])) /
                     n;
    worst = std::max(worst, std::abs(c - b));
  }
  INFO("largest gap in adopted share " << worst);
  CHECK(worst <= 0.02);
  CHECK(mean_at_tick(bass, "adopted_share", ticks.back()) > 0.8);  // the curve ran its course
}

TEST_CASE("every classic model names its states and reports them per agent", "[classic][states]") {
  // What the viewer and Python's Simulation.states() show: once the spreading has begun,
  // every agent has a named state and more than one state is taken.
  for (const char* name : {"sir", "sis", "sir_continuous", "sis_continuous", "watts_threshold",
                           "linear_threshold", "k_threshold_ring", "bass_on_graph", "maki_thompson",
                           "daley_kendall", "influencer_seeding"}) {
    CAPTURE(name);
    const auto config = scenario::load(testing::source_dir() / "scenarios" / "classic" /
                                       (std::string(name) + ".textproto"));
    const auto graph = batch::build_graph(config);
    const auto model = dynamics::make_model(config.dynamics, graph);
    engine::Simulation sim(*model, config.seed, 0);
    sim.start();
    for (int t = 0; t < 3 && sim.tick() < config.ticks; ++t) sim.advance();
    const auto names = model->state_names();
    REQUIRE(names.size() >= 2);
    std::vector<std::uint8_t> states(graph.num_nodes(), 0xff);
    model->agent_states(states);
    std::vector<std::size_t> count(256, 0);
    for (auto s : states) ++count[s];
    CHECK(std::all_of(states.begin(), states.end(), [&](auto s) { return s < names.size(); }));
    CHECK(std::count_if(count.begin(), count.end(), [](auto c) { return c > 0; }) >= 2);
  }
}

namespace {

// The model as it was before settling: it steps every tick to the horizon.
class NeverSettles final : public engine::Model {
 public:
  explicit NeverSettles(engine::Model& inner) : inner_(inner) {}
  engine::Reporters tick_reporters() const override { return inner_.tick_reporters(); }
  engine::Reporters run_reporters() const override { return inner_.run_reporters(); }
  void start(const engine::Random& r) override { inner_.start(r); }
  void step(std::uint32_t t, const engine::Random& r) override { inner_.step(t, r); }
  void commit() override { inner_.commit(); }
  void on_record(std::uint32_t t) override { inner_.on_record(t); }
  void observe(std::vector<double>& row) const override { inner_.observe(row); }
  void finish(std::vector<double>& metrics) override { inner_.finish(metrics); }

 private:
  engine::Model& inner_;
};

}  // namespace

TEST_CASE("a replicate that has settled stops stepping and records the same as if it ran on",
          "[classic][settled]") {
  for (const char* dynamics : {"independent_cascade { p: 0.15 seeds { count: 3 } }",
                               "sir { beta: 0.08 gamma: 0.4 seeds { count: 3 } }",
                               "sis { beta: 0.02 gamma: 0.6 seeds { count: 3 } }",
                               "watts_threshold { threshold: 0.3 seeds { count: 4 } }",
                               "linear_threshold { seeds { count: 4 } }"}) {
    CAPTURE(dynamics);
    const auto config = scenario::parse(
        fmt::format("seed: 4 ticks: 301 graph {{ erdos_renyi {{ nodes: 3000 mean_degree: 6 }} }} "
                    "dynamics {{ {} }} outputs {{ record_every: 7 }}",
                    dynamics));
    const auto graph = batch::build_graph(config);
    const engine::RunOptions options{config.seed, config.ticks, config.record_every};
    for (std::uint32_t r = 0; r < 3; ++r) {
      const auto fast = dynamics::make_model(config.dynamics, graph);
      const auto slow = dynamics::make_model(config.dynamics, graph);
      NeverSettles stepping(*slow);
      const auto a = engine::run_replicate(*fast, r, options);
      const auto b = engine::run_replicate(stepping, r, options);
      CHECK(fast->settled());  // these all die out well before tick 301
      CHECK(a.ticks == b.ticks);
      CHECK(a.values == b.values);
      CHECK(a.metrics == b.metrics);
    }
  }
}
