#pragma once

// The comparisons and their verdicts as text for a terminal and as CSV files.
#include <string>
#include <string_view>
#include <vector>

#include "sim/analysis/compare.hpp"
#include "sim/analysis/uncertainty.hpp"

namespace buzz::report {

using analysis::Comparison;
using analysis::UncertainComparison;

// "Counts of people are of a simulated population at 0.1 of the real size: ..." for a scale
// below 1, else "".
std::string scale_note(double scale);

// The comparison as a text table, one row per metric, and plain verdicts (after a line
// saying how they were reached when judged under uncertainty).
std::string comparison_table(const Comparison& c);
std::string verdicts(const Comparison& c);
// The verdicts alone, one sentence each.
std::vector<std::string> verdict_lines(const Comparison& c);
// compare.csv: one row per metric and scenario.
std::string comparison_csv(const Comparison& c);
// " (lower is better)", " (no verdict)" or "" for higher is better.
std::string_view direction_note(engine::Direction d);

// Terminal summary; uncertainty.csv (one row per metric and scenario), sensitivity.csv
// (metric, scenario, parameter, rank correlation, first-order index), draws.csv (each draw's
// parameters and the paired differences it gave, one column per scenario and metric).
std::string uncertainty_table(const UncertainComparison& u);
std::string uncertainty_csv(const UncertainComparison& u);
std::string sensitivity_csv(const UncertainComparison& u);
std::string draws_csv(const UncertainComparison& u);
// sobol.csv: per metric, scenario and parameter, the first-order and total-effect indices of
// the difference with their 90% bootstrap intervals (--sobol only).
std::string sobol_csv(const UncertainComparison& u);

}  // namespace buzz::report
