#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/analysis/sobol.hpp"
#include "sim/batch/draws.hpp"
#include "sim/report/tables.hpp"
#include "support.hpp"

using namespace buzz;

TEST_CASE("Saltelli's design takes each AB_i from A but for column i from B", "[sobol]") {
  const std::uint32_t n = 16;
  const std::size_t k = 3;
  const auto rows = analysis::saltelli_design(n, k);
  REQUIRE(rows.size() == n * (k + 2));
  for (const auto& r : rows) {
    for (double v : r) {
      REQUIRE(v >= 0);
      REQUIRE(v < 1);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    for (std::uint32_t j = 0; j < n; ++j) {
      const auto& ab = rows[(2 + i) * n + j];
      for (std::size_t c = 0; c < k; ++c) CHECK(ab[c] == rows[(c == i ? n : 0) + j][c]);
    }
  }
  // A and B are other points but for the sequence's first two (every coordinate 0, then 0.5),
  // and a Sobol sequence's 16 first points put one in each sixteenth of every dimension.
  int same = 0;
  for (std::uint32_t j = 0; j < n; ++j) same += rows[j] == rows[n + j];
  CHECK(same == 2);
  for (std::size_t c = 0; c < k; ++c) {
    std::vector<int> strata(n, 0);
    for (std::uint32_t j = 0; j < n; ++j) ++strata[int(rows[j][c] * n)];
    for (int s : strata) CHECK(s == 1);
  }
}

// Ishigami & Homma (1990): f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3, the
// standard test of Sobol estimators, with analytic indices (Saltelli et al. 2008, "Global
// sensitivity analysis: the primer", section 4.7; Sobol' & Levitan 1999): for a = 7,
// b = 0.1, S = 0.3139, 0.4424, 0 and ST = 0.5576, 0.4424, 0.2437.
TEST_CASE("Sobol indices of the Ishigami function match the analytic ones", "[sobol]") {
  const double a = 7, b = 0.1, pi = std::acos(-1.0);
  const double v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2);
  const double v2 = a * a / 8;
  const double v13 = std::pow(b, 2) * std::pow(pi, 8) * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  const double first[] = {v1 / v, v2 / v, 0};
  const double total[] = {(v1 + v13) / v, v2 / v, v13 / v};
  REQUIRE(first[0] == Approx(0.3139).margin(1e-4));
  REQUIRE(total[2] == Approx(0.2437).margin(1e-4));

  const std::uint32_t n = 8192;
  const auto rows = analysis::saltelli_design(n, 3);
  std::vector<double> y;
  for (const auto& r : rows) {
    const double x1 = -pi + 2 * pi * r[0], x2 = -pi + 2 * pi * r[1], x3 = -pi + 2 * pi * r[2];
    y.push_back(std::sin(x1) + a * std::pow(std::sin(x2), 2) + b * std::pow(x3, 4) * std::sin(x1));
  }
  const auto s = analysis::sobol_indices(y, n, 3, 1, 200);
  REQUIRE(s.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("x" << i + 1 << ": first order " << s[i].first_order.value << " [" << s[i].first_order.low
             << ", " << s[i].first_order.high << "], total " << s[i].total_effect.value << " ["
             << s[i].total_effect.low << ", " << s[i].total_effect.high << "]");
    // Tolerance 0.02 at n = 8192 (the estimators' error there is below 0.01).
    CHECK(s[i].first_order.value == Approx(first[i]).margin(0.02));
    CHECK(s[i].total_effect.value == Approx(total[i]).margin(0.02));
    // The 90% intervals are narrow and hold the truth up to the tolerance.
    CHECK(s[i].total_effect.low <= total[i] + 0.01);
    CHECK(s[i].total_effect.high >= total[i] - 0.01);
    CHECK(s[i].total_effect.high - s[i].total_effect.low < 0.08);
  }
  // x3 acts only with x1: no first-order effect, a real total one.
  CHECK(s[2].total_effect.low > 0.2);
}

TEST_CASE("a parameter the output ignores has a total effect of exactly 0", "[sobol]") {
  // With common random numbers a run that differs only in an irrelevant parameter gives the
  // same output, so Jansen's estimator is 0 for it, not a noise floor.
  const std::uint32_t n = 64;
  const auto rows = analysis::saltelli_design(n, 3);
  std::vector<double> y;
  for (const auto& r : rows) y.push_back(r[0] + 2 * r[1] * r[1]);
  const auto s = analysis::sobol_indices(y, n, 3, 1);
  CHECK(s[2].total_effect.value == 0);
  CHECK(s[2].total_effect.high == 0);
  CHECK(s[2].first_order.value == 0);
  CHECK(s[1].total_effect.value > s[0].total_effect.value);
  // Additive: total and first order agree up to the estimators' noise.
  CHECK(s[0].total_effect.value == Approx(s[0].first_order.value).margin(0.1));
  // Nothing varies: every index 0.
  const auto flat = analysis::sobol_indices(std::vector<double>(rows.size(), 3.0), n, 3, 1);
  for (const auto& i : flat) CHECK((i.first_order.value == 0 && i.total_effect.value == 0));
  // The bootstrap is deterministic for the seed.
  const auto again = analysis::sobol_indices(y, n, 3, 1);
  CHECK(again[0].total_effect.low == s[0].total_effect.low);
}

TEST_CASE("compare under Saltelli's design finds the parameter a difference hangs on",
          "[sobol][uncertainty][determinism]") {
  testing::TempDir dir;
  constexpr const char* base = R"(seed: 9
replicates: 1
ticks: 336
graph {{ communities {{ nodes: 600 mean_degree: 10 }} }}
dynamics {{ campaign {{ brands {{ name: "brand" follower_share: 0.3 tone: {} }} }} }}
)";
  testing::write_text(dir / "broadcast.textproto", fmt::format(base, "0.1"));
  testing::write_text(dir / "conversational.textproto", fmt::format(base, "0.9"));
  const std::vector<std::string> files{(dir / "broadcast.textproto").string(),
                                       (dir / "conversational.textproto").string()};
  std::vector<scenario::Config> configs;
  for (const auto& f : files) configs.push_back(scenario::load(f));
  // Three of the priors: tone matters to the difference, engagement to both sides, and
  // complaints to neither (no crisis, nobody turns detractor).
  batch::UncertaintyPlan plan;
  for (const auto& p : scenario::campaign_priors()) {
    for (const char* f : {"tone_effect", "engage_log_odds", "complaint_probability"}) {
      if (p.field == std::string("dynamics.campaign.audience.") + f) plan.priors.push_back(p);
    }
  }
  REQUIRE(plan.priors.size() == 3);
  const std::uint32_t n = 32;
  plan.saltelli_n = n;
  for (const auto& u : analysis::saltelli_design(n, 3)) {
    std::vector<double> values;
    for (std::size_t j = 0; j < 3; ++j) values.push_back(plan.priors[j].at(u[j]));
    plan.draws.push_back(values);
  }
  const std::vector<scenario::Overrides> overrides(2);
  const auto run = [&] {
    const auto graphs = batch::build_graphs(configs);
    std::vector<analysis::ScenarioRun> runs;
    for (const auto& c : configs) runs.push_back({c, batch::run(c, batch::graph_of(graphs, c))});
    const auto plain = analysis::compare(runs);
    return *batch::run_draws(plan, files, overrides, configs, graphs, plain);
  };
  const auto one = testing::with_threads(1, run);
  const auto two = testing::with_threads(2, run);
  CHECK(report::sobol_csv(one) == report::sobol_csv(two));
  CHECK(one.draws.size() == 2 * n);  // the verdicts read A and B
  CHECK(one.design_draws == n * 5);
  const auto& m = *std::find_if(one.metrics.begin(), one.metrics.end(),
                                [](const auto& x) { return x.metric == "engagement_rate"; });
  const auto& s = m.sobol[1];
  INFO("total effects: tone " << s[0].total_effect.value << ", engage " << s[1].total_effect.value
                              << ", complaints " << s[2].total_effect.value);
  CHECK(s[2].total_effect.value == 0);
  CHECK(s[0].total_effect.low > 0.05);
  CHECK(analysis::total_effect_drivers(m, 1, 3).front() != 2);
  CHECK(report::uncertainty_table(one).find("total effects: ") != std::string::npos);
  // One replicate per draw: nothing to measure the noise by.
  CHECK(std::isnan(m.sobol_noise_floor[1]));
  // Two: the floor is the replicate mean's variance over the difference's, measured.
  for (auto& c : configs) c.replicates = 2;
  const std::vector<scenario::Overrides> two_each(2, scenario::Overrides{{}, 2u, {}, {}});
  const auto graphs = batch::build_graphs(configs);
  std::vector<analysis::ScenarioRun> runs;
  for (const auto& c : configs) runs.push_back({c, batch::run(c, batch::graph_of(graphs, c))});
  const auto twice =
      *batch::run_draws(plan, files, two_each, configs, graphs, analysis::compare(runs));
  const auto& m2 = *std::find_if(twice.metrics.begin(), twice.metrics.end(),
                                 [](const auto& x) { return x.metric == "engagement_rate"; });
  INFO("noise floor with 2 replicates: " << m2.sobol_noise_floor[1]);
  CHECK(m2.sobol_noise_floor[1] > 0);
  CHECK(m2.sobol_noise_floor[1] < 1);
}
