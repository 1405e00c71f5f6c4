// compare --uncertainty: what to draw, and the comparison on every draw.
#include "sim/batch/draws.hpp"

#include <fmt/format.h>

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <variant>

#include "sim/analysis/sobol.hpp"
#include "sim/batch/calibrate.hpp"
#include "sim/batch/runner.hpp"
#include "sim/common/input_error.hpp"
#include "sim/dynamics/dynamics.hpp"

namespace buzz::batch {

using namespace analysis;

namespace {

// n draws resampled from a calibration's posterior: its fields in every scenario, drawn
// together as the calibration found them.
UncertaintyPlan posterior_plan(const std::vector<std::string>& files,
                               const std::vector<scenario::Config>& configs, std::uint32_t n,
                               const std::string& posterior_file) {
  const auto posterior = read_posterior(posterior_file);
  UncertaintyPlan plan;
  for (std::size_t j = 0; j < posterior.fields.size(); ++j) {
    double lo = posterior.values[0][j], hi = lo;
    for (const auto& v : posterior.values) lo = std::min(lo, v[j]), hi = std::max(hi, v[j]);
    plan.priors.push_back({posterior.fields[j], lo, hi, false, false, lo});
  }
  plan.draws = draw_posterior(posterior, n, configs[0].seed);
  plan.source = fmt::format("resampled by weight from the {} particles of the posterior {}",
                            posterior.values.size(), posterior_file);
  // A field no scenario has, or a value out of its range, is refused before any run.
  for (const auto& f : files) {
    std::vector<std::pair<std::string, double>> values;
    for (std::size_t j = 0; j < plan.priors.size(); ++j) {
      values.emplace_back(plan.priors[j].field, plan.draws[0][j]);
    }
    try {
      scenario::load_with(f, {}, values);
    } catch (const InputError& e) {
      throw InputError(fmt::format("{}: {}", posterior_file, e.what()));
    }
  }
  return plan;
}

// The Sobol sequence's first points repeat between some dimensions: where a parameter's A
// and B columns are the same, its AB rows are A's and its effect would read as 0.
void refuse_coinciding_columns(const std::vector<std::vector<double>>& unit, std::uint32_t n,
                               std::size_t k, const std::string& file) {
  std::size_t same = 0;
  for (std::size_t j = 0; j < k; ++j) {
    bool equal = true;
    for (std::uint32_t r = 0; r < n && equal; ++r) equal = unit[r][j] == unit[n + r][j];
    same += equal;
  }
  if (same > 0) {
    throw InputError(fmt::format(
        "{}: --uncertainty {} with --sobol is too small a base sample for {} parameters: the "
        "Sobol sequence gives {} of them the same values in Saltelli's A and B, which would "
        "hide their effect; use a larger power of two (32 or more)",
        file, n, k, same));
  }
}

}  // namespace

UncertaintyPlan plan_draws(const std::vector<std::string>& files,
                           const std::vector<scenario::Config>& configs, std::uint32_t n,
                           const std::string& posterior_file, bool sobol) {
  for (std::size_t i = 0; i < configs.size(); ++i) {
    if (!std::holds_alternative<dynamics::CampaignParams>(configs[i].dynamics)) {
      throw InputError(fmt::format(
          "{}: --uncertainty draws the campaign's audience parameters, so every scenario must "
          "be a campaign; got a {} scenario",
          files[i], dynamics::name(configs[i].dynamics)));
    }
  }
  if (sobol && !posterior_file.empty()) {
    throw InputError(fmt::format(
        "{}: --sobol needs independent draws from the priors; a posterior's parameters are "
        "drawn together, so Sobol indices of it are not defined: use --sobol without "
        "--posterior, or --posterior alone",
        posterior_file));
  }
  if (!posterior_file.empty()) return posterior_plan(files, configs, n, posterior_file);
  // The priors: the first file's, as it narrows them; the others must not disagree.
  const auto priors = scenario::scenario_priors(files[0]);
  for (std::size_t i = 1; i < files.size(); ++i) {
    const auto other = scenario::scenario_priors(files[i]);
    for (std::size_t j = 0; j < priors.size(); ++j) {
      const auto& a = priors[j];
      const auto& b = other[j];
      if (a.low != b.low || a.high != b.high || a.log != b.log) {
        throw InputError(fmt::format(
            "{}: priors must agree across the compared scenarios; {} is [{}, {}]{} here and "
            "[{}, {}]{} in {}",
            files[i], b.field, b.low, b.high, b.log ? " log" : "", a.low, a.high,
            a.log ? " log" : "", files[0]));
      }
    }
  }
  // A field a scenario sets itself is its own: held, not drawn. Each file is read once.
  std::vector<std::string> fields;
  for (const auto& prior : priors) fields.push_back(prior.field);
  std::vector<bool> held(fields.size(), false);
  for (const auto& f : files) {
    const auto sets = scenario::sets_fields(f, fields);
    for (std::size_t j = 0; j < sets.size(); ++j) held[j] = held[j] || sets[j];
  }
  UncertaintyPlan plan;
  for (std::size_t j = 0; j < priors.size(); ++j) {
    (held[j] ? plan.held.push_back(priors[j].field) : plan.priors.push_back(priors[j]));
  }
  if (plan.priors.empty()) {
    throw InputError(fmt::format(
        "{}: --uncertainty has no parameter left to draw: the scenarios set every one", files[0]));
  }
  if (sobol) {
    plan.saltelli_n = n;
    plan.source = fmt::format(
        "from their priors (Saltelli's design on a Sobol sequence, {} of "
        "its {} draws)",
        2 * n, std::size_t{n} * (plan.priors.size() + 2));
  }
  const auto unit = sobol ? saltelli_design(n, plan.priors.size())
                          : latin_hypercube(n, plan.priors.size(), configs[0].seed);
  if (sobol) refuse_coinciding_columns(unit, n, plan.priors.size(), files[0]);
  for (const auto& u : unit) {
    std::vector<double> values;
    for (std::size_t j = 0; j < u.size(); ++j) values.push_back(plan.priors[j].at(u[j]));
    plan.draws.push_back(values);
  }
  return plan;
}

std::optional<UncertainComparison> run_draws(const UncertaintyPlan& plan,
                                             const std::vector<std::string>& files,
                                             const std::vector<scenario::Overrides>& overrides,
                                             const std::vector<scenario::Config>& configs,
                                             const Graphs& graphs, const Comparison& plain,
                                             const DrawOptions& options) {
  const std::size_t n = plan.draws.size(), s = configs.size(), metrics = plain.metrics.size();
  // Per draw and metric: whether it was exercised, then each scenario's paired difference.
  std::vector<double> flat(n * metrics * s, 0.0);
  // With --sobol, also the variance of each draw's mean difference over its replicates
  // (NaN with one replicate): the run-to-run noise in the Sobol estimators.
  std::vector<double> noise(plan.saltelli_n > 0 ? flat.size() : 0, 0.0);
  const auto at = [&](std::size_t d, std::size_t m) { return (d * metrics + m) * s; };
  // Draws run side by side (each also spreads its replicates), each writing its own slots.
  const std::size_t own =
      (n + std::size_t(options.ranks) - 1 - std::size_t(options.rank)) / std::size_t(options.ranks);
  std::atomic<std::size_t> done{0};
  std::mutex progress;
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t d) {
    if (d % std::size_t(options.ranks) != std::size_t(options.rank)) return;
    std::vector<std::pair<std::string, double>> values;
    for (std::size_t j = 0; j < plan.priors.size(); ++j) {
      values.emplace_back(plan.priors[j].field, plan.draws[d][j]);
    }
    std::vector<ScenarioRun> runs;
    for (std::size_t i = 0; i < s; ++i) {
      auto config = scenario::load_with(files[i], overrides[i], values);
      config.name = configs[i].name;
      auto result = run(config, graph_of(graphs, config));
      runs.push_back({std::move(config), std::move(result)});
    }
    const auto c = compare(runs);
    for (std::size_t m = 0; m < metrics; ++m) {
      flat[at(d, m)] = c.metrics[m].exercised ? 1 : 0;
      for (std::size_t i = 1; i < s; ++i) {
        const auto& diff = c.metrics[m].difference[i];
        flat[at(d, m) + i] = diff.mean;
        if (!noise.empty()) noise[at(d, m) + i] = diff.sd * diff.sd / double(diff.n);
      }
    }
    const std::size_t finished = ++done;
    if (options.progress) {
      const std::lock_guard lock(progress);
      options.progress(finished, own);
    }
  });
  if (options.sum) {
    options.sum(flat);
    if (!noise.empty()) options.sum(noise);
  }
  if (options.rank != 0) return std::nullopt;
  // With Saltelli's design, the summary's statistics read its A and B rows, independent
  // draws; the Sobol indices read every row.
  const std::size_t summarised = plan.saltelli_n > 0 ? 2 * std::size_t{plan.saltelli_n} : n;
  std::vector<Comparison> per_draw(summarised, plain);
  for (std::size_t d = 0; d < summarised; ++d) {
    for (std::size_t m = 0; m < metrics; ++m) {
      auto& mc = per_draw[d].metrics[m];
      mc.exercised = flat[at(d, m)] != 0;
      for (std::size_t i = 1; i < s; ++i) mc.difference[i].mean = flat[at(d, m) + i];
    }
  }
  const std::vector<std::vector<double>> draws(plan.draws.begin(),
                                               plan.draws.begin() + std::ptrdiff_t(summarised));
  auto summary = summarise(plain.names, plan.priors, draws, per_draw);
  if (plan.saltelli_n > 0) {
    add_sobol(
        summary, plan.saltelli_n, n,
        [&](std::size_t d, std::size_t m, std::size_t i) { return flat[at(d, m) + i]; },
        [&](std::size_t d, std::size_t m, std::size_t i) { return noise[at(d, m) + i]; });
  }
  summary.source = plan.source;
  summary.scale = plain.scale;
  return summary;
}

ComparisonRun run_comparison(const std::vector<scenario::Config>& configs, const Graphs& graphs,
                             const UncertaintyPlan* plan, const std::vector<std::string>& files,
                             const std::vector<scenario::Overrides>& overrides,
                             const DrawOptions& draws, const std::function<void()>& replicate_done,
                             const std::function<void()>& runs_done) {
  ComparisonRun out;
  for (const auto& c : configs)
    out.runs.push_back({c, run(c, graph_of(graphs, c), replicate_done)});
  out.comparison = compare(out.runs);
  if (runs_done) runs_done();
  if (plan == nullptr) return out;
  out.uncertainty = run_draws(*plan, files, overrides, configs, graphs, out.comparison, draws);
  if (out.uncertainty) judge_under_uncertainty(out.comparison, *out.uncertainty);
  return out;
}

}  // namespace buzz::batch
