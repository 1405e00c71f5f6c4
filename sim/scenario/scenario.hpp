#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "sim/graph/graph.hpp"
#include "sim/scenario/config.hpp"

namespace buzz::scenario {

// Loads and validates a scenario file (protobuf text format, proto/scenario.proto).
// Throws InputError naming file:line:column, the field path, the rule and the value:
//   a parse error gives the parser's reason; an unknown field suggests the nearest valid
//   name; a value out of its range or breaking a rule names both; a missing file, or a
//   missing graph file it refers to, names the path.
Config load(const std::filesystem::path& file, const Overrides& overrides = {});

// The same for scenario text; `origin` names it in errors and relative paths in it start
// at `base_dir`.
Config parse(std::string_view text, std::string_view origin = "<scenario>",
             const std::filesystem::path& base_dir = {}, const Overrides& overrides = {});

// The same for a scenario written as JSON (protobuf's JSON mapping of proto/scenario.proto,
// e.g. from a Python dict): converted to text format and parsed, so every rule applies;
// places in errors are lines of that text.
Config parse_json(std::string_view json, std::string_view origin = "<dict>",
                  const std::filesystem::path& base_dir = {}, const Overrides& overrides = {});

// One point of a parameter sweep: the swept fields' values and the scenario they make.
struct SweepPoint {
  std::uint32_t index = 0;
  std::vector<double> values;       // one per axis (a preset axis: the preset's position)
  std::vector<std::string> labels;  // one per axis: the preset's name, or empty
  Config config;
};

struct SweepPlan {
  Config base;  // the scenario as written
  // Each axis's column: the field path with shorthands expanded, or a preset axis's name.
  std::vector<std::string> fields;
  std::vector<SweepPoint> points;  // in point order
};

// Loads a scenario with a sweep block and every point it asks for. Each point is
// validated like a scenario of its own, so a value outside its field's range, or a field
// path that does not exist, throws InputError before anything runs.
SweepPlan load_sweep(const std::filesystem::path& file, const Overrides& overrides = {});

// A grid axis given outside a file (Python's sweep): a field and its values, or presets
// by name (`field` is then the axis's column name), each with its settings ("field=value")
// or, when it has none, a built-in's.
struct GridAxis {
  std::string field;
  std::vector<double> values;
  std::vector<std::string> presets;
  std::vector<std::vector<std::string>> preset_sets;  // by preset; missing or empty: built-in
};
// The same plan for a scenario given as a file or as text (JSON when `json`), with `axes`
// as its sweep block in place of any it has: Python's sweep and buzzsim sweep share it.
struct ScenarioSource {
  std::filesystem::path file;  // when set, read from here; otherwise `text`
  std::string text, origin;
  std::filesystem::path base_dir;
  bool json = false;
};
SweepPlan plan_grid(const ScenarioSource& source, const std::vector<GridAxis>& axes,
                    const Overrides& overrides = {});

// The built-in presets' names, in order (proto/scenario.proto's SweepAxis).
std::vector<std::string> preset_names();

// The rules that need the built graph (seed nodes and counts, communities, thresholds),
// checked before anything runs: throws InputError naming file:line:col where the value was
// written, the field, the rule and the value. Adds to `warnings` what is allowed but
// probably not meant (a k-threshold no one can reach).
void check_against_graph(const Config& config, const graph::Graph& graph,
                         std::vector<std::string>* warnings = nullptr);

// A campaign parameter's plausible range (its `prior` in proto/scenario.proto).
struct Prior {
  std::string field;  // the field path, e.g. "dynamics.campaign.audience.share_probability"
  double low = 0, high = 0;
  bool log = false;      // log-uniform
  bool integer = false;  // drawn values are rounded
  double default_value = 0;
  // The value at u in [0, 1) of the prior's cumulative distribution.
  double at(double u) const;
};

// A field's plain sentence (its `meaning` in proto/scenario.proto) by its path, e.g.
// "dynamics.campaign.audience.organic_reach" or "dynamics.campaign.brands[0].tone";
// "" when it has none or the path names no field.
std::string field_meaning(std::string_view path);

// The priors of the campaign's Audience fields, in field order.
std::vector<Prior> campaign_priors();

// The priors for a study of the scenario in `file`: campaign_priors() with the file's
// `priors` blocks applied. Throws InputError naming file:line:col for a field that has no
// prior, low not below high, a log prior that does not start above 0, or an end outside
// the field's bounds.
std::vector<Prior> scenario_priors(const std::filesystem::path& file);

// Which of `paths` (singular fields) the scenario file sets itself, read once.
std::vector<bool> sets_fields(const std::filesystem::path& file,
                              const std::vector<std::string>& paths);

// The scenario with each (field path, value) set first, validated as a sweep point is:
// a value out of its field's range throws InputError naming both.
Config load_with(const std::filesystem::path& file, const Overrides& overrides,
                 const std::vector<std::pair<std::string, double>>& values);

// What `buzzsim calibrate` fits (the scenario's calibrate block, docs/calibration.md).
struct FreeParameter {
  Prior prior;        // field path (shorthands expanded), range, log-uniform or not
  std::string place;  // "file:line:col" of its field
};

// The observed data: rows in date order, one series per column besides date and hour.
struct Observed {
  std::filesystem::path file;
  bool per_post = false;  // rows are the first brand's posts, in calendar order
  std::vector<std::string> columns;
  std::vector<long> day;                    // per row: days since the simulation's day 0
  std::vector<int> month;                   // per row: year * 12 + month - 1
  std::vector<int> line;                    // per row: its line in the file
  std::vector<std::vector<double>> values;  // [column][row], counts times `scale`; NaN missing
  std::size_t fitted_rows = 0;              // rows on or before fit_through come first
  std::vector<std::string> not_counts;      // per column: its first cell that is not a count
};

struct MatchSpec {
  enum class Statistic { median, mean, last };
  std::size_t column = 0;  // into Observed::columns
  std::string observed, simulated;
  Statistic statistic = Statistic::median;
  double weight = 1;
  std::string place;  // "file:line:col" of `simulated`, for the check against the model
};

// calibrate.delivery_fit: where the fit of the delivery multipliers reads the followers
// reached per post and the followers (batch::fit_delivery).
struct DeliveryFitSpec {
  std::size_t reach = 0, followers = 0;  // into Observed::columns
  double prior_sd = 1;                   // of each log multiplier
};

// calibrate.engagement_fit: where the fit of the engagement effects reads the interactions
// and the people reached per post (batch::fit_engagement).
struct EngagementFitSpec {
  std::size_t interactions = 0, reach = 0;  // into Observed::columns
  double prior_sd = 1;                      // of each effect (log-odds)
};

struct CalibrationPlan {
  Config base;                      // the scenario as written, its whole horizon
  std::uint32_t fit_ticks = 0;      // a fitting run's horizon: through fit_through's day
  std::uint32_t predict_ticks = 0;  // a predictive run's: base.ticks unless a backtest cuts it
  std::vector<FreeParameter> free;
  std::vector<MatchSpec> matches;
  Observed observed;
  double scale = 1;
  std::uint32_t particles = 0, generations = 0, predictive_runs = 0;
  double quantile = 0.5, min_acceptance = 0.03;
  double recency_halflife_months = 0;   // 0: every fitted month weighs alike
  bool local_kernel = false;            // abc::Options::local_kernel
  std::string start_date, fit_through;  // YYYY-MM-DD
  std::optional<DeliveryFitSpec> delivery_fit;
  std::optional<EngagementFitSpec> engagement_fit;
};

// Loads a scenario with a calibrate block and its observed file. Throws InputError naming
// file:line:col (or the observed file's line and column) for: no calibrate block or not a
// campaign; an observed file that cannot be read, lacks a date column, has an unknown
// column in a match, a cell that is not a number, rows out of date order, or dates
// outside the scenario's horizon; per-post rows that do not match the calendar's posts;
// a free parameter path that does not exist, twice, or without a prior; a prior outside
// its field's range.
CalibrationPlan load_calibration(const std::filesystem::path& file,
                                 const Overrides& overrides = {});

// The observed file's calendar months from its first row's to its last's.
int observed_months(const Observed& observed);

// A backtest's origin: the observed file's first `fitted_months` calendar months fitted and
// the next `horizon_months` held out and predicted; rows, posts and ticks after them
// dropped. Throws InputError when no observed row falls in the fitted or the held-out months.
CalibrationPlan origin_plan(const CalibrationPlan& plan, int fitted_months, int horizon_months);

// The scenario of one fitting or predicting run: the free parameters set to `values`,
// with `seed` and one replicate, cut to `ticks` (posts and events after it dropped).
Config calibration_run(const CalibrationPlan& plan, const std::vector<double>& values,
                       std::uint64_t seed, std::uint32_t ticks);

// The scenario text with the free parameters set to `values` and the calibrate block
// removed, its relative file paths rewritten to start at `dir`: calibrated.textproto.
std::string calibrated_text(const CalibrationPlan& plan, const std::vector<double>& values,
                            const std::filesystem::path& dir);

// A field path as sweep axes and calibrate blocks write it, shorthands expanded:
// "audience.x" -> "dynamics.campaign.audience.x", "campaign.x" ->
// "dynamics.campaign.brands[0].x".
std::string expand_field_path(const std::string& path);
// The field an override "PATH=VALUE" sets, shorthands expanded.
std::string set_field(const std::string& set);

// Every value the scenario sets (defaults left out), as (field path, text), in field order;
// name, description and the sweep, calibrate and priors blocks apart. What a batch of
// scenarios varies is where these differ.
std::vector<std::pair<std::string, std::string>> field_values(const Config& config);

// SHA-256 of the canonical text, in hex: the scenario's identity in provenance.
std::string hash(const Config& config);

}  // namespace buzz::scenario
