#include "sim/batch/sweep.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "proto/result.pb.h"
#include "sim/batch/compare.hpp"
#include "sim/batch/csv.hpp"
#include "sim/batch/html.hpp"
#include "sim/batch/output_dir.hpp"
#include "sim/batch/runner.hpp"
#include "sim/batch/stats.hpp"
#include "sim/batch/svg.hpp"
#include "sim/common/input_error.hpp"

namespace buzz::batch {

namespace fs = std::filesystem;

namespace {

fs::path point_file(const fs::path& out, std::uint32_t point) {
  return out / "points" / fmt::format("point-{:06}.binpb", point);
}

// A finished point's file, or why it cannot be used (empty, corrupt, another point or
// another shape): a killed or damaged sweep recomputes such points.
std::optional<buzzsim::SweepPointResult> read_point(const fs::path& file,
                                                    const scenario::SweepPoint& point,
                                                    std::string& why) {
  buzzsim::SweepPointResult r;
  const std::string bytes = read_file(file);
  if (bytes.empty()) {
    why = "empty";
  } else if (!r.ParseFromString(bytes)) {
    why = "not a sweep point result (corrupt)";
  } else if (r.point() != point.index || std::size_t(r.values_size()) != point.values.size()) {
    why = fmt::format("holds point {}, not {}", r.point(), point.index);
  } else if (r.replicates_size() != int(point.config.replicates)) {
    why = fmt::format("has {} replicates, not {}", r.replicates_size(), point.config.replicates);
  } else {
    for (const auto& rep : r.replicates()) {
      if (rep.metrics_size() != r.metrics_size()) {
        why = fmt::format("replicate {} has {} metrics, not {}", rep.replicate(),
                          rep.metrics_size(), r.metrics_size());
        return std::nullopt;
      }
    }
    return r;
  }
  return std::nullopt;
}

// The identity of a sweep: each point's scenario hash, one per line.
std::string plan_text(const scenario::SweepPlan& plan) {
  std::string text;
  for (const auto& p : plan.points)
    text += fmt::format("{} {}\n", p.index, scenario::hash(p.config));
  return text;
}

}  // namespace

SweepSummary run_sweep(const scenario::SweepPlan& plan, const SweepOptions& options,
                       const RunContext& context) {
  const fs::path& out = options.out;
  const std::string identity = plan_text(plan);
  if (options.rank == 0) {
    if (fs::exists(out) && options.resume) {
      if (read_file(out / "sweep_plan.txt") != identity) {
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
      if (fs::exists(out)) check_replaceable(out);
      fs::remove_all(out);
      fs::create_directories(out / "points");
      write_marker(out);
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
      std::string why;
      if (read_point(file, point, why)) {
        ++summary.skipped;
        continue;
      }
      summary.recomputed.push_back(fmt::format("{}: {}; computing it again", file.string(), why));
    }
    const bool base_graph = point.config.graph_key == plan.base.graph_key &&
                            point.config.graph_seed == plan.base.graph_seed;
    if (base_graph && !graph) graph.emplace(build_graph(plan.base));
    std::optional<graph::Graph> own;
    if (!base_graph) own.emplace(build_graph(point.config));
    const RunResult result = run(point.config, base_graph ? *graph : *own);
    buzzsim::SweepPointResult r;
    r.set_point(point.index);
    r.mutable_values()->Add(point.values.begin(), point.values.end());
    for (const auto& m : result.run_reporters) {
      auto* d = r.add_metrics();
      d->set_name(m.name);
      d->set_unit(m.unit);
      d->set_measure(std::string(engine::to_string(m.measure)));
      d->set_direction(std::string(engine::to_string(m.direction)));
      d->set_definition(m.definition);
      d->set_can_be_negative(m.can_be_negative);
    }
    r.set_population(result.population);
    for (const auto& rep : result.replicates) {
      auto* x = r.add_replicates();
      x->set_replicate(rep.replicate);
      x->mutable_metrics()->Add(rep.metrics.begin(), rep.metrics.end());
    }
    write_file(file, r.SerializeAsString());  // whole or not at all
    ++summary.computed;
  }
  options.barrier();
  if (options.rank != 0) return summary;

  // Merge, in point order, from the points' binary results.
  Csv results, points_csv;
  std::vector<std::vector<Interval>> means;
  std::vector<std::string> metric_names;
  std::vector<engine::Direction> directions;
  for (const auto& point : plan.points) {
    std::string why;
    const auto r = read_point(point_file(out, point.index), point, why);
    if (!r) {
      throw std::runtime_error(fmt::format("{}: {}", point_file(out, point.index).string(), why));
    }
    if (metric_names.empty()) {
      for (const auto& m : r->metrics()) {
        metric_names.push_back(m.name());
        directions.push_back(m.direction() == "lower"  ? engine::Direction::lower_is_better
                             : m.direction() == "none" ? engine::Direction::no_verdict
                                                       : engine::Direction::higher_is_better);
      }
      results.text("point");
      points_csv.text("point");
      for (const auto& f : plan.fields) results.text(f), points_csv.text(f);
      results.text("replicate");
      for (const auto& m : metric_names) {
        results.text(m);
        points_csv.text(m).text(m + "_ci95_low").text(m + "_ci95_high");
      }
      results.end_row();
      points_csv.end_row();
    }
    std::vector<std::vector<double>> columns(metric_names.size());
    for (const auto& rep : r->replicates()) {
      results.number(point.index);
      for (double v : point.values) results.number(v);
      results.number(rep.replicate());
      for (int m = 0; m < rep.metrics_size(); ++m) {
        results.number(rep.metrics(m));
        columns[std::size_t(m)].push_back(rep.metrics(m));
      }
      results.end_row();
    }
    points_csv.number(point.index);
    for (double v : point.values) points_csv.number(v);
    means.emplace_back();
    for (std::size_t m = 0; m < columns.size(); ++m) {
      const auto& c = columns[m];
      // Within what the metric can be, as compare's intervals (stats.hpp).
      const auto& d = r->metrics(int(m));
      const Interval i = mean_interval(
          c, value_range(d.unit(),
                         d.measure() == "flow" ? engine::Measure::flow : engine::Measure::stock,
                         d.can_be_negative(), r->population()));
      points_csv.number(i.mean).number(i.low).number(i.high);
      means.back().push_back(i);
    }
    points_csv.end_row();
  }
  write_file(out / "results.csv", results.str());
  write_file(out / "points.csv", points_csv.str());

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
  for (std::size_t a = 0; a < plan.fields.size(); ++a) {
    html += (a ? ", " : "") + html_escape(words(plan.fields[a])) + " (<code>" +
            html_escape(plan.fields[a]) + "</code>)";
  }
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
    for (std::size_t m : shown) {
      svg::Heatmap h{words(metric_names[m]) + std::string(direction_note(directions[m])),
                     plan.fields[0],
                     plan.fields[1],
                     {},
                     {},
                     {},
                     {},
                     {}};
      h.direction = directions[m];
      for (std::size_t i = 0; i < plan.points.size(); ++i) {
        h.x.push_back(plan.points[i].values[0]);
        h.y.push_back(plan.points[i].values[1]);
        h.cells.push_back(means[i][m].mean);
        h.low.push_back(means[i][m].low);
        h.high.push_back(means[i][m].high);
      }
      html += svg::heatmap(h);
    }
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
