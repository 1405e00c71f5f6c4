// The field-path syntax of sweeps and --set: "dynamics.campaign.brands[0].tone".
#include "sim/scenario/detail.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::scenario::detail {

// Sets the numeric, boolean or enum field at `path` (e.g. "dynamics.sir.beta",
// "dynamics.campaign.brands[0].tone") to `value`; returns an error, or "" when done.
namespace {

// The message holding the field at `path` and the field, or an error.
struct Target {
  pb::Message* msg = nullptr;
  const pb::FieldDescriptor* field = nullptr;
  std::string error;
};

Target walk(pb::Message& root, const std::string& path) {
  pb::Message* msg = &root;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    int index = -1;
    if (const auto open = part.find('['); open != std::string::npos && part.back() == ']') {
      try {
        index = std::stoi(part.substr(open + 1, part.size() - open - 2));
      } catch (const std::exception&) {
        return {nullptr, nullptr, fmt::format("\"{}\" has a bad index", part)};
      }
      part = part.substr(0, open);
    }
    const pb::Descriptor* d = msg->GetDescriptor();
    const pb::FieldDescriptor* f = d->FindFieldByName(part);
    if (f == nullptr) {
      std::string best;
      std::size_t best_distance = std::string::npos;
      for (int i = 0; i < d->field_count(); ++i) {
        const auto distance = edit_distance(part, d->field(i)->name());
        if (distance < best_distance) best_distance = distance, best = d->field(i)->name();
      }
      return {nullptr, nullptr,
              fmt::format("no field \"{}\" in {}{}", part, d->name(),
                          best_distance <= 2 ? fmt::format("; did you mean \"{}\"?", best) : "")};
    }
    const pb::Reflection* r = msg->GetReflection();
    if (f->is_repeated() != (index >= 0)) {
      return {nullptr, nullptr,
              fmt::format("\"{}\" {}", part,
                          f->is_repeated() ? "is repeated: give an index, e.g. [0]"
                                           : "is not repeated: drop the index")};
    }
    if (dot == std::string::npos) {
      if (f->is_repeated())
        return {nullptr, nullptr, fmt::format("\"{}\" is a list, not a number", part)};
      return {msg, f, ""};
    }
    if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      return {nullptr, nullptr, fmt::format("\"{}\" is a value, not a message", part)};
    }
    if (index >= 0) {
      if (index >= r->FieldSize(*msg, f)) {
        return {nullptr, nullptr,
                fmt::format("{}[{}] does not exist: the scenario has {}", part, index,
                            r->FieldSize(*msg, f))};
      }
      msg = r->MutableRepeatedMessage(msg, f, index);
    } else {
      msg = r->MutableMessage(msg, f);
    }
    start = dot + 1;
  }
}

}  // namespace

std::string set_by_path(pb::Message& root, const std::string& path, double value) {
  const Target t = walk(root, path);
  if (!t.error.empty()) return t.error;
  pb::Message* msg = t.msg;
  const pb::FieldDescriptor* f = t.field;
  const pb::Reflection* r = msg->GetReflection();
  const std::string& part = f->name();
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      r->SetDouble(msg, f, value);
      return "";
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
      r->SetFloat(msg, f, float(value));
      return "";
    case pb::FieldDescriptor::CPPTYPE_INT32:
      r->SetInt32(msg, f, int32_t(std::llround(value)));
      return "";
    case pb::FieldDescriptor::CPPTYPE_INT64:
      r->SetInt64(msg, f, std::llround(value));
      return "";
    case pb::FieldDescriptor::CPPTYPE_UINT32:
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      if (value < 0) return fmt::format("\"{}\" cannot be negative, got {}", part, value);
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_UINT32) {
        r->SetUInt32(msg, f, uint32_t(std::llround(value)));
      } else {
        r->SetUInt64(msg, f, uint64_t(std::llround(value)));
      }
      return "";
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      r->SetBool(msg, f, value != 0);
      return "";
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      const auto* e = f->enum_type()->FindValueByNumber(int(std::llround(value)));
      if (e == nullptr)
        return fmt::format("{} has no value numbered {}", f->enum_type()->name(), value);
      r->SetEnum(msg, f, e);
      return "";
    }
    default:
      return fmt::format("\"{}\" is not a number, a boolean or an enum", part);
  }
}

std::string set_by_text(pb::Message& root, const std::string& path, const std::string& text) {
  const Target t = walk(root, path);
  if (!t.error.empty()) return t.error;
  const pb::FieldDescriptor* f = t.field;
  const pb::Reflection* r = t.msg->GetReflection();
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_STRING:
      r->SetString(t.msg, f, text);
      return "";
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      if (text == "true" || text == "1") return set_by_path(root, path, 1);
      if (text == "false" || text == "0") return set_by_path(root, path, 0);
      return fmt::format("{} is true or false, got \"{}\"", f->name(), text);
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      if (const auto* e = f->enum_type()->FindValueByName(text)) {
        r->SetEnum(t.msg, f, e);
        return "";
      }
      std::string names;
      for (int i = 0; i < f->enum_type()->value_count(); ++i) {
        names += (i ? ", " : "") + f->enum_type()->value(i)->name();
      }
      return fmt::format("{} is one of {}, got \"{}\"", f->name(), names, text);
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      return fmt::format("\"{}\" is a message, not a value", f->name());
    default: {
      char* end = nullptr;
      const double v = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != 0) {
        return fmt::format("{} is a number, got \"{}\"", f->name(), text);
      }
      if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_DOUBLE &&
          f->cpp_type() != pb::FieldDescriptor::CPPTYPE_FLOAT && v != std::floor(v)) {
        return fmt::format("{} is a whole number, got \"{}\"", f->name(), text);
      }
      if (std::string error = set_by_path(root, path, v); !error.empty()) return error;
      if (f->options().HasExtension(bounds) && !within(f->options().GetExtension(bounds), v)) {
        const bool integral = f->cpp_type() != pb::FieldDescriptor::CPPTYPE_DOUBLE &&
                              f->cpp_type() != pb::FieldDescriptor::CPPTYPE_FLOAT;
        const Bounds& b = f->options().GetExtension(bounds);
        return fmt::format("{} must be {}{}, got {}", path, describe_bounds(b, integral),
                           percent_hint(f, b, v, integral), text);
      }
      return "";
    }
  }
}

const pb::FieldDescriptor* field_at(std::string_view path) {
  const pb::Descriptor* d = buzzsim::Scenario::descriptor();
  for (std::size_t start = 0; d != nullptr;) {
    const auto dot = path.find('.', start);
    std::string_view part = path.substr(start, dot == std::string_view::npos ? dot : dot - start);
    part = part.substr(0, part.find('['));  // brands[0] -> brands
    const pb::FieldDescriptor* f = d->FindFieldByName(std::string(part));
    if (f == nullptr || dot == std::string_view::npos) return f;
    d = f->message_type();
    start = dot + 1;
  }
  return nullptr;
}

std::string apply_set(pb::Message& root, const std::string& set) {
  const auto eq = set.find('=');
  if (eq == std::string::npos) return "write PATH=VALUE, e.g. --set campaign.tone=0.8";
  return set_by_text(root, set_field(set), set.substr(eq + 1));
}

}  // namespace buzz::scenario::detail

namespace buzz::scenario {

namespace {

void flatten(const detail::pb::Message& msg, const std::string& path,
             std::vector<std::pair<std::string, std::string>>& out) {
  namespace pb = detail::pb;
  const pb::Reflection* r = msg.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(msg, &fields);
  for (const pb::FieldDescriptor* f : fields) {
    const std::string at = path.empty() ? f->name() : path + "." + f->name();
    if (path.empty() &&
        (f->name() == "name" || f->name() == "description" || f->name() == "sweep" ||
         f->name() == "calibrate" || f->name() == "priors")) {
      continue;
    }
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int k = 0; k < r->FieldSize(msg, f); ++k) {
          flatten(r->GetRepeatedMessage(msg, f, k), fmt::format("{}[{}]", at, k), out);
        }
      } else {
        flatten(r->GetMessage(msg, f), at, out);
      }
      continue;
    }
    std::string text;
    if (f->is_repeated()) {
      for (int k = 0; k < r->FieldSize(msg, f); ++k) {
        std::string one;
        pb::TextFormat::PrintFieldValueToString(msg, f, k, &one);
        text += (k ? " " : "") + one;
      }
    } else {
      pb::TextFormat::PrintFieldValueToString(msg, f, -1, &text);
    }
    if (text.size() > 1 && text.front() == '"' && text.back() == '"') {
      text = text.substr(1, text.size() - 2);
    }
    out.emplace_back(at, text);
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> field_values(const Config& config) {
  buzzsim::Scenario s;
  detail::pb::TextFormat::ParseFromString(config.canonical_text, &s);
  std::vector<std::pair<std::string, std::string>> out;
  flatten(s, "", out);
  return out;
}

}  // namespace buzz::scenario
