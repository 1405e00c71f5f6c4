#pragma once

// `buzzsim backtest`: rolling-origin evaluation of a calibration (docs/forecasting.md).
// For each origin k the observed file's first k months are fitted as `calibrate` fits them,
// the next months are forecast by the posterior, and the forecast's errors are set beside
// carrying the last fitted month forward and the regression baseline's, with the coverage
// of its 90% bands.

#include <string>
#include <vector>

#include "sim/batch/calibrate.hpp"

namespace buzz::batch {

// Every origin the data allow: from 3 fitted months (fewer on a shorter file) to the last
// that leaves `horizon` whole months to forecast.
std::vector<int> default_origins(const scenario::CalibrationPlan& plan, int horizon);

struct BacktestOrigin {
  int fitted_months = 0;
  int forecast_months = 0;  // the horizon, or fewer where the observed file ends first
  std::string fit_through;
  CalibrationSummary calibration;
};

struct BacktestSummary {
  std::vector<BacktestOrigin> origins;
  std::string table;  // the terminal summary
};

// Calibrates each origin into options.out/origin_<k>/ (a calibrate folder each; --resume
// continues an interrupted one and keeps the finished ones' generations), then writes
// backtest.csv, forecasts.csv, backtest.txt and report.html into options.out. Throws
// InputError for an origin the data do not allow, before anything is written. Under MPI
// every rank calls it; rank 0 writes.
BacktestSummary run_backtest(const scenario::CalibrationPlan& plan, const std::vector<int>& origins,
                             int horizon, const CalibrationOptions& options,
                             const RunContext& context);

}  // namespace buzz::batch
