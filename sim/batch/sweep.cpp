#include "sim/batch/sweep.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "proto/result.pb.h"
#include "sim/analysis/compare.hpp"
#include "sim/analysis/stats.hpp"
#include "sim/batch/output_dir.hpp"
#include "sim/batch/runner.hpp"
#include "sim/common/input_error.hpp"
#include "sim/report/csv.hpp"
#include "sim/report/html.hpp"
#include "sim/report/svg.hpp"
#include "sim/report/tables.hpp"

namespace buzz::batch {

using namespace analysis;
using namespace report;

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

// Prepares `out` for the plan: a new folder, or the same sweep's to resume.
void prepare_folder(const fs::path& out, const std::string& identity, const SweepOptions& options) {
  if (fs::exists(out) && options.resume) {
    if (read_file(out / "sweep_plan.txt") != identity) {
      throw InputError(
          fmt::format("{}: holds a different sweep (or none); --resume continues only "
                      "the same scenario and overrides",
                      out.string()));
    }
    return;
  }
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

buzzsim::SweepPointResult point_result(const scenario::SweepPoint& point, const RunResult& result) {
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
    d->set_headline(m.headline);
  }
  r.set_population(result.population);
  for (const auto& rep : result.replicates) {
    auto* x = r.add_replicates();
    x->set_replicate(rep.replicate);
    x->mutable_metrics()->Add(rep.metrics.begin(), rep.metrics.end());
  }
  return r;
}

// This rank's points, each written whole as it finishes; finished ones are kept.
void compute_points(const scenario::SweepPlan& plan, const SweepOptions& options,
                    SweepSummary& summary) {
  std::optional<graph::Graph> graph;  // points share the base graph unless a point changes it
  for (const auto& point : plan.points) {
    if (int(point.index % std::uint32_t(options.ranks)) != options.rank) continue;
    const fs::path file = point_file(options.out, point.index);
    if (fs::exists(file)) {
      std::string why;
      if (read_point(file, point, why)) {
        ++summary.skipped;
        for (std::uint32_t r = 0; r < point.config.replicates; ++r) options.replicate_done();
        continue;
      }
      summary.recomputed.push_back(fmt::format("{}: {}; computing it again", file.string(), why));
    }
    const bool base_graph = point.config.graph_key == plan.base.graph_key &&
                            point.config.graph_seed == plan.base.graph_seed;
    if (base_graph && !graph) graph.emplace(build_graph(plan.base));
    std::optional<graph::Graph> own;
    if (!base_graph) own.emplace(build_graph(point.config));
    const RunResult result = run(point.config, base_graph ? *graph : *own, options.replicate_done);
    write_file(file, point_result(point, result).SerializeAsString());  // whole or not at all
    ++summary.computed;
  }
}

// The merged tables, and each point's means for the report.
struct Tables {
  Csv results, points;
  std::vector<std::vector<Interval>> means;  // by point, then metric
  std::vector<std::string> metric_names;
  std::vector<engine::Direction> directions;
  engine::Reporters declared;  // names and headline flags, for the heatmaps' choice
};

// A point's value on each axis: a preset's name, or the number.
void axis_cells(const scenario::SweepPoint& point, Csv& csv) {
  for (std::size_t a = 0; a < point.values.size(); ++a) {
    if (a < point.labels.size() && !point.labels[a].empty()) {
      csv.text(point.labels[a]);
    } else {
      csv.number(point.values[a]);
    }
  }
}

void header(const scenario::SweepPlan& plan, const buzzsim::SweepPointResult& r, Tables& t) {
  for (const auto& m : r.metrics()) {
    t.metric_names.push_back(m.name());
    engine::Reporter declared;
    declared.name = m.name(), declared.headline = m.headline();
    t.declared.push_back(std::move(declared));
    t.directions.push_back(m.direction() == "lower"  ? engine::Direction::lower_is_better
                           : m.direction() == "none" ? engine::Direction::no_verdict
                                                     : engine::Direction::higher_is_better);
  }
  t.results.text("point");
  t.points.text("point");
  for (const auto& f : plan.fields) t.results.text(f), t.points.text(f);
  t.results.text("replicate");
  for (const auto& m : t.metric_names) {
    t.results.text(m);
    t.points.text(m).text(m + "_ci95_low").text(m + "_ci95_high");
  }
  t.results.end_row();
  t.points.end_row();
}

// Merges, in point order, from the points' binary results.
Tables merge(const scenario::SweepPlan& plan, const fs::path& out) {
  Tables t;
  for (const auto& point : plan.points) {
    std::string why;
    const auto r = read_point(point_file(out, point.index), point, why);
    if (!r) {
      throw std::runtime_error(fmt::format("{}: {}", point_file(out, point.index).string(), why));
    }
    if (t.metric_names.empty()) header(plan, *r, t);
    std::vector<std::vector<double>> columns(t.metric_names.size());
    for (const auto& rep : r->replicates()) {
      t.results.number(point.index);
      axis_cells(point, t.results);
      t.results.number(rep.replicate());
      for (int m = 0; m < rep.metrics_size(); ++m) {
        t.results.number(rep.metrics(m));
        columns[std::size_t(m)].push_back(rep.metrics(m));
      }
      t.results.end_row();
    }
    t.points.number(point.index);
    axis_cells(point, t.points);
    t.means.emplace_back();
    for (std::size_t m = 0; m < columns.size(); ++m) {
      // Within what the metric can be, as compare's intervals (stats.hpp).
      const auto& d = r->metrics(int(m));
      const Interval i = mean_interval(
          columns[m],
          value_range(d.unit(),
                      d.measure() == "flow" ? engine::Measure::flow : engine::Measure::stock,
                      d.can_be_negative(), r->population()));
      t.points.number(i.mean).number(i.low).number(i.high);
      t.means.back().push_back(i);
    }
    t.points.end_row();
  }
  return t;
}

// An axis's tick names for a heatmap: its presets' names by position, or none.
std::vector<std::string> axis_names(const scenario::SweepPlan& plan, std::size_t a) {
  std::vector<std::string> names;
  for (const auto& p : plan.points) {
    if (a >= p.labels.size() || p.labels[a].empty()) return {};
    const auto i = std::size_t(p.values[a]);
    if (names.size() <= i) names.resize(i + 1);
    names[i] = p.labels[a];
  }
  return names;
}

std::string report_html(const scenario::SweepPlan& plan, const Tables& t) {
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
    std::vector<std::size_t> shown;
    for (const auto& name : engine::headline_names(t.declared, 4)) {
      shown.push_back(engine::index_of(t.declared, name));
    }
    for (std::size_t m : shown) {
      svg::Heatmap h;
      h.title = metric_title(t.metric_names[m]) + std::string(direction_note(t.directions[m]));
      h.x_label = plan.fields[0], h.y_label = plan.fields[1];
      h.x_names = axis_names(plan, 0), h.y_names = axis_names(plan, 1);
      h.direction = t.directions[m];
      for (std::size_t i = 0; i < plan.points.size(); ++i) {
        h.x.push_back(plan.points[i].values[0]);
        h.y.push_back(plan.points[i].values[1]);
        h.cells.push_back(t.means[i][m].mean);
        h.low.push_back(t.means[i][m].low);
        h.high.push_back(t.means[i][m].high);
      }
      html += svg::heatmap(h);
    }
    html += "</div>";
  }
  html +=
      "<p>Per-point means and intervals: points.csv; every replicate: "
      "results.csv.</p></body></html>\n";
  return html;
}

}  // namespace

SweepSummary run_sweep(const scenario::SweepPlan& plan, const SweepOptions& options,
                       const RunContext& context) {
  const std::string identity = plan_text(plan);
  if (options.rank == 0) prepare_folder(options.out, identity, options);
  options.barrier();
  SweepSummary summary;
  summary.points = plan.points.size();
  compute_points(plan, options, summary);
  options.barrier();
  if (options.rank != 0) return summary;
  const Tables t = merge(plan, options.out);
  write_file(options.out / "results.csv", t.results.str());
  write_file(options.out / "points.csv", t.points.str());
  write_file(options.out / "report.html", report_html(plan, t));
  write_file(options.out / "provenance.json", provenance_json(plan.base, context));
  return summary;
}

}  // namespace buzz::batch
