#include "sim/batch/backtest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "sim/batch/output_dir.hpp"
#include "sim/common/input_error.hpp"
#include "sim/report/html.hpp"
#include "sim/report/svg.hpp"

namespace buzz::batch {

using namespace analysis;
using namespace report;

namespace fs = std::filesystem;
using scenario::CalibrationPlan;

namespace {

std::string month_name(int m) { return fmt::format("{:04}-{:02}", m / 12, m % 12 + 1); }

std::string percent(double x) { return std::isnan(x) ? "n/a" : fmt::format("{:.1f}%", 100 * x); }

const PredictionError* find(const CalibrationSummary& s, std::size_t match,
                            std::string_view scope) {
  for (const auto& e : s.errors) {
    if (e.index == match && e.scope == scope) return &e;
  }
  return nullptr;
}

bool beats_both(const PredictionError& e) {
  return e.model < e.baseline && (std::isnan(e.regression) || e.model < e.regression);
}

// Mean of the non-NaN values; NaN when there are none.
double mean(const std::vector<double>& v) {
  double s = 0;
  std::size_t n = 0;
  for (const double x : v) {
    if (!std::isnan(x)) s += x, ++n;
  }
  return n ? s / double(n) : std::numeric_limits<double>::quiet_NaN();
}

struct SeriesSummary {
  std::string name;
  double model = 0, baseline = 0, regression = 0, coverage = 0, width = 0, residual_sd = 0;
  double noise = 0, model_better = 0;
  std::size_t wins = 0, origins = 0;
};

std::vector<SeriesSummary> summarise(const CalibrationPlan& plan,
                                     const std::vector<BacktestOrigin>& origins) {
  std::vector<SeriesSummary> out;
  for (std::size_t m = 0; m < plan.matches.size(); ++m) {
    SeriesSummary s{plan.matches[m].observed + " ~ " + plan.matches[m].simulated};
    std::vector<double> model, baseline, regression, coverage, width, residual_sd, noise;
    for (const auto& o : origins) {
      if (const auto* e = find(o.calibration, m, "held-out months")) {
        model.push_back(e->model), baseline.push_back(e->baseline);
        regression.push_back(e->regression), noise.push_back(e->noise);
        s.wins += beats_both(*e);
        ++s.origins;
      }
      if (const auto* e = find(o.calibration, m, "held-out rows")) {
        coverage.push_back(e->coverage), width.push_back(e->width);
        residual_sd.push_back(e->residual_sd);
      }
    }
    s.model = mean(model), s.baseline = mean(baseline), s.regression = mean(regression);
    s.coverage = mean(coverage), s.width = mean(width), s.residual_sd = mean(residual_sd);
    s.noise = mean(noise);
    // Over the origins together: each origin's forecasts scored against the same resamples.
    std::vector<MonthlyForecast> forecasts;
    std::vector<double> carried;
    for (const auto& o : origins) {
      const auto& f = o.calibration.monthly.at(m);
      if (f.fitted_months == 0 || f.fitted_months >= f.observed.size()) continue;
      forecasts.push_back(f);
      carried.push_back(f.observed[f.fitted_months - 1]);  // origins are whole months
    }
    s.model_better = resamples_model_beats_carry_forward(
        resampled_months(plan, m, kResamples), forecasts, carried,
        plan.matches[m].statistic == scenario::MatchSpec::Statistic::last);
    out.push_back(s);
  }
  return out;
}

std::string backtest_csv(const std::vector<BacktestOrigin>& origins) {
  std::string out =
      "origin_months,fit_through,match,scope,count,model_error,baseline_error,regression_error,"
      "coverage_90,band_width,residual_sd,sampling_noise,model_better_share\n";
  for (const auto& o : origins) {
    for (const auto& e : o.calibration.errors) {
      if (e.scope == "fitted rows") continue;
      out += fmt::format("{},{},{},{},{},{:.4f},{:.4f},{:.4f},{:.3f},{:.3f},{:.3f},{:.4f},{:.3f}\n",
                         o.fitted_months, o.fit_through, e.match, e.scope, e.count, e.model,
                         e.baseline, e.regression, e.coverage, e.width, e.residual_sd, e.noise,
                         e.model_better);
    }
  }
  return out;
}

std::string forecasts_csv(const CalibrationPlan& plan, const std::vector<BacktestOrigin>& origins) {
  std::string out = "origin_months,match,month,held_out,observed,low,median,high\n";
  for (const auto& o : origins) {
    for (std::size_t m = 0; m < o.calibration.monthly.size(); ++m) {
      const auto& f = o.calibration.monthly[m];
      for (std::size_t k = 0; k < f.month.size(); ++k) {
        out += fmt::format("{},{},{},{},{:.6g},{:.6g},{:.6g},{:.6g}\n", o.fitted_months,
                           plan.matches[m].observed + " ~ " + plan.matches[m].simulated,
                           month_name(f.month[k]), k >= f.fitted_months ? 1 : 0, f.observed[k],
                           f.low[k], f.median[k], f.high[k]);
      }
    }
  }
  return out;
}

std::string summary_table(const CalibrationPlan& plan, const std::vector<BacktestOrigin>& origins,
                          int horizon) {
  std::string names;
  for (const auto& o : origins)
    names += (names.empty() ? "" : ", ") + std::to_string(o.fitted_months);
  std::string out = fmt::format(
      "Fitted the first {} months, forecast the next {} (scale {}).\n\nHeld-out months, mean "
      "error over origins:\n{:<34} {:>8} {:>14} {:>11} {:>7} {:>13}  {}\n",
      names, horizon, plan.scale, "observed ~ simulated", "model", "carry forward", "regression",
      "noise", "model better", "model beats both");
  const auto series = summarise(plan, origins);
  for (const auto& s : series) {
    out +=
        fmt::format("{:<34} {:>8} {:>14} {:>11} {:>7} {:>13}  in {} of {} origins\n", s.name,
                    percent(s.model), percent(s.baseline), percent(s.regression), percent(s.noise),
                    fmt::format("{:.0f}%", 100 * s.model_better), s.wins, s.origins);
  }
  out +=
      "(noise: how far a forecast of each held-out month's true median or mean would be off "
      "from the month's rows alone. model better: in how many of 1,000 resamples of the "
      "months' rows the model's mean error over origins is below carrying forward's; between "
      "5% and 95%, the months cannot tell the two apart)\n";
  out += "\nSeries on which the model beats both baselines, per origin:\n";
  for (const auto& o : origins) {
    std::size_t wins = 0, n = 0;
    for (std::size_t m = 0; m < plan.matches.size(); ++m) {
      if (const auto* e = find(o.calibration, m, "held-out months")) wins += beats_both(*e), ++n;
    }
    out += fmt::format("  {} months (through {}): {} of {}{}\n", o.fitted_months, o.fit_through,
                       wins, n,
                       o.forecast_months < horizon
                           ? fmt::format(" (forecast {} months: the data end)", o.forecast_months)
                           : "");
  }
  out +=
      "\n90% bands on held-out rows, mean over origins (the runs' values blurred by the "
      "residual sd of single fitted rows, in log(1 + x)):\n";
  for (const auto& s : series) {
    out += fmt::format(
        "{:<34} hold {} of rows, median width {:.2f} times the median, residual sd {:.2f}\n",
        s.name, percent(s.coverage), s.width, s.residual_sd);
  }
  return out;
}

// A match's observed months (black) with each origin's forecast median and 90% band over
// its held-out months.
std::string forecast_chart(const CalibrationPlan& plan, const std::vector<BacktestOrigin>& origins,
                           std::size_t m) {
  const int first = plan.observed.month.front(), last = plan.observed.month.back();
  double top = 0;
  for (const auto& o : origins) {
    const auto& f = o.calibration.monthly[m];
    for (std::size_t k = 0; k < f.month.size(); ++k) {
      for (const double v : {f.observed[k], f.high[k]}) {
        if (!std::isnan(v)) top = std::max(top, v);
      }
    }
  }
  const svg::Frame frame{double(first) - 0.5, double(last) + 0.5, 0, top > 0 ? top * 1.05 : 1};
  // Months as numbers mean nothing to a reader: the axis names the first and last instead.
  std::string body =
      frame.axes(plan.matches[m].observed + " by month",
                 fmt::format("month, {} to {}", month_name(first), month_name(last)), false);
  // The observed months: the longest origin's view holds them all up to its horizon.
  std::vector<std::pair<int, double>> observed;
  for (const auto& o : origins) {
    const auto& f = o.calibration.monthly[m];
    for (std::size_t k = 0; k < f.month.size(); ++k) {
      if (std::none_of(observed.begin(), observed.end(),
                       [&](const auto& p) { return p.first == f.month[k]; })) {
        observed.emplace_back(f.month[k], f.observed[k]);
      }
    }
  }
  std::sort(observed.begin(), observed.end());
  for (std::size_t i = 0; i < origins.size(); ++i) {
    const auto& f = origins[i].calibration.monthly[m];
    std::string upper, lower, line;
    for (std::size_t k = f.fitted_months; k < f.month.size(); ++k) {
      const double x = frame.x(double(f.month[k]));
      upper += fmt::format("{:.1f},{:.1f} ", x, frame.y(f.high[k]));
      lower.insert(0, fmt::format("{:.1f},{:.1f} ", x, frame.y(f.low[k])));
      line += fmt::format("{:.1f},{:.1f} ", x, frame.y(f.median[k]));
    }
    body += fmt::format("<polygon points='{}{}' fill='{}' fill-opacity='0.15' stroke='none'/>",
                        upper, lower, svg::colour(i));
    body += fmt::format("<polyline points='{}' fill='none' stroke='{}' stroke-width='1.5'/>", line,
                        svg::colour(i));
  }
  std::string line;
  for (const auto& [month, value] : observed) {
    line += fmt::format("{:.1f},{:.1f} ", frame.x(double(month)), frame.y(value));
    body += fmt::format("<circle cx='{:.1f}' cy='{:.1f}' r='2.2' fill='#222'/>",
                        frame.x(double(month)), frame.y(value));
  }
  body += fmt::format("<polyline points='{}' fill='none' stroke='#222' stroke-width='1'/>", line);
  return svg::chart(body);
}

std::string backtest_report(const CalibrationPlan& plan, const std::vector<BacktestOrigin>& origins,
                            int horizon) {
  std::string html = report_head("buzzsim backtest: " + plan.base.name);
  html += fmt::format("<h1>Backtest: {}</h1>\n", html_escape(plan.base.name));
  html += fmt::format(
      "<p>Rolling origins: for each origin the first months of <code>{}</code> are fitted as "
      "<code>buzzsim calibrate</code> fits them and the next {} months are forecast by the "
      "posterior; a count's forecast (a match on its last value) starts from the count observed "
      "at the origin. The forecast is judged against carrying the last fitted month forward and "
      "against a regression baseline fitted on the same months (docs/forecasting.md). Each "
      "origin's own calibration report is in its folder.</p>\n",
      html_escape(plan.observed.file.lexically_normal().string()), horizon);
  html +=
      "<h2>Summary</h2>\n<pre>" + html_escape(summary_table(plan, origins, horizon)) + "</pre>\n";
  html += "<h2>Forecasts over the data</h2>\n<p class='legend'>";
  for (std::size_t i = 0; i < origins.size(); ++i) {
    html += fmt::format(
        "<span><span class='swatch' style='background:{}'></span>fitted through {} "
        "(median and 90% band)</span>",
        svg::colour(i), html_escape(origins[i].fit_through));
  }
  html += "<span>black: observed</span></p>\n<div class='charts'>\n";
  for (std::size_t m = 0; m < plan.matches.size(); ++m) html += forecast_chart(plan, origins, m);
  html +=
      "</div>\n<h2>Every origin and series</h2>\n<table><tr><th>origin</th><th>series</th>"
      "<th>rows</th><th>count</th><th>model</th><th>carry forward</th><th>regression</th>"
      "<th>in 90% band</th><th>band width</th><th>sampling noise</th><th>model better</th>"
      "</tr>\n";
  for (const auto& o : origins) {
    for (const auto& e : o.calibration.errors) {
      if (e.scope == "fitted rows") continue;
      html += fmt::format(
          "<tr><td><a href='origin_{}/report.html'>{} months</a></td><td>{}</td><td>{}</td>"
          "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
          "<td>{}</td></tr>\n",
          o.fitted_months, o.fitted_months, html_escape(e.match), e.scope, e.count,
          percent(e.model), percent(e.baseline), percent(e.regression), percent(e.coverage),
          std::isnan(e.width) ? "n/a" : fmt::format("{:.2f}", e.width), percent(e.noise),
          percent(e.model_better));
    }
  }
  html += "</table>\n</body></html>\n";
  return html;
}

}  // namespace

std::vector<int> default_origins(const CalibrationPlan& plan, int horizon) {
  const int months = scenario::observed_months(plan.observed);
  std::vector<int> out;
  for (int k = std::max(1, std::min(3, months - horizon)); k + horizon <= months; ++k) {
    out.push_back(k);
  }
  return out;
}

BacktestSummary run_backtest(const CalibrationPlan& plan, const std::vector<int>& origins,
                             int horizon, const CalibrationOptions& options,
                             const RunContext& context) {
  if (origins.empty()) {
    throw InputError(fmt::format(
        "{}: {} months of observed rows leave no backtest origin with {} months to forecast",
        plan.observed.file.string(), scenario::observed_months(plan.observed), horizon));
  }
  std::vector<CalibrationPlan> plans;
  for (const int k : origins) plans.push_back(scenario::origin_plan(plan, k, horizon));
  const fs::path& out = options.out;
  std::string identity = fmt::format("backtest of {}\nscenario {}\nhorizon {} months\norigins",
                                     plan.base.file.string(), scenario::hash(plan.base), horizon);
  for (const int k : origins) identity += fmt::format(" {}", k);
  identity += "\n";
  if (options.rank == 0) {
    open_resumable(out, "backtest_plan.txt", identity, options.resume, options.overwrite,
                   "backtest", "scenario, seed, origins and horizon");
  }
  if (options.barrier) options.barrier();

  BacktestSummary summary;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const int months = std::min(horizon, scenario::observed_months(plan.observed) - origins[i]);
    if (options.rank == 0) {
      std::cerr << fmt::format(
          "origin {} of {}: fitting {} months through {}, forecasting {}{}\n", i + 1, plans.size(),
          origins[i], plans[i].fit_through, months,
          months < horizon ? fmt::format(" (the observed file ends there, not {})", horizon) : "");
    }
    CalibrationOptions o = options;
    o.out = out / fmt::format("origin_{}", origins[i]);
    o.resume = true;  // a fresh folder is started, a finished or interrupted one continued
    o.overwrite = false;
    summary.origins.push_back(
        {origins[i], months, plans[i].fit_through, run_calibration(plans[i], o, context)});
  }
  if (options.rank != 0) return summary;
  summary.table = summary_table(plan, summary.origins, horizon);
  write_file(out / "backtest.csv", backtest_csv(summary.origins));
  write_file(out / "forecasts.csv", forecasts_csv(plan, summary.origins));
  write_file(out / "backtest.txt", summary.table);
  write_file(out / "report.html", backtest_report(plan, summary.origins, horizon));
  return summary;
}

}  // namespace buzz::batch
