// Loading a scenario: reading the file, parsing it with locations, and its identity.
#include "sim/scenario/scenario.hpp"

#include <google/protobuf/util/json_util.h>
#include <openssl/evp.h>

#include <regex>

#include "sim/common/input_file.hpp"
#include "sim/scenario/detail.hpp"

namespace buzz::scenario {

namespace detail {

// Parses scenario text into the message and the locations of its fields.
void parse_message(std::string_view text, std::string_view origin, buzzsim::Scenario& s,
                   Tree& tree) {
  FirstError error;
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&error);
  parser.WriteLocationsTo(&tree);
  pb::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  if (!parser.Parse(&input, &s)) {
    if (!error.found) throw InputError(fmt::format("{}: cannot parse scenario", origin));
    const std::string reason = explain_parse_error(error.text, error.where, text);
    throw InputError(
        fmt::format("{}:{}:{}: {}", origin, error.where.line + 1, error.where.column + 1, reason));
  }
}

std::string read_scenario_file(const std::filesystem::path& file) {
  // What the path is, before it is opened: a FIFO named as the scenario would block.
  std::string why;
  auto text = try_read_input_file(file, why);
  if (!text)
    throw InputError(fmt::format("{}: cannot open scenario file ({})", file.string(), why));
  std::string all = std::move(*text);
  if (all.rfind("\xEF\xBB\xBF", 0) == 0) all.erase(0, 3);  // a UTF-8 byte-order mark
  return all;
}

}  // namespace detail

using namespace detail;
using buzzsim::Scenario;

Config parse(std::string_view text, std::string_view origin, const std::filesystem::path& base_dir,
             const Overrides& overrides) {
  Scenario s;
  Tree tree;
  parse_message(text, origin, s, tree);
  return convert(s, tree, origin, base_dir, overrides);
}

std::string detail::json_to_text(std::string_view json, std::string_view origin) {
  Scenario s;
  const auto status = pb::util::JsonStringToMessage(std::string(json), &s);
  if (!status.ok()) {
    // "(dynamics.campaign.brands[0]) posts_per_wek: Cannot find field.": the same hint as
    // a file's unknown field gets, from the field names of the block it was written in.
    const std::string message(status.message());
    static const std::regex unknown(R"re(^(?:\(([\w.\[\]]*)\) )?(\w+): Cannot find field)re");
    std::smatch m;
    if (std::regex_search(message, m, unknown)) {
      const std::string block = m[1], name = m[2];
      const pb::FieldDescriptor* f = block.empty() ? nullptr : field_at(block);
      const pb::Descriptor* d = block.empty() ? buzzsim::Scenario::descriptor()
                                : f           ? f->message_type()
                                              : nullptr;
      if (d != nullptr) {
        throw InputError(fmt::format("{}: {}{}", origin, block.empty() ? "" : block + ": ",
                                     unknown_field_message(d, name)));
      }
    }
    throw InputError(fmt::format("{}: cannot read the scenario: {}", origin, message));
  }
  std::string text;
  pb::TextFormat::PrintToString(s, &text);
  return text;
}

Config parse_json(std::string_view json, std::string_view origin,
                  const std::filesystem::path& base_dir, const Overrides& overrides) {
  return parse(json_to_text(json, origin), origin, base_dir, overrides);
}

Config load(const std::filesystem::path& file, const Overrides& overrides) {
  Scenario s;
  Tree tree;
  parse_message(read_scenario_file(file), file.string(), s, tree);
  return convert(s, tree, file.string(), file.parent_path(), overrides, file);
}

std::string hash(const Config& config) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(config.canonical_text.data(), config.canonical_text.size(), digest, &size,
                 EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace buzz::scenario
