#include "sim/analysis/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace buzz::analysis {

namespace {

std::vector<double> metric_values(const RunResult& r, std::size_t m) {
  std::vector<double> out;
  for (const auto& rep : r.replicates) out.push_back(rep.metrics[m]);
  return out;
}

// Welch's interval for mean(b) - mean(a), for unpaired samples.
Interval welch(const std::vector<double>& b, const std::vector<double>& a) {
  const Interval ib = mean_interval(b), ia = mean_interval(a);
  Interval d;
  d.n = std::min(ib.n, ia.n);
  d.mean = ib.mean - ia.mean;
  const double vb = ib.sd * ib.sd / ib.n, va = ia.sd * ia.sd / ia.n;
  d.sd = std::sqrt(vb + va);
  if (!(d.sd > 0) || ib.n < 2 || ia.n < 2) {
    d.low = d.high = d.sd == 0 ? d.mean : std::numeric_limits<double>::quiet_NaN();
    return d;
  }
  const double df = (vb + va) * (vb + va) / (vb * vb / (ib.n - 1) + va * va / (ia.n - 1));
  const double t =
      boost::math::quantile(boost::math::complement(boost::math::students_t(df), 0.025));
  d.low = d.mean - t * d.sd;
  d.high = d.mean + t * d.sd;
  return d;
}

bool significant(const Interval& d) { return d.low > 0 || d.high < 0; }

}  // namespace

namespace {

// Whether x is better than y for a metric of this direction.
bool better(engine::Direction direction, double x, double y) {
  switch (direction) {
    case engine::Direction::higher_is_better:
      return x > y;
    case engine::Direction::lower_is_better:
      return x < y;
    case engine::Direction::no_verdict:
      return false;
  }
  return false;
}

// Paired replicates (common random numbers): each scenario's difference from the first,
// replicate by replicate, and in how many replicates each scenario is best (or tied).
void paired_differences(MetricComparison& mc, const std::vector<std::vector<double>>& values) {
  const bool verdict = mc.direction != engine::Direction::no_verdict;
  const std::size_t n = values[0].size();
  for (std::size_t s = 1; s < values.size(); ++s) {
    std::vector<double> d(n);
    for (std::size_t r = 0; r < n; ++r) d[r] = values[s][r] - values[0][r];
    mc.difference[s] = mean_interval(d);
  }
  for (std::size_t r = 0; verdict && r < n; ++r) {
    std::size_t best = 0;
    bool tie = false;
    for (std::size_t s = 1; s < values.size(); ++s) {
      if (better(mc.direction, values[s][r], values[best][r])) {
        best = s;
        tie = false;
      } else if (values[s][r] == values[best][r]) {
        tie = true;
      }
    }
    if (tie) {
      mc.ties += 1.0 / n;
    } else {
      mc.wins[best] += 1.0 / n;
    }
  }
}

// Independent replicates: Welch's interval of each difference from the first, and the
// share of pairs of replicates in which each beats the first.
void unpaired_differences(MetricComparison& mc, const std::vector<std::vector<double>>& values) {
  const bool verdict = mc.direction != engine::Direction::no_verdict;
  for (std::size_t s = 1; s < values.size(); ++s) {
    mc.difference[s] = welch(values[s], values[0]);
    if (!verdict) continue;
    double win = 0, lose = 0, pairs = 0;
    for (double x : values[s]) {
      for (double y : values[0]) {
        win += better(mc.direction, x, y);
        lose += better(mc.direction, y, x);
        pairs += 1;
      }
    }
    mc.wins[s] = win / pairs;
    if (s == 1) {
      mc.wins[0] = lose / pairs;
      mc.ties = 1 - (win + lose) / pairs;
    }
  }
}

// One metric over the runs; `at[s]` is its place among run s's reporters.
MetricComparison compare_metric(const std::vector<ScenarioRun>& runs,
                                const engine::Reporter& reporter,
                                const std::vector<std::size_t>& at, bool paired) {
  MetricComparison mc;
  mc.metric = reporter.name;
  mc.direction = reporter.direction;
  mc.definition = reporter.definition;
  mc.headline = reporter.headline;
  std::vector<std::vector<double>> values;
  mc.exercised = false;
  mc.varies = false;
  for (std::size_t s = 0; s < runs.size(); ++s) {
    values.push_back(metric_values(runs[s].result, at[s]));
    // On a scale that keeps it within what the metric can be (a share in [0, 1]).
    mc.scenario.push_back(
        mean_interval(values.back(), value_range(reporter, runs[s].result.population)));
    for (double v : values.back()) {
      mc.exercised = mc.exercised || v != 0;
      mc.varies = mc.varies || v != values[0][0];
    }
  }
  const bool verdict = mc.direction != engine::Direction::no_verdict;
  mc.difference.resize(runs.size());
  mc.wins.assign(runs.size(), 0);
  if (paired) {
    paired_differences(mc, values);
  } else {
    unpaired_differences(mc, values);
  }
  mc.verdict.assign(runs.size(), 0);
  for (std::size_t s = 1; verdict && mc.varies && s < runs.size(); ++s) {
    const Interval& d = mc.difference[s];
    if (!significant(d)) continue;
    mc.verdict[s] = (d.mean > 0) == (mc.direction == engine::Direction::higher_is_better) ? 1 : -1;
  }
  return mc;
}

}  // namespace

Comparison compare(const std::vector<ScenarioRun>& runs) {
  Comparison c;
  for (const auto& r : runs) c.names.push_back(r.config.name);
  const auto& first = runs.front();
  c.scale = first.config.scale;
  for (const auto& r : runs) {
    // One graph key: the graph spec and seed; one stream key: seed and replicates.
    const bool same_graph = r.config.graph_seed == first.config.graph_seed &&
                            r.config.graph_key == first.config.graph_key;
    c.paired = c.paired && same_graph && r.config.seed == first.config.seed &&
               r.config.replicates == first.config.replicates;
  }
  for (const engine::Reporter& reporter : first.result.run_reporters) {
    std::vector<std::size_t> at;
    for (const auto& r : runs) {
      const std::size_t i = engine::index_of(r.result.run_reporters, reporter.name);
      if (i == r.result.run_reporters.size()) break;
      at.push_back(i);
    }
    if (at.size() != runs.size()) continue;
    c.metrics.push_back(compare_metric(runs, reporter, at, c.paired));
  }
  return c;
}

}  // namespace buzz::analysis
