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

// One point of a parameter sweep: the swept fields' values and the scenario they make.
struct SweepPoint {
  std::uint32_t index = 0;
  std::vector<double> values;  // one per axis
  Config config;
};

struct SweepPlan {
  Config base;                      // the scenario as written
  std::vector<std::string> fields;  // each axis's field path, shorthands expanded
  std::vector<SweepPoint> points;   // in point order
};

// Loads a scenario with a sweep block and every point it asks for. Each point is
// validated like a scenario of its own, so a value outside its field's range, or a field
// path that does not exist, throws InputError before anything runs.
SweepPlan load_sweep(const std::filesystem::path& file, const Overrides& overrides = {});

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

// SHA-256 of the canonical text, in hex: the scenario's identity in provenance.
std::string hash(const Config& config);

}  // namespace buzz::scenario
