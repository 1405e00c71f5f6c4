// Parameter priors (the `prior` field option) and scenarios with fields set from outside
// the file: what `compare --uncertainty` draws and runs.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/scenario/detail.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::scenario {

using namespace detail;

double Prior::at(double u) const {
  const double x =
      log ? std::exp(std::log(low) + u * (std::log(high) - std::log(low))) : low + u * (high - low);
  return integer ? std::floor(x + 0.5) : x;
}

std::string field_meaning(std::string_view path) {
  const pb::FieldDescriptor* f = field_at(path);
  if (f == nullptr || !f->options().HasExtension(buzzsim::meaning)) return "";
  return f->options().GetExtension(buzzsim::meaning);
}

std::vector<Prior> campaign_priors() {
  std::vector<Prior> out;
  const pb::Descriptor* d = buzzsim::Audience::descriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    const bool numeric = f->cpp_type() == pb::FieldDescriptor::CPPTYPE_DOUBLE ||
                         f->cpp_type() == pb::FieldDescriptor::CPPTYPE_UINT32;
    if (!numeric) continue;
    // Every behavioural constant is uncertain: one without a plausible range is a defect.
    if (!f->options().HasExtension(buzzsim::prior)) {
      throw std::logic_error(
          fmt::format("proto/scenario.proto: Audience.{} has no prior", f->name()));
    }
    const buzzsim::Prior& p = f->options().GetExtension(buzzsim::prior);
    Prior prior{"dynamics.campaign.audience." + f->name(),
                p.low(),
                p.high(),
                p.log(),
                f->cpp_type() != pb::FieldDescriptor::CPPTYPE_DOUBLE,
                0};
    prior.default_value = f->cpp_type() == pb::FieldDescriptor::CPPTYPE_DOUBLE
                              ? f->default_value_double()
                              : double(f->default_value_uint32());
    out.push_back(prior);
  }
  return out;
}

std::vector<Prior> scenario_priors(const std::filesystem::path& file) {
  buzzsim::Scenario s;
  Tree tree;
  const std::string origin = file.string();
  parse_message(read_scenario_file(file), origin, s, tree);
  std::vector<Prior> priors = campaign_priors();
  Checker check{origin};
  const pb::FieldDescriptor* priors_field = s.GetDescriptor()->FindFieldByName("priors");
  for (int k = 0; k < s.priors_size(); ++k) {
    const auto& o = s.priors(k);
    const Node n{o, Checker::nested(&tree, priors_field, k), fmt::format("priors[{}]", k),
                 Checker::locate(&tree, priors_field, Location{0, 0}, k)};
    const std::string path = "dynamics.campaign." + o.field();
    const auto it =
        std::find_if(priors.begin(), priors.end(), [&](const Prior& p) { return p.field == path; });
    if (it == priors.end()) {
      check.fail(n.at("field"), fmt::format("{} must name an audience field with a prior, e.g. "
                                            "\"audience.share_probability\", got \"{}\"",
                                            n.field_path("field"), o.field()));
      continue;
    }
    if (!(o.low() < o.high())) {
      check.fail(n.at("high"), fmt::format("{}: low must be below high, got [{}, {}]", n.path,
                                           o.low(), o.high()));
      continue;
    }
    if (o.log() && !(o.low() > 0)) {
      check.fail(n.at("low"),
                 fmt::format("{}: a log prior must start above 0, got low {}", n.path, o.low()));
      continue;
    }
    const pb::FieldDescriptor* f =
        buzzsim::Audience::descriptor()->FindFieldByName(o.field().substr(9));
    if (f->options().HasExtension(buzzsim::bounds)) {
      const auto& b = f->options().GetExtension(buzzsim::bounds);
      for (const auto& [end, v] : {std::pair("low", o.low()), std::pair("high", o.high())}) {
        if (!within(b, v)) {
          check.fail(n.at(end), fmt::format("{}.{} must be {} (the range of {}), got {}", n.path,
                                            end, describe_bounds(b, false), o.field(), v));
        }
      }
    }
    it->low = o.low();
    it->high = o.high();
    it->log = o.log();
  }
  check.throw_if_failed();
  return priors;
}

std::vector<bool> sets_fields(const std::filesystem::path& file,
                              const std::vector<std::string>& paths) {
  buzzsim::Scenario s;
  Tree tree;
  parse_message(read_scenario_file(file), file.string(), s, tree);
  const auto sets = [&](const std::string& path) {
    const pb::Message* msg = &s;
    for (std::size_t start = 0;;) {
      const auto dot = path.find('.', start);
      const std::string part = path.substr(start, dot == std::string::npos ? dot : dot - start);
      const pb::FieldDescriptor* f = msg->GetDescriptor()->FindFieldByName(part);
      const pb::Reflection* r = msg->GetReflection();
      if (f == nullptr || f->is_repeated() || !r->HasField(*msg, f)) return false;
      if (dot == std::string::npos) return true;
      msg = &r->GetMessage(*msg, f);
      start = dot + 1;
    }
  };
  std::vector<bool> out;
  for (const auto& path : paths) out.push_back(sets(path));
  return out;
}

Config load_with(const std::filesystem::path& file, const Overrides& overrides,
                 const std::vector<std::pair<std::string, double>>& values) {
  buzzsim::Scenario s;
  Tree tree;
  parse_message(read_scenario_file(file), file.string(), s, tree);
  for (const auto& [path, value] : values) {
    if (const std::string error = set_by_path(s, path, value); !error.empty()) {
      throw InputError(
          fmt::format("{}: cannot set {} to {}: {}", file.string(), path, value, error));
    }
  }
  return convert(s, tree, file.string(), file.parent_path(), overrides, file);
}

}  // namespace buzz::scenario
