#pragma once

// What the scenario loader's source files share: the parse tree and locations, the checker
// that collects errors with file:line:col, and the steps of loading. Nothing outside
// sim/scenario includes it.

#include <fmt/format.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "proto/scenario.pb.h"
#include "sim/common/edit_distance.hpp"
#include "sim/common/input_error.hpp"
#include "sim/scenario/config.hpp"

namespace buzz::scenario::detail {

namespace pb = google::protobuf;
using Tree = pb::TextFormat::ParseInfoTree;
using buzzsim::Bounds;
using buzzsim::bounds;
using buzzsim::Dynamics;
using buzzsim::GraphSpec;
using buzzsim::Scenario;
using buzzsim::Seeding;
namespace proto = buzzsim;

struct Location {
  int line = -1;  // 0-based, -1 when unknown
  int column = 0;
};

// Keeps the parser's first error; the rest usually follow from it.
class FirstError : public pb::io::ErrorCollector {
 public:
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    if (found) return;
    found = true;
    where = {line, column};
    text = message;
  }
  void AddWarning(int, pb::io::ColumnNumber, const std::string&) override {}

  bool found = false;
  Location where;
  std::string text;
};

using buzz::edit_distance;

// Rewrites protobuf's unknown-field error to name the nearest valid field, and moves its
// location from the end of the name to its start.
// The values of the first enum field named `field` in the scenario's messages, or "".
inline std::string enum_values(const pb::Descriptor* d, const std::string& field, int depth = 0) {
  if (depth > 8) return "";
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->name() == field && f->enum_type() != nullptr) {
      std::string names;
      for (int k = 0; k < f->enum_type()->value_count(); ++k) {
        names += (k ? ", " : "") + f->enum_type()->value(k)->name();
      }
      return names;
    }
    if (f->message_type() != nullptr && f->message_type() != d) {
      if (auto names = enum_values(f->message_type(), field, depth + 1); !names.empty())
        return names;
    }
  }
  return "";
}

// The message types that enclose `target` somewhere below Scenario (those whose fields
// lead to it), nearest the root first: where a field of an outer block can appear when a
// closing brace is missing.
inline std::vector<const pb::Descriptor*> enclosing(const pb::Descriptor* target) {
  std::vector<const pb::Descriptor*> order{buzzsim::Scenario::descriptor()};
  for (std::size_t i = 0; i < order.size(); ++i) {  // every message type, breadth first
    for (int k = 0; k < order[i]->field_count(); ++k) {
      const pb::Descriptor* m = order[i]->field(k)->message_type();
      if (m != nullptr && std::find(order.begin(), order.end(), m) == order.end()) {
        order.push_back(m);
      }
    }
  }
  const auto reaches = [&](const pb::Descriptor* from) {
    std::vector<const pb::Descriptor*> seen{from};
    for (std::size_t i = 0; i < seen.size(); ++i) {
      for (int k = 0; k < seen[i]->field_count(); ++k) {
        const pb::Descriptor* m = seen[i]->field(k)->message_type();
        if (m == target) return true;
        if (m != nullptr && std::find(seen.begin(), seen.end(), m) == seen.end()) seen.push_back(m);
      }
    }
    return false;
  };
  std::vector<const pb::Descriptor*> out;
  for (const auto* d : order) {
    if (d != target && reaches(d)) out.push_back(d);
  }
  return out;
}

// "unknown field "x" in Brand; did you mean "y"?" (or the block's valid fields): what a
// file, a --set path or a dict with a field `name` that block `d` lacks is told.
inline std::string unknown_field_message(const pb::Descriptor* d, const std::string& name) {
  std::string best, all;
  std::size_t best_distance = std::string::npos;
  for (int i = 0; i < d->field_count(); ++i) {
    const std::string& candidate = d->field(i)->name();
    all += (i ? ", " : "") + candidate;
    const std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) best_distance = distance, best = candidate;
  }
  if (best_distance <= std::max<std::size_t>(2, name.size() / 3)) {
    return fmt::format("unknown field \"{}\" in {}; did you mean \"{}\"?", name, d->name(), best);
  }
  return fmt::format("unknown field \"{}\" in {}; valid fields are: {}", name, d->name(), all);
}

// The parser's error in the scenario's words. `text` is what was parsed: an unknown
// field's place moves to the start of its name on its line (the parser reports the
// token after it).
inline std::string explain_parse_error(const std::string& message, Location& where,
                                       std::string_view text) {
  static const std::regex unknown(R"re(Message type "([\w.]+)" has no field named "(\w+)")re");
  static const std::regex bad_enum(R"re(Unknown enumeration value of "(\w+)" for field "(\w+)")re");
  std::smatch m;
  if (std::regex_search(message, m, bad_enum)) {
    const std::string names = enum_values(buzzsim::Scenario::descriptor(), m[2]);
    if (!names.empty()) {
      return fmt::format("{} must be one of {}, got \"{}\"", std::string(m[2]), names,
                         std::string(m[1]));
    }
    return message;
  }
  // The input ended inside a block.
  if (message == "Expected identifier, got: " || message == "Expected identifier, got: ''") {
    return "the file ends inside a block: a closing '}' is missing";
  }
  if (!std::regex_search(message, m, unknown)) return message;
  const std::string type = m[1], name = m[2];
  std::size_t start = 0;  // where the error's line begins
  for (int l = 0; l < where.line && start != std::string_view::npos; ++l) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  const auto at = start == std::string_view::npos
                      ? std::string_view::npos
                      : text.substr(start, text.find('\n', start) - start)
                            .rfind(name, std::size_t(std::max(0, where.column)));
  where.column = at == std::string_view::npos
                     ? std::max(0, where.column - static_cast<int>(name.size()))
                     : int(at);
  const pb::Descriptor* d = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(type);
  if (d == nullptr) return message;
  // A field of an enclosing block: its block was closed too late, so a '}' is missing.
  for (const auto* outer : enclosing(d)) {
    if (outer->FindFieldByName(name) != nullptr) {
      return fmt::format(
          "unknown field \"{}\" in {}, but it is a field of {}: a closing '}}' is probably "
          "missing before this line",
          name, d->name(), outer->name());
    }
  }
  return unknown_field_message(d, name);
}

inline std::string format_number(double value, bool integral) {
  return integral ? fmt::format("{}", static_cast<long long>(value)) : fmt::format("{}", value);
}

inline std::string describe_bounds(const Bounds& b, bool integral) {
  auto num = [&](double v) { return format_number(v, integral); };
  if (b.has_min() && b.has_max()) {
    return fmt::format("in {}{}, {}{}", b.min_open() ? "(" : "[", num(b.min()), num(b.max()),
                       b.max_open() ? ")" : "]");
  }
  if (b.has_min()) return fmt::format("{} {}", b.min_open() ? ">" : ">=", num(b.min()));
  return fmt::format("{} {}", b.max_open() ? "<" : "<=", num(b.max()));
}

inline bool within(const Bounds& b, double v) {
  if (b.has_min() && (b.min_open() ? v <= b.min() : v < b.min())) return false;
  if (b.has_max() && (b.max_open() ? v >= b.max() : v > b.max())) return false;
  return !std::isnan(v);
}

// A share written as a percentage (10 for 0.10): " (a share is a fraction: did you mean
// 0.1?)", else "". Said wherever a value is checked: the file, --set and Python.
inline std::string percent_hint(const pb::FieldDescriptor* f, const Bounds& b, double v,
                                bool integral) {
  const bool percent = b.has_max() && b.max() == 1 && !integral && v >= 2 && v <= 100 &&
                       f->name().find("share") != std::string::npos;
  return percent ? fmt::format(" (a share is a fraction: did you mean {}?)", v / 100) : "";
}

// Checks a parsed scenario and collects every error with its place in the file.
class Checker {
 public:
  explicit Checker(std::string origin) : origin_(std::move(origin)) {}

  // Every numeric field against its (bounds) option, recursing into set sub-messages.
  void check_bounds(const pb::Message& msg, const Tree* tree, const std::string& path,
                    Location where) {
    const pb::Descriptor* d = msg.GetDescriptor();
    const pb::Reflection* r = msg.GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* f = d->field(i);
      const std::string field_path = path.empty() ? f->name() : path + "." + f->name();
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        if (f->is_repeated()) {
          for (int k = 0; k < r->FieldSize(msg, f); ++k) {
            check_bounds(r->GetRepeatedMessage(msg, f, k), nested(tree, f, k),
                         fmt::format("{}[{}]", field_path, k), locate(tree, f, where, k));
          }
        } else if (r->HasField(msg, f)) {
          check_bounds(r->GetMessage(msg, f), nested(tree, f), field_path, locate(tree, f, where));
        }
        continue;
      }
      if (f->is_repeated()) continue;
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_DOUBLE &&
          !std::isfinite(r->GetDouble(msg, f))) {
        fail(locate(tree, f, where),
             fmt::format("{} must be a finite number, got {}", field_path, r->GetDouble(msg, f)));
        continue;
      }
      if (!f->options().HasExtension(bounds)) continue;
      const Bounds& b = f->options().GetExtension(bounds);
      bool integral = true;
      double v = 0;
      switch (f->cpp_type()) {
        case pb::FieldDescriptor::CPPTYPE_INT32:
          v = r->GetInt32(msg, f);
          break;
        case pb::FieldDescriptor::CPPTYPE_INT64:
          v = double(r->GetInt64(msg, f));
          break;
        case pb::FieldDescriptor::CPPTYPE_UINT32:
          v = r->GetUInt32(msg, f);
          break;
        case pb::FieldDescriptor::CPPTYPE_UINT64:
          v = double(r->GetUInt64(msg, f));
          break;
        case pb::FieldDescriptor::CPPTYPE_DOUBLE:
          v = r->GetDouble(msg, f), integral = false;
          break;
        case pb::FieldDescriptor::CPPTYPE_FLOAT:
          v = r->GetFloat(msg, f), integral = false;
          break;
        default:
          continue;
      }
      if (!within(b, v)) {
        fail(locate(tree, f, where),
             fmt::format("{} must be {}{}, got {}", field_path, describe_bounds(b, integral),
                         percent_hint(f, b, v, integral), format_number(v, integral)));
      }
    }
  }

  // Location of msg's field `name` in the file, or `fallback` when it was not written.
  static Location locate(const Tree* tree, const pb::FieldDescriptor* f, Location fallback,
                         int index = -1) {
    if (tree == nullptr || f == nullptr) return fallback;
    const auto loc = tree->GetLocation(f, index);
    return loc.line < 0 ? fallback : Location{loc.line, loc.column};
  }
  static const Tree* nested(const Tree* tree, const pb::FieldDescriptor* f, int index = -1) {
    return tree == nullptr ? nullptr : tree->GetTreeForNested(f, index);
  }

  void fail(Location where, const std::string& message) {
    errors_.push_back(where.line < 0 ? fmt::format("{}: {}", origin_, message)
                                     : fmt::format("{}:{}:{}: {}", origin_, where.line + 1,
                                                   where.column + 1, message));
  }

  void throw_if_failed() const {
    if (errors_.empty()) return;
    std::string all;
    for (const auto& e : errors_) all += (all.empty() ? "" : "\n") + e;
    throw InputError(all);
  }

 private:
  std::string origin_;
  std::vector<std::string> errors_;
};

// A message of the scenario together with where it sits in the file, for rule checks.
struct Node {
  const pb::Message& msg;
  const Tree* tree;
  std::string path;
  Location where;

  // Where `field` (element `index` of a repeated one; the first when not given) was written.
  Location at(std::string_view field, int index = -1) const {
    const pb::FieldDescriptor* f = msg.GetDescriptor()->FindFieldByName(std::string(field));
    if (f != nullptr && f->is_repeated() && index < 0) index = 0;
    return Checker::locate(tree, f, where, f != nullptr && f->is_repeated() ? index : -1);
  }
  Node child(std::string_view field) const {
    const pb::FieldDescriptor* f = msg.GetDescriptor()->FindFieldByName(std::string(field));
    return {msg.GetReflection()->GetMessage(msg, f), Checker::nested(tree, f),
            path.empty() ? std::string(field) : path + "." + std::string(field), at(field)};
  }
  std::string field_path(std::string_view field) const {
    return path.empty() ? std::string(field) : path + "." + std::string(field);
  }
};

// Records where every field written in `msg` sits, as "origin:line:col" by field path.
void record_places(const pb::Message& msg, const Tree* tree, const std::string& path,
                   std::string_view origin, std::map<std::string, std::string, std::less<>>& out);

// Post calendars (calendar.cpp): a category's content, "YYYY-MM-DD" as days since
// 1970-01-01, and a calendar CSV file read into posts (errors name file, line, column).
void apply_category(buzzsim::Post::Category category, dynamics::PostContent& content);
std::optional<long> days_since_epoch(std::string_view text);
// A relative path in a scenario starts at its folder.
std::filesystem::path resolve(const std::filesystem::path& base, const std::string& path);
std::vector<buzzsim::Post> read_calendar(const std::filesystem::path& path,
                                         std::optional<long> start_day, Checker& check,
                                         const Node& at);

// The scenario message as the rest of buzzsim sees it, every rule checked (convert.cpp).
Config convert(buzzsim::Scenario& s, const Tree& tree, std::string_view origin,
               const std::filesystem::path& base_dir, const Overrides& overrides,
               const std::filesystem::path& file = {});

// A scenario in protobuf's JSON mapping as text format, or InputError with the hint a
// file's unknown field gets (scenario.cpp).
std::string json_to_text(std::string_view json, std::string_view origin);

// Parses scenario text into the message and the locations of its fields (scenario.cpp).
void parse_message(std::string_view text, std::string_view origin, buzzsim::Scenario& s,
                   Tree& tree);
std::string read_scenario_file(const std::filesystem::path& file);

// Sets the numeric, boolean or enum field at `path` (e.g. "dynamics.sir.beta",
// "dynamics.campaign.brands[0].tone") to `value`; returns an error, or "" when done
// (field_path.cpp).
std::string set_by_path(pb::Message& root, const std::string& path, double value);
// The same from text, as --set PATH=VALUE gives it: a number, true or false, an enum
// value's name, or a string.
std::string set_by_text(pb::Message& root, const std::string& path, const std::string& text);
// The descriptor of the field at an expanded path ("dynamics.campaign.brands[0].tone";
// indices are not checked), or null (field_path.cpp).
const pb::FieldDescriptor* field_at(std::string_view path);
// Applies one --set override, "PATH=VALUE" (shorthands expanded); returns an error, or "".
std::string apply_set(pb::Message& root, const std::string& set);

}  // namespace buzz::scenario::detail
