// Sweep plans: the axes of a sweep block checked, and the points of a grid, random or
// Latin-hypercube design, each a scenario of its own.
#include <numeric>

#include "sim/engine/random.hpp"
#include "sim/scenario/detail.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::scenario {

using namespace detail;
using buzzsim::Scenario;

SweepPlan load_sweep(const std::filesystem::path& file, const Overrides& overrides) {
  const std::string origin = file.string();
  Scenario s;
  Tree tree;
  parse_message(read_scenario_file(file), origin, s, tree);
  SweepPlan plan;
  {
    Scenario base = s;
    plan.base = convert(base, tree, origin, file.parent_path(), overrides, file);
  }
  const Node root{s, &tree, "", Location{0, 0}};
  const Node sweep = root.child("sweep");
  if (s.sweep().axes_size() == 0) {
    throw InputError(
        fmt::format("{}: sweep must list at least one axis (sweep {{ axes {{ field: ... "
                    "values: [...] }} }}), got none",
                    origin));
  }
  Checker check{origin};
  const pb::FieldDescriptor* axes_field = s.sweep().GetDescriptor()->FindFieldByName("axes");
  const auto design = s.sweep().design();
  for (int a = 0; a < s.sweep().axes_size(); ++a) {
    const auto& axis = s.sweep().axes(a);
    const Node an{axis, Checker::nested(sweep.tree, axes_field, a),
                  fmt::format("sweep.axes[{}]", a),
                  Checker::locate(sweep.tree, axes_field, sweep.where, a)};
    const std::string path = expand_field_path(axis.field());
    plan.fields.push_back(path);
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
  }
  // A grid's size is the product of its axes': refuse what no machine would run.
  constexpr double kMaxPoints = 1e6;
  double grid = 1;
  for (const auto& axis : s.sweep().axes()) grid *= std::max(1, axis.values_size());
  if (design == buzzsim::Sweep::GRID && grid > kMaxPoints) {
    check.fail(sweep.where, fmt::format("sweep must have at most {} points, got a grid of {}",
                                        kMaxPoints, grid));
  }
  check.throw_if_failed();

  // The points.
  const std::size_t axes = plan.fields.size();
  std::vector<std::vector<double>> points;
  if (design == buzzsim::Sweep::GRID) {
    points.push_back({});
    for (std::size_t a = 0; a < axes; ++a) {
      std::vector<std::vector<double>> next;
      for (const auto& p : points) {
        for (double v : s.sweep().axes(int(a)).values()) {
          next.push_back(p);
          next.back().push_back(v);
        }
      }
      points = std::move(next);
    }
  } else {
    // Draws from a stream of their own, keyed by point and axis.
    const engine::Random random(plan.base.seed, 0x7377656570000000ull);  // "sweep"
    const std::uint32_t n = s.sweep().points();
    points.assign(n, std::vector<double>(axes));
    for (std::size_t a = 0; a < axes; ++a) {
      const auto& axis = s.sweep().axes(int(a));
      std::vector<std::uint32_t> strata(n);
      std::iota(strata.begin(), strata.end(), 0u);
      for (std::uint32_t i = 0; i + 1 < n; ++i) {
        std::swap(strata[i], strata[i + random.below(n - i, a, i, 1)]);
      }
      for (std::uint32_t i = 0; i < n; ++i) {
        const double u = random.uniform(a, i, 2);
        const double x = design == buzzsim::Sweep::RANDOM ? u : (strata[i] + u) / n;
        points[i][a] = axis.min() + x * (axis.max() - axis.min());
      }
    }
  }

  for (std::uint32_t i = 0; i < points.size(); ++i) {
    Scenario point = s;
    point.clear_sweep();
    std::string assignments;
    for (std::size_t a = 0; a < axes; ++a) {
      set_by_path(point, plan.fields[a], points[i][a]);
      assignments += fmt::format("{}{} = {}", a ? ", " : "", plan.fields[a], points[i][a]);
    }
    try {
      plan.points.push_back(
          {i, points[i], convert(point, tree, origin, file.parent_path(), overrides, file)});
    } catch (const InputError& e) {
      throw InputError(fmt::format("{}\n{}: sweep point {} ({}) breaks the rule above", e.what(),
                                   origin, i, assignments));
    }
  }
  return plan;
}

}  // namespace buzz::scenario
