#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/analysis/stats.hpp"
#include "sim/batch/runner.hpp"
#include "sim/graph/graph.hpp"
#include "sim/scenario/config.hpp"

namespace buzz::batch {

// How a run was made, for provenance.json.
struct RunContext {
  std::vector<std::string> command_line;
  std::uint32_t threads = 1;
  std::string started_utc;
};

// The time now in UTC, as RunContext::started_utc holds it ("2026-11-26T10:00:00Z").
std::string utc_now();

// The build that produced this binary, e.g. "0.1.0+abc1234".
std::string build_version();

// Per-run metrics across replicates, in metric order.
std::vector<analysis::Interval> aggregate(const RunResult& result);

// Output texts; each is a pure function of its arguments (no times, no thread counts) so
// that outputs are byte-identical whatever the thread count.
std::string timeseries_csv(const scenario::Config& config, const RunResult& result);
std::string summary_csv(const RunResult& result);
std::string summary_json(const scenario::Config& config, const RunResult& result);
// A model's further tables by name (e.g. "cascades"), each as CSV with a replicate column
// first, rows in replicate order.
std::vector<std::pair<std::string, std::string>> table_csvs(const RunResult& result);

// One finished scenario of a batch (`run` with several files): what batch.csv needs.
struct BatchEntry {
  std::string file, name;
  std::vector<std::pair<std::string, std::string>> values;  // scenario::field_values
  std::vector<std::string> metrics;
  std::vector<std::vector<double>> replicates;  // per replicate, one value per metric
  std::vector<std::string> set;  // field paths given with --set (shorthands expanded)
};
// batch.csv: a row per scenario and replicate: file, scenario, replicate, then each field
// whose value differs between the scenarios or that --set gave (its path as the column:
// batches run with different --set values stack into one table), then every metric
// (empty where a scenario lacks it).
std::string batch_csv(const std::vector<BatchEntry>& entries);

// provenance.json: what reproduces the run.
std::string provenance_json(const scenario::Config& config, const RunContext& context);

// A graph's node names: node,name,community, a row per node, so that tables of node
// numbers (shares.csv's sharer and parent) can be read by name.
std::string nodes_csv(const graph::Graph& graph);

// Writes timeseries.csv, summary.csv, summary.json, result.binpb, provenance.json,
// one <table>.csv per further table, and nodes.csv for a graph whose nodes are named,
// into `dir`, which must exist.
void write_outputs(const std::filesystem::path& dir, const scenario::Config& config,
                   const graph::Graph& graph, const RunResult& result, const RunContext& context);

// A result.binpb read back, as protobuf's JSON form of RunResult (proto/result.proto).
// Throws InputError naming the file when it cannot be read or is not a RunResult.
std::string result_json(const std::filesystem::path& binpb);

}  // namespace buzz::batch
