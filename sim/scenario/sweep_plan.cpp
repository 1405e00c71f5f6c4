// Sweep plans: the axes of a sweep block checked, and the points of a grid, random or
// Latin-hypercube design, each a scenario of its own.
#include <numeric>

#include "sim/engine/random.hpp"
#include "sim/engine/sampling.hpp"
#include "sim/scenario/detail.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::scenario {

using namespace detail;
using buzzsim::Scenario;

namespace {

// The built-in presets: the settings the shipped scenarios compare, by the names the
// practitioner texts use.
struct BuiltIn {
  std::string_view name;
  std::vector<std::string> sets;
};
const std::vector<BuiltIn>& built_ins() {
  static const std::vector<BuiltIn> all = {
      {"conversational", {"campaign.tone=0.9", "campaign.reply_probability=0.5"}},
      {"broadcast", {"campaign.tone=0.1", "campaign.reply_probability=0"}},
      {"value", {"campaign.value=0.8", "campaign.commerciality=0.1"}},
      {"sales", {"campaign.value=0.1", "campaign.commerciality=0.9"}},
      {"consistent", {"campaign.regularity=REGULAR"}},
      {"sporadic", {"campaign.regularity=SPORADIC", "campaign.burst_size=6"}}};
  return all;
}

// What a preset sets: its own `set`, or a built-in's by name; empty when it is neither
// (`why` says so, with the nearest built-in).
std::vector<std::string> preset_sets(const buzzsim::SweepPreset& preset, std::string& why) {
  if (preset.set_size() > 0) return {preset.set().begin(), preset.set().end()};
  const auto& all = built_ins();
  for (const auto& b : all) {
    if (b.name == preset.name()) return b.sets;
  }
  std::string nearest, names;
  std::size_t best = 3;
  for (const auto& b : all) {
    names += (names.empty() ? "" : ", ") + std::string(b.name);
    if (const auto d = edit_distance(preset.name(), b.name); d < best) {
      best = d, nearest = b.name;
    }
  }
  why = fmt::format(
      "is not a built-in preset{} (the built-ins: {}; or give it its own "
      "set: [\"field=value\"])",
      nearest.empty() ? "" : fmt::format("; did you mean \"{}\"?", nearest), names);
  return {};
}

// A preset axis, checked: each preset's settings, by preset.
std::vector<std::vector<std::string>> preset_axis(const Scenario& s, const buzzsim::SweepAxis& axis,
                                                  const Node& an, Checker& check) {
  const auto design = s.sweep().design();
  std::vector<std::vector<std::string>> out;
  if (axis.has_field() || axis.values_size() > 0) {
    check.fail(an.at("presets"),
               fmt::format("{}: an axis has presets or a field with values, not both "
                           "(got presets and field \"{}\")",
                           an.path, axis.field()));
  }
  if (design != buzzsim::Sweep::GRID) {
    check.fail(an.at("presets"), fmt::format("{}: presets need a GRID design, got {}", an.path,
                                             buzzsim::Sweep::Design_Name(design)));
  }
  for (int p = 0; p < axis.presets_size(); ++p) {
    const auto& preset = axis.presets(p);
    const std::string at = fmt::format("{}.presets[{}] \"{}\"", an.path, p, preset.name());
    std::string why;
    auto sets = preset_sets(preset, why);
    if (!why.empty()) check.fail(an.at("presets", p), fmt::format("{} {}", at, why));
    Scenario probe = s;
    for (const auto& set : sets) {
      if (const std::string error = apply_set(probe, set); !error.empty()) {
        check.fail(an.at("presets", p), fmt::format("{}: set \"{}\": {}", at, set, error));
      }
    }
    out.push_back(std::move(sets));
  }
  return out;
}

// A field axis, checked: its field's path (a field of the scenario's model, settable to
// the axis's values) and its values or range.
std::string field_axis(const Scenario& s, const buzzsim::SweepAxis& axis, const Node& an,
                       Checker& check) {
  const auto design = s.sweep().design();
  const std::string path = expand_field_path(axis.field());
  // A field of another model than the scenario's would be set and never read.
  if (path.rfind("dynamics.", 0) == 0) {
    const std::string model = path.substr(9, path.find_first_of(".[", 9) - 9);
    const auto* chosen = s.dynamics().GetReflection()->GetOneofFieldDescriptor(
        s.dynamics(), s.dynamics().GetDescriptor()->FindOneofByName("model"));
    if (chosen != nullptr && chosen->name() != model) {
      check.fail(an.at("field"),
                 fmt::format("{}.field must be a field of the scenario's model ({}), got \"{}\"",
                             an.path, chosen->name(), path));
    }
  }
  Scenario probe = s;
  const std::string error =
      set_by_path(probe, path, axis.values_size() ? axis.values(0) : axis.min());
  if (!error.empty()) {
    check.fail(an.at("field"), fmt::format("{}.field: {} (path \"{}\")", an.path, error, path));
  }
  if (design == buzzsim::Sweep::GRID && axis.values_size() == 0) {
    check.fail(an.where, fmt::format("{}.values must list the grid's values, got none", an.path));
  }
  if (design != buzzsim::Sweep::GRID && !(axis.min() < axis.max())) {
    check.fail(an.at("max"),
               fmt::format("{}: min must be below max for a {} design, got [{}, {}]", an.path,
                           buzzsim::Sweep::Design_Name(design), axis.min(), axis.max()));
  }
  return path;
}

// The design's points, one value per axis (a preset's position on a preset axis).
std::vector<std::vector<double>> design_points(const buzzsim::Sweep& sweep, std::size_t axes,
                                               std::uint64_t seed) {
  const auto design = sweep.design();
  std::vector<std::vector<double>> points;
  if (design == buzzsim::Sweep::GRID) {
    points.push_back({});
    for (std::size_t a = 0; a < axes; ++a) {
      std::vector<std::vector<double>> next;
      const auto& axis = sweep.axes(int(a));
      for (const auto& p : points) {
        if (axis.presets_size() > 0) {  // a preset's value is its position
          for (int i = 0; i < axis.presets_size(); ++i) {
            next.push_back(p);
            next.back().push_back(i);
          }
        }
        for (double v : axis.values()) {
          next.push_back(p);
          next.back().push_back(v);
        }
      }
      points = std::move(next);
    }
  } else {
    // Draws from a stream of their own, keyed by point and axis.
    const engine::Random random(seed, 0x7377656570000000ull);  // "sweep"
    points = engine::unit_design(sweep.points(), axes, random, design != buzzsim::Sweep::RANDOM);
    for (auto& point : points) {
      for (std::size_t a = 0; a < axes; ++a) {
        const auto& axis = sweep.axes(int(a));
        point[a] = axis.min() + point[a] * (axis.max() - axis.min());
      }
    }
  }

  return points;
}

SweepPlan plan_sweep(Scenario& s, const Tree& tree, const std::string& origin,
                     const std::filesystem::path& base_dir, const Overrides& overrides,
                     const std::filesystem::path& file, bool axes_written) {
  SweepPlan plan;
  {
    Scenario base = s;
    plan.base = convert(base, tree, origin, base_dir, overrides, file);
  }
  const Node root{s, &tree, "", Location{0, 0}};
  // Axes given outside the file (Python's) have no place in it to point at.
  const Node sweep =
      axes_written ? root.child("sweep") : Node{s.sweep(), nullptr, "sweep", Location{-1, -1}};
  if (s.sweep().axes_size() == 0) {
    throw InputError(
        fmt::format("{}: sweep must list at least one axis (sweep {{ axes {{ field: ... "
                    "values: [...] }} }}), got none",
                    origin));
  }
  Checker check{origin};
  const pb::FieldDescriptor* axes_field = s.sweep().GetDescriptor()->FindFieldByName("axes");
  const auto design = s.sweep().design();
  // Each preset axis's settings, by axis and preset.
  std::vector<std::vector<std::vector<std::string>>> presets(std::size_t(s.sweep().axes_size()));
  for (int a = 0; a < s.sweep().axes_size(); ++a) {
    const auto& axis = s.sweep().axes(a);
    const Node an{axis, Checker::nested(sweep.tree, axes_field, a),
                  fmt::format("sweep.axes[{}]", a),
                  Checker::locate(sweep.tree, axes_field, sweep.where, a)};
    if (axis.presets_size() > 0) {
      plan.fields.push_back(axis.has_name() ? axis.name() : "preset");
      presets[std::size_t(a)] = preset_axis(s, axis, an, check);
      continue;
    }
    plan.fields.push_back(field_axis(s, axis, an, check));
  }
  // A grid's size is the product of its axes': refuse what no machine would run.
  constexpr double kMaxPoints = 1e6;
  double grid = 1;
  for (const auto& axis : s.sweep().axes()) {
    grid *= std::max(1, axis.presets_size() > 0 ? axis.presets_size() : axis.values_size());
  }
  if (design == buzzsim::Sweep::GRID && grid > kMaxPoints) {
    check.fail(sweep.where, fmt::format("sweep must have at most {} points, got a grid of {}",
                                        kMaxPoints, grid));
  }
  check.throw_if_failed();

  // The points.
  const std::size_t axes = plan.fields.size();
  const auto points = design_points(s.sweep(), axes, plan.base.seed);
  for (std::uint32_t i = 0; i < points.size(); ++i) {
    Scenario point = s;
    point.clear_sweep();
    std::string assignments;
    std::vector<std::string> labels(axes);
    for (std::size_t a = 0; a < axes; ++a) {
      if (!presets[a].empty()) {
        const auto p = std::size_t(points[i][a]);
        labels[a] = s.sweep().axes(int(a)).presets(int(p)).name();
        for (const auto& set : presets[a][p]) apply_set(point, set);
        assignments += fmt::format("{}{} = {}", a ? ", " : "", plan.fields[a], labels[a]);
        continue;
      }
      set_by_path(point, plan.fields[a], points[i][a]);
      assignments += fmt::format("{}{} = {}", a ? ", " : "", plan.fields[a], points[i][a]);
    }
    try {
      plan.points.push_back(
          {i, points[i], labels, convert(point, tree, origin, base_dir, overrides, file)});
    } catch (const InputError& e) {
      throw InputError(fmt::format("{}\n{}: sweep point {} ({}) breaks the rule above", e.what(),
                                   origin, i, assignments));
    }
  }
  return plan;
}

}  // namespace

SweepPlan load_sweep(const std::filesystem::path& file, const Overrides& overrides) {
  Scenario s;
  Tree tree;
  parse_message(read_scenario_file(file), file.string(), s, tree);
  return plan_sweep(s, tree, file.string(), file.parent_path(), overrides, file, true);
}

SweepPlan plan_grid(const ScenarioSource& source, const std::vector<GridAxis>& axes,
                    const Overrides& overrides) {
  const bool from_file = !source.file.empty();
  const std::string origin = from_file ? source.file.string() : source.origin;
  std::string text = from_file ? read_scenario_file(source.file) : source.text;
  if (source.json) text = json_to_text(text, origin);
  Scenario s;
  Tree tree;
  parse_message(text, origin, s, tree);
  s.clear_sweep();
  for (const auto& a : axes) {
    auto* axis = s.mutable_sweep()->add_axes();
    if (a.presets.empty()) {
      axis->set_field(a.field);
      axis->mutable_values()->Add(a.values.begin(), a.values.end());
    } else {
      // An enum field's names keep the field's column, as its numbers would.
      axis->set_name(a.field.find('.') == std::string::npos ? a.field : expand_field_path(a.field));
      for (std::size_t p = 0; p < a.presets.size(); ++p) {
        auto* preset = axis->add_presets();
        preset->set_name(a.presets[p]);
        if (p < a.preset_sets.size()) {
          for (const auto& set : a.preset_sets[p]) preset->add_set(set);
        }
      }
    }
  }
  return plan_sweep(s, tree, origin, from_file ? source.file.parent_path() : source.base_dir,
                    overrides, source.file, false);
}

std::vector<std::string> preset_names() {
  std::vector<std::string> out;
  for (const auto& b : built_ins()) out.emplace_back(b.name);
  return out;
}

}  // namespace buzz::scenario
