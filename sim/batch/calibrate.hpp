#pragma once

// `buzzsim calibrate`: a campaign's free parameters fitted to a brand's observed data by
// ABC-SMC (abc.hpp), the posterior's predictions laid over the data, and what was held
// out predicted against a naive baseline (docs/calibration.md).

#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "sim/analysis/abc.hpp"
#include "sim/batch/runner.hpp"
#include "sim/batch/writers.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::batch {

// Where a match reads its simulated series: a column of the posts table (per post) or of
// the time series (at the end of the row's day).
struct MatchSource {
  bool post_table = false;
  std::size_t column = 0;
  bool grows = false;      // a count of the posts table: it only grows through a run
  bool settles = false;    // and stops growing once the post has left feeds
  bool followers = false;  // the daily followers column
};

// A run whose matches read the posts table and the followers alone records no other stock
// (CampaignParams::followers_only): the same values, without a pass over everyone a day.
void record_only_what_matches_read(const std::vector<MatchSource>& sources,
                                   scenario::Config& config);

// Each match's source in a run of the model; throws InputError at the match's place when
// the simulated column is not one the campaign reports (naming those it does).
std::vector<MatchSource> match_sources(const scenario::CalibrationPlan& plan,
                                       const engine::Reporters& tick_reporters);

// Each match's simulated value at each observed row [0, rows): [match][row]. NaN where the
// run ends before the row.
std::vector<std::vector<double>> simulated_rows(const scenario::CalibrationPlan& plan,
                                                const std::vector<MatchSource>& sources,
                                                const RunResult& result, std::size_t rows);

// A match's monthly statistic (median, mean or last) over rows [0, rows) whose observed
// cell is present, of `series` (observed or simulated): one value per month, in order.
// With `months`, each value's month (year * 12 + month - 1) is appended to it.
std::vector<double> monthly(const scenario::CalibrationPlan& plan, std::size_t match,
                            const std::vector<double>& series, std::size_t rows,
                            std::vector<int>* months = nullptr);

// The distance of simulated rows from the observed over the fitted rows: the root of the
// weighted mean, over matches and months, of log((simulated + 1) / (observed + 1))^2.
// A typical relative error: 0.1 is about 10%.
double distance(const scenario::CalibrationPlan& plan,
                const std::vector<std::vector<double>>& simulated);

// A lower bound on the distance a fitting run will end at, from the run as it stands at
// `tick` (a recorded tick): the months whose rows are all final count in full; of a count
// of posts (which only grows), a month already above the data counts as far as it is
// above, and a month whose posts have all left feeds (`post_lifetime` ticks after each
// went out) counts in full if the count settles then; the rest count 0. A run past the
// tolerance by this bound cannot be accepted.
double distance_so_far(const scenario::CalibrationPlan& plan,
                       const std::vector<MatchSource>& sources, const engine::Model& model,
                       const engine::Recorder& recorder, std::uint32_t tick,
                       std::uint32_t post_lifetime);

struct CalibrationOptions {
  std::filesystem::path out;
  bool resume = false, overwrite = false;
  int rank = 0, ranks = 1;
  std::function<void()> barrier;                  // waits for every rank
  std::function<void(std::vector<double>&)> sum;  // element-wise sum over the ranks
  // Stop a fitting run as soon as it is certain to be refused (distance_so_far); the
  // posterior is the same either way, only faster.
  bool abandon_runs = true;
};

// A match's forecast error over some of the observed rows: the model's (the posterior
// predictive median's), carrying forward's and the regression baseline's, as shares
// (median over rows, or mean over months), and its 90% band's coverage and median width
// (the band's width over its median).
struct PredictionError {
  std::size_t index = 0;     // of the match in the plan
  std::string match, scope;  // scope: "fitted rows", "held-out rows" or "held-out months"
  std::size_t count = 0;
  double model = std::numeric_limits<double>::quiet_NaN();
  double baseline = model, regression = model, coverage = model, width = model;
  double residual_sd = model;  // RowBands::residual_sd (rows only)
  double noise = model;        // mean sampling_noise() of the held-out months (months only)
  // Share of resamples of the months' rows in which the model beats carrying forward
  // (resamples_model_beats_carry_forward; months only).
  double model_better = model;
};

// One match's predictive bands per observed row. The model's runs give each row's median;
// its 90% band is theirs blurred by the residual spread: single posts differ by more than
// the model's runs do (the picture, the words, the day's news), so each run's value is
// taken as the centre of a normal in log(1 + x) with sd `residual_sd`, the spread of the
// fitted rows' log residuals (observed against the runs' median, a robust sd) beyond the
// runs' own (docs/forecasting.md, "Bands"). Fitted rows only, so held-out rows judge it.
// A match with a negative value anywhere keeps the runs' own band (residual_sd 0).
struct RowBands {
  double residual_sd = 0;
  std::vector<double> low, median, high;  // per row; NaN where no run has a value
};
// sims[i]: row i's values over the runs; observed[i] NaN where the data has none.
RowBands row_bands(const std::vector<std::vector<double>>& sims,
                   const std::vector<double>& observed, std::size_t fitted_rows);

// A match's monthly statistic as observed and as the posterior predicts it (its median
// and 90% band over the predictive runs), for every month of the observed rows.
struct MonthlyForecast {
  std::vector<int> month;  // year * 12 + month - 1
  std::vector<double> observed, low, median, high;
  std::size_t fitted_months = 0;
};

// Resamples of the observed months behind sampling_noise() and the verdicts below.
inline constexpr int kResamples = 1000;

// A match's observed monthly statistics (the months of monthly()) with each month's
// observed rows resampled with replacement: [resample][month]. Resample b of a month is the
// same whichever origin asks (its stream is keyed by b and the month), so that errors
// against it can be averaged over a backtest's origins. A level (`last`) is no sample:
// every resample is the month's own value.
std::vector<std::vector<double>> resampled_months(const scenario::CalibrationPlan& plan,
                                                  std::size_t match, int resamples);

// A match's sampling noise per observed month: the mean relative distance of its resampled
// statistics (kResamples of them) from the statistic itself. What even a forecast of the
// month's true median or mean would be off by, from the month's rows alone; 0 for a level.
std::vector<double> sampling_noise(const scenario::CalibrationPlan& plan, std::size_t match);

// The share of `resampled` (resampled_months()) in which the model's error, mean over each
// forecast's held-out months and then over the forecasts (a backtest's origins, or one
// calibration), is below carrying forward's. carried[o]: forecast o's carried value; unless
// `level`, the last fitted month's resample is carried when it is that month's statistic.
// Near 0.5: the months cannot tell the two apart.
double resamples_model_beats_carry_forward(const std::vector<std::vector<double>>& resampled,
                                           const std::vector<MonthlyForecast>& forecasts,
                                           const std::vector<double>& carried, bool level);

struct CalibrationSummary {
  std::vector<analysis::abc::Generation> generations;
  std::vector<PredictionError> errors;
  std::vector<MonthlyForecast> monthly;  // per match
  std::size_t resumed = 0;               // generations read back from an earlier run
  std::uint64_t abandoned = 0;  // fitting runs stopped as soon as they were certain to be refused
  std::string table;            // the terminal summary
  std::string delivery;  // delivery_tables of calibrate.delivery_fit and engagement_fit, or empty
};

// The posterior's simulations of every observed row: [run][match][row].
using Predictions = std::vector<std::vector<std::vector<double>>>;

// A level's forecast starts from what was observed at the origin: each run's held-out rows
// of a `last` match (a count such as followers) shifted by the observed minus the
// simulated value at the last fitted row that has an observation. The count is known
// there, so only the model's change from it is a forecast; fitted rows are left as run.
void anchor_levels(const scenario::CalibrationPlan& plan, Predictions& predictions);

// Runs the calibration, writing into options.out: generations/ as each finishes (what
// --resume reads back), then posterior.csv, posterior.txt, generations.csv,
// predictive.csv, prediction.csv, calibrated.textproto and report.html. With
// calibrate.delivery_fit (engagement_fit), the delivery multipliers (engagement effects) are
// first set from the fitted rows (delivery_fit.hpp). Under MPI every rank calls it; rank 0 writes.
CalibrationSummary run_calibration(const scenario::CalibrationPlan& plan,
                                   const CalibrationOptions& options, const RunContext& context);

// A posterior.csv read back as (field paths, particles with weights); throws InputError
// naming the file and line for a file that is not one.
struct Posterior {
  std::vector<std::string> fields;
  std::vector<std::vector<double>> values;
  std::vector<double> weights;
};
Posterior read_posterior(const std::filesystem::path& file);
// n draws from it by systematic resampling, deterministic for the seed.
std::vector<std::vector<double>> draw_posterior(const Posterior& p, std::uint32_t n,
                                                std::uint64_t seed);

}  // namespace buzz::batch
