// The field-path syntax of sweeps: "dynamics.campaign.brands[0].tone".
#include "sim/scenario/detail.hpp"

namespace buzz::scenario::detail {

// Sets the numeric, boolean or enum field at `path` (e.g. "dynamics.sir.beta",
// "dynamics.campaign.brands[0].tone") to `value`; returns an error, or "" when done.
std::string set_by_path(pb::Message& root, const std::string& path, double value) {
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
        return fmt::format("\"{}\" has a bad index", part);
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
      return fmt::format("no field \"{}\" in {}{}", part, d->name(),
                         best_distance <= 2 ? fmt::format("; did you mean \"{}\"?", best) : "");
    }
    const pb::Reflection* r = msg->GetReflection();
    if (f->is_repeated() != (index >= 0)) {
      return fmt::format("\"{}\" {}", part,
                         f->is_repeated() ? "is repeated: give an index, e.g. [0]"
                                          : "is not repeated: drop the index");
    }
    if (dot == std::string::npos) {
      if (f->is_repeated()) return fmt::format("\"{}\" is a list, not a number", part);
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
    if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      return fmt::format("\"{}\" is a value, not a message", part);
    }
    if (index >= 0) {
      if (index >= r->FieldSize(*msg, f)) {
        return fmt::format("{}[{}] does not exist: the scenario has {}", part, index,
                           r->FieldSize(*msg, f));
      }
      msg = r->MutableRepeatedMessage(msg, f, index);
    } else {
      msg = r->MutableMessage(msg, f);
    }
    start = dot + 1;
  }
}

}  // namespace buzz::scenario::detail
