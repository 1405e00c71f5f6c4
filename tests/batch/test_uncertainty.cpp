#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/analysis/uncertainty.hpp"
#include "sim/report/tables.hpp"
#include "sim/scenario/scenario.hpp"

using namespace buzz;

TEST_CASE("a Latin hypercube puts one point in each stratum of every dimension", "[uncertainty]") {
  const auto x = analysis::latin_hypercube(40, 3, 7);
  REQUIRE(x.size() == 40);
  for (std::size_t j = 0; j < 3; ++j) {
    std::set<int> strata;
    for (const auto& p : x) {
      REQUIRE(p[j] >= 0);
      REQUIRE(p[j] < 1);
      strata.insert(int(p[j] * 40));
    }
    CHECK(strata.size() == 40);
  }
  CHECK(analysis::latin_hypercube(40, 3, 7) == x);  // deterministic
  CHECK(analysis::latin_hypercube(40, 3, 8) != x);
}

TEST_CASE("priors cover their defaults inside their fields' bounds", "[uncertainty][scenario]") {
  const auto priors = scenario::campaign_priors();
  REQUIRE(priors.size() >= 50);
  for (const auto& p : priors) {
    INFO(p.field << " [" << p.low << ", " << p.high << "] default " << p.default_value);
    CHECK(p.low < p.high);
    CHECK(p.low <= p.default_value);
    CHECK(p.default_value <= p.high);
    CHECK((!p.log || p.low > 0));
    // Every value a draw can take loads: the prior stays inside the field's bounds.
    for (double u : {0.0, 0.5, 0.999999}) {
      const std::string text = fmt::format(
          "dynamics {{ campaign {{ brands {{ follower_share: 0.1 }} audience {{ {}: {} }} }} }}",
          analysis::short_name(p.field), p.at(u));
      CHECK_NOTHROW(scenario::parse(text));
    }
  }
}

TEST_CASE("a prior's quantiles are uniform or log-uniform", "[uncertainty][scenario]") {
  scenario::Prior uniform{"a", 1, 3, false, false, 2};
  CHECK(uniform.at(0) == 1);
  CHECK(uniform.at(0.5) == Approx(2));
  scenario::Prior log{"b", 0.5, 2, true, false, 1};
  CHECK(log.at(0.5) == Approx(1));  // the geometric middle
  CHECK(log.at(0.25) == Approx(std::sqrt(0.5)));
  scenario::Prior integer{"c", 3, 8, false, true, 5};
  CHECK(integer.at(0.51) == 6);
}

TEST_CASE("a planted threshold is found and chance alone is not named", "[uncertainty]") {
  const auto x = analysis::latin_hypercube(64, 10, 3);
  // Outcome: positive exactly when parameter 4 is below 0.3.
  std::vector<bool> holds;
  std::vector<double> y;
  for (const auto& p : x) {
    holds.push_back(p[4] < 0.3);
    y.push_back(p[4] < 0.3 ? 1.0 : -1.0);
  }
  const auto hinge = analysis::best_hinge(x, holds);
  REQUIRE(hinge);
  CHECK(hinge->parameter == 4);
  CHECK(hinge->below);
  CHECK(hinge->threshold == Approx(0.3).margin(1.0 / 64));
  CHECK(hinge->accuracy == 1);
  CHECK(analysis::chance_hinge_accuracy(x, holds, 1) < 0.9);
  // A monotone driver: the rank correlation finds it with its sign, beyond chance.
  std::vector<double> trend;
  for (const auto& p : x) trend.push_back(-3 * p[7] + 0.1 * p[1]);
  const auto c = analysis::rank_correlations(x, trend);
  CHECK(c[7] < -0.9);
  CHECK(std::abs(c[7]) > analysis::chance_rank_correlation(x, trend, 1));
  // Noise: nothing beyond chance in most draws of the noise (this one, fixed by its seed).
  std::vector<double> noise;
  for (std::size_t i = 0; i < x.size(); ++i)
    noise.push_back(analysis::latin_hypercube(64, 1, 99)[i][0]);
  const auto cn = analysis::rank_correlations(x, noise);
  const double largest = std::abs(*std::max_element(
      cn.begin(), cn.end(), [](double a, double b) { return std::abs(a) < std::abs(b); }));
  CHECK(largest < analysis::chance_rank_correlation(x, noise, 1));
  // First-order indices: the driver carries most of the variance.
  const auto s = analysis::first_order_indices(x, trend, 8);
  CHECK(s[7] > 0.8);
  CHECK(s[2] < 0.3);
}

namespace {

// A comparison of two scenarios on one metric whose difference is `d`.
analysis::Comparison one_metric(double d, engine::Direction direction) {
  analysis::Comparison c;
  c.names = {"a", "b"};
  analysis::MetricComparison m;
  m.metric = "m";
  m.direction = direction;
  m.exercised = d != 0;
  m.difference.resize(2);
  m.difference[1].mean = d;
  c.metrics.push_back(m);
  return c;
}

}  // namespace

TEST_CASE("verdicts say robust or hinged and name the parameter", "[uncertainty]") {
  const auto x = analysis::latin_hypercube(64, 6, 5);
  std::vector<scenario::Prior> priors;
  for (int j = 0; j < 6; ++j) priors.push_back({fmt::format("p.q{}", j), 0, 1, false, false, 0.5});
  const auto summarise = [&](auto difference, engine::Direction dir) {
    std::vector<analysis::Comparison> per_draw;
    for (const auto& p : x) per_draw.push_back(one_metric(difference(p), dir));
    return analysis::summarise({"a", "b"}, priors, x, per_draw).metrics.at(0);
  };
  const auto higher = engine::Direction::higher_is_better;
  // b better in every draw.
  auto robust = summarise([](const auto& p) { return 1 + p[0]; }, higher);
  CHECK(robust.wins[1] == 1);
  CHECK(robust.verdict[1] == "b beats a in 100% of plausible worlds");
  // b better unless q2 is above 0.8.
  auto hinged = summarise([](const auto& p) { return p[2] > 0.8 ? -1.0 : 1.0; }, higher);
  CHECK(hinged.wins[1] == Approx(0.8).margin(0.02));
  CHECK_THAT(hinged.verdict[1], Catch::Matchers::StartsWith("b beats a in 8") &&
                                    Catch::Matchers::Contains("; a wins only when q2 > 0.8"));
  // Lower is better: the same differences crown a.
  auto lower =
      summarise([](const auto& p) { return 1 + p[0]; }, engine::Direction::lower_is_better);
  CHECK(lower.verdict[1] == "a beats b in 100% of plausible worlds");
  // A gradual trade-off: named by its driver and direction.
  auto trend = summarise([](const auto& p) { return p[3] - 0.35; }, higher);
  CHECK_THAT(trend.verdict[1], Catch::Matchers::Contains("b does better the higher q3 is") ||
                                   Catch::Matchers::Contains("a wins only when q3 < 0.3"));
  // Noise that no parameter drives, b better in about 70% of draws: the verdict says so, and
  // how strong a driver chance alone reaches at this number of draws.
  auto noise = summarise(
      [](const auto& p) {
        const double h = std::sin(p[0] * 12.9898e3 + p[1] * 78.233e3) * 43758.5453;
        return h - std::floor(h) < 0.7 ? 1.0 : -1.0;
      },
      higher);
  INFO(noise.verdict[1]);
  CHECK_THAT(noise.verdict[1],
             Catch::Matchers::Contains("no parameter explains it beyond chance at 64 draws") &&
                 Catch::Matchers::Contains(
                     fmt::format("rank correlation of {:.2f}", noise.chance_rank[1])));
  CHECK(noise.chance_rank[1] > 0.2);
  CHECK(noise.chance_rank[1] < 0.6);
  // No verdict and never exercised.
  CHECK(summarise([](const auto&) { return 1.0; }, engine::Direction::no_verdict).verdict[1] ==
        "no verdict (shown for information)");
  CHECK(summarise([](const auto&) { return 0.0; }, higher).verdict[1] == "not exercised");
}

TEST_CASE("one verdict per metric: the draws' replaces the replicates'", "[uncertainty]") {
  // At the scenarios' own parameters the replicates see no clear difference on m1 and a
  // clear one on m2; over the draws b wins m1 everywhere and m2 only half the time.
  analysis::Comparison plain;
  plain.names = {"a", "b"};
  for (const char* name : {"m1", "m2", "m3"}) {
    analysis::MetricComparison m;
    m.metric = name;
    m.direction = engine::Direction::higher_is_better;
    m.difference.resize(2);
    m.verdict = {0, std::string(name) == "m2" ? 1 : 0};
    m.varies = std::string(name) != "m3";
    plain.metrics.push_back(m);
  }
  CHECK_THAT(report::verdicts(plain),
             Catch::Matchers::Contains("No significant difference between b "
                                       "and a on: m1.") &&
                 Catch::Matchers::Contains("b beats a on: m2.") &&
                 Catch::Matchers::Contains("cannot differ: m3."));
  const auto x = analysis::latin_hypercube(20, 1, 3);
  std::vector<analysis::Comparison> per_draw;
  for (std::size_t d = 0; d < x.size(); ++d) {
    analysis::Comparison c = plain;
    c.metrics[0].difference[1].mean = 1;
    c.metrics[1].difference[1].mean = d % 2 ? 1 : -1;
    c.metrics[2].difference[1].mean = 0;
    per_draw.push_back(c);
  }
  const auto u = analysis::summarise(plain.names, {{"p.q", 0, 1, false, false, 0.5}}, x, per_draw);
  analysis::judge_under_uncertainty(plain, u);
  const std::string v = report::verdicts(plain);
  CHECK_THAT(v, Catch::Matchers::StartsWith("Verdicts: a side wins a metric when it is better in "
                                            "at least 95% of 20 plausible parameter draws from "
                                            "their priors (Latin hypercube);"));
  CHECK_THAT(v, Catch::Matchers::Contains("b beats a on: m1."));
  CHECK_THAT(v, Catch::Matchers::Contains("No robust difference between b and a on: m2."));
  CHECK_THAT(v, Catch::Matchers::Contains("cannot differ: m3."));
  CHECK_FALSE(analysis::can_differ(u.metrics[2], 1));
  CHECK_THAT(report::uncertainty_table(u), !Catch::Matchers::Contains("  m3 "));
}
