#include "sim/batch/writers.hpp"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>

#include "proto/result.pb.h"
#include "sim/batch/output_dir.hpp"
#include "sim/common/input_error.hpp"
#include "sim/report/csv.hpp"
#include "sim/scenario/scenario.hpp"

#ifndef BUZZ_BUILD_VERSION
#define BUZZ_BUILD_VERSION "unknown"
#endif

namespace buzz::batch {

using namespace analysis;
using namespace report;

namespace {

std::string to_json(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) throw std::runtime_error("JSON conversion failed: " + status.ToString());
  return json;
}

void add_metrics(const engine::Reporters& reporters, const std::vector<double>& values,
                 google::protobuf::RepeatedPtrField<buzzsim::Metric>* out) {
  for (std::size_t m = 0; m < reporters.size(); ++m) {
    auto* metric = out->Add();
    metric->set_name(reporters[m].name);
    metric->set_value(values[m]);
  }
}

void fill_aggregate(const RunResult& result,
                    google::protobuf::RepeatedPtrField<buzzsim::Aggregate>* out) {
  const auto intervals = aggregate(result);
  for (std::size_t m = 0; m < intervals.size(); ++m) {
    auto* a = out->Add();
    a->set_name(result.run_reporters[m].name);
    a->set_n(intervals[m].n);
    a->set_mean(intervals[m].mean);
    a->set_sd(intervals[m].sd);
    a->set_ci95_low(intervals[m].low);
    a->set_ci95_high(intervals[m].high);
  }
}

}  // namespace

std::string build_version() { return BUZZ_BUILD_VERSION; }

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

namespace {
buzzsim::Provenance make_provenance(const scenario::Config& config, const RunContext& context) {
  buzzsim::Provenance provenance;
  provenance.set_scenario_file(config.file.string());
  provenance.set_scenario_sha256(scenario::hash(config));
  provenance.set_scenario_text(config.canonical_text);
  provenance.set_seed(config.seed);
  provenance.set_replicates(config.replicates);
  provenance.set_build_version(build_version());
  provenance.set_threads(context.threads);
  for (const auto& arg : context.command_line) provenance.add_command_line(arg);
  provenance.set_started_utc(context.started_utc);
  for (const auto& s : config.sets) provenance.add_set(s);
  return provenance;
}
}  // namespace

std::string provenance_json(const scenario::Config& config, const RunContext& context) {
  return to_json(make_provenance(config, context));
}

std::vector<Interval> aggregate(const RunResult& result) {
  std::vector<Interval> out;
  std::vector<double> sample(result.replicates.size());
  for (std::size_t m = 0; m < result.run_reporters.size(); ++m) {
    for (std::size_t r = 0; r < sample.size(); ++r) sample[r] = result.replicates[r].metrics[m];
    out.push_back(mean_interval(sample, value_range(result.run_reporters[m], result.population)));
  }
  return out;
}

std::string timeseries_csv(const scenario::Config& config, const RunResult& result) {
  Csv csv;
  csv.text("replicate").text("tick").text("day");
  for (const auto& c : result.tick_reporters) csv.text(c.name);
  csv.end_row();
  const std::size_t columns = result.tick_reporters.size();
  for (const auto& rep : result.replicates) {
    for (std::size_t row = 0; row < rep.ticks.size(); ++row) {
      csv.number(rep.replicate)
          .number(rep.ticks[row])
          .number(rep.ticks[row] * config.tick_hours / 24.0);
      for (std::size_t c = 0; c < columns; ++c) csv.number(rep.at(row, c, columns));
      csv.end_row();
    }
  }
  return csv.str();
}

std::string summary_csv(const RunResult& result) {
  Csv csv;
  csv.text("kind").text("replicate");
  for (const auto& m : result.run_reporters) csv.text(m.name);
  csv.end_row();
  for (const auto& rep : result.replicates) {
    csv.text("replicate").number(rep.replicate);
    for (double v : rep.metrics) csv.number(v);
    csv.end_row();
  }
  const auto intervals = aggregate(result);
  const std::pair<const char*, double Interval::*> rows[] = {{"mean", &Interval::mean},
                                                             {"sd", &Interval::sd},
                                                             {"ci95_low", &Interval::low},
                                                             {"ci95_high", &Interval::high}};
  for (const auto& [kind, field] : rows) {
    csv.text(kind).empty();
    for (const auto& i : intervals) csv.number(i.*field);
    csv.end_row();
  }
  return csv.str();
}

std::string summary_json(const scenario::Config& config, const RunResult& result) {
  buzzsim::Summary summary;
  summary.set_scenario(config.name);
  for (const auto& rep : result.replicates) {
    auto* r = summary.add_replicates();
    r->set_replicate(rep.replicate);
    add_metrics(result.run_reporters, rep.metrics, r->mutable_metrics());
  }
  fill_aggregate(result, summary.mutable_aggregate());
  return to_json(summary);
}

std::vector<std::pair<std::string, std::string>> table_csvs(const RunResult& result) {
  std::vector<std::pair<std::string, std::string>> out;
  if (result.replicates.empty()) return out;
  for (std::size_t t = 0; t < result.replicates.front().tables.size(); ++t) {
    const auto& first = result.replicates.front().tables[t];
    Csv csv;
    csv.text("replicate");
    for (const auto& c : first.columns) csv.text(c);
    csv.end_row();
    const std::size_t columns = first.columns.size();
    for (const auto& rep : result.replicates) {
      const auto& values = rep.tables[t].values;
      for (std::size_t row = 0; row * columns < values.size(); ++row) {
        csv.number(rep.replicate);
        for (std::size_t c = 0; c < columns; ++c) csv.number(values[row * columns + c]);
        csv.end_row();
      }
    }
    out.emplace_back(first.name, csv.str());
  }
  return out;
}

void write_outputs(const std::filesystem::path& dir, const scenario::Config& config,
                   const graph::Graph& graph, const RunResult& result, const RunContext& context) {
  buzzsim::Provenance provenance = make_provenance(config, context);
  buzzsim::RunResult out;
  out.set_scenario(config.name);
  out.set_description(config.description);
  out.set_dynamics(result.dynamics);
  out.set_tick_hours(config.tick_hours);
  out.mutable_graph()->set_nodes(graph.num_nodes());
  out.mutable_graph()->set_edges(graph.num_edges());
  out.mutable_graph()->set_directed(graph.directed());
  out.mutable_graph()->set_communities(graph.num_communities());
  const std::size_t columns = result.tick_reporters.size();
  for (const auto& rep : result.replicates) {
    auto* r = out.add_replicates();
    r->set_replicate(rep.replicate);
    r->mutable_ticks()->Add(rep.ticks.begin(), rep.ticks.end());
    for (std::size_t c = 0; c < columns; ++c) {
      auto* s = r->add_series();
      s->set_name(result.tick_reporters[c].name);
      for (std::size_t row = 0; row < rep.ticks.size(); ++row)
        s->add_values(rep.at(row, c, columns));
    }
    add_metrics(result.run_reporters, rep.metrics, r->mutable_metrics());
    for (const auto& table : rep.tables) {
      auto* t = r->add_tables();
      t->set_name(table.name);
      for (const auto& c : table.columns) t->add_columns(c);
      t->mutable_values()->Add(table.values.begin(), table.values.end());
    }
  }
  fill_aggregate(result, out.mutable_aggregate());
  *out.mutable_provenance() = provenance;

  write_file(dir / "timeseries.csv", timeseries_csv(config, result));
  write_file(dir / "summary.csv", summary_csv(result));
  write_file(dir / "summary.json", summary_json(config, result));
  std::string binary;
  if (!out.SerializeToString(&binary)) throw std::runtime_error("cannot serialize result.binpb");
  write_file(dir / "result.binpb", binary);
  write_file(dir / "provenance.json", to_json(provenance));
  for (const auto& [name, csv] : table_csvs(result)) write_file(dir / (name + ".csv"), csv);
  if (graph.named()) write_file(dir / "nodes.csv", nodes_csv(graph));
}

std::string nodes_csv(const graph::Graph& graph) {
  Csv csv;
  csv.text("node").text("name").text("community").end_row();
  for (graph::Vertex v = 0; v < graph.num_nodes(); ++v) {
    csv.number(v).text(graph.name(v)).number(graph.community(v)).end_row();
  }
  return csv.str();
}

std::string result_json(const std::filesystem::path& binpb) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(binpb, ec)) {
    throw InputError(fmt::format("{}: cannot read the result: not a file", binpb.string()));
  }
  buzzsim::RunResult result;
  if (!result.ParseFromString(read_file(binpb)) || result.scenario().empty()) {
    throw InputError(
        fmt::format("{}: must be a result.binpb written by buzzsim run, got bytes that are not one",
                    binpb.string()));
  }
  return to_json(result);
}

}  // namespace buzz::batch

namespace buzz::batch {

std::string batch_csv(const std::vector<BatchEntry>& entries) {
  // The fields whose values differ between the scenarios, in first-seen order.
  std::vector<std::string> paths;
  std::vector<std::map<std::string, std::string, std::less<>>> values(entries.size());
  for (std::size_t e = 0; e < entries.size(); ++e) {
    for (const auto& [path, text] : entries[e].values) {
      values[e][path] = text;
      if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
    }
  }
  std::erase_if(paths, [&](const std::string& path) {
    for (const auto& e : entries) {
      if (std::find(e.set.begin(), e.set.end(), path) != e.set.end()) return false;
    }
    const auto first = values[0].find(path);
    for (const auto& v : values) {
      const auto it = v.find(path);
      if ((it == v.end()) != (first == values[0].end())) return false;
      if (it != v.end() && it->second != first->second) return false;
    }
    return true;
  });
  std::vector<std::string> metrics;
  for (const auto& e : entries) {
    for (const auto& m : e.metrics) {
      if (std::find(metrics.begin(), metrics.end(), m) == metrics.end()) metrics.push_back(m);
    }
  }
  Csv csv;
  csv.text("file").text("scenario").text("replicate");
  for (const auto& p : paths) csv.text(p);
  for (const auto& m : metrics) csv.text(m);
  csv.end_row();
  for (std::size_t e = 0; e < entries.size(); ++e) {
    for (std::size_t r = 0; r < entries[e].replicates.size(); ++r) {
      csv.text(entries[e].file).text(entries[e].name).number(r);
      for (const auto& p : paths) {
        const auto it = values[e].find(p);
        it == values[e].end() ? csv.text("(default)") : csv.text(it->second);
      }
      for (const auto& m : metrics) {
        const auto& names = entries[e].metrics;
        const auto at = std::find(names.begin(), names.end(), m);
        at == names.end() ? csv.empty()
                          : csv.number(entries[e].replicates[r][std::size_t(at - names.begin())]);
      }
      csv.end_row();
    }
  }
  return csv.str();
}

}  // namespace buzz::batch
