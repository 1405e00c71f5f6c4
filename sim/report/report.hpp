#pragma once

#include <string>
#include <vector>

#include "sim/analysis/compare.hpp"
#include "sim/analysis/uncertainty.hpp"

namespace buzz::report {

// report.html for a comparison: one self-contained page (no scripts, no network), charts
// as inline SVG: the main metrics over time as 95% bands, the final metrics as bars with
// intervals, penetration by community when the model reports it, the comparison table
// and verdicts, and each scenario's description. With `u` (compare --uncertainty), also
// the verdicts under parameter uncertainty, each with its win shares as a bar, and the
// parameters that drive each difference beyond chance.
std::string comparison_report(const std::vector<analysis::ScenarioRun>& runs,
                              const analysis::Comparison& c,
                              const analysis::UncertainComparison* u = nullptr);

}  // namespace buzz::report
