#include "sim/batch/calibrate.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>
#include <variant>

#include <xxhash.h>

#include "sim/analysis/stats.hpp"
#include "sim/batch/delivery_fit.hpp"
#include "sim/batch/output_dir.hpp"
#include "sim/common/csv_reader.hpp"
#include "sim/common/edit_distance.hpp"
#include "sim/common/input_error.hpp"
#include "sim/common/input_file.hpp"
#include "sim/dynamics/campaign.hpp"
#include "sim/dynamics/dynamics.hpp"
#include "sim/engine/random.hpp"
#include "sim/report/html.hpp"
#include "sim/report/svg.hpp"

namespace buzz::batch {

using namespace analysis;
using namespace report;

namespace fs = std::filesystem;
using scenario::CalibrationPlan;
using scenario::MatchSpec;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Streams of the calibration's own draws: the posterior draws the report simulates.
constexpr std::uint64_t kPredictiveStream = 0x70726564696374ull;

std::vector<abc::Parameter> abc_parameters(const CalibrationPlan& plan) {
  std::vector<abc::Parameter> out;
  for (const auto& f : plan.free)
    out.push_back({f.prior.field, f.prior.low, f.prior.high, f.prior.log});
  return out;
}

std::string short_field(const std::string& field) { return field.substr(field.rfind('.') + 1); }

}  // namespace

std::vector<MatchSource> match_sources(const CalibrationPlan& plan,
                                       const engine::Reporters& tick_reporters) {
  const auto& post_columns = dynamics::Campaign::post_columns();
  const auto tick_names = engine::names(tick_reporters);
  std::vector<MatchSource> out;
  for (std::size_t k = 0; k < plan.matches.size(); ++k) {
    const auto& m = plan.matches[k];
    const auto& values = dynamics::Campaign::post_value_columns();
    const auto p = std::find(post_columns.begin(), post_columns.end(), m.simulated);
    if (plan.observed.per_post &&
        std::find(values.begin(), values.end(), m.simulated) != values.end()) {
      const auto& counts = dynamics::Campaign::post_count_columns();
      const auto& direct = dynamics::Campaign::post_direct_columns();
      out.push_back({true, std::size_t(p - post_columns.begin()),
                     std::find(counts.begin(), counts.end(), m.simulated) != counts.end(),
                     std::find(direct.begin(), direct.end(), m.simulated) != direct.end()});
      continue;
    }
    const auto t = std::find(tick_names.begin(), tick_names.end(), m.simulated);
    if (t != tick_names.end()) {
      out.push_back(
          {false, std::size_t(t - tick_names.begin()), false, false, m.simulated == "followers"});
      continue;
    }
    std::vector<std::string> known;
    if (plan.observed.per_post) known = dynamics::Campaign::post_value_columns();
    for (const auto& n : tick_names) {
      if (std::find(known.begin(), known.end(), n) == known.end()) known.push_back(n);
    }
    // The nearest name, when a slip of a letter or two would explain the miss.
    const auto nearest =
        std::min_element(known.begin(), known.end(), [&](const auto& x, const auto& y) {
          return edit_distance(x, m.simulated) < edit_distance(y, m.simulated);
        });
    const std::string hint = edit_distance(*nearest, m.simulated) <= 2
                                 ? fmt::format(" (did you mean \"{}\"?)", *nearest)
                                 : "";
    throw InputError(fmt::format(
        "{}: calibrate.match[{}].simulated must be a column the campaign reports{} ({}), got "
        "\"{}\"{}",
        m.place, k, plan.observed.per_post ? " per post or per day" : " per day",
        fmt::join(known, ", "), m.simulated, hint));
  }
  return out;
}

void record_only_what_matches_read(const std::vector<MatchSource>& sources,
                                   scenario::Config& config) {
  auto* campaign = std::get_if<dynamics::CampaignParams>(&config.dynamics);
  if (campaign == nullptr) return;
  campaign->followers_only = std::all_of(sources.begin(), sources.end(), [](const MatchSource& s) {
    return s.post_table || s.followers;
  });
}

namespace {

// What simulated_rows reads of a run, finished or in progress: the first brand's rows of
// its posts table (first_brand_posts), its records, and the tick it has reached (rows of
// days after it are not yet known).
struct RunSoFar {
  const std::vector<const double*>& posts;
  const std::vector<std::uint32_t>& ticks;
  const std::vector<double>& values;
  std::size_t columns;
  std::uint32_t reached = std::numeric_limits<std::uint32_t>::max();
};

// The first brand's rows of the posts table, in order.
std::vector<const double*> first_brand_posts(const std::vector<engine::Table>& tables) {
  std::vector<const double*> posts;
  for (const auto& t : tables) {
    if (t.name != "posts") continue;
    const std::size_t w = t.columns.size();
    for (std::size_t r = 0; r * w < t.values.size(); ++r) {
      if (t.values[r * w] == 0) posts.push_back(&t.values[r * w]);
    }
  }
  return posts;
}

std::vector<std::vector<double>> rows_of(const CalibrationPlan& plan,
                                         const std::vector<MatchSource>& sources,
                                         const RunSoFar& run, std::size_t rows) {
  const auto& posts = run.posts;
  const double ticks_per_day = 24.0 / plan.base.tick_hours;
  std::vector<std::vector<double>> out(sources.size(), std::vector<double>(rows, kNaN));
  for (std::size_t m = 0; m < sources.size(); ++m) {
    for (std::size_t i = 0; i < rows; ++i) {
      if (sources[m].post_table) {
        if (i < posts.size()) out[m][i] = posts[i][sources[m].column];
        continue;
      }
      // The end of the row's day: the last record at or before it, if the run got there.
      const auto end = std::uint32_t(std::ceil(double(plan.observed.day[i] + 1) * ticks_per_day));
      if (end > run.reached) continue;
      const auto it = std::upper_bound(run.ticks.begin(), run.ticks.end(), end);
      if (it == run.ticks.begin()) continue;
      const std::size_t r = std::size_t(it - run.ticks.begin()) - 1;
      if (double(run.ticks[r]) + ticks_per_day <= double(end)) continue;  // ended days before
      out[m][i] = run.values[r * run.columns + sources[m].column];
    }
  }
  return out;
}

}  // namespace

std::vector<std::vector<double>> simulated_rows(const CalibrationPlan& plan,
                                                const std::vector<MatchSource>& sources,
                                                const RunResult& result, std::size_t rows) {
  const auto& rep = result.replicates.at(0);
  return rows_of(
      plan, sources,
      {first_brand_posts(rep.tables), rep.ticks, rep.values, result.tick_reporters.size()}, rows);
}

namespace {

// A month's statistic over its rows (in row order), as a match reads it.
double month_statistic(MatchSpec::Statistic statistic, const std::vector<double>& rows) {
  switch (statistic) {
    case MatchSpec::Statistic::median:
      return quantile(rows, 0.5);
    case MatchSpec::Statistic::mean:
      return std::accumulate(rows.begin(), rows.end(), 0.0) / double(rows.size());
    case MatchSpec::Statistic::last:
      break;
  }
  return rows.back();
}

// Each month's sampling noise from its observed statistic and its resamples
// (resampled_months()): see sampling_noise().
std::vector<double> noise_of(const std::vector<double>& observed,
                             const std::vector<std::vector<double>>& resampled) {
  std::vector<double> out(observed.size(), 0.0);
  for (std::size_t k = 0; k < out.size(); ++k) {
    if (observed[k] == 0) continue;
    for (const auto& r : resampled) out[k] += std::abs(r[k] / observed[k] - 1);
    out[k] /= double(resampled.size());
  }
  return out;
}

}  // namespace

std::vector<double> monthly(const CalibrationPlan& plan, std::size_t match,
                            const std::vector<double>& series, std::size_t rows,
                            std::vector<int>* months) {
  const auto& spec = plan.matches[match];
  const auto& observed = plan.observed.values[spec.column];
  std::vector<double> out, group;
  std::size_t last = 0;  // a row of the group
  const auto close = [&] {
    if (group.empty()) return;
    if (months) months->push_back(plan.observed.month[last]);
    out.push_back(month_statistic(spec.statistic, group));
    group.clear();
  };
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0 && plan.observed.month[i] != plan.observed.month[i - 1]) close();
    if (!std::isnan(observed[i])) group.push_back(series[i]), last = i;
  }
  close();
  return out;
}

std::vector<std::vector<double>> resampled_months(const CalibrationPlan& plan, std::size_t match,
                                                  int resamples) {
  const auto& spec = plan.matches[match];
  const auto& observed = plan.observed.values[spec.column];
  // Each month's observed rows, by month (rows come in date order); as monthly(), a month
  // without an observed row has no statistic.
  std::vector<std::pair<int, std::vector<double>>> months;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    if (std::isnan(observed[i])) continue;
    if (months.empty() || months.back().first != plan.observed.month[i]) {
      months.emplace_back(plan.observed.month[i], std::vector<double>{});
    }
    months.back().second.push_back(observed[i]);
  }
  std::vector<std::vector<double>> out(resamples, std::vector<double>(months.size()));
  std::vector<double> resample;
  for (std::size_t k = 0; k < months.size(); ++k) {
    const auto& [key, rows] = months[k];
    for (int b = 0; b < resamples; ++b) {
      if (spec.statistic == MatchSpec::Statistic::last) {  // a level is no sample
        out[b][k] = rows.back();
        continue;
      }
      // Keyed by the resample and the month (mt19937_64's output is fixed by the standard).
      std::mt19937_64 stream(0x5eedULL ^ (std::uint64_t(b) << 24) ^ std::uint64_t(key));
      resample.clear();
      for (std::size_t i = 0; i < rows.size(); ++i)
        resample.push_back(rows[stream() % rows.size()]);
      out[b][k] = month_statistic(spec.statistic, resample);
    }
  }
  return out;
}

std::vector<double> sampling_noise(const CalibrationPlan& plan, std::size_t match) {
  return noise_of(monthly(plan, match, plan.observed.values[plan.matches[match].column],
                          plan.observed.day.size()),
                  resampled_months(plan, match, kResamples));
}

double resamples_model_beats_carry_forward(const std::vector<std::vector<double>>& resampled,
                                           const std::vector<MonthlyForecast>& forecasts,
                                           const std::vector<double>& carried, bool level) {
  std::size_t wins = 0;
  for (const auto& months : resampled) {
    double model = 0, baseline = 0;
    for (std::size_t o = 0; o < forecasts.size(); ++o) {
      const auto& f = forecasts[o];
      double m = 0, b = 0;
      std::size_t n = 0;
      // The last fitted month is a sample too, when it is the month carried forward.
      const std::size_t last = f.fitted_months - 1;
      const double from =
          f.fitted_months > 0 && last < months.size() && f.observed[last] == carried[o] && !level
              ? months[last]
              : carried[o];
      for (std::size_t k = f.fitted_months; k < f.observed.size() && k < months.size(); ++k) {
        const double seen = months[k];
        if (!(seen > 0)) continue;
        m += std::abs(f.median[k] - seen) / seen;
        b += std::abs(from - seen) / seen;
        ++n;
      }
      if (n > 0) model += m / double(n), baseline += b / double(n);
    }
    wins += model < baseline;
  }
  return resampled.empty() ? kNaN : double(wins) / double(resampled.size());
}

namespace {

// Fitted month k's weight of `months` for a match of weight `w`: halved every
// recency_halflife_months before the last fitted month.
double month_weight(const CalibrationPlan& plan, double w, std::size_t k, std::size_t months) {
  if (!(plan.recency_halflife_months > 0)) return w;
  return w * std::exp2(-double(months - 1 - k) / plan.recency_halflife_months);
}

}  // namespace

double distance(const CalibrationPlan& plan, const std::vector<std::vector<double>>& simulated) {
  const std::size_t rows = plan.observed.fitted_rows;
  double sum = 0, weight = 0;
  for (std::size_t m = 0; m < plan.matches.size(); ++m) {
    const auto obs = monthly(plan, m, plan.observed.values[plan.matches[m].column], rows);
    const auto sim = monthly(plan, m, simulated[m], rows);
    for (std::size_t k = 0; k < obs.size(); ++k) {
      const double e = std::log((sim[k] + 1) / (obs[k] + 1));
      const double w = month_weight(plan, plan.matches[m].weight, k, obs.size());
      sum += w * e * e;  // NaN when the run missed the month
      weight += w;
    }
  }
  return std::sqrt(sum / weight);
}

double distance_so_far(const CalibrationPlan& plan, const std::vector<MatchSource>& sources,
                       const engine::Model& model, const engine::Recorder& recorder,
                       std::uint32_t tick, std::uint32_t post_lifetime) {
  const std::size_t rows = plan.observed.fitted_rows;
  const auto tables = model.tables_so_far();
  const auto posts = first_brand_posts(tables);
  const auto simulated = rows_of(
      plan, sources,
      {posts, recorder.ticks(), recorder.values(), model.tick_reporters().size(), tick}, rows);
  // Rows [0, settled): posts out of feeds, whose direct counts are final. A post read at
  // tick t was out at most post_lifetime - 1 ticks before (gather_feed's window).
  static const std::size_t tick_column = [] {
    const auto& columns = dynamics::Campaign::post_columns();
    return std::size_t(std::find(columns.begin(), columns.end(), "tick") - columns.begin());
  }();
  std::size_t settled = 0;
  while (settled < std::min(rows, posts.size()) &&
         posts[settled][tick_column] + post_lifetime <= tick) {
    ++settled;
  }
  const auto whole_months = [&](std::size_t known) {  // back to the start of a month cut
    while (known > 0 && known < rows &&
           plan.observed.month[known - 1] == plan.observed.month[known]) {
      --known;
    }
    return known;
  };
  double sum = 0, weight = 0;
  for (std::size_t m = 0; m < plan.matches.size(); ++m) {
    const auto& observed = plan.observed.values[plan.matches[m].column];
    const std::size_t months = monthly(plan, m, observed, rows).size();
    for (std::size_t k = 0; k < months; ++k) {
      weight += month_weight(plan, plan.matches[m].weight, k, months);
    }
    auto series = simulated[m];
    std::size_t known = rows;  // rows [0, known) are final
    std::size_t final_months = 0;
    if (sources[m].grows) {
      // A count not yet made is 0 so far; a month's median or mean can only rise, so a
      // month already above the data ends at least as far above it. A month of posts all
      // out of feeds is final, below the data or above, if the count settles.
      for (double& v : series) v = std::isnan(v) ? 0 : v;
      if (sources[m].settles)
        final_months = monthly(plan, m, observed, whole_months(settled)).size();
    } else {
      known = whole_months(std::size_t(
          std::find_if(series.begin(), series.end(), [](double v) { return std::isnan(v); }) -
          series.begin()));
    }
    const auto obs = monthly(plan, m, observed, known);
    const auto sim = monthly(plan, m, series, known);
    for (std::size_t k = 0; k < obs.size(); ++k) {
      if (sources[m].grows && k >= final_months && !(sim[k] > obs[k])) continue;
      const double e = std::log((sim[k] + 1) / (obs[k] + 1));
      sum += month_weight(plan, plan.matches[m].weight, k, months) * e * e;
    }
  }
  return std::sqrt(sum / weight);
}

RowBands row_bands(const std::vector<std::vector<double>>& sims,
                   const std::vector<double>& observed, std::size_t fitted_rows) {
  const std::size_t rows = sims.size();
  RowBands b;
  b.low.resize(rows), b.median.resize(rows), b.high.resize(rows);
  bool logs = true;  // log(1 + x) needs x > -1; a signed series keeps the runs' band
  for (std::size_t i = 0; i < rows; ++i) {
    b.median[i] = quantile(sims[i], 0.5);
    b.low[i] = quantile(sims[i], 0.05), b.high[i] = quantile(sims[i], 0.95);
    logs = logs && !(observed[i] < 0) &&
           std::none_of(sims[i].begin(), sims[i].end(), [](double x) { return x < 0; });
  }
  if (!logs) return b;
  // The fitted rows' log residuals against the runs' median, and the runs' own spread in
  // the same units (a normal's 5th to 95th percentile is 3.29 sd wide).
  std::vector<double> residual, own;
  for (std::size_t i = 0; i < std::min(fitted_rows, rows); ++i) {
    if (std::isnan(observed[i]) || !(observed[i] > 0) || std::isnan(b.median[i])) continue;
    residual.push_back(std::log1p(observed[i]) - std::log1p(b.median[i]));
    const double s = (std::log1p(b.high[i]) - std::log1p(b.low[i])) / 3.29;
    own.push_back(s * s);
  }
  if (residual.size() < 2) return b;
  const double centre = quantile(residual, 0.5);
  std::vector<double> deviation;
  for (const double r : residual) deviation.push_back(std::abs(r - centre));
  const double robust_sd = 1.4826 * quantile(deviation, 0.5);
  const double own_variance = std::accumulate(own.begin(), own.end(), 0.0) / double(own.size());
  b.residual_sd = std::sqrt(std::max(0.0, robust_sd * robust_sd - own_variance));
  if (!(b.residual_sd > 0)) return b;
  for (std::size_t i = 0; i < rows; ++i) {
    if (std::isnan(b.median[i])) continue;
    std::vector<double> log_sims;
    for (const double x : sims[i]) log_sims.push_back(std::log1p(x));
    b.low[i] = std::max(0.0, std::expm1(blurred_quantile(log_sims, b.residual_sd, 0.05)));
    b.high[i] = std::expm1(blurred_quantile(std::move(log_sims), b.residual_sd, 0.95));
  }
  return b;
}

namespace {

struct ParameterSummary {
  double median = 0, low = 0, high = 0;  // posterior median and 90% credible interval
  double narrowing = 0;  // 1 - posterior 90% width / prior 90% width, in the prior's scale
};

std::vector<ParameterSummary> summarise_posterior(const std::vector<abc::Parameter>& params,
                                                  const abc::Generation& g) {
  std::vector<double> weights;
  for (const auto& p : g.particles) weights.push_back(p.weight);
  std::vector<ParameterSummary> out;
  for (std::size_t j = 0; j < params.size(); ++j) {
    std::vector<double> v;
    for (const auto& p : g.particles) v.push_back(p.values[j]);
    ParameterSummary s;
    s.median = abc::weighted_quantile(v, weights, 0.5);
    s.low = abc::weighted_quantile(v, weights, 0.05);
    s.high = abc::weighted_quantile(v, weights, 0.95);
    const auto scale = [&](double x) { return params[j].log ? std::log(x) : x; };
    const double prior_width = 0.9 * (scale(params[j].high) - scale(params[j].low));
    s.narrowing = 1 - (scale(s.high) - scale(s.low)) / prior_width;
    out.push_back(s);
  }
  return out;
}

std::string posterior_table(const std::vector<abc::Parameter>& params,
                            const std::vector<ParameterSummary>& s) {
  std::string out = fmt::format("{:<28} {:>22} {:>11} {:>24} {:>9}\n", "parameter", "prior",
                                "median", "90% credible interval", "narrowed");
  for (std::size_t j = 0; j < params.size(); ++j) {
    out += fmt::format("{:<28} {:>22} {:>11.4g} {:>24} {:>8.0f}%\n", short_field(params[j].name),
                       fmt::format("[{:.3g}, {:.3g}]{}", params[j].low, params[j].high,
                                   params[j].log ? " log" : ""),
                       s[j].median, fmt::format("[{:.4g}, {:.4g}]", s[j].low, s[j].high),
                       100 * s[j].narrowing);
  }
  return out;
}

// The posterior and the fit in plain words, a sentence each: what each parameter is and
// what the data said of it, how the fit compares with carrying the last month forward,
// and what that means for a what-if.
std::vector<std::string> in_words(const std::vector<abc::Parameter>& params,
                                  const std::vector<ParameterSummary>& s,
                                  const std::vector<PredictionError>& errors) {
  std::vector<std::string> out;
  for (std::size_t j = 0; j < params.size(); ++j) {
    const std::string meaning = scenario::field_meaning(params[j].name);
    const double n = std::max(0.0, s[j].narrowing);  // a wider posterior is "not narrowed"
    out.push_back(fmt::format(
        "{}{}: about {:.3g} ({:.3g} to {:.3g}); {}.", short_field(params[j].name),
        meaning.empty() ? "" : ", " + meaning, s[j].median, s[j].low, s[j].high,
        n < 0.2   ? fmt::format("the data say little about it (narrowed {:.0f}%): a what-if that "
                                  "turns on it stays uncertain",
                                100 * n)
        : n < 0.5 ? fmt::format("the data narrowed it by {:.0f}%", 100 * n)
                  : fmt::format("the data pin it down (narrowed {:.0f}%)", 100 * n)));
  }
  bool held_out = false;
  for (const auto& e : errors) {
    if (e.scope == "fitted rows" || std::isnan(e.baseline)) continue;
    held_out = true;
    // Both are scored against the same months, whose statistics are samples: a verdict
    // that resamples of their rows reverse often is not one the months can give.
    const bool undecided = e.model_better > 0.05 && e.model_better < 0.95;
    out.push_back(fmt::format(
        "The model's forecast of {} on the {}: off by {:.0f}% against {:.0f}% for carrying the "
        "last month forward: {}{}.",
        e.match, e.scope, 100 * e.model, 100 * e.baseline,
        e.model < e.baseline ? "better than that naive forecast"
                             : "no better than that naive forecast",
        undecided ? fmt::format(", but the months cannot tell the two apart: with their rows "
                                "resampled the model is better in {:.0f}% of resamples (their "
                                "sampling noise alone is {:.0f}%)",
                                100 * e.model_better, 100 * e.noise)
                  : ""));
  }
  if (!held_out) {
    out.push_back(
        "No rows were held out (the fit used them all), so nothing here says how well the "
        "model forecasts: `buzzsim backtest` fits the first months and scores the next ones "
        "against carrying the last month forward.");
  }
  out.push_back(
      "For a what-if: `buzzsim compare A B --posterior posterior.csv` runs both scenarios on "
      "draws of these particles, so its verdicts carry the uncertainty left above.");
  return out;
}

std::string generations_csv(const std::vector<abc::Generation>& gens) {
  std::string out = "generation,tolerance,proposals,accepted,acceptance,effective_size,seconds\n";
  for (const auto& g : gens) {
    out += fmt::format("{},{:.6g},{},{},{:.4f},{:.1f},{:.1f}\n", g.index, g.tolerance, g.proposals,
                       g.particles.size(), g.acceptance(), g.effective_size(), g.seconds);
  }
  return out;
}

}  // namespace

void anchor_levels(const CalibrationPlan& plan, Predictions& predictions) {
  const auto& o = plan.observed;
  for (std::size_t m = 0; m < plan.matches.size(); ++m) {
    if (plan.matches[m].statistic != MatchSpec::Statistic::last) continue;
    const auto& obs = o.values[plan.matches[m].column];
    std::size_t origin = o.fitted_rows;  // the last fitted row with a value
    for (std::size_t i = 0; i < o.fitted_rows; ++i) {
      if (!std::isnan(obs[i])) origin = i;
    }
    if (origin == o.fitted_rows) continue;
    for (auto& run : predictions) {
      auto& sims = run[m];
      if (std::isnan(sims[origin])) continue;
      const double shift = obs[origin] - sims[origin];
      for (std::size_t i = o.fitted_rows; i < sims.size(); ++i) sims[i] += shift;
    }
  }
}

namespace {

// Each match's row bands over the predictions.
std::vector<RowBands> match_bands(const CalibrationPlan& plan, const Predictions& p) {
  const auto& o = plan.observed;
  std::vector<RowBands> out;
  for (std::size_t m = 0; m < plan.matches.size(); ++m) {
    std::vector<std::vector<double>> sims(o.day.size());
    for (std::size_t i = 0; i < sims.size(); ++i) {
      for (const auto& run : p) sims[i].push_back(run[m][i]);
    }
    out.push_back(row_bands(sims, o.values[plan.matches[m].column], o.fitted_rows));
  }
  return out;
}

// The regression baseline's forecast of every row of a match: log(observed + 1), fitted
// on the fitted rows by least squares on a time trend and, for per-post rows, the post's
// format, category, paid flag, hour block (00-07, 08-15, 16-23) and log posts that day
// (docs/forecasting.md).
std::vector<double> regression_forecast(const CalibrationPlan& plan,
                                        const std::vector<double>& obs) {
  const auto& o = plan.observed;
  const std::size_t rows = o.day.size();
  const auto& campaign = std::get<dynamics::CampaignParams>(plan.base.dynamics);
  const auto& calendar = campaign.brands.front().calendar;
  const bool per_post = o.per_post && calendar.size() == rows;
  auto posts_on_day = posts_per_day(o);
  std::vector<std::vector<double>> x(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    x[i] = {1.0, double(o.day[i]) / 30};
    if (!per_post) continue;
    // Delivery's terms with the paid flag after the categories (the baseline's columns).
    const auto t = delivery_terms(calendar[i], campaign.tick_hours);
    for (const bool f : {t[0], t[1], t[2], t[3], t[4], calendar[i].content.paid, t[5], t[6]}) {
      x[i].push_back(f ? 1.0 : 0.0);
    }
    x[i].push_back(std::log(double(posts_on_day[o.day[i]])));
  }
  std::vector<std::vector<double>> fx;
  std::vector<double> fy;
  for (std::size_t i = 0; i < o.fitted_rows; ++i) {
    if (std::isnan(obs[i]) || obs[i] < 0) continue;
    fx.push_back(x[i]);
    fy.push_back(std::log(obs[i] + 1));
  }
  std::vector<double> out(rows, kNaN);
  if (fx.size() < x[0].size() + 2) return out;  // too few rows to fit
  const auto b = analysis::least_squares(fx, fy).coef;
  for (std::size_t i = 0; i < rows; ++i) {
    double z = 0;
    for (std::size_t j = 0; j < b.size(); ++j) z += b[j] * x[i][j];
    out[i] = std::max(0.0, std::exp(z) - 1);
  }
  return out;
}

// Each match's monthly statistic as observed and over the posterior's runs.
std::vector<MonthlyForecast> monthly_forecasts(const CalibrationPlan& plan, const Predictions& p) {
  const auto& o = plan.observed;
  const std::size_t rows = o.day.size();
  std::vector<MonthlyForecast> out;
  for (std::size_t m = 0; m < plan.matches.size(); ++m) {
    const auto& obs = o.values[plan.matches[m].column];
    MonthlyForecast f;
    f.observed = monthly(plan, m, obs, rows, &f.month);
    f.fitted_months = monthly(plan, m, obs, o.fitted_rows).size();
    std::vector<std::vector<double>> per_run;
    for (const auto& run : p) per_run.push_back(monthly(plan, m, run[m], rows));
    for (std::size_t k = 0; k < f.observed.size(); ++k) {
      std::vector<double> sims;
      for (const auto& r : per_run) sims.push_back(r[k]);
      f.low.push_back(quantile(sims, 0.05));
      f.median.push_back(quantile(sims, 0.5));
      f.high.push_back(quantile(sims, 0.95));
    }
    out.push_back(std::move(f));
  }
  return out;
}

// `months` are monthly_forecasts() of the same predictions.
std::vector<PredictionError> prediction_errors(const CalibrationPlan& plan,
                                               const std::vector<RowBands>& bands,
                                               const std::vector<MonthlyForecast>& months) {
  const auto& o = plan.observed;
  const std::size_t rows = o.day.size(), fitted = o.fitted_rows;
  std::vector<PredictionError> out;
  for (std::size_t m = 0; m < plan.matches.size(); ++m) {
    const auto& obs = o.values[plan.matches[m].column];
    const std::string name = plan.matches[m].observed + " ~ " + plan.matches[m].simulated;
    // The naive baseline: the last fitted value of a level, the last fitted month's
    // statistic of a per-post series, carried forward.
    const auto fitted_months = monthly(plan, m, obs, fitted);
    double carried = fitted_months.empty() ? kNaN : fitted_months.back();
    if (plan.matches[m].statistic == MatchSpec::Statistic::last) {
      for (std::size_t i = 0; i < fitted; ++i) {
        if (!std::isnan(obs[i])) carried = obs[i];
      }
    }
    const auto fitted_line = regression_forecast(plan, obs);
    for (const bool held_out : {false, true}) {
      PredictionError e{m, name, held_out ? "held-out rows" : "fitted rows"};
      e.residual_sd = bands[m].residual_sd;
      std::vector<double> model, baseline, regression, width;
      std::size_t covered = 0;
      for (std::size_t i = held_out ? fitted : 0; i < (held_out ? rows : fitted); ++i) {
        if (std::isnan(obs[i]) || !(obs[i] > 0)) continue;
        const double mid = bands[m].median[i];
        model.push_back(std::abs(mid - obs[i]) / obs[i]);
        baseline.push_back(std::abs(carried - obs[i]) / obs[i]);
        if (!std::isnan(fitted_line[i]))
          regression.push_back(std::abs(fitted_line[i] - obs[i]) / obs[i]);
        const double low = bands[m].low[i], high = bands[m].high[i];
        covered += obs[i] >= low && obs[i] <= high;
        if (mid > 0) width.push_back((high - low) / mid);
      }
      if (model.empty()) continue;
      e.count = model.size();
      e.model = quantile(model, 0.5);
      e.baseline = held_out ? quantile(baseline, 0.5) : kNaN;
      e.regression = held_out && !regression.empty() ? quantile(regression, 0.5) : kNaN;
      e.coverage = double(covered) / double(model.size());
      if (!width.empty()) e.width = quantile(width, 0.5);
      out.push_back(e);
    }
    // The held-out months' statistics (a month the fit reaches into counts as fitted).
    const auto& f = months[m];
    if (f.observed.size() > f.fitted_months) {
      PredictionError e{m, name, "held-out months"};
      const auto regression_months = monthly(plan, m, fitted_line, rows);
      // One set of resamples for the noise and the verdict.
      const auto resampled = resampled_months(plan, m, kResamples);
      const auto noise = noise_of(f.observed, resampled);
      std::vector<double> model, baseline, regression, floor;
      for (std::size_t k = f.fitted_months; k < f.observed.size(); ++k) {
        const double seen = f.observed[k];
        if (!(seen > 0)) continue;
        floor.push_back(noise[k]);
        model.push_back(std::abs(f.median[k] - seen) / seen);
        baseline.push_back(std::abs(carried - seen) / seen);
        if (k < regression_months.size() && !std::isnan(regression_months[k])) {
          regression.push_back(std::abs(regression_months[k] - seen) / seen);
        }
      }
      if (!model.empty()) {
        double a = 0, b = 0, c = 0;
        for (std::size_t k = 0; k < model.size(); ++k) a += model[k], b += baseline[k];
        for (double r : regression) c += r;
        e.count = model.size();
        e.model = a / double(model.size());
        e.baseline = b / double(model.size());
        if (regression.size() == model.size()) e.regression = c / double(model.size());
        e.noise = std::accumulate(floor.begin(), floor.end(), 0.0) / double(floor.size());
        e.model_better = resamples_model_beats_carry_forward(
            resampled, {f}, {carried}, plan.matches[m].statistic == MatchSpec::Statistic::last);
        out.push_back(e);
      }
    }
  }
  return out;
}

std::string prediction_csv(const std::vector<PredictionError>& errors) {
  std::string out =
      "match,scope,count,model_error,baseline_error,regression_error,coverage_90,band_width,"
      "residual_sd,sampling_noise,model_better_share\n";
  for (const auto& e : errors) {
    out += fmt::format("{},{},{},{:.4f},{:.4f},{:.4f},{:.3f},{:.3f},{:.3f},{:.4f},{:.3f}\n",
                       e.match, e.scope, e.count, e.model, e.baseline, e.regression, e.coverage,
                       e.width, e.residual_sd, e.noise, e.model_better);
  }
  return out;
}

std::string prediction_table(const std::vector<PredictionError>& errors) {
  std::string out =
      fmt::format("{:<34} {:<16} {:>6} {:>8} {:>9} {:>10} {:>9} {:>6}\n", "observed ~ simulated",
                  "rows", "count", "model", "baseline", "regression", "in band", "noise");
  const auto percent = [](double x) {
    return std::isnan(x) ? "" : fmt::format("{:.1f}%", 100 * x);
  };
  for (const auto& e : errors) {
    out += fmt::format("{:<34} {:<16} {:>6} {:>7.1f}% {:>9} {:>10} {:>9} {:>6}\n", e.match, e.scope,
                       e.count, 100 * e.model, percent(e.baseline), percent(e.regression),
                       std::isnan(e.coverage) ? "" : fmt::format("{:.0f}%", 100 * e.coverage),
                       percent(e.noise));
  }
  out +=
      "(noise: on held-out months, how far a forecast of each month's true statistic would be "
      "off from the month's rows alone, resampled)\n";
  return out;
}

std::string predictive_csv(const CalibrationPlan& plan, const std::vector<RowBands>& bands) {
  const auto& o = plan.observed;
  std::string out = "match,row,line,day,fitted,observed,low,median,high\n";
  for (std::size_t m = 0; m < plan.matches.size(); ++m) {
    const auto& b = bands[m];
    for (std::size_t i = 0; i < o.day.size(); ++i) {
      out += fmt::format("{},{},{},{},{},{:.6g},{:.6g},{:.6g},{:.6g}\n", plan.matches[m].observed,
                         i, o.line[i], o.day[i], i < o.fitted_rows ? 1 : 0,
                         o.values[plan.matches[m].column][i], b.low[i], b.median[i], b.high[i]);
    }
  }
  return out;
}

// "fan_reach 0.53, reach 0.62": each match's residual sd.
std::string residual_list(const CalibrationPlan& plan, const std::vector<RowBands>& bands) {
  std::string out;
  for (std::size_t m = 0; m < bands.size(); ++m) {
    out +=
        fmt::format("{}{} {:.2f}", m ? ", " : "", plan.matches[m].observed, bands[m].residual_sd);
  }
  return out;
}

// A match's observed rows over the posterior's 90% band and median, the fit's end marked.
std::string band_chart(const CalibrationPlan& plan, const RowBands& b, std::size_t m) {
  const auto& o = plan.observed;
  const auto& obs = o.values[plan.matches[m].column];
  const auto &lo = b.low, &mid = b.median, &hi = b.high;
  double top = 0;
  for (std::size_t i = 0; i < o.day.size(); ++i) {
    for (const double v : {hi[i], obs[i]}) {
      if (!std::isnan(v)) top = std::max(top, v);
    }
  }
  const svg::Frame f{0, double(o.day.back() + 1), 0, top > 0 ? top * 1.05 : 1};
  std::string body = f.axes(plan.matches[m].observed + " (observed) and 90% band", "day");
  std::string upper, lower, line;
  for (std::size_t i = 0; i < o.day.size(); ++i) {
    if (std::isnan(lo[i])) continue;
    upper += fmt::format("{:.1f},{:.1f} ", f.x(double(o.day[i])), f.y(hi[i]));
    lower.insert(0, fmt::format("{:.1f},{:.1f} ", f.x(double(o.day[i])), f.y(lo[i])));
    line += fmt::format("{:.1f},{:.1f} ", f.x(double(o.day[i])), f.y(mid[i]));
  }
  body += fmt::format("<polygon points='{}{}' fill='{}' fill-opacity='0.25' stroke='none'/>", upper,
                      lower, svg::colour(0));
  body += fmt::format("<polyline points='{}' fill='none' stroke='{}' stroke-width='1.2'/>", line,
                      svg::colour(0));
  for (std::size_t i = 0; i < o.day.size(); ++i) {
    if (std::isnan(obs[i])) continue;
    body += fmt::format("<circle cx='{:.1f}' cy='{:.1f}' r='1.6' fill='{}'/>",
                        f.x(double(o.day[i])), f.y(obs[i]), i < o.fitted_rows ? "#222" : "#d62728");
  }
  if (o.fitted_rows < o.day.size()) {
    const double x = f.x(double(o.day[o.fitted_rows - 1]) + 0.5);
    body += fmt::format(
        "<line x1='{:.1f}' y1='{}' x2='{:.1f}' y2='{}' stroke='#888' stroke-dasharray='3,3'/>", x,
        svg::Frame::kTop, x, svg::Frame::kHeight - svg::Frame::kBottom);
  }
  return svg::chart(body);
}

// A parameter's weighted posterior over its prior's range, in the prior's scale.
std::string posterior_chart(const abc::Parameter& param, const abc::Generation& g, std::size_t j) {
  constexpr std::size_t kBins = 20;
  const auto scale = [&](double x) { return param.log ? std::log(x) : x; };
  const double z0 = scale(param.low), z1 = scale(param.high);
  std::vector<double> mass(kBins, 0.0);
  for (const auto& p : g.particles) {
    const auto b = std::min(kBins - 1, std::size_t((scale(p.values[j]) - z0) / (z1 - z0) * kBins));
    mass[b] += p.weight;
  }
  const double top = *std::max_element(mass.begin(), mass.end());
  const svg::Frame f{z0, z1, 0, top > 0 ? top : 1};
  std::string body =
      f.axes(short_field(param.name) + (param.log ? " (log scale)" : ""), "prior range", false);
  body += fmt::format("<text x='{}' y='{}' class='tick'>{}</text>", svg::Frame::kLeft,
                      svg::Frame::kHeight - svg::Frame::kBottom + 12, svg::number(param.low));
  body += fmt::format("<text x='{}' y='{}' class='tick' text-anchor='end'>{}</text>",
                      svg::Frame::kWidth - svg::Frame::kRight,
                      svg::Frame::kHeight - svg::Frame::kBottom + 12, svg::number(param.high));
  const double w = (z1 - z0) / kBins;
  for (std::size_t b = 0; b < kBins; ++b) {
    body += fmt::format("<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='{}'/>",
                        f.x(z0 + double(b) * w), f.y(mass[b]), f.x(z0 + w) - f.x(z0),
                        f.y(0) - f.y(mass[b]), svg::colour(0));
  }
  return svg::chart(body);
}

std::string calibration_report(const CalibrationPlan& plan,
                               const std::vector<abc::Parameter>& params,
                               const std::vector<abc::Generation>& gens,
                               const std::vector<ParameterSummary>& summary, std::size_t runs,
                               const std::vector<RowBands>& bands,
                               const std::vector<PredictionError>& errors, const std::string& stop,
                               const std::string& delivery) {
  std::string html = report_head("buzzsim calibration");
  html += fmt::format("<h1>buzzsim calibration: {}</h1>\n", html_escape(plan.base.name));
  html += fmt::format(
      "<p>Fitted to {} of the {} rows of {}{} by ABC-SMC: {} generations of {} particles, the "
      "last accepting runs within {:.3g} (root mean square log ratio of the monthly statistics). "
      "{}</p>\n",
      plan.observed.fitted_rows, plan.observed.day.size(), html_escape(plan.observed.file.string()),
      plan.fit_through.empty() ? "" : " (through " + html_escape(plan.fit_through) + ")",
      gens.size(), plan.particles, gens.back().tolerance, html_escape(stop));
  if (plan.scale != 1) {
    html += fmt::format(
        "<p>Counts are shown at the simulated scale: observed counts times {}.</p>\n", plan.scale);
  }
  html +=
      "<h2>Posterior</h2>\n<table><tr><th>parameter</th><th>prior</th><th>median</th>"
      "<th>90% credible interval</th><th>narrowed</th></tr>\n";
  for (std::size_t j = 0; j < params.size(); ++j) {
    html += fmt::format(
        "<tr><td>{}</td><td>[{:.3g}, {:.3g}]{}</td><td>{:.4g}</td><td>[{:.4g}, {:.4g}]</td>"
        "<td>{:.0f}%</td></tr>\n",
        html_escape(params[j].name), params[j].low, params[j].high, params[j].log ? " log" : "",
        summary[j].median, summary[j].low, summary[j].high, 100 * summary[j].narrowing);
  }
  html += "</table>\n<ul>";
  for (const auto& sentence : in_words(params, summary, errors)) {
    html += "<li>" + html_escape(sentence) + "</li>";
  }
  html += "</ul>\n";
  if (!delivery.empty()) {
    html += "<h2>Delivery and engagement from the page's own posts</h2>\n<pre>" +
            html_escape(delivery) + "</pre>\n";
  }
  html += "<div class='charts'>";
  for (std::size_t j = 0; j < params.size(); ++j)
    html += posterior_chart(params[j], gens.back(), j);
  html +=
      "</div>\n<h2>Posterior predictive</h2>\n<p>Dots: observed (black fitted, red held "
      "out); line: the median of " +
      std::to_string(runs) +
      " runs from the posterior; band: 5th to 95th percentile of their values, each "
      "blurred by the residual spread of single rows beyond the runs' own (a normal in "
      "log(1 + x), its sd fitted on the fitted rows: " +
      residual_list(plan, bands) +
      "); dashed: the end of the fit. A count's forecast (a match on its last value) starts "
      "from the count observed at the end of the fit.</p>\n"
      "<div class='charts'>";
  for (std::size_t m = 0; m < plan.matches.size(); ++m) html += band_chart(plan, bands[m], m);
  html +=
      "</div>\n<h2>Errors against two baselines</h2>\n<p>Median absolute error as a "
      "share of the observed value per row (mean over months for monthly statistics). "
      "Baseline: the last fitted value (a level) or the last fitted month's statistic, "
      "carried forward. Regression: log(observed + 1) fitted by least squares on the fitted "
      "rows against a time trend and, per post, its format, category, paid flag, hour block "
      "and log posts that day.</p>\n<pre>" +
      html_escape(prediction_table(errors)) + "</pre>\n";
  html += "<h2>Generations</h2>\n<pre>" + html_escape(generations_csv(gens)) + "</pre>\n";
  html += "</body></html>\n";
  return html;
}

// One fitting run's distance; once what it has made certainly puts it beyond `tolerance`,
// it stops and is given infinity.
double fitting_distance(const CalibrationPlan& plan, const std::vector<MatchSource>& sources,
                        const graph::Graph& graph, const abc::Proposal& proposal,
                        double tolerance) {
  auto config = scenario::calibration_run(plan, proposal.values, proposal.seed, plan.fit_ticks);
  record_only_what_matches_read(sources, config);
  const auto model = dynamics::make_model(config.dynamics, graph);
  const std::uint32_t lifetime =
      std::get<dynamics::CampaignParams>(config.dynamics).audience.post_lifetime_ticks;
  engine::Abandon abandon;
  if (std::isfinite(tolerance)) {
    abandon = [&](std::uint32_t tick, const engine::Model& m, const engine::Recorder& r) {
      return distance_so_far(plan, sources, m, r, tick, lifetime) > tolerance;
    };
  }
  const auto record =
      engine::run_replicate(*model, 0, {config.seed, config.ticks, config.record_every}, abandon);
  if (record.abandoned) return kInfinity;
  return distance(plan, rows_of(plan, sources,
                                {first_brand_posts(record.tables), record.ticks, record.values,
                                 model->tick_reporters().size()},
                                plan.observed.fitted_rows));
}

}  // namespace

namespace {

fs::path generation_file(const fs::path& out, std::size_t t) {
  return out / "generations" / fmt::format("generation_{:03}.csv", t);
}

// The folder made, or opened to resume: the generations already in it go to `summary`,
// and why an earlier run stopped, if it did, is returned.
std::string open_calibration(const CalibrationPlan& plan, const CalibrationOptions& options,
                             const std::vector<abc::Parameter>& params,
                             CalibrationSummary& summary) {
  const fs::path& out = options.out;
  // The observed file's hash, so that --resume refuses a changed file.
  const std::string observed = read_file(plan.observed.file);
  const std::string identity =
      fmt::format(
          "scenario {}\nobserved {:016x}\nfitted {} rows, {} ticks; predicted {} rows, {} "
          "ticks\nbuild {}\n",
          scenario::hash(plan.base), XXH3_64bits(observed.data(), observed.size()),
          plan.observed.fitted_rows, plan.fit_ticks, plan.observed.day.size(), plan.predict_ticks,
          build_version()) +
      summary.delivery;
  if (options.rank == 0) {
    open_resumable(out, "calibration_plan.txt", identity, options.resume, options.overwrite,
                   "calibration", "scenario, observed file and build");
    fs::create_directories(out / "generations");
  }
  if (options.barrier) options.barrier();
  auto& gens = summary.generations;
  for (std::size_t t = 0; t < plan.generations && fs::exists(generation_file(out, t)); ++t) {
    try {
      gens.push_back(abc::read_generation_csv(params, read_file(generation_file(out, t))));
    } catch (const std::runtime_error& e) {
      throw InputError(fmt::format("{}: {}; remove it to compute it again",
                                   generation_file(out, t).string(), e.what()));
    }
  }
  summary.resumed = gens.size();
  const fs::path stopped = out / "generations" / "stopped.txt";
  return fs::exists(stopped) ? read_file(stopped) : std::string();
}

// "generation 3: kept runs within ..., 40 s; about 200 s left" on rank 0. Time left: each
// later generation needs particles / acceptance runs at this one's cost per run, its
// acceptance the quantile's at most and falling by about 15% a generation (as seen on the
// page's fits), never below min_acceptance.
void report_generation(const CalibrationPlan& plan, const abc::Generation& g, std::size_t done) {
  const double per_run = g.seconds / double(std::max<std::size_t>(1, g.proposals));
  double acceptance = std::min(g.acceptance(), plan.quantile), left = 0;
  for (std::size_t k = done + 1; k < plan.generations; ++k) {
    acceptance = std::max(acceptance * 0.85, std::max(plan.min_acceptance, 0.01));
    left += per_run * double(plan.particles) / acceptance;
  }
  left += per_run * double(plan.predictive_runs);
  const std::string what =
      g.index == 0 ? fmt::format("{} runs from the priors, all kept", g.particles.size())
                   : fmt::format(
                         "kept runs within {:.3g} of the data (root mean square log ratio), {} "
                         "of {} ({:.0f}%), effective size {:.0f}",
                         g.tolerance, g.particles.size(), g.proposals, 100 * g.acceptance(),
                         g.effective_size());
  std::cerr << fmt::format("\r{:60}\rgeneration {}: {}, {:.0f} s; about {:.0f} s left\n", "",
                           g.index, what, g.seconds, left)
            << std::flush;
}

// The generations still to run, each written as it ends; returns why they stopped.
std::string run_generations(const CalibrationPlan& plan, const CalibrationOptions& options,
                            const RunContext& context, const std::vector<abc::Parameter>& params,
                            const graph::Graph& graph, const std::vector<MatchSource>& sources,
                            CalibrationSummary& summary, std::string stop) {
  // Batches of at least four runs per core, over all ranks.
  const abc::Options ao{
      plan.particles,   plan.generations,
      plan.quantile,    plan.min_acceptance,
      plan.base.seed,   4 * std::max(context.threads, 1u) * std::uint32_t(options.ranks),
      plan.local_kernel};
  const int rank = options.rank, ranks = options.ranks;
  auto& gens = summary.generations;
  const auto started = std::chrono::steady_clock::now();
  std::uint64_t runs_done = 0, stopped_early = 0;
  const abc::Simulate simulate = [&](const std::vector<abc::Proposal>& ps, double tolerance) {
    std::vector<double> d(ps.size(), 0.0);
    tbb::parallel_for(std::size_t{0}, ps.size(), [&](std::size_t b) {
      if (int(b % std::size_t(ranks)) != rank) return;
      d[b] = fitting_distance(plan, sources, graph, ps[b],
                              options.abandon_runs ? tolerance : kInfinity);
    });
    if (options.sum) options.sum(d);
    runs_done += ps.size();
    const auto stopped =
        std::uint64_t(std::count_if(d.begin(), d.end(), [](double x) { return std::isinf(x); }));
    stopped_early += stopped;
    summary.abandoned += stopped;
    if (rank == 0) {
      std::cerr
          << fmt::format(
                 "\rgeneration {}: {} runs{}, {:.0f} s ", gens.size(), runs_done,
                 stopped_early ? fmt::format(" ({} stopped early)", stopped_early) : "",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count())
          << std::flush;
    }
    return d;
  };
  while (gens.size() < plan.generations && stop.empty()) {
    const auto t0 = std::chrono::steady_clock::now();
    runs_done = stopped_early = 0;
    auto g = abc::next_generation(params, ao, gens, simulate);
    if (!g) {
      stop = fmt::format(
          "Stopped before generation {}: it would accept fewer than {:.0f}% of its runs, so the "
          "tolerance has reached what the model can meet.",
          gens.size(), 100 * plan.min_acceptance);
      if (rank == 0) write_file(options.out / "generations" / "stopped.txt", stop);
      if (rank == 0) std::cerr << "\n" << stop << "\n";
      break;
    }
    g->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (rank == 0) {
      write_file(generation_file(options.out, gens.size()), abc::generation_csv(params, *g));
      report_generation(plan, *g, gens.size());
    }
    gens.push_back(std::move(*g));
  }
  return stop.empty() ? fmt::format("Ran all {} generations.", plan.generations) : stop;
}

// The posterior's predictions of every observed row over the whole horizon, from
// predictive_runs draws of the last generation; on rank 0 only (the ranks' runs summed).
std::optional<Predictions> predict(const CalibrationPlan& plan, const CalibrationOptions& options,
                                   const graph::Graph& graph,
                                   const std::vector<MatchSource>& sources,
                                   const abc::Generation& last) {
  const int rank = options.rank, ranks = options.ranks;
  Posterior posterior{{}, {}, {}};
  for (const auto& p : last.particles)
    posterior.values.push_back(p.values), posterior.weights.push_back(p.weight);
  const auto draws = draw_posterior(posterior, plan.predictive_runs, plan.base.seed);
  const engine::Random random(plan.base.seed, kPredictiveStream);
  const std::size_t rows = plan.observed.day.size(), matches = plan.matches.size();
  std::vector<double> flat(draws.size() * matches * rows, 0.0);
  std::size_t predicted = 0;
  std::mutex progress;  // one line at a time from the runs' threads
  const auto predictive_start = std::chrono::steady_clock::now();
  tbb::parallel_for(std::size_t{0}, draws.size(), [&](std::size_t r) {
    if (int(r % std::size_t(ranks)) != rank) return;
    auto config = scenario::calibration_run(
        plan, draws[r], random.bits(0, r, engine::Purpose{1})[0], plan.predict_ticks);
    record_only_what_matches_read(sources, config);
    const auto sims = simulated_rows(plan, sources, run(config, graph), rows);
    if (rank == 0) {
      const std::lock_guard lock(progress);
      const std::size_t done = ++predicted;
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - predictive_start)
              .count();
      std::cerr << fmt::format("\rpredictive runs from the posterior: {} of about {}, {:.0f} s ",
                               done, (draws.size() + std::size_t(ranks) - 1) / std::size_t(ranks),
                               seconds)
                << std::flush;
    }
    for (std::size_t m = 0; m < matches; ++m) {
      std::copy(sims[m].begin(), sims[m].end(),
                flat.begin() + std::ptrdiff_t((r * matches + m) * rows));
    }
  });
  if (rank == 0) std::cerr << "\n";
  if (options.sum) options.sum(flat);
  if (rank != 0) return std::nullopt;
  Predictions predictions(draws.size(), std::vector<std::vector<double>>(matches));
  for (std::size_t r = 0; r < draws.size(); ++r) {
    for (std::size_t m = 0; m < matches; ++m) {
      const auto at = flat.begin() + std::ptrdiff_t((r * matches + m) * rows);
      predictions[r][m].assign(at, at + std::ptrdiff_t(rows));
    }
  }
  return predictions;
}

// posterior.csv and .txt, generations.csv, predictive.csv, prediction.csv,
// calibrated.textproto, provenance.json and report.html; the summary's errors and table.
void write_calibration(const CalibrationPlan& plan, const CalibrationOptions& options,
                       const RunContext& context, const std::vector<abc::Parameter>& params,
                       const Predictions& predictions, const std::string& stop,
                       CalibrationSummary& summary) {
  const fs::path& out = options.out;
  const auto& gens = summary.generations;
  const auto& last = gens.back();
  const auto post = summarise_posterior(params, last);
  summary.monthly = monthly_forecasts(plan, predictions);
  const auto bands = match_bands(plan, predictions);
  const auto errors = prediction_errors(plan, bands, summary.monthly);
  summary.errors = errors;
  std::vector<double> medians;
  for (const auto& s : post) medians.push_back(s.median);
  write_file(out / "posterior.csv", abc::particles_csv(params, last, false));
  write_file(out / "generations.csv", generations_csv(gens));
  write_file(out / "predictive.csv", predictive_csv(plan, bands));
  write_file(out / "prediction.csv", prediction_csv(errors));
  write_file(out / "calibrated.textproto",
             "# " + plan.base.name +
                 " at the posterior median of buzzsim calibrate (posterior.csv beside it)\n" +
                 scenario::calibrated_text(plan, medians, out));
  write_file(out / "provenance.json", provenance_json(plan.base, context));
  std::string words =
      "In words. Each parameter with its value's 90% credible interval; \"narrowed\" is how "
      "much narrower that interval is than the prior's own middle 90%:\n";
  for (const auto& sentence : in_words(params, post, errors)) words += "- " + sentence + "\n";
  summary.table = posterior_table(params, post) + "\n" + prediction_table(errors) + "\n" + words +
                  "\n" + stop + "\n";
  if (!summary.delivery.empty()) summary.table = summary.delivery + "\n" + summary.table;
  write_file(out / "posterior.txt", summary.table);
  write_file(out / "report.html", calibration_report(plan, params, gens, post, predictions.size(),
                                                     bands, errors, stop, summary.delivery));
}

}  // namespace

CalibrationSummary run_calibration(const CalibrationPlan& given, const CalibrationOptions& options,
                                   const RunContext& context) {
  // Delivery and engagement terms from the fitted rows, before anything runs: every run, the
  // identity --resume checks and calibrated.textproto take them from the plan.
  CalibrationPlan plan = given;
  CalibrationSummary summary;
  const auto take = [&](const DeliveryFit& fit) {
    plan = with_delivery(plan, fit);
    summary.delivery += (summary.delivery.empty() ? "" : "\n") + delivery_table(fit);
  };
  if (given.delivery_fit) take(fit_delivery(given));
  if (given.engagement_fit) take(fit_engagement(given));
  const auto params = abc_parameters(plan);
  // Everything that can be refused, before a folder is made.
  const graph::Graph graph = build_graph(plan.base);
  const auto sources =
      match_sources(plan, dynamics::make_model(plan.base.dynamics, graph)->tick_reporters());
  std::string stop = open_calibration(plan, options, params, summary);
  stop = run_generations(plan, options, context, params, graph, sources, summary, stop);
  auto predictions = predict(plan, options, graph, sources, summary.generations.back());
  if (predictions) {
    anchor_levels(plan, *predictions);
    write_calibration(plan, options, context, params, *predictions, stop, summary);
  }
  return summary;
}

Posterior read_posterior(const fs::path& file) {
  const std::string origin = file.string();
  const CsvTable table = parse_csv(read_input_file(file, "posterior file"), origin);
  const auto fail = [&](int line, const std::string& what) {
    throw InputError(fmt::format("{}:{}: {}", origin, line, what));
  };
  const auto& header = table.header;
  if (header.size() < 4 || header[0] != "particle" || header[1] != "weight" ||
      header[2] != "distance") {
    fail(1,
         "a posterior file (buzzsim calibrate's posterior.csv) starts with the columns "
         "particle,weight,distance and a field path per parameter");
  }
  Posterior p;
  p.fields.assign(header.begin() + 3, header.end());
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const int line_no = table.lines[r];
    std::string bad;
    const auto numbers = abc::number_cells(table.rows[r], bad);
    if (!numbers) fail(line_no, fmt::format("'{}' is not a finite number", bad));
    const std::vector<double>& cells = *numbers;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (!std::isfinite(cells[i])) {
        fail(line_no, fmt::format("'{}' is not a finite number", table.rows[r][i]));
      }
    }
    if (cells.size() != header.size()) {
      fail(line_no, fmt::format("{} values where the header has {}", cells.size(), header.size()));
    }
    if (!(cells[1] >= 0))
      fail(line_no, fmt::format("weight must not be negative, got {}", cells[1]));
    p.weights.push_back(cells[1]);
    p.values.emplace_back(cells.begin() + 3, cells.end());
  }
  if (p.values.empty() || !(std::accumulate(p.weights.begin(), p.weights.end(), 0.0) > 0)) {
    fail(2, "the posterior has no particle with weight");
  }
  return p;
}

std::vector<std::vector<double>> draw_posterior(const Posterior& p, std::uint32_t n,
                                                std::uint64_t seed) {
  // Systematic resampling: one uniform offset, n evenly spaced points on the weights.
  const engine::Random random(seed, kPredictiveStream);
  const double total = std::accumulate(p.weights.begin(), p.weights.end(), 0.0);
  const double u = random.uniform(1, 0, engine::Purpose{2});
  std::vector<std::vector<double>> out;
  double cumulative = 0;
  std::size_t i = 0;
  for (std::uint32_t k = 0; k < n; ++k) {
    const double point = (double(k) + u) / double(n) * total;
    while (i + 1 < p.weights.size() && cumulative + p.weights[i] <= point)
      cumulative += p.weights[i++];
    out.push_back(p.values[i]);
  }
  return out;
}

}  // namespace buzz::batch
