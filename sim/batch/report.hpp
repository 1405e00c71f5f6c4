#pragma once

#include <string>
#include <vector>

#include "sim/batch/compare.hpp"

namespace buzz::batch {

// report.html for a comparison: one self-contained page (no scripts, no network), charts
// as inline SVG: the main metrics over time as 95% bands, the final metrics as bars with
// intervals, penetration by community when the model reports it, the comparison table
// and verdicts, and each scenario's description.
std::string comparison_report(const std::vector<ScenarioRun>& runs, const Comparison& c);

}  // namespace buzz::batch
