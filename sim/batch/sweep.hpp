#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sim/batch/writers.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::batch {

struct SweepOptions {
  std::filesystem::path out;
  bool resume = false;     // continue a sweep in `out`, recomputing no finished point
  bool overwrite = false;  // start afresh even if `out` exists
  // Points i with i % ranks == rank are this process's (MPI); rank 0 prepares and merges.
  int rank = 0;
  int ranks = 1;
  std::function<void()> barrier = [] {};
  // Called as each of this rank's replicates finishes (or is found finished), from any thread.
  std::function<void()> replicate_done = [] {};
};

struct SweepSummary {
  std::size_t points = 0, computed = 0, skipped = 0;
  // Point files found empty or corrupt on --resume, each named with why; recomputed.
  std::vector<std::string> recomputed;
};

// Runs a sweep: each point's replicates, written whole (points/point-NNNNNN.binpb, by rename)
// as soon as the point finishes, so a killed sweep loses only the points in flight. Then
// rank 0 merges results.csv (one row per point and replicate, in point order),
// points.csv (each point's means and 95% intervals) and report.html (heatmaps over the
// first two axes). Throws InputError when `out` exists without resume or overwrite, or
// holds a different sweep.
SweepSummary run_sweep(const scenario::SweepPlan& plan, const SweepOptions& options,
                       const RunContext& context);

}  // namespace buzz::batch
