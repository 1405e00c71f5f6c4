#include "sim/batch/sweep.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "sim/batch/html.hpp"
#include "sim/batch/output_dir.hpp"
#include "sim/batch/runner.hpp"
#include "sim/batch/stats.hpp"
#include "sim/common/input_error.hpp"

namespace buzz::batch {

namespace fs = std::filesystem;

namespace {

fs::path point_file(const fs::path& out, std::uint32_t point) {
  return out / "points" / fmt::format("point-{:06}.csv", point);
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

// The identity of a sweep: each point's scenario hash, one per line.
std::string plan_text(const scenario::SweepPlan& plan) {
  std::string text;
  for (const auto& p : plan.points)
    text += fmt::format("{} {}\n", p.index, scenario::hash(p.config));
  return text;
}

std::string header(const scenario::SweepPlan& plan, const std::vector<std::string>& metrics) {
  std::string h = "point";
  for (const auto& f : plan.fields) h += "," + f;
  h += ",replicate";
  for (const auto& m : metrics) h += "," + m;
  return h + "\n";
}

// A heatmap of one metric's mean over the first two axes, as inline SVG.
std::string heatmap(const scenario::SweepPlan& plan, const std::vector<std::vector<double>>& means,
                    std::size_t metric, const std::string& name) {
  std::vector<double> xs, ys;
  for (const auto& p : plan.points) {
    if (std::find(xs.begin(), xs.end(), p.values[0]) == xs.end()) xs.push_back(p.values[0]);
    if (std::find(ys.begin(), ys.end(), p.values[1]) == ys.end()) ys.push_back(p.values[1]);
  }
  std::sort(xs.begin(), xs.end());
  std::sort(ys.begin(), ys.end());
  double lo = 1e300, hi = -1e300;
  for (const auto& m : means) lo = std::min(lo, m[metric]), hi = std::max(hi, m[metric]);
  const double left = 70, top = 24, cell_w = 300.0 / xs.size(), cell_h = 200.0 / ys.size();
  std::string body =
      fmt::format("<text x='{}' y='14' class='title'>{} (mean)</text>", left, html_escape(name));
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    const auto& p = plan.points[i];
    const auto xi = std::find(xs.begin(), xs.end(), p.values[0]) - xs.begin();
    const auto yi = std::find(ys.begin(), ys.end(), p.values[1]) - ys.begin();
    const double t = hi > lo ? (means[i][metric] - lo) / (hi - lo) : 0.5;
    // From pale yellow (low) to dark blue (high).
    const int r = int(255 * (1 - t) + 8 * t), g = int(247 * (1 - t) + 48 * t),
              b = int(188 * (1 - t) + 107 * t);
    body += fmt::format(
        "<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='rgb({},{},{})'>"
        "<title>{} = {:.4g}</title></rect>",
        left + xi * cell_w, top + (ys.size() - 1 - yi) * cell_h, cell_w, cell_h, r, g, b,
        html_escape(name), means[i][metric]);
  }
  for (std::size_t i = 0; i < xs.size(); ++i) {
    body +=
        fmt::format("<text x='{:.1f}' y='{:.1f}' class='tick' text-anchor='middle'>{:.3g}</text>",
                    left + (i + 0.5) * cell_w, top + 214, xs[i]);
  }
  for (std::size_t i = 0; i < ys.size(); ++i) {
    body += fmt::format("<text x='{:.1f}' y='{:.1f}' class='tick' text-anchor='end'>{:.3g}</text>",
                        left - 4, top + (ys.size() - 1 - i + 0.5) * cell_h + 3, ys[i]);
  }
  body += fmt::format("<text x='{}' y='258' class='tick' text-anchor='middle'>{}</text>",
                      left + 150, html_escape(plan.fields[0]));
  body += fmt::format(
      "<text x='10' y='{}' class='tick' transform='rotate(-90 10 {})' "
      "text-anchor='middle'>{}</text>",
      top + 100, top + 100, html_escape(plan.fields[1]));
  body += fmt::format("<text x='{}' y='{}' class='tick'>low {:.3g}, high {:.3g}</text>", left + 310,
                      top + 10, lo, hi);
  return fmt::format("<svg xmlns='http://www.w3.org/2000/svg' width='560' height='270'>{}</svg>",
                     body);
}

}  // namespace

SweepSummary run_sweep(const scenario::SweepPlan& plan, const SweepOptions& options,
                       const RunContext& context) {
  const fs::path& out = options.out;
  const std::string identity = plan_text(plan);
  if (options.rank == 0) {
    if (fs::exists(out) && options.resume) {
      if (read(out / "sweep_plan.txt") != identity) {
        throw InputError(
            fmt::format("{}: holds a different sweep (or none); --resume continues only "
                        "the same scenario and overrides",
                        out.string()));
      }
    } else {
      if (fs::exists(out) && !options.overwrite) {
        throw InputError(
            fmt::format("{}: output folder already exists; pass --resume to continue "
                        "the sweep in it, --overwrite to start again, or choose another --out",
                        out.string()));
      }
      fs::remove_all(out);
      fs::create_directories(out / "points");
      write_file(out / "sweep_plan.txt", identity);
    }
  }
  options.barrier();

  SweepSummary summary;
  summary.points = plan.points.size();
  std::optional<graph::Graph> graph;  // points share the base graph unless a point changes it
  for (const auto& point : plan.points) {
    if (int(point.index % std::uint32_t(options.ranks)) != options.rank) continue;
    const fs::path file = point_file(out, point.index);
    if (fs::exists(file)) {
      ++summary.skipped;
      continue;
    }
    const bool base_graph = point.config.graph_key == plan.base.graph_key &&
                            point.config.graph_seed == plan.base.graph_seed;
    if (base_graph && !graph) graph.emplace(build_graph(plan.base));
    std::optional<graph::Graph> own;
    if (!base_graph) own.emplace(build_graph(point.config));
    const RunResult result = run(point.config, base_graph ? *graph : *own);
    std::string csv = header(plan, engine::names(result.run_reporters));
    for (const auto& rep : result.replicates) {
      csv += fmt::format("{}", point.index);
      for (double v : point.values) csv += fmt::format(",{}", v);
      csv += fmt::format(",{}", rep.replicate);
      for (double v : rep.metrics) csv += fmt::format(",{}", v);
      csv += "\n";
    }
    write_file(file, csv);  // whole or not at all
    ++summary.computed;
  }
  options.barrier();
  if (options.rank != 0) return summary;

  // Merge, in point order.
  std::string results, points_csv;
  std::vector<std::vector<double>> means;
  std::vector<std::string> metric_names;
  for (const auto& point : plan.points) {
    const std::string text = read(point_file(out, point.index));
    const auto first_newline = text.find('\n');
    if (results.empty()) {
      results = text.substr(0, first_newline + 1);
      // Metric names: the header after point, fields and replicate.
      std::stringstream h(text.substr(0, first_newline));
      std::string col;
      for (std::size_t k = 0; std::getline(h, col, ','); ++k) {
        if (k >= plan.fields.size() + 2) metric_names.push_back(col);
      }
      points_csv = "point";
      for (const auto& f : plan.fields) points_csv += "," + f;
      for (const auto& m : metric_names)
        points_csv += fmt::format(",{0},{0}_ci95_low,{0}_ci95_high", m);
      points_csv += "\n";
    }
    results += text.substr(first_newline + 1);
    // Per-point means from the rows.
    std::vector<std::vector<double>> columns(metric_names.size());
    std::stringstream rows(text.substr(first_newline + 1));
    std::string row;
    while (std::getline(rows, row)) {
      std::stringstream cells(row);
      std::string cell;
      for (std::size_t k = 0; std::getline(cells, cell, ','); ++k) {
        if (k >= plan.fields.size() + 2)
          columns[k - plan.fields.size() - 2].push_back(std::stod(cell));
      }
    }
    points_csv += fmt::format("{}", point.index);
    for (double v : point.values) points_csv += fmt::format(",{}", v);
    means.emplace_back();
    for (const auto& c : columns) {
      const Interval i = mean_interval(c);
      points_csv += fmt::format(",{},{},{}", i.mean, i.low, i.high);
      means.back().push_back(i.mean);
    }
    points_csv += "\n";
  }
  write_file(out / "results.csv", results);
  write_file(out / "points.csv", points_csv);

  std::string html =
      R"(<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>buzzsim sweep</title>
<style>body{font-family:sans-serif;margin:24px;color:#222} .title{font-size:12px;font-weight:bold}
.tick{font-size:10px;fill:#555} svg{border:1px solid #ddd;margin:6px} .charts{display:flex;flex-wrap:wrap}</style>
</head><body>)";
  html += fmt::format(
      "<h1>buzzsim sweep: {}</h1><p>{}</p><p>{} points x {} replicates, on common "
      "random numbers. Swept: ",
      html_escape(plan.base.name), html_escape(plan.base.description), plan.points.size(),
      plan.base.replicates);
  for (std::size_t a = 0; a < plan.fields.size(); ++a)
    html += (a ? ", " : "") + html_escape(plan.fields[a]);
  html += ".</p>";
  if (plan.fields.size() >= 2) {
    html += "<div class='charts'>";
    const std::vector<std::string> preferred{"reach",          "engagement_rate",
                                             "mean_sentiment", "earned_owned_ratio",
                                             "followers",      "unfollows"};
    std::vector<std::size_t> shown;
    for (const auto& p : preferred) {
      const auto it = std::find(metric_names.begin(), metric_names.end(), p);
      if (it != metric_names.end()) shown.push_back(std::size_t(it - metric_names.begin()));
    }
    for (std::size_t m = 0; shown.empty() && m < std::min<std::size_t>(4, metric_names.size());
         ++m) {
      shown.push_back(m);
    }
    for (std::size_t m : shown) html += heatmap(plan, means, m, metric_names[m]);
    html += "</div>";
  }
  html +=
      "<p>Per-point means and intervals: points.csv; every replicate: "
      "results.csv.</p></body></html>\n";
  write_file(out / "report.html", html);
  write_file(out / "provenance.json", provenance_json(plan.base, context));
  return summary;
}

}  // namespace buzz::batch
