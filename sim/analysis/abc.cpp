#include "sim/analysis/abc.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/common/csv_reader.hpp"
#include "sim/engine/random.hpp"

namespace buzz::analysis::abc {

namespace {

// Purposes of the draws of a proposal (stream: seed, "abc-smc").
constexpr engine::Purpose kPrior{1}, kAncestor{2}, kMove{3}, kSeed{4};
constexpr std::uint64_t kStream = 0x6162632d736d6300ull;
// Attempts at a move that stays inside the prior before giving up on a proposal.
constexpr std::uint32_t kMaxAttempts = 100000;

double to_scale(const Parameter& p, double x) { return p.log ? std::log(x) : x; }
double from_scale(const Parameter& p, double z) { return p.log ? std::exp(z) : z; }

using Matrix = std::vector<std::vector<double>>;

// Lower Cholesky factor of a symmetric positive definite matrix; a diagonal one of its
// diagonal when it is not (particles collapsed onto a line).
Matrix cholesky(const Matrix& a) {
  const std::size_t k = a.size();
  Matrix l(k, std::vector<double>(k, 0.0));
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double s = a[i][j];
      for (std::size_t m = 0; m < j; ++m) s -= l[i][m] * l[j][m];
      if (i == j) {
        if (!(s > 0)) {
          Matrix d(k, std::vector<double>(k, 0.0));
          for (std::size_t m = 0; m < k; ++m) d[m][m] = std::sqrt(std::max(a[m][m], 1e-300));
          return d;
        }
        l[i][i] = std::sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  }
  return l;
}

// Squared Mahalanobis length of v for the covariance L L^T: |L^-1 v|^2.
double mahalanobis2(const Matrix& l, const std::vector<double>& v) {
  std::vector<double> y(v.size());
  double sum = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    double s = v[i];
    for (std::size_t m = 0; m < i; ++m) s -= l[i][m] * y[m];
    y[i] = s / l[i][i];
    sum += y[i] * y[i];
  }
  return sum;
}

// What generation t's proposals move from: the last generation in each parameter's scale,
// its cumulative weights and the kernel's Cholesky factor; with local kernels, one factor
// per particle and half the log of its determinant.
struct Kernel {
  std::vector<std::vector<double>> z;
  std::vector<double> weight, cumulative;
  Matrix l;
  std::vector<Matrix> local;
  std::vector<double> half_log_det;
  const Matrix& factor(std::size_t i) const { return local.empty() ? l : local[i]; }
};

// A floor, so that a collapsed parameter can still move: a millionth of its prior width.
void floor_variances(const std::vector<Parameter>& parameters, Matrix& cov) {
  for (std::size_t j = 0; j < parameters.size(); ++j) {
    const double width =
        to_scale(parameters[j], parameters[j].high) - to_scale(parameters[j], parameters[j].low);
    cov[j][j] = std::max(cov[j][j], 1e-12 * width * width);
  }
}

// Filippi et al. (2013): particle i's covariance, sum over the particles within `tolerance`
// of w_k (z_k - z_i)(z_k - z_i)^T with their weights normalised; the global factor when
// none is within it.
void make_local_kernels(const std::vector<Parameter>& parameters, const Generation& last,
                        double tolerance, Kernel& kernel) {
  const std::size_t k = parameters.size(), n = kernel.z.size();
  std::vector<std::size_t> kept;
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (last.particles[i].distance <= tolerance && kernel.weight[i] > 0) {
      kept.push_back(i);
      total += kernel.weight[i];
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    Matrix cov(k, std::vector<double>(k, 0.0));
    for (const std::size_t m : kept) {
      for (std::size_t a = 0; a < k; ++a) {
        for (std::size_t b = 0; b < k; ++b) {
          cov[a][b] += kernel.weight[m] / total * (kernel.z[m][a] - kernel.z[i][a]) *
                       (kernel.z[m][b] - kernel.z[i][b]);
        }
      }
    }
    floor_variances(parameters, cov);
    kernel.local.push_back(kept.empty() ? kernel.l : cholesky(cov));
    double half = 0;
    for (std::size_t a = 0; a < k; ++a) half += std::log(kernel.local.back()[a][a]);
    kernel.half_log_det.push_back(half);
  }
}

Kernel make_kernel(const std::vector<Parameter>& parameters, const Generation& last, bool local,
                   double tolerance) {
  const std::size_t k = parameters.size(), n = last.particles.size();
  Kernel kernel;
  double total = 0;
  for (const auto& p : last.particles) {
    std::vector<double> z(k);
    for (std::size_t j = 0; j < k; ++j) z[j] = to_scale(parameters[j], p.values[j]);
    kernel.z.push_back(z);
    kernel.weight.push_back(p.weight);
    total += p.weight;
    kernel.cumulative.push_back(total);
  }
  std::vector<double> mean(k, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < k; ++j) mean[j] += kernel.weight[i] / total * kernel.z[i][j];
  }
  Matrix cov(k, std::vector<double>(k, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t a = 0; a < k; ++a) {
      for (std::size_t b = 0; b < k; ++b) {
        cov[a][b] += 2.0 * kernel.weight[i] / total * (kernel.z[i][a] - mean[a]) *
                     (kernel.z[i][b] - mean[b]);
      }
    }
  }
  floor_variances(parameters, cov);
  kernel.l = cholesky(cov);
  if (local) make_local_kernels(parameters, last, tolerance, kernel);
  return kernel;
}

std::vector<double> propose(const std::vector<Parameter>& parameters, const Kernel* kernel,
                            const engine::Random& random, std::uint32_t generation,
                            std::uint64_t index) {
  const std::size_t k = parameters.size();
  std::vector<double> z(k);
  if (kernel == nullptr) {
    for (std::size_t j = 0; j < k; ++j) {
      const double lo = to_scale(parameters[j], parameters[j].low);
      const double hi = to_scale(parameters[j], parameters[j].high);
      z[j] = lo + random.uniform(generation, index, kPrior, std::uint32_t(j)) * (hi - lo);
    }
  } else {
    for (std::uint32_t attempt = 0;; ++attempt) {
      if (attempt == kMaxAttempts) {
        throw std::runtime_error("abc: no move stays inside the prior; the kernel is too wide");
      }
      const double u =
          random.uniform(generation, index, kAncestor, attempt) * kernel->cumulative.back();
      const std::size_t a = std::min<std::size_t>(
          std::upper_bound(kernel->cumulative.begin(), kernel->cumulative.end(), u) -
              kernel->cumulative.begin(),
          kernel->z.size() - 1);
      std::vector<double> step(k);
      for (std::size_t j = 0; j < k; ++j) {
        step[j] =
            random.normal(generation, index, kMove, attempt * std::uint32_t(k) + std::uint32_t(j));
      }
      bool inside = true;
      for (std::size_t j = 0; j < k; ++j) {
        double move = 0;
        for (std::size_t m = 0; m <= j; ++m) move += kernel->factor(a)[j][m] * step[m];
        z[j] = kernel->z[a][j] + move;
        const double lo = to_scale(parameters[j], parameters[j].low);
        const double hi = to_scale(parameters[j], parameters[j].high);
        inside = inside && z[j] >= lo && z[j] <= hi;
      }
      if (inside) break;
    }
  }
  std::vector<double> x(k);
  for (std::size_t j = 0; j < k; ++j) x[j] = from_scale(parameters[j], z[j]);
  return x;
}

// The importance weight of an accepted proposal, up to a constant: uniform prior over the
// mixture of kernels it could have come from (log-sum-exp for range).
double importance_weight(const std::vector<Parameter>& parameters, const Kernel& kernel,
                         const std::vector<double>& x) {
  const std::size_t k = parameters.size();
  std::vector<double> z(k), d(k);
  for (std::size_t j = 0; j < k; ++j) z[j] = to_scale(parameters[j], x[j]);
  std::vector<double> logs;
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < kernel.z.size(); ++i) {
    if (!(kernel.weight[i] > 0)) continue;
    for (std::size_t j = 0; j < k; ++j) d[j] = z[j] - kernel.z[i][j];
    // Kernels of their own differ in size: each density takes its determinant.
    const double norm = kernel.local.empty() ? 0.0 : kernel.half_log_det[i];
    logs.push_back(std::log(kernel.weight[i]) - norm - 0.5 * mahalanobis2(kernel.factor(i), d));
    top = std::max(top, logs.back());
  }
  double sum = 0;
  for (const double v : logs) sum += std::exp(v - top);
  return std::exp(-(top + std::log(sum)));
}

}  // namespace

double Generation::effective_size() const {
  double sum = 0, sq = 0;
  for (const auto& p : particles) sum += p.weight, sq += p.weight * p.weight;
  return sq > 0 ? sum * sum / sq : 0;
}

double weighted_quantile(std::vector<double> values, std::vector<double> weights, double q) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return values[a] < values[b] || (values[a] == values[b] && a < b);
  });
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double seen = 0;
  for (const std::size_t i : order) {
    seen += weights[i];
    if (seen >= q * total) return values[i];
  }
  return values[order.back()];
}

double prior_quantile(const Parameter& p, double q) {
  return from_scale(p, to_scale(p, p.low) + q * (to_scale(p, p.high) - to_scale(p, p.low)));
}

std::optional<Generation> next_generation(const std::vector<Parameter>& parameters,
                                          const Options& options,
                                          const std::vector<Generation>& done,
                                          const Simulate& simulate) {
  const engine::Random random(options.seed, kStream);
  Generation g;
  g.index = std::uint32_t(done.size());
  std::optional<Kernel> kernel;
  if (!done.empty()) {
    const auto& last = done.back();
    std::vector<double> distances, weights;
    for (const auto& p : last.particles)
      distances.push_back(p.distance), weights.push_back(p.weight);
    g.tolerance = weighted_quantile(distances, weights, options.quantile);
    kernel = make_kernel(parameters, last, options.local_kernel, g.tolerance);
  }
  const std::uint64_t n = options.particles;
  const auto budget = std::uint64_t(std::ceil(double(n) / std::max(options.min_acceptance, 1e-9)));
  while (g.particles.size() < n) {
    if (g.proposals >= budget) return std::nullopt;
    // After the first batch, about as many as the acceptance so far says are still needed,
    // so that little is simulated past the proposal that fills the generation. The results
    // do not depend on the batches: proposals are drawn by index and accepted in order.
    std::uint64_t batch = n;
    if (g.proposals > 0) {
      const double acceptance = std::max(double(g.particles.size()) / double(g.proposals),
                                         std::max(options.min_acceptance, 1e-3));
      const double needed = double(n - g.particles.size()) / acceptance;
      batch = std::clamp<std::uint64_t>(std::uint64_t(std::ceil(1.1 * needed)),
                                        std::max<std::uint64_t>(options.min_batch, 1), n);
    }
    batch = std::min<std::uint64_t>(batch, budget - g.proposals);
    std::vector<Proposal> proposals(batch);
    for (std::uint64_t b = 0; b < batch; ++b) {
      const std::uint64_t i = g.proposals + b;
      proposals[b].values = propose(parameters, kernel ? &*kernel : nullptr, random, g.index, i);
      proposals[b].seed = random.bits(g.index, i, kSeed)[0];
    }
    const auto distances = simulate(proposals, g.tolerance);
    for (std::uint64_t b = 0; b < batch && g.particles.size() < n; ++b) {
      ++g.proposals;
      if (!(distances[b] <= g.tolerance)) continue;  // a NaN distance is never accepted
      const double w = kernel ? importance_weight(parameters, *kernel, proposals[b].values) : 1.0;
      g.particles.push_back({proposals[b].values, w, distances[b]});
    }
  }
  double total = 0;
  for (const auto& p : g.particles) total += p.weight;
  for (auto& p : g.particles) p.weight /= total;
  return g;
}

std::string particles_csv(const std::vector<Parameter>& parameters, const Generation& g,
                          bool generation) {
  std::string out = generation ? "generation,tolerance,proposals,seconds," : "";
  out += "particle,weight,distance";
  for (const auto& p : parameters) out += "," + p.name;
  out += "\n";
  for (std::size_t i = 0; i < g.particles.size(); ++i) {
    const auto& p = g.particles[i];
    if (generation) {
      out += fmt::format("{},{:.17g},{},{:.3f},", g.index, g.tolerance, g.proposals, g.seconds);
    }
    out += fmt::format("{},{:.17g},{:.17g}", i, p.weight, p.distance);
    for (const double v : p.values) out += fmt::format(",{:.17g}", v);
    out += "\n";
  }
  return out;
}

std::optional<std::vector<double>> number_cells(const std::vector<std::string>& row,
                                                std::string& bad) {
  std::vector<double> cells;
  for (const std::string& cell : row) {
    char* end = nullptr;
    const double v = std::strtod(cell.c_str(), &end);
    if (cell.empty() || *end != 0) {
      bad = cell;
      return std::nullopt;
    }
    cells.push_back(v);
  }
  return cells;
}

std::string generation_csv(const std::vector<Parameter>& parameters, const Generation& g) {
  return particles_csv(parameters, g, true);
}

Generation read_generation_csv(const std::vector<Parameter>& parameters, const std::string& text) {
  const CsvTable table = parse_csv(text, "generation");
  const std::size_t columns = 7 + parameters.size();
  Generation g;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const int line_no = table.lines[r];
    std::string bad;
    const auto cells = number_cells(table.rows[r], bad);
    if (!cells)
      throw std::runtime_error(fmt::format("line {}: '{}' is not a number", line_no, bad));
    if (cells->size() != columns) {
      throw std::runtime_error(
          fmt::format("line {}: {} values where {} belong", line_no, cells->size(), columns));
    }
    const auto& c = *cells;
    g.index = std::uint32_t(c[0]);
    g.tolerance = c[1];
    g.proposals = std::uint64_t(c[2]);
    g.seconds = c[3];
    g.particles.push_back({std::vector<double>(c.begin() + 7, c.end()), c[5], c[6]});
  }
  if (g.particles.empty()) throw std::runtime_error("no particles");
  return g;
}

}  // namespace buzz::analysis::abc
