#include "sim/graph/generators.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <array>
#include <bit>
#include <boost/container/vector.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/transform_iterator.hpp>
#include <cmath>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "sim/common/input_error.hpp"
#include "sim/engine/random.hpp"
#include "sim/graph/weighted_pick.hpp"

namespace buzz::graph {

namespace {

using engine::Random;

// Graph generation draws from its own stream, apart from every replicate's.
constexpr std::uint64_t kGraphStream = 0x6772617068000000ull;  // "graph"

// What each draw decides; two decisions never share bits. New purposes take new values:
// these key existing graphs.
constexpr engine::Purpose kCommunitySize{1}, kExpectedDegree{2}, kTie{3}, kErdosRenyiEnd{4},
    kRewire{5}, kAttach{6}, kActivity{7}, kPlacement{8}, kStubShuffle{9}, kSwitch{10};

// Continuous power law p(x) ~ x^-gamma on [lo, hi]: inverse CDF at u in [0, 1).
double power_law_quantile(double u, double lo, double hi, double gamma) {
  if (std::abs(gamma - 1.0) < 1e-9) return lo * std::pow(hi / lo, u);
  const double e = 1.0 - gamma;
  const double a = std::pow(lo, e), b = std::pow(hi, e);
  return std::pow(a + u * (b - a), 1.0 / e);
}

// Mean of that power law.
double power_law_mean(double lo, double hi, double gamma) {
  if (std::abs(gamma - 1.0) < 1e-9) return (hi - lo) / std::log(hi / lo);
  if (std::abs(gamma - 2.0) < 1e-9) return std::log(hi / lo) / (1.0 / lo - 1.0 / hi);
  const double e1 = 1.0 - gamma, e2 = 2.0 - gamma;
  return (e1 / e2) * (std::pow(hi, e2) - std::pow(lo, e2)) / (std::pow(hi, e1) - std::pow(lo, e1));
}

// Lower cut-off that gives a power law on [lo, hi] the wanted mean (mean < hi), by
// bisection on log(lo): the mean rises with lo.
double lower_cutoff_for_mean(double mean, double hi, double gamma) {
  double a = std::log(1e-9 * mean), b = std::log(hi);
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (a + b);
    (power_law_mean(std::exp(mid), hi, gamma) < mean ? a : b) = mid;
  }
  return std::exp(0.5 * (a + b));
}

constexpr std::uint32_t kAttempts = 16;
constexpr std::uint64_t kLoop = ~std::uint64_t{0};  // a drawn tie that is a self-loop

// Boost.Container's vector can grow without writing zeros first (default_init): the draws
// write every number, and a serial zero fill of a billion bytes first costs seconds of
// page faults on one core.
using Arcs = boost::container::vector<std::uint64_t>;

// Elements of `fresh` (sorted, distinct) that are not in `have` (sorted), in order. Each
// chunk of `fresh` gallops forward through `have`, so a round of a few missing ties does
// not read all of them.
Arcs not_in(const Arcs& fresh, const Arcs& have) {
  std::vector<std::uint8_t> keep(fresh.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, fresh.size(), 4096), [&](const auto& r) {
    auto it = have.begin();
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      auto hi = it;
      for (std::ptrdiff_t step = 1; hi != have.end() && *hi < fresh[i]; step *= 2) {
        it = hi + 1;
        hi = have.end() - hi > step ? hi + step : have.end();
      }
      it = std::lower_bound(it, hi, fresh[i]);
      keep[i] = it == have.end() || *it != fresh[i];
    }
  });
  Arcs kept(fresh.size(), boost::container::default_init);
  std::size_t n = 0;
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    kept[n] = fresh[i];  // without a branch: keep[i] is a coin toss to the predictor
    n += keep[i];
  }
  kept.resize(n);
  return kept;
}

// `target` distinct ties (no self-loops), packed u < v and sorted. Ties are drawn in
// blocks by draw(first, count, round, out), which writes ties first .. first + count - 1
// packed (or kLoop) into out; each round draws as many as are still missing after
// dropping loops and repeats, so the tie count is exact unless the graph is too dense for
// 16 rounds to fill. Later rounds' ties gather apart and join the first round's once.
template <typename DrawBlock>
Arcs distinct_ties(std::uint64_t target, DrawBlock draw) {
  constexpr std::uint64_t kBlock = 64;
  Arcs ties, extra;
  for (std::uint32_t round = 0; round < 16 && ties.size() + extra.size() < target; ++round) {
    Arcs fresh(target - ties.size() - extra.size(), boost::container::default_init);
    const std::uint64_t blocks = (fresh.size() + kBlock - 1) / kBlock;
    tbb::parallel_for(std::uint64_t{0}, blocks, [&](std::uint64_t b) {
      const std::uint64_t first = b * kBlock;
      draw(first, std::min(kBlock, fresh.size() - first), round, fresh.data() + first);
    });
    sort_arcs(fresh.data(), fresh.size());
    fresh.erase(std::lower_bound(fresh.begin(), fresh.end(), kLoop), fresh.end());
    fresh.erase(std::unique(fresh.begin(), fresh.end()), fresh.end());
    if (round == 0) {
      ties = std::move(fresh);
      continue;
    }
    fresh = not_in(not_in(fresh, ties), extra);
    const auto middle = static_cast<std::ptrdiff_t>(extra.size());
    extra.insert(extra.end(), fresh.begin(), fresh.end());
    std::inplace_merge(extra.begin(), extra.begin() + middle, extra.end());
  }
  const auto middle = static_cast<std::ptrdiff_t>(ties.size());
  ties.insert(ties.end(), extra.begin(), extra.end());
  std::inplace_merge(ties.begin(), ties.begin() + middle, ties.end());
  return ties;
}

// The CSR of distinct sorted ties, which are let go as soon as their upper rows (half
// their size) are made.
Csr csr_from_owned_ties(Vertex nodes, Arcs&& ties) {
  UpperTies upper = upper_ties(nodes, {ties.data(), ties.size()});
  Arcs().swap(ties);
  return csr_from_upper(nodes, std::move(upper));
}

// A block drawer from draw(index, round) -> pair of ends.
template <typename Draw>
auto tie_by_tie(Draw draw) {
  return [draw](std::uint64_t first, std::uint64_t count, std::uint32_t round, std::uint64_t* out) {
    for (std::uint64_t k = 0; k < count; ++k) {
      const auto [u, v] = draw(first + k, round);
      out[k] = u == v ? kLoop : pack_arc(std::min(u, v), std::max(u, v));
    }
  };
}

// Counts per slot with prefix sums and search by cumulative count (Fenwick 1994).
class Fenwick {
 public:
  explicit Fenwick(const std::vector<std::uint64_t>& counts) : tree_(counts.size() + 1, 0) {
    for (std::size_t i = 0; i < counts.size(); ++i) add(i, static_cast<std::int64_t>(counts[i]));
  }
  void add(std::size_t i, std::int64_t delta) {
    for (++i; i < tree_.size(); i += i & (~i + 1)) tree_[i] += static_cast<std::uint64_t>(delta);
  }
  // Sum of counts [0, end).
  std::uint64_t prefix(std::size_t end) const {
    std::uint64_t sum = 0;
    for (; end > 0; end -= end & (~end + 1)) sum += tree_[end];
    return sum;
  }
  // Smallest i with prefix(i + 1) > rank.
  std::size_t find(std::uint64_t rank) const {
    std::size_t pos = 0;
    std::size_t step = std::bit_floor(tree_.size() - 1);
    for (; step > 0; step >>= 1) {
      if (pos + step < tree_.size() && tree_[pos + step] <= rank) {
        pos += step;
        rank -= tree_[pos];
      }
    }
    return pos;
  }

 private:
  std::vector<std::uint64_t> tree_;
};

// Expected degree of each node. Like LFR, a node only joins a community large enough to
// hold its internal ties: weights are placed largest first, each into a random free slot
// of a community with more than (1 - mixing) * weight + 1 members (the largest one if
// none has). Without this, hubs in small communities lose most of their ties to
// duplicates and the mean degree falls short.
std::vector<double> place_weights(std::vector<double> drawn, const std::vector<Vertex>& first_node,
                                  double mixing, const Random& rng) {
  const std::size_t communities = first_node.size() - 1;
  std::vector<std::uint32_t> order(communities);
  std::iota(order.begin(), order.end(), 0u);
  auto size = [&](std::uint32_t c) { return std::uint64_t{first_node[c + 1] - first_node[c]}; };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return size(a) > size(b); });
  std::vector<std::uint64_t> free(communities);
  for (std::size_t i = 0; i < communities; ++i) free[i] = size(order[i]);
  Fenwick slots(free);

  tbb::parallel_sort(drawn.begin(), drawn.end(), std::greater<>());
  std::vector<double> weight(drawn.size());
  std::size_t eligible = 0;
  // The placing is serial (each takes a slot from the next), so the draws, which do not
  // depend on it, are made ahead in parallel, a block at a time.
  constexpr std::size_t kBlock = 1 << 14;
  std::vector<std::uint64_t> word(kBlock);
  for (std::size_t k = 0; k < drawn.size(); ++k) {
    if (k % kBlock == 0) {
      tbb::parallel_for(k, std::min(k + kBlock, drawn.size()),
                        [&](std::size_t j) { word[j - k] = rng.bits(0, j, kPlacement)[0]; });
    }
    const double need = (1 - mixing) * drawn[k] + 1;
    while (eligible<communities&& double(size(order[eligible]))> need) ++eligible;
    // Once every community is eligible, the open slots are all those left.
    const std::uint64_t open = eligible == communities
                                   ? drawn.size() - k
                                   : slots.prefix(std::max<std::size_t>(eligible, 1));
    const std::uint64_t w = word[k % kBlock];
    const std::size_t i = slots.find(Random::to_below(w, open > 0 ? open : drawn.size() - k));
    weight[first_node[order[i]] + (size(order[i]) - free[i])] = drawn[k];
    --free[i];
    slots.add(i, -1);
  }
  return weight;
}

// Each community's first node, and n last: sizes from a power law, a short last community
// joined to the one before.
std::vector<Vertex> community_starts(const CommunitySpec& spec, const Random& rng) {
  const Vertex n = spec.nodes;
  std::vector<Vertex> first_node{0};
  for (std::uint32_t c = 0; first_node.back() < n; ++c) {
    const double x =
        power_law_quantile(rng.uniform(0, c, kCommunitySize), spec.min_community_size,
                           spec.max_community_size + 1.0, spec.community_size_exponent);
    const auto size = std::min<std::uint64_t>(static_cast<std::uint64_t>(x), n - first_node.back());
    first_node.push_back(first_node.back() + static_cast<Vertex>(size));
  }
  const auto last_size = first_node.back() - first_node[first_node.size() - 2];
  if (first_node.size() > 2 && last_size < spec.min_community_size) {
    first_node.erase(first_node.end() - 2);
  }
  return first_node;
}

// Expected degrees from a power law with the wanted mean, placed in the communities.
std::vector<double> expected_degrees(const CommunitySpec& spec,
                                     const std::vector<Vertex>& first_node, const Random& rng) {
  const Vertex n = spec.nodes;
  const double hi = spec.max_degree_share * (n - 1);
  const double lo = lower_cutoff_for_mean(spec.mean_degree, hi, spec.degree_exponent);
  std::vector<double> drawn(n);
  tbb::parallel_for(Vertex{0}, n, [&](Vertex v) {
    drawn[v] = power_law_quantile(rng.uniform(0, v, kExpectedDegree), lo, hi, spec.degree_exponent);
  });
  return place_weights(std::move(drawn), first_node, spec.mixing, rng);
}

}  // namespace

Topology community_graph(const CommunitySpec& spec, std::uint64_t seed) {
  const Random rng(seed, kGraphStream);
  const Vertex n = spec.nodes;

  const std::vector<Vertex> first_node = community_starts(spec, rng);
  const auto communities = static_cast<std::uint32_t>(first_node.size() - 1);
  std::vector<std::uint32_t> community(n);
  for (std::uint32_t c = 0; c < communities; ++c) {
    std::fill(community.begin() + first_node[c], community.begin() + first_node[c + 1], c);
  }

  // Chung-Lu ties (prefix sums of the weights for sampling): one end in proportion to expected
  // degree; with chance 1 - mixing the other end from the same community, else from another one.
  // Each pick is a cache miss at scale, so a block of ties goes through the picks stage by stage,
  // prefetching the next stage's memory for the whole block.
  std::vector<double> community_sum(communities + 1);
  double total;
  std::optional<WeightedPick> picker;
  {
    // The weights and their sums live only until the picker is built: the peak of memory is
    // later, while the ties become a CSR.
    const std::vector<double> weight = expected_degrees(spec, first_node, rng);
    std::vector<double> cum(n + 1, 0.0);
    std::partial_sum(weight.begin(), weight.end(), cum.begin() + 1);
    for (std::uint32_t c = 0; c <= communities; ++c) community_sum[c] = cum[first_node[c]];
    total = cum[n];
    picker.emplace(cum, community);
  }
  const WeightedPick& pick_by_weight = *picker;
  const auto draw_block = [&](std::uint64_t first, std::uint64_t count, std::uint32_t round,
                              std::uint64_t* out) {
    struct Tie {
      bool local;
      double near, far;  // targets of the two ends
      const Vertex* guide;
      Vertex u;
      std::uint32_t c;  // u's community
    };
    std::array<Tie, 64> tie;
    const auto prefetch = [](const void* p) { __builtin_prefetch(p); };
    for (std::uint64_t k = 0; k < count; ++k) {
      const auto bits = rng.bits(0, first + k, kTie, round * kAttempts);
      Tie& t = tie[k];
      t.local = Random::to_unit(bits[0]) >= spec.mixing;
      t.near = Random::to_unit(bits[1]) * total;
      t.far = Random::to_unit(bits[2]);
      t.guide = pick_by_weight.guide(t.near);
      prefetch(t.guide);
    }
    for (std::uint64_t k = 0; k < count; ++k) prefetch(pick_by_weight.node(tie[k].guide));
    for (std::uint64_t k = 0; k < count; ++k) {
      Tie& t = tie[k];
      t.u = pick_by_weight.find(t.guide, 0, n, t.near);
      const std::uint32_t c = t.c = pick_by_weight.community(t.u);
      t.far = t.local ? community_sum[c] + t.far * (community_sum[c + 1] - community_sum[c])
                      : t.far * total;
      t.guide = pick_by_weight.guide(t.far);
      prefetch(t.guide);
    }
    for (std::uint64_t k = 0; k < count; ++k) prefetch(pick_by_weight.node(tie[k].guide));
    for (std::uint64_t k = 0; k < count; ++k) {
      const Tie& t = tie[k];
      const std::uint32_t c = t.c;
      Vertex v;
      if (t.local) {
        v = pick_by_weight.find(t.guide, first_node[c], first_node[c + 1], t.far);
      } else {
        // Redraw a far end that lands in u's own community; after a few tries keep it.
        v = pick_by_weight.find(t.guide, 0, n, t.far);
        for (std::uint32_t attempt = 1; attempt < kAttempts && pick_by_weight.community(v) == c;
             ++attempt) {
          const auto bits = rng.bits(0, first + k, kTie, round * kAttempts + attempt);
          v = pick_by_weight(0, n, Random::to_unit(bits[2]) * total);
        }
      }
      out[k] = t.u == v ? kLoop : pack_arc(std::min(t.u, v), std::max(t.u, v));
    }
  };
  auto ties = distinct_ties(static_cast<std::uint64_t>(std::llround(total / 2)), draw_block);
  picker.reset();
  return {csr_from_owned_ties(n, std::move(ties)), false, std::move(community), {}};
}

Topology erdos_renyi(const ErdosRenyiSpec& spec, std::uint64_t seed) {
  const Random rng(seed, kGraphStream);
  const Vertex n = spec.nodes;
  const auto m = static_cast<std::uint64_t>(std::llround(n * spec.mean_degree / 2));
  auto ties = distinct_ties(m, tie_by_tie([&](std::uint64_t e, std::uint32_t round) {
                              const auto bits = rng.bits(0, e, kErdosRenyiEnd, round);
                              return std::pair(static_cast<Vertex>(Random::to_below(bits[0], n)),
                                               static_cast<Vertex>(Random::to_below(bits[1], n)));
                            }));
  return {csr_from_owned_ties(n, std::move(ties)), false, std::vector<std::uint32_t>(n, 0), {}};
}

Topology watts_strogatz(const WattsStrogatzSpec& spec, std::uint64_t seed) {
  const Random rng(seed, kGraphStream);
  const Vertex n = spec.nodes;
  const std::uint32_t half = spec.neighbors / 2;
  std::vector<std::uint64_t> arcs(std::uint64_t{n} * half);
  tbb::parallel_for(Vertex{0}, n, [&](Vertex u) {
    for (std::uint32_t j = 1; j <= half; ++j) {
      const std::uint64_t e = std::uint64_t{u} * half + (j - 1);
      Vertex v = static_cast<Vertex>((std::uint64_t{u} + j) % n);
      const auto bits = rng.bits(0, e, kRewire);
      if (Random::to_unit(bits[0]) < spec.rewire) {
        v = static_cast<Vertex>(Random::to_below(bits[1], n));
        for (std::uint32_t attempt = 1; v == u; ++attempt) {
          v = static_cast<Vertex>(rng.below(n, 0, e, kRewire, attempt));
        }
      }
      arcs[e] = pack_arc(u, v);
    }
  });
  return {csr_from_arcs(n, std::move(arcs), true), false, std::vector<std::uint32_t>(n, 0), {}};
}

Topology barabasi_albert(const BarabasiAlbertSpec& spec, std::uint64_t seed) {
  // Each new node links to m distinct earlier nodes picked from the list of all tie ends,
  // which picks in proportion to degree; the first new node links to the m founders.
  const Random rng(seed, kGraphStream);
  const Vertex n = spec.nodes;
  const std::uint32_t m = spec.edges_per_node;
  std::vector<std::uint64_t> arcs;
  arcs.reserve(std::uint64_t{n} * m);
  std::vector<Vertex> ends;
  ends.reserve(2 * std::uint64_t{n} * m);
  std::vector<Vertex> targets(m);
  std::iota(targets.begin(), targets.end(), Vertex{0});
  for (Vertex source = m; source < n; ++source) {
    for (Vertex t : targets) {
      arcs.push_back(pack_arc(source, t));
      ends.push_back(t);
      ends.push_back(source);
    }
    targets.clear();
    for (std::uint32_t draw = 0; targets.size() < m; ++draw) {
      const auto t = ends[rng.below(ends.size(), 0, source, kAttach, draw)];
      if (std::find(targets.begin(), targets.end(), t) == targets.end()) targets.push_back(t);
    }
  }
  return {csr_from_arcs(n, std::move(arcs), true), false, std::vector<std::uint32_t>(n, 0), {}};
}

Topology complete(const CompleteSpec& spec) {
  // Arcs generated in sorted order straight into the CSR: no n^2 edge list in memory.
  const Vertex n = spec.nodes;
  auto arc = [n](std::uint64_t k) {
    const auto u = static_cast<Vertex>(k / (n - 1));
    const auto j = static_cast<Vertex>(k % (n - 1));
    return std::pair<Vertex, Vertex>(u, j < u ? j : j + 1);
  };
  const std::uint64_t arcs = std::uint64_t{n} * (n - 1);
  auto begin = boost::make_transform_iterator(boost::counting_iterator<std::uint64_t>(0), arc);
  auto end = boost::make_transform_iterator(boost::counting_iterator<std::uint64_t>(arcs), arc);
  return {Csr(boost::edges_are_sorted, begin, end, n), false, std::vector<std::uint32_t>(n, 0), {}};
}

namespace {

// The configuration model: degree[v] stubs for node v, in node order, paired at random;
// then every self-loop and repeated tie is removed by double-edge swaps with a random
// other tie, which keep every degree (the switchings of McKay & Wormald 1990). Serial,
// with keyed draws, so the graph depends on the seed alone.
Topology paired_stubs(Vertex n, std::vector<Vertex> end, std::uint64_t seed, const char* field) {
  const Random rng(seed, kGraphStream);
  const std::uint64_t stubs = end.size(), m = stubs / 2;
  for (std::uint64_t i = stubs; i-- > 1;) {
    std::swap(end[i], end[rng.below(i + 1, 0, i, kStubShuffle)]);
  }
  const auto key = [](Vertex a, Vertex b) { return pack_arc(std::min(a, b), std::max(a, b)); };
  std::unordered_map<std::uint64_t, std::uint32_t> count;
  count.reserve(m * 2);
  for (std::uint64_t e = 0; e < m; ++e) ++count[key(end[2 * e], end[2 * e + 1])];
  const auto bad = [&](std::uint64_t e) {
    const Vertex a = end[2 * e], b = end[2 * e + 1];
    return a == b || count[key(a, b)] > 1;
  };
  std::uint64_t draw = 0;
  for (std::uint64_t e = 0; e < m; ++e) {
    while (bad(e)) {
      if (draw > 1000 * m + 1000000) {
        throw InputError(fmt::format(
            "{} must leave room for a simple graph that random pairing and swaps can find, got "
            "{} nodes with {} ties, none found in {} tries; a graph this dense is better "
            "written as an edge list or a complete graph",
            field, n, m, draw));
      }
      const std::uint64_t f = rng.below(m, 0, draw, kSwitch);
      const bool cross = rng.below(2, 1, draw, kSwitch) != 0;
      ++draw;
      Vertex a = end[2 * e], b = end[2 * e + 1], c = end[2 * f], d = end[2 * f + 1];
      if (cross) std::swap(c, d);
      // (a, b), (c, d) -> (a, c), (b, d): both new ties simple and not yet present.
      if (f == e || a == c || b == d || key(a, c) == key(b, d) || count[key(a, c)] > 0 ||
          count[key(b, d)] > 0) {
        continue;
      }
      --count[key(a, b)];
      --count[key(end[2 * f], end[2 * f + 1])];
      end[2 * e + 1] = c;
      end[2 * f] = b;
      end[2 * f + 1] = d;
      ++count[key(a, c)];
      ++count[key(b, d)];
      if (f < e) e = f;  // a tie already passed may have become bad: look again from it
    }
  }
  std::vector<std::uint64_t> arcs(m);
  for (std::uint64_t e = 0; e < m; ++e) arcs[e] = pack_arc(end[2 * e], end[2 * e + 1]);
  return {csr_from_arcs(n, std::move(arcs), true), false, std::vector<std::uint32_t>(n, 0), {}};
}

}  // namespace

Topology random_regular(const RandomRegularSpec& spec, std::uint64_t seed) {
  std::vector<Vertex> end(std::uint64_t{spec.nodes} * spec.degree);
  for (std::uint64_t i = 0; i < end.size(); ++i) end[i] = static_cast<Vertex>(i / spec.degree);
  return paired_stubs(spec.nodes, std::move(end), seed, "graph.random_regular.degree");
}

Topology configuration_model(const ConfigurationSpec& spec, std::uint64_t seed) {
  std::vector<Vertex> end;
  end.reserve(std::accumulate(spec.degrees.begin(), spec.degrees.end(), std::uint64_t{0}));
  for (Vertex v = 0; v < spec.degrees.size(); ++v) end.insert(end.end(), spec.degrees[v], v);
  return paired_stubs(static_cast<Vertex>(spec.degrees.size()), std::move(end), seed,
                      "graph.configuration_model.degrees");
}

std::optional<std::string> not_graphical(std::vector<std::uint32_t> d) {
  const std::uint64_t n = d.size();
  if (n < 2) return fmt::format("has {} node{}; a graph needs at least 2", n, n == 1 ? "" : "s");
  std::uint64_t sum = 0;
  for (std::uint64_t v = 0; v < n; ++v) {
    if (d[v] >= n) return fmt::format("asks node {} for {} ties among {} nodes", v, d[v], n);
    sum += d[v];
  }
  if (sum % 2 != 0) return fmt::format("has an odd sum ({})", sum);
  if (sum == 0) return std::string("has no ties at all");
  // Erdos-Gallai: with degrees sorted down, for every k the k largest sum to at most
  // k (k - 1) + sum_{i > k} min(d_i, k). The right-hand tail is kept by a pointer to the
  // first degree below k, so the check is linear after the sort.
  std::sort(d.begin(), d.end(), std::greater<>());
  std::vector<std::uint64_t> suffix(n + 1, 0);
  for (std::uint64_t i = n; i-- > 0;) suffix[i] = suffix[i + 1] + d[i];
  std::uint64_t left = 0, below = n;  // d[below..] < k
  for (std::uint64_t k = 1; k <= n; ++k) {
    left += d[k - 1];
    while (below > 0 && d[below - 1] < k) --below;
    const std::uint64_t from = std::max(below, k);
    const std::uint64_t right = k * (k - 1) + k * (from - k) + suffix[from];
    if (left > right) return fmt::format("fails the Erdos-Gallai inequality at k = {}", k);
  }
  return std::nullopt;
}

std::vector<float> sessions_per_day(const PopulationSpec& spec, Vertex nodes, std::uint64_t seed) {
  const Random rng(seed, kGraphStream);
  const double sigma = spec.activity_sigma;
  std::vector<float> rate(nodes);
  tbb::parallel_for(Vertex{0}, nodes, [&](Vertex v) {
    const double z = rng.normal(0, v, kActivity);
    rate[v] =
        static_cast<float>(spec.mean_sessions_per_day * std::exp(sigma * z - sigma * sigma / 2));
  });
  return rate;
}

}  // namespace buzz::graph
