#include "sim/analysis/uncertainty.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/engine/random.hpp"
#include "sim/engine/sampling.hpp"
#include "sim/report/csv.hpp"

namespace buzz::analysis {

std::vector<std::vector<double>> latin_hypercube(std::uint32_t n, std::size_t k,
                                                 std::uint64_t seed) {
  // A stream of its own ("uncert"), keyed by dimension and point.
  return engine::unit_design(n, k, engine::Random(seed, 0x756e636572740000ull), true);
}

std::optional<Hinge> best_hinge(const std::vector<std::vector<double>>& x,
                                const std::vector<bool>& holds) {
  const std::size_t n = x.size();
  if (n < 2 || holds.size() != n) return std::nullopt;
  const std::size_t total = std::count(holds.begin(), holds.end(), true);
  std::optional<Hinge> best;
  std::vector<std::size_t> order(n);
  for (std::size_t j = 0; j < x.front().size(); ++j) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return x[a][j] < x[b][j]; });
    std::size_t below_true = 0;
    for (std::size_t k = 1; k < n; ++k) {
      below_true += holds[order[k - 1]];
      if (x[order[k - 1]][j] == x[order[k]][j]) continue;  // no threshold between equals
      // "holds below": the first k should hold, the rest not; "holds above": the reverse.
      const std::size_t below_right = below_true + (n - k - (total - below_true));
      const std::size_t above_right = n - below_right;
      const bool below = below_right >= above_right;
      const double accuracy = double(std::max(below_right, above_right)) / double(n);
      if (!best || accuracy > best->accuracy) {
        best = Hinge{j, (x[order[k - 1]][j] + x[order[k]][j]) / 2, below, accuracy};
      }
    }
  }
  return best;
}

std::vector<double> first_order_indices(const std::vector<std::vector<double>>& x,
                                        const std::vector<double>& y, std::size_t bins) {
  const std::size_t n = y.size();
  if (n == 0) return {};
  const std::size_t k = x.front().size();
  std::vector<double> out(k, 0);
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / double(n);
  double total = 0;
  for (double v : y) total += (v - mean) * (v - mean);
  if (!(total > 0) || bins < 2) return out;
  std::vector<std::size_t> order(n);
  for (std::size_t j = 0; j < k; ++j) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return x[a][j] < x[b][j]; });
    double between = 0;
    for (std::size_t b = 0; b < bins; ++b) {
      const std::size_t from = b * n / bins, to = (b + 1) * n / bins;
      if (to == from) continue;
      double sum = 0;
      for (std::size_t i = from; i < to; ++i) sum += y[order[i]];
      const double bin_mean = sum / double(to - from);
      between += double(to - from) * (bin_mean - mean) * (bin_mean - mean);
    }
    out[j] = between / total;
  }
  return out;
}

namespace {

// A deterministic shuffle of `v` for round r.
template <typename T>
void shuffle(std::vector<T>& v, const engine::Random& random, std::uint32_t r) {
  engine::shuffle_front(v, v.size(), [&](std::size_t m, std::size_t i) {
    return random.below(m, r, i, engine::Purpose{0});
  });
}

double p95(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1,
                    static_cast<std::size_t>(std::ceil(0.95 * double(v.size()))) - 1)];
}

}  // namespace

double chance_hinge_accuracy(const std::vector<std::vector<double>>& x,
                             const std::vector<bool>& holds, std::uint64_t seed,
                             std::uint32_t rounds) {
  if (holds.size() < 2 || rounds == 0) return 1;
  const engine::Random random(seed, 0x6368616e63650000ull);  // "chance"
  std::vector<double> accuracy;
  std::vector<bool> shuffled = holds;
  for (std::uint32_t r = 0; r < rounds; ++r) {
    shuffle(shuffled, random, r);
    const auto hinge = best_hinge(x, shuffled);
    accuracy.push_back(hinge ? hinge->accuracy : 0);
  }
  return p95(accuracy);
}

namespace {

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && v[order[j]] == v[order[i]]) ++j;
    for (std::size_t k = i; k < j; ++k) r[order[k]] = double(i + j - 1) / 2;
    i = j;
  }
  return r;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = double(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0;
}

}  // namespace

std::vector<double> rank_correlations(const std::vector<std::vector<double>>& x,
                                      const std::vector<double>& y) {
  if (y.size() < 2) return std::vector<double>(x.empty() ? 0 : x.front().size(), 0);
  const auto ry = ranks(y);
  std::vector<double> out;
  for (std::size_t j = 0; j < x.front().size(); ++j) {
    std::vector<double> column;
    for (const auto& row : x) column.push_back(row[j]);
    out.push_back(correlation(ranks(column), ry));
  }
  return out;
}

double chance_rank_correlation(const std::vector<std::vector<double>>& x,
                               const std::vector<double>& y, std::uint64_t seed,
                               std::uint32_t rounds) {
  if (y.size() < 3 || rounds == 0) return 1;
  const engine::Random random(seed, 0x6368616e63650002ull);
  std::vector<double> largest;
  std::vector<double> shuffled = y;
  for (std::uint32_t r = 0; r < rounds; ++r) {
    shuffle(shuffled, random, r);
    double m = 0;
    for (double c : rank_correlations(x, shuffled)) m = std::max(m, std::abs(c));
    largest.push_back(m);
  }
  return p95(largest);
}

std::string short_name(const std::string& field) {
  const auto dot = field.rfind('.');
  return dot == std::string::npos ? field : field.substr(dot + 1);
}

namespace {

std::string percent(double share) { return fmt::format("{:.0f}%", 100 * share); }

std::string verdict(const UncertainComparison& u, const UncertainMetric& m, std::size_t i) {
  if (!m.exercised) return "not exercised";
  if (m.direction == engine::Direction::no_verdict) return "no verdict (shown for information)";
  const bool challenger = m.wins[i] >= m.losses[i];
  const std::string& winner = u.names[challenger ? i : 0];
  const std::string& loser = u.names[challenger ? 0 : i];
  const double share = std::max(m.wins[i], m.losses[i]);
  if (share == 0) return "a tie in every draw";
  const std::string head =
      fmt::format("{} beats {} in {} of plausible worlds", winner, loser, percent(share));
  if (share >= kRobustShare) return head;
  // Where the other one wins: is it one parameter's doing?
  std::vector<bool> loser_wins;
  for (double d : m.differences[i]) {
    const bool i_better = m.direction == engine::Direction::higher_is_better ? d > 0 : d < 0;
    const bool base_better = m.direction == engine::Direction::higher_is_better ? d < 0 : d > 0;
    loser_wins.push_back(challenger ? base_better : i_better);
  }
  const auto hinge = best_hinge(u.draws, loser_wins);
  if (hinge && hinge->accuracy >= kHingeAccuracy &&
      hinge->accuracy > chance_hinge_accuracy(u.draws, loser_wins, i)) {
    return fmt::format("{}; {} wins only when {} {} {:.3g} (that rule fits {} of draws)", head,
                       loser, short_name(u.priors[hinge->parameter].field),
                       hinge->below ? "<" : ">", hinge->threshold, percent(hinge->accuracy));
  }
  // The strongest monotone driver beyond chance: in which direction it favours the loser.
  if (const auto top = drivers(m, i, 1); !top.empty()) {
    const double c = m.rank_correlation[i][top[0]];
    const bool challenger_gains_as_it_rises =
        (c > 0) == (m.direction == engine::Direction::higher_is_better);
    // The loser gains where the challenger loses, and the reverse.
    const bool rises = challenger_gains_as_it_rises == !challenger;
    return fmt::format("{}; {} does better the {} {} is (rank correlation {:+.2f})", head, loser,
                       rises ? "higher" : "lower", short_name(u.priors[top[0]].field), c);
  }
  // Say how strong a driver would have had to be: with few draws for many parameters chance
  // alone reaches a high rank correlation, and more draws can separate a weaker driver.
  return fmt::format(
      "{}; no parameter explains it beyond chance at {} draws (chance alone reaches a rank "
      "correlation of {:.2f}; more draws can find a weaker driver; sensitivity.csv)",
      head, u.draws.size(), m.chance_rank[i]);
}

}  // namespace

UncertainComparison summarise(const std::vector<std::string>& names,
                              const std::vector<scenario::Prior>& priors,
                              const std::vector<std::vector<double>>& draws,
                              const std::vector<Comparison>& per_draw) {
  UncertainComparison u;
  u.names = names;
  u.priors = priors;
  u.draws = draws;
  const std::size_t n = per_draw.size(), s = names.size();
  const std::size_t bins = std::max<std::size_t>(2, std::size_t(std::sqrt(double(n))));
  u.noise_floor = n > 1 ? double(bins - 1) / double(n - 1) : 0;
  if (n == 0) return u;
  for (std::size_t m = 0; m < per_draw.front().metrics.size(); ++m) {
    const MetricComparison& first = per_draw.front().metrics[m];
    UncertainMetric um;
    um.metric = first.metric;
    um.direction = first.direction;
    um.exercised = false;
    um.differences.assign(s, {});
    um.mean.assign(s, 0);
    um.low.assign(s, 0);
    um.high.assign(s, 0);
    um.wins.assign(s, 0);
    um.losses.assign(s, 0);
    um.verdict.assign(s, "");
    um.first_order.assign(s, {});
    um.rank_correlation.assign(s, {});
    um.chance_rank.assign(s, 1);
    for (const Comparison& c : per_draw) um.exercised = um.exercised || c.metrics[m].exercised;
    for (std::size_t i = 1; i < s; ++i) {
      auto& d = um.differences[i];
      for (const Comparison& c : per_draw) d.push_back(c.metrics[m].difference[i].mean);
      um.mean[i] = std::accumulate(d.begin(), d.end(), 0.0) / double(n);
      um.low[i] = quantile(d, 0.05);
      um.high[i] = quantile(d, 0.95);
      for (double v : d) {
        const bool up = v > 0, down = v < 0;
        if (um.direction == engine::Direction::higher_is_better) {
          um.wins[i] += up, um.losses[i] += down;
        } else if (um.direction == engine::Direction::lower_is_better) {
          um.wins[i] += down, um.losses[i] += up;
        }
      }
      um.wins[i] /= double(n);
      um.losses[i] /= double(n);
      um.first_order[i] = first_order_indices(draws, d, bins);
      um.rank_correlation[i] = rank_correlations(draws, d);
      um.chance_rank[i] = chance_rank_correlation(draws, d, m * 1000 + i);
    }
    u.metrics.push_back(std::move(um));
  }
  for (auto& um : u.metrics) {
    for (std::size_t i = 1; i < s; ++i) um.verdict[i] = verdict(u, um, i);
  }
  return u;
}

std::vector<std::size_t> drivers(const UncertainMetric& m, std::size_t i, std::size_t count) {
  const auto& c = m.rank_correlation[i];
  std::vector<std::size_t> order(c.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](auto a, auto b) { return std::abs(c[a]) > std::abs(c[b]); });
  std::vector<std::size_t> out;
  for (std::size_t j : order) {
    if (out.size() == count || std::abs(c[j]) <= m.chance_rank[i]) break;
    out.push_back(j);
  }
  return out;
}

bool can_differ(const UncertainMetric& m, std::size_t i) {
  return std::any_of(m.differences[i].begin(), m.differences[i].end(),
                     [](double d) { return d != 0; });
}

void judge_under_uncertainty(Comparison& c, const UncertainComparison& u) {
  c.under_uncertainty = true;
  c.basis = fmt::format(
      "a side wins a metric when it is better in at least {:.0f}% of {} plausible parameter "
      "draws {}; each draw's difference the mean of its replicates on common random numbers, "
      "so the parameters' uncertainty and the run-to-run noise are weighed together",
      100 * kRobustShare, u.draws.size(), u.source);
  for (auto& m : c.metrics) {
    const auto it = std::find_if(u.metrics.begin(), u.metrics.end(),
                                 [&](const UncertainMetric& x) { return x.metric == m.metric; });
    if (it == u.metrics.end()) continue;
    for (std::size_t i = 1; i < it->differences.size(); ++i) {
      m.varies = m.varies || can_differ(*it, i);
    }
    m.exercised = m.exercised || it->exercised;
    for (std::size_t i = 1; i < m.verdict.size() && i < it->wins.size(); ++i) {
      m.verdict[i] = it->wins[i] >= kRobustShare ? 1 : it->losses[i] >= kRobustShare ? -1 : 0;
    }
  }
}

void add_sobol(UncertainComparison& u, std::uint32_t n, std::size_t draws,
               const DrawValue& difference, const DrawValue& noise) {
  const std::size_t k = u.priors.size();
  u.saltelli_n = n;
  u.design_draws = draws;
  for (std::size_t m = 0; m < u.metrics.size(); ++m) {
    auto& um = u.metrics[m];
    um.sobol.assign(u.names.size(), {});
    um.sobol_noise_floor.assign(u.names.size(), 0);
    for (std::size_t i = 1; i < u.names.size(); ++i) {
      std::vector<double> y(draws);
      double noise_sum = 0;
      for (std::size_t d = 0; d < draws; ++d) {
        y[d] = difference(d, m, i);
        noise_sum += noise(d, m, i);
      }
      um.sobol[i] = sobol_indices(y, n, k, m * 1000 + i);
      // The A and B rows' spread: the differences the summary already holds.
      const auto& ab = um.differences[i];
      const double mean = std::accumulate(ab.begin(), ab.end(), 0.0) / double(ab.size());
      double variance = 0;
      for (double v : ab) variance += (v - mean) * (v - mean) / double(ab.size());
      um.sobol_noise_floor[i] = variance > 0 ? noise_sum / double(draws) / variance : 0.0;
    }
  }
}

std::vector<std::size_t> total_effect_drivers(const UncertainMetric& m, std::size_t i,
                                              std::size_t count) {
  if (i >= m.sobol.size()) return {};
  const auto& s = m.sobol[i];
  std::vector<std::size_t> order(s.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) {
    return s[a].total_effect.value > s[b].total_effect.value;
  });
  std::vector<std::size_t> out;
  for (std::size_t j : order) {
    if (out.size() == count) break;
    const double floor = i < m.sobol_noise_floor.size() && !std::isnan(m.sobol_noise_floor[i])
                             ? m.sobol_noise_floor[i]
                             : 0.0;
    if (s[j].total_effect.low >= std::max(0.01, floor)) out.push_back(j);
  }
  return out;
}

}  // namespace buzz::analysis
