#pragma once

#include <filesystem>
#include <string_view>

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

// SHA-256 of the canonical text, in hex: the scenario's identity in provenance.
std::string hash(const Config& config);

}  // namespace buzz::scenario
