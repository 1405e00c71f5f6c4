#include "sim/report/tables.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/report/csv.hpp"

namespace buzz::report {

using namespace analysis;

namespace {

std::string fmt_interval(const Interval& i) {
  if (std::isnan(i.low)) return fmt::format("{:.4g}", i.mean);
  return fmt::format("{:.4g} [{:.4g}, {:.4g}]", i.mean, i.low, i.high);
}

}  // namespace

std::string scale_note(double scale) {
  if (scale >= 1) return "";
  return fmt::format(
      "Counts of people are of the simulated population, at {:g} of the real one "
      "(population.scale): multiply them by {:g} for the real size; shares and rates are as "
      "they are.\n",
      scale, 1 / scale);
}

std::string_view direction_note(engine::Direction d) {
  switch (d) {
    case engine::Direction::higher_is_better:
      return "";
    case engine::Direction::lower_is_better:
      return " (lower is better)";
    case engine::Direction::no_verdict:
      return " (no verdict)";
  }
  return "";
}

std::string comparison_table(const Comparison& c) {
  std::string out = fmt::format("{} comparison of {} scenarios{}\n",
                                c.paired ? "Paired" : "Unpaired", c.names.size(),
                                c.paired ? " on common random numbers (same graph, same streams)"
                                         : ": they ran on different graphs, seeds or replicate "
                                           "counts, so differences use Welch intervals");
  out += scale_note(c.scale);
  if (c.under_uncertainty) {
    out +=
        "At the scenarios' own parameter values (replicates' noise only); the verdicts below "
        "also weigh the parameters' uncertainty\n";
  }
  out += fmt::format("{:<24}", "metric");
  for (const auto& n : c.names) out += fmt::format(" {:<30}", n + " mean [95%]");
  for (std::size_t s = 1; s < c.names.size(); ++s) {
    out += fmt::format(" {:<30}", fmt::format("{} - {} [95%]", c.names[s], c.names[0]));
  }
  out += " wins\n";
  for (const auto& m : c.metrics) {
    const char* mark = m.direction == engine::Direction::lower_is_better ? " (v)"
                       : m.direction == engine::Direction::no_verdict    ? " (-)"
                                                                         : "";
    out += fmt::format("{:<24}", m.metric + mark);
    for (const auto& i : m.scenario) out += fmt::format(" {:<30}", fmt_interval(i));
    for (std::size_t s = 1; s < m.difference.size(); ++s) {
      out += fmt::format(" {:<30}", fmt_interval(m.difference[s]));
    }
    std::string wins;
    for (std::size_t s = 0; m.direction != engine::Direction::no_verdict && s < c.names.size();
         ++s) {
      wins += fmt::format("{}{} {:.0f}%", s ? ", " : " ", c.names[s], 100 * m.wins[s]);
    }
    if (m.ties > 0) wins += fmt::format(", ties {:.0f}%", 100 * m.ties);
    out += wins + "\n";
  }
  out += "(v): lower is better; (-): no verdict, shown for information\n";
  return out;
}

std::vector<std::string> verdict_lines(const Comparison& c) {
  std::vector<std::string> out;
  for (std::size_t s = 1; s < c.names.size(); ++s) {
    std::vector<std::string> wins_a, wins_b, unclear, unexercised, constant;
    for (const auto& m : c.metrics) {
      if (m.direction == engine::Direction::no_verdict) continue;
      if (!m.exercised) {
        if (s == 1) unexercised.push_back(m.metric);
      } else if (!m.varies) {
        if (s == 1) constant.push_back(m.metric);
      } else if (m.verdict[s] == 0) {
        unclear.push_back(m.metric);
      } else if (m.verdict[s] > 0) {
        wins_b.push_back(m.metric);
      } else {
        wins_a.push_back(m.metric);
      }
    }
    const auto list = [](const std::vector<std::string>& v) {
      std::string s;
      for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
      return s;
    };
    if (!wins_b.empty())
      out.push_back(fmt::format("{} beats {} on: {}.", c.names[s], c.names[0], list(wins_b)));
    if (!wins_a.empty())
      out.push_back(fmt::format("{} beats {} on: {}.", c.names[0], c.names[s], list(wins_a)));
    if (!unclear.empty()) {
      out.push_back(
          fmt::format("{} between {} and {} on: {}.",
                      c.under_uncertainty ? "No robust difference" : "No significant difference",
                      c.names[s], c.names[0], list(unclear)));
    }
    if (!unexercised.empty()) {
      out.push_back(fmt::format("Not exercised (zero in every replicate of every scenario): {}.",
                                list(unexercised)));
    }
    if (!constant.empty()) {
      out.push_back(fmt::format(
          "The same in every run of every scenario, so they cannot differ: {}.", list(constant)));
    }
  }
  return out;
}

std::string verdicts(const Comparison& c) {
  std::string out;
  if (c.under_uncertainty) out += "Verdicts: " + c.basis + ".\n";
  for (const auto& line : verdict_lines(c)) out += line + "\n";
  return out;
}

std::string comparison_csv(const Comparison& c) {
  Csv csv;
  for (const char* h :
       {"metric", "direction", "exercised", "scenario", "mean", "ci95_low", "ci95_high",
        "difference", "difference_low", "difference_high", "wins", "ties", "paired"}) {
    csv.text(h);
  }
  csv.end_row();
  for (const auto& m : c.metrics) {
    for (std::size_t s = 0; s < c.names.size(); ++s) {
      const Interval& i = m.scenario[s];
      const Interval d = s == 0 ? Interval{} : m.difference[s];
      csv.text(m.metric).text(engine::to_string(m.direction)).number(m.exercised ? 1 : 0);
      csv.text(c.names[s]).number(i.mean).number(i.low).number(i.high);
      csv.number(d.mean).number(d.low).number(d.high).number(m.wins[s]).number(m.ties);
      csv.number(c.paired ? 1 : 0).end_row();
    }
  }
  return csv.str();
}

std::string uncertainty_table(const UncertainComparison& u) {
  std::string out = fmt::format(
      "Under parameter uncertainty: {} draws of {} parameters {}, every scenario on each draw "
      "with common random numbers.\n"
      "Difference: mean over draws [5th, 95th percentile]. Drivers: parameters whose rank "
      "correlation with the difference is beyond what chance gives with {} draws.\n",
      u.draws.size(), u.priors.size(), u.source, u.draws.size());
  if (u.saltelli_n > 0) {
    out += fmt::format(
        "Sobol indices: Saltelli's design, base sample {} (its A and B are the draws above), "
        "{} draws in all; total effects (Jansen) with 90% bootstrap intervals, named when "
        "clearly above the run-to-run noise's floor, in sobol.csv with the first-order "
        "ones.{}\n",
        u.saltelli_n, u.design_draws,
        u.metrics.empty() || u.metrics[0].sobol_noise_floor.size() < 2 ||
                !std::isnan(u.metrics[0].sobol_noise_floor[1])
            ? ""
            : " With one replicate per draw the noise's floor cannot be measured, and a "
              "parameter that sets the runs apart takes the noise into its total effect: run "
              "more replicates (--replicates) to tell them apart.");
  }
  out += scale_note(u.scale);
  for (std::size_t i = 1; i < u.names.size(); ++i) {
    out += fmt::format("\n{} - {}:\n", u.names[i], u.names[0]);
    for (const auto& m : u.metrics) {
      if (!m.exercised || !can_differ(m, i)) continue;
      std::string line = fmt::format("  {:<26} {:>10.4g} [{:.4g}, {:.4g}]  {}", m.metric, m.mean[i],
                                     m.low[i], m.high[i], m.verdict[i]);
      std::string names;
      for (std::size_t j : drivers(m, i, 3)) {
        names += fmt::format("{}{} {:+.2f}", names.empty() ? "" : ", ",
                             short_name(u.priors[j].field), m.rank_correlation[i][j]);
      }
      if (!names.empty() && m.direction != engine::Direction::no_verdict) {
        line += "; drivers: " + names;
      }
      std::string totals;
      for (std::size_t j : total_effect_drivers(m, i, 3)) {
        const auto& t = m.sobol[i][j].total_effect;
        totals += fmt::format("{}{} {:.2f} [{:.2f}, {:.2f}]", totals.empty() ? "" : ", ",
                              short_name(u.priors[j].field), t.value, t.low, t.high);
      }
      if (!totals.empty()) line += "; total effects: " + totals;
      out += line + "\n";
    }
  }
  return out;
}

std::string uncertainty_csv(const UncertainComparison& u) {
  Csv csv;
  for (const char* h : {"metric", "direction", "scenario", "baseline", "mean_difference", "low_5",
                        "high_95", "wins", "baseline_wins", "verdict"}) {
    csv.text(h);
  }
  csv.end_row();
  for (const auto& m : u.metrics) {
    for (std::size_t i = 1; i < u.names.size(); ++i) {
      csv.text(m.metric)
          .text(m.direction == engine::Direction::higher_is_better  ? "higher"
                : m.direction == engine::Direction::lower_is_better ? "lower"
                                                                    : "none")
          .text(u.names[i])
          .text(u.names[0])
          .number(m.mean[i])
          .number(m.low[i])
          .number(m.high[i])
          .number(m.wins[i])
          .number(m.losses[i])
          .text(m.verdict[i]);
      csv.end_row();
    }
  }
  return csv.str();
}

std::string sensitivity_csv(const UncertainComparison& u) {
  Csv csv;
  for (const char* h : {"metric", "scenario", "parameter", "rank_correlation",
                        "chance_rank_correlation", "first_order", "first_order_noise_floor"}) {
    csv.text(h);
  }
  csv.end_row();
  for (const auto& m : u.metrics) {
    for (std::size_t i = 1; i < u.names.size(); ++i) {
      for (std::size_t j = 0; j < u.priors.size(); ++j) {
        csv.text(m.metric)
            .text(u.names[i])
            .text(u.priors[j].field)
            .number(m.rank_correlation[i][j])
            .number(m.chance_rank[i])
            .number(m.first_order[i][j])
            .number(u.noise_floor);
        csv.end_row();
      }
    }
  }
  return csv.str();
}

std::string draws_csv(const UncertainComparison& u) {
  Csv csv;
  csv.text("draw");
  for (const auto& p : u.priors) csv.text(p.field);
  for (std::size_t i = 1; i < u.names.size(); ++i) {
    for (const auto& m : u.metrics)
      csv.text(fmt::format("{}-{}.{}", u.names[i], u.names[0], m.metric));
  }
  csv.end_row();
  for (std::size_t d = 0; d < u.draws.size(); ++d) {
    csv.number(d);
    for (double v : u.draws[d]) csv.number(v);
    for (std::size_t i = 1; i < u.names.size(); ++i) {
      for (const auto& m : u.metrics) csv.number(m.differences[i][d]);
    }
    csv.end_row();
  }
  return csv.str();
}

std::string sobol_csv(const UncertainComparison& u) {
  Csv csv;
  for (const char* h : {"metric", "scenario", "parameter", "first_order", "first_order_low_5",
                        "first_order_high_95", "total_effect", "total_effect_low_5",
                        "total_effect_high_95", "noise_floor"}) {
    csv.text(h);
  }
  csv.end_row();
  for (const auto& m : u.metrics) {
    for (std::size_t i = 1; i < m.sobol.size(); ++i) {
      for (std::size_t j = 0; j < m.sobol[i].size(); ++j) {
        const auto& s = m.sobol[i][j];
        csv.text(m.metric).text(u.names[i]).text(u.priors[j].field);
        for (const auto& e : {s.first_order, s.total_effect}) {
          csv.number(e.value).number(e.low).number(e.high);
        }
        csv.number(m.sobol_noise_floor[i]);
        csv.end_row();
      }
    }
  }
  return csv.str();
}

}  // namespace buzz::report
