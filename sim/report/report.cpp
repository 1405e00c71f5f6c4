#include "sim/report/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "sim/report/html.hpp"
#include "sim/report/svg.hpp"
#include "sim/report/tables.hpp"

namespace buzz::report {

using namespace analysis;

namespace {

using svg::colour;
using svg::Frame;
using svg::number;

// Mean and 95% band over replicates of one time-series column, per recorded tick.
struct Band {
  std::vector<double> x, mean, low, high;
};

Band band(const ScenarioRun& run, std::size_t column) {
  Band b;
  const auto& reps = run.result.replicates;
  const std::size_t columns = run.result.tick_reporters.size();
  const std::size_t rows = reps.front().ticks.size();
  for (std::size_t row = 0; row < rows; ++row) {
    std::vector<double> sample;
    for (const auto& rep : reps) {
      if (row < rep.ticks.size()) sample.push_back(rep.at(row, column, columns));
    }
    const Interval i = mean_interval(
        sample, value_range(run.result.tick_reporters[column], run.result.population));
    b.x.push_back(reps.front().ticks[row] * run.config.tick_hours / 24);
    b.mean.push_back(i.mean);
    b.low.push_back(std::isnan(i.low) ? i.mean : i.low);
    b.high.push_back(std::isnan(i.high) ? i.mean : i.high);
  }
  return b;
}

std::string time_chart(const std::vector<ScenarioRun>& runs, const std::string& column) {
  std::vector<Band> bands;
  Frame f{0, 0, 0, 0};
  f.y0 = std::numeric_limits<double>::max();
  f.y1 = std::numeric_limits<double>::lowest();
  for (const auto& run : runs) {
    bands.push_back(band(run, engine::index_of(run.result.tick_reporters, column)));
    const Band& b = bands.back();
    f.x1 = std::max(f.x1, b.x.back());
    f.y0 = std::min(f.y0, *std::min_element(b.low.begin(), b.low.end()));
    f.y1 = std::max(f.y1, *std::max_element(b.high.begin(), b.high.end()));
  }
  // A series that is zero throughout says nothing: no chart.
  bool all_zero = true;
  for (const Band& b : bands) {
    all_zero = all_zero &&
               std::all_of(b.high.begin(), b.high.end(), [](double v) { return v == 0; }) &&
               std::all_of(b.low.begin(), b.low.end(), [](double v) { return v == 0; });
  }
  if (all_zero) return {};
  // Counts and shares start at 0; bands are clipped there.
  bool non_negative = true;
  for (const Band& b : bands) {
    non_negative = non_negative && *std::min_element(b.mean.begin(), b.mean.end()) >= 0;
  }
  if (non_negative) {
    f.y0 = 0;
    for (Band& b : bands) {
      for (double& v : b.low) v = std::max(v, 0.0);
    }
  }
  std::string body = f.axes(metric_title(column) + " (mean, 95% band)", "day");
  for (std::size_t s = 0; s < bands.size(); ++s) {
    const Band& b = bands[s];
    std::string area, line;
    for (std::size_t i = 0; i < b.x.size(); ++i)
      area += fmt::format("{:.1f},{:.1f} ", f.x(b.x[i]), f.y(b.high[i]));
    for (std::size_t i = b.x.size(); i-- > 0;)
      area += fmt::format("{:.1f},{:.1f} ", f.x(b.x[i]), f.y(b.low[i]));
    for (std::size_t i = 0; i < b.x.size(); ++i)
      line += fmt::format("{:.1f},{:.1f} ", f.x(b.x[i]), f.y(b.mean[i]));
    body += fmt::format("<polygon points='{}' fill='{}' fill-opacity='0.25' stroke='none'/>", area,
                        colour(s));
    body += fmt::format("<polyline points='{}' fill='none' stroke='{}' stroke-width='1.5'/>", line,
                        colour(s));
  }
  return svg::chart(body);
}

std::string bar_chart(const MetricComparison& m, const std::vector<std::string>& names) {
  Frame f{0, 1, 0, 0};
  f.y0 = 0;
  f.y1 = 0;
  for (const auto& i : m.scenario) {
    f.y0 = std::min({f.y0, i.mean, std::isnan(i.low) ? i.mean : i.low});
    f.y1 = std::max({f.y1, i.mean, std::isnan(i.high) ? i.mean : i.high});
  }
  if (f.y1 == f.y0) f.y1 = f.y0 + 1;
  std::string body =
      f.axes(metric_title(m.metric) + std::string(direction_note(m.direction)), "", false);
  const double slot = (Frame::kWidth - Frame::kLeft - Frame::kRight) / names.size();
  for (std::size_t s = 0; s < names.size(); ++s) {
    const Interval& i = m.scenario[s];
    const double x = Frame::kLeft + s * slot + slot * 0.2, w = slot * 0.6;
    const double top = std::min(f.y(i.mean), f.y(0)), height = std::abs(f.y(i.mean) - f.y(0));
    body += fmt::format("<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='{}'/>", x,
                        top, w, std::max(height, 0.5), colour(s));
    if (!std::isnan(i.low)) {
      const double cx = x + w / 2;
      body += fmt::format(
          "<line x1='{0:.1f}' y1='{1:.1f}' x2='{0:.1f}' y2='{2:.1f}' class='err'/>"
          "<line x1='{3:.1f}' y1='{1:.1f}' x2='{4:.1f}' y2='{1:.1f}' class='err'/>"
          "<line x1='{3:.1f}' y1='{2:.1f}' x2='{4:.1f}' y2='{2:.1f}' class='err'/>",
          cx, f.y(i.low), f.y(i.high), cx - 5, cx + 5);
    }
    body += fmt::format("<text x='{:.1f}' y='{:.1f}' class='tick' text-anchor='middle'>{}</text>",
                        x + w / 2, Frame::kHeight - Frame::kBottom + 12, html_escape(names[s]));
  }
  return svg::chart(body);
}

// Penetration by community from the community_summary table, for the largest communities.
std::string community_chart(const std::vector<ScenarioRun>& runs) {
  // community -> (population, penetration sum per scenario)
  std::map<std::uint32_t, std::pair<double, std::vector<double>>> by_community;
  for (std::size_t s = 0; s < runs.size(); ++s) {
    for (const auto& rep : runs[s].result.replicates) {
      for (const auto& t : rep.tables) {
        if (t.name != "community_summary") continue;
        const auto col = [&](std::string_view name) {
          return std::size_t(std::find(t.columns.begin(), t.columns.end(), name) -
                             t.columns.begin());
        };
        const std::size_t width = t.columns.size(), brand = col("brand"),
                          community = col("community"), population = col("population"),
                          penetration = col("penetration");
        if (std::max({brand, community, population, penetration}) >= width) continue;
        for (std::size_t row = 0; row * width < t.values.size(); ++row) {
          const double* v = &t.values[row * width];
          if (v[brand] != 0) continue;  // the first brand
          auto& entry = by_community[static_cast<std::uint32_t>(v[community])];
          entry.first = v[population];
          entry.second.resize(runs.size(), 0);
          entry.second[s] += v[penetration] / runs[s].result.replicates.size();
        }
      }
    }
  }
  if (by_community.empty()) return {};
  std::vector<std::pair<std::uint32_t, double>> order;
  for (const auto& [c, e] : by_community) order.emplace_back(c, e.first);
  std::sort(order.begin(), order.end(), [](auto a, auto b) {
    return a.second > b.second || (a.second == b.second && a.first < b.first);
  });
  order.resize(std::min<std::size_t>(order.size(), 8));
  Frame f{0, 1, 0, 0};
  for (auto [c, pop] : order) {
    for (double v : by_community[c].second) f.y1 = std::max(f.y1, v);
  }
  if (f.y1 == 0) f.y1 = 1;
  std::string body = f.axes("engaged share, largest 8 communities", "", false);
  const double slot = (Frame::kWidth - Frame::kLeft - Frame::kRight) / order.size();
  const double w = slot * 0.8 / runs.size();
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto& values = by_community[order[k].first].second;
    for (std::size_t s = 0; s < runs.size(); ++s) {
      const double x = Frame::kLeft + k * slot + slot * 0.1 + s * w;
      body += fmt::format("<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='{}'/>",
                          x, f.y(values[s]), w, std::max(f.y(0) - f.y(values[s]), 0.5), colour(s));
    }
    body += fmt::format("<text x='{:.1f}' y='{:.1f}' class='tick' text-anchor='middle'>#{}</text>",
                        Frame::kLeft + (k + 0.5) * slot, Frame::kHeight - Frame::kBottom + 12,
                        order[k].first);
  }
  // Communities have no names: each is its number, with its size beside the chart.
  std::string sizes = "<p><small>Communities by number, largest first: ";
  for (std::size_t k = 0; k < order.size(); ++k) {
    sizes += fmt::format("{}#{} {} people", k ? ", " : "", order[k].first, number(order[k].second));
  }
  return svg::chart(body) + sizes + ".</small></p>";
}

// Whether scenario i's difference from scenario 0 is clear (its interval excludes 0) and
// which way it goes for the reader: +1 i is better, -1 worse, 0 no clear difference.
int clear_difference(const MetricComparison& m, std::size_t i) {
  if (!m.exercised || !m.varies || m.direction == engine::Direction::no_verdict) return 0;
  return m.verdict[i];
}

// The verdict in one sentence per challenger, with the headline metrics as percentages.
std::string headline(const Comparison& c) {
  std::string html;
  for (std::size_t i = 1; i < c.names.size(); ++i) {
    int better = 0, worse = 0;
    std::vector<std::string> examples;
    for (const auto& m : c.metrics) {
      if (!m.headline || clear_difference(m, i) == 0 || examples.size() >= 3) continue;
      const std::string pct = svg::percent_of(m.difference[i].mean, m.scenario[0].mean);
      examples.push_back(fmt::format("{} {}", metric_title(m.metric),
                                     pct.empty() ? svg::number(m.difference[i].mean) : pct));
    }
    for (const auto& m : c.metrics) {
      const int d = clear_difference(m, i);
      better += d > 0;
      worse += d < 0;
    }
    const std::string a = html_escape(c.names[i]), b = html_escape(c.names[0]);
    std::string sentence;
    if (better == 0 && worse == 0) {
      sentence = fmt::format("No clear difference between {} and {} on any metric.", a, b);
    } else if (worse == 0 || better == 0) {
      sentence = fmt::format("{} does {} than {}: {} on {} metric{} and {} on none", a,
                             worse == 0 ? "better" : "worse", b, worse == 0 ? "better" : "worse",
                             std::max(better, worse), std::max(better, worse) == 1 ? "" : "s",
                             worse == 0 ? "worse" : "better");
    } else {
      sentence = fmt::format("Mixed: {} does better than {} on {} metric{} and worse on {}", a, b,
                             better, better == 1 ? "" : "s", worse);
    }
    if (!examples.empty()) {
      sentence += " (";
      for (std::size_t k = 0; k < examples.size(); ++k) {
        sentence += (k ? ", " : "") + html_escape(examples[k]);
      }
      sentence += fmt::format(" against {})", b);
    }
    if (sentence.back() != '.') sentence += '.';
    html += "<p class='headline'>" + sentence + "</p>\n";
  }
  return html;
}

// A verdict line ("a beats b on: reach, unique_reach.") with its metric names in words.
std::string metric_words(const std::string& line, const Comparison& c) {
  const auto colon = line.find(": ");
  if (colon == std::string::npos) return line;
  std::string out = line.substr(0, colon + 2), rest = line.substr(colon + 2);
  const bool stop = !rest.empty() && rest.back() == '.';
  if (stop) rest.pop_back();
  for (std::size_t start = 0, k = 0; start <= rest.size(); ++k) {
    const auto end = std::min(rest.find(", ", start), rest.size());
    const std::string item = rest.substr(start, end - start);
    const bool metric = std::any_of(c.metrics.begin(), c.metrics.end(),
                                    [&](const MetricComparison& m) { return m.metric == item; });
    out += (k ? ", " : "") + (metric ? metric_title(item) : item);
    start = end + 2;
  }
  return stop ? out + "." : out;
}

// Each metric in words with its one-line definition.
std::string glossary(const Comparison& c) {
  std::string html =
      "<h2>Glossary</h2>\n<table><tr><th>metric</th><th>what it counts</th>"
      "<th>better when</th></tr>\n";
  for (const auto& m : c.metrics) {
    if (!m.exercised) continue;
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        html_escape(metric_title(m.metric)), html_escape(m.definition),
                        m.direction == engine::Direction::higher_is_better  ? "higher"
                        : m.direction == engine::Direction::lower_is_better ? "lower"
                                                                            : "(no verdict)");
  }
  return html + "</table>\n";
}

}  // namespace

namespace {

// Share of draws each side wins, as one bar: the challenger's colour, ties grey, the
// baseline's colour.
std::string win_bar(double wins, double losses, std::size_t challenger) {
  const double w = 160;
  return fmt::format(
      "<svg width='{0}' height='12'><rect x='0' y='0' width='{1:.1f}' height='12' fill='{3}'/>"
      "<rect x='{1:.1f}' y='0' width='{2:.1f}' height='12' fill='#ccc'/>"
      "<rect x='{4:.1f}' y='0' width='{5:.1f}' height='12' fill='{6}'/></svg>",
      w, w * wins, w * (1 - wins - losses), colour(challenger), w * (1 - losses), w * losses,
      colour(0));
}

// The parameters whose rank correlation with a difference is beyond chance, as bars.
std::string driver_chart(const UncertainComparison& u, const UncertainMetric& m, std::size_t i) {
  const auto& c = m.rank_correlation[i];
  const auto order = drivers(m, i, 5);
  const std::size_t shown = order.size();
  if (shown == 0) return "";
  const double row = 18, left = 170, width = 420, half = (width - left - 10) / 2;
  std::string out =
      fmt::format("<svg width='{}' height='{}'><text class='title' x='4' y='14'>{}</text>", width,
                  30 + row * double(shown + 1), html_escape(m.metric));
  const double mid = left + half;
  for (std::size_t k = 0; k < shown; ++k) {
    const std::size_t j = order[k];
    const double y = 24 + row * double(k), len = half * std::abs(c[j]);
    out += fmt::format(
        "<text class='tick' x='4' y='{:.1f}'>{}</text><rect x='{:.1f}' y='{:.1f}' width='{:.1f}' "
        "height='{:.1f}' fill='{}'/>",
        y + 12, html_escape(short_name(u.priors[j].field)), c[j] < 0 ? mid - len : mid, y + 2, len,
        row - 5, c[j] < 0 ? colour(0) : colour(i));
  }
  const double bottom = 24 + row * double(shown);
  out += fmt::format(
      "<line class='axis' x1='{0:.1f}' y1='20' x2='{0:.1f}' y2='{1:.1f}'/>"
      "<line class='err' stroke-dasharray='3,2' x1='{2:.1f}' y1='20' x2='{2:.1f}' y2='{1:.1f}'/>"
      "<line class='err' stroke-dasharray='3,2' x1='{3:.1f}' y1='20' x2='{3:.1f}' y2='{1:.1f}'/>"
      "<text class='tick' x='4' y='{4:.1f}'>rank correlation with {5} - {6}, -1 to 1; dashed: "
      "chance</text></svg>",
      mid, bottom, mid - half * m.chance_rank[i], mid + half * m.chance_rank[i], bottom + 14,
      html_escape(u.names[i]), html_escape(u.names[0]));
  return out;
}

// Per metric, the parameters with a total effect clearly above 0 (--sobol).
std::string sobol_table(const UncertainComparison& u) {
  std::string html = fmt::format(
      "<h2>Sobol indices</h2>\n<p>Saltelli's design on base sample {} ({} draws). The total "
      "effect is the share of a difference's variance that a parameter accounts for with "
      "everything it interacts with (Jansen's estimator); the first order, on its own. "
      "[5th, 95th percentile] of 1,000 bootstrap resamples. Every parameter: "
      "sobol.csv.</p>\n",
      u.saltelli_n, u.design_draws);
  for (std::size_t i = 1; i < u.names.size(); ++i) {
    html += "<table><tr><th>metric</th><th>" + html_escape(u.names[i] + " - " + u.names[0]) +
            ": parameter</th><th>total effect</th><th>first order</th></tr>\n";
    for (const auto& m : u.metrics) {
      if (!m.exercised || !can_differ(m, i)) continue;
      for (std::size_t j : total_effect_drivers(m, i, 3)) {
        const auto& e = m.sobol[i][j];
        html += fmt::format(
            "<tr><td>{}</td><td>{}</td><td>{} [{}, {}]</td><td>{} [{}, {}]</td></tr>\n",
            html_escape(m.metric), html_escape(short_name(u.priors[j].field)),
            number(e.total_effect.value), number(e.total_effect.low), number(e.total_effect.high),
            number(e.first_order.value), number(e.first_order.low), number(e.first_order.high));
      }
    }
    html += "</table>\n";
  }
  return html;
}

std::string uncertainty_section(const UncertainComparison& u) {
  std::string html = fmt::format(
      "<h2>Under parameter uncertainty</h2>\n<p>{} draws of {} parameters {}; every scenario "
      "ran on each draw with common random numbers. A verdict is robust when one scenario "
      "wins in at least {:.0f}% of the draws. Bars: share of draws each side wins (grey: "
      "ties).</p>\n",
      u.draws.size(), u.priors.size(), html_escape(u.source), 100 * kRobustShare);
  if (u.scale < 1) html += "<p>" + html_escape(scale_note(u.scale)) + "</p>\n";
  std::string charts;
  for (std::size_t i = 1; i < u.names.size(); ++i) {
    html += "<table><tr><th>metric</th><th>" + html_escape(u.names[i] + " - " + u.names[0]) +
            " (mean [5th, 95th percentile])</th><th>wins</th><th>verdict</th></tr>\n";
    for (const auto& m : u.metrics) {
      if (!m.exercised || !can_differ(m, i)) continue;
      html += fmt::format("<tr><td>{}{}</td><td>{} [{}, {}]</td><td>{}</td><td>{}</td></tr>\n",
                          html_escape(m.metric), std::string(direction_note(m.direction)),
                          number(m.mean[i]), number(m.low[i]), number(m.high[i]),
                          m.direction == engine::Direction::no_verdict
                              ? std::string()
                              : win_bar(m.wins[i], m.losses[i], i),
                          html_escape(m.verdict[i]));
      if (m.direction != engine::Direction::no_verdict) charts += driver_chart(u, m, i);
    }
    html += "</table>\n";
  }
  if (!charts.empty()) {
    html +=
        "<h2>What drives each difference</h2>\n<p>Parameters whose rank correlation with "
        "the difference is beyond what chance gives with these draws.</p>\n"
        "<div class='charts'>" +
        charts + "</div>\n";
  }
  if (u.saltelli_n > 0) html += sobol_table(u);
  return html;
}

}  // namespace

// The table of every metric: each scenario's mean and interval, each difference from the
// first, and the wins.
std::string metrics_table(const Comparison& c) {
  std::string html;
  html +=
      "<h2>All metrics</h2>\n<p>Hover a metric for its definition (also in the glossary "
      "below); differences are also given as a percentage of " +
      html_escape(c.names[0]) + "'s mean. " + html_escape(scale_note(c.scale)) +
      "</p>\n<table><tr><th>metric</th>";
  for (const auto& n : c.names) html += "<th>" + html_escape(n) + " mean [95%]</th>";
  for (std::size_t s = 1; s < c.names.size(); ++s) {
    html += "<th>" + html_escape(c.names[s] + " - " + c.names[0]) + " [95%]</th>";
  }
  html += "<th>wins</th></tr>\n";
  for (const auto& m : c.metrics) {
    html += "<tr><td title='" + html_escape(m.definition) + "'>" +
            html_escape(metric_title(m.metric)) + std::string(direction_note(m.direction)) +
            "</td>";
    for (const auto& i : m.scenario) {
      html += fmt::format("<td>{} [{}, {}]</td>", number(i.mean), number(i.low), number(i.high));
    }
    for (std::size_t s = 1; s < m.difference.size(); ++s) {
      const auto& d = m.difference[s];
      const std::string pct = svg::percent_of(d.mean, m.scenario[0].mean);
      html += fmt::format("<td>{}{} [{}, {}]</td>", number(d.mean),
                          pct.empty() ? "" : " (" + pct + ")", number(d.low), number(d.high));
    }
    std::string wins;
    for (std::size_t s = 0; m.direction != engine::Direction::no_verdict && s < c.names.size();
         ++s) {
      wins += fmt::format("{}{} {:.0f}%", s ? ", " : "", html_escape(c.names[s]), 100 * m.wins[s]);
    }
    if (m.ties > 0) wins += fmt::format(", ties {:.0f}%", 100 * m.ties);
    html += "<td>" + wins + "</td></tr>\n";
  }
  html += "</table>\n";
  return html;
}

// Charts of the headline series over time and of the final metrics, as the model declares
// them (its first few when it marks none), of those all runs have.
std::string headline_charts(const std::vector<ScenarioRun>& runs, const Comparison& c) {
  std::string html = "<h2>Over time</h2>\n<div class='charts'>";
  engine::Reporters columns = runs.front().result.tick_reporters;
  for (const auto& r : runs) {
    std::erase_if(columns, [&](const engine::Reporter& col) {
      return engine::index_of(r.result.tick_reporters, col.name) == r.result.tick_reporters.size();
    });
  }
  for (const auto& col : engine::headline_names(columns, 4)) {
    html += time_chart(runs, col);  // "" for a series zero throughout
  }
  html += "</div>\n<h2>Final metrics (mean and 95% interval)</h2>\n<div class='charts'>";
  engine::Reporters metrics;
  for (const auto& m : c.metrics) {
    engine::Reporter r;
    r.name = m.metric, r.headline = m.headline;
    metrics.push_back(std::move(r));
  }
  for (const auto& name : engine::headline_names(metrics, 8)) {
    const auto& m = *std::find_if(c.metrics.begin(), c.metrics.end(),
                                  [&](const MetricComparison& x) { return x.metric == name; });
    if (m.exercised) html += bar_chart(m, c.names);  // a metric zero everywhere: no chart
  }
  html += "</div>\n";
  return html;
}

std::string comparison_report(const std::vector<ScenarioRun>& runs, const Comparison& c,
                              const UncertainComparison* u) {
  std::string html = report_head("buzzsim comparison");
  html += "<h1>buzzsim comparison: ";
  for (std::size_t s = 0; s < c.names.size(); ++s)
    html += (s ? " vs " : "") + html_escape(c.names[s]);
  html += "</h1>\n<p class='legend'>";
  for (std::size_t s = 0; s < c.names.size(); ++s) {
    html += fmt::format("<span><span class='swatch' style='background:{}'></span>{}</span>",
                        colour(s), html_escape(c.names[s]));
  }
  html += fmt::format("</p>\n<p>{} comparison, {} replicates each.</p>\n",
                      c.paired ? "Paired on common random numbers (same graph and random streams)"
                               : "Unpaired (the scenarios differ in graph, seed or replicates; "
                                 "differences use Welch intervals)",
                      runs.front().config.replicates);
  html += headline(c);
  if (const std::string note = scale_note(c.scale); !note.empty()) {
    html += "<p><b>" + html_escape(note) + "</b></p>\n";
  }
  if (c.under_uncertainty) {
    html += "<p>Every verdict weighs the parameters' uncertainty: " + html_escape(c.basis) +
            ". The intervals in the tables below are over replicates at the scenarios' own "
            "parameter values.</p>\n";
  }
  html += "<h2>Verdicts</h2>\n<ul>";
  for (const auto& line : verdict_lines(c)) {
    html += "<li>" + html_escape(metric_words(line, c)) + "</li>";
  }
  html += "</ul>\n" + headline_charts(runs, c);
  const std::string communities = community_chart(runs);
  if (!communities.empty()) {
    html +=
        "<h2>By community: the share of its people who ever engaged</h2>\n<div class='charts'>" +
        communities + "</div>\n";
  }
  html += metrics_table(c);
  if (u != nullptr) html += uncertainty_section(*u);
  html += glossary(c);
  html += "<h2>Scenarios</h2>\n";
  for (const auto& r : runs) {
    html +=
        fmt::format("<h3>{}</h3><p>{}</p><p><small>{}</small></p>\n", html_escape(r.config.name),
                    html_escape(r.config.description), html_escape(r.config.file.string()));
  }
  html += "</body></html>\n";
  return html;
}

}  // namespace buzz::report
