#pragma once

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/graph/graph.hpp"

namespace buzz::graph {

// Inverse-CDF sampling over prefix sums `cum` (cum[0] = 0, n + 1 entries, non-decreasing):
// the index i in [first, last) with cum[i] <= target < cum[i + 1], clamped into the range,
// exactly what a binary search (std::upper_bound) over cum[first..last] gives. A binary
// search over millions of prefix sums misses the cache at every step, so a guide table
// (Chen & Asau 1974, "On generating random variates from an empirical distribution")
// first maps target to the node whose interval holds the start of one of n equal slices
// of [0, cum[n]); a short scan finishes, in O(1) expected steps. Each node's community
// sits beside its prefix sum, so looking it up after a pick costs no further miss.
class WeightedPick {
 public:
  WeightedPick(const std::vector<double>& cum, const std::vector<std::uint32_t>& community)
      : n_(static_cast<Vertex>(cum.size() - 1)), node_(cum.size()) {
    const double total = cum[n_];
    scale_ = total > 0 ? double(n_) / total : 0.0;
    tbb::parallel_for(Vertex{0}, n_ + 1, [&](Vertex i) {
      node_[i] = {cum[i], i < n_ ? community[i] : 0};
    });
    // Node i starts the slices j with cum[i] <= j / scale_ < cum[i + 1]; slices past the
    // last node's end keep the last node.
    guide_.assign(std::size_t{n_} + 2, n_ - 1);
    tbb::parallel_for(Vertex{0}, n_, [&](Vertex i) {
      const auto from = slice_start(cum[i]), to = std::min(slice_start(cum[i + 1]), guide_.size());
      for (std::size_t j = from; j < to; ++j) guide_[j] = i;
    });
  }

  // Where the search for target starts; find() ends it. Apart, so that callers can
  // prefetch the guide entry and then the node for a block of draws at a time.
  const Vertex* guide(double target) const {
    const double slice = std::floor(target * scale_);
    return &guide_[slice < double(guide_.size()) ? static_cast<std::size_t>(std::max(slice, 0.0))
                                                 : guide_.size() - 1];
  }
  const void* node(const Vertex* guide) const { return &node_[*guide]; }

  Vertex find(const Vertex* guide, Vertex first, Vertex last, double target) const {
    std::size_t i = *guide;
    // Rounding may leave the guide one node off either way: step to the last i with
    // cum[i] <= target.
    while (i > 0 && node_[i].sum > target) --i;
    while (i < n_ && node_[i + 1].sum <= target) ++i;
    if (node_[i].sum > target) return first;  // target below every prefix sum
    return static_cast<Vertex>(std::clamp<std::size_t>(i, first, std::size_t{last} - 1));
  }

  Vertex operator()(Vertex first, Vertex last, double target) const {
    return find(guide(target), first, last, target);
  }

  // The community of a node just found: kept beside its prefix sum, so it costs no miss.
  std::uint32_t community(Vertex v) const { return node_[v].community; }

 private:
  std::size_t slice_start(double c) const {
    return static_cast<std::size_t>(std::min(std::ceil(c * scale_), double(guide_.size())));
  }

  struct Node {
    double sum;  // cum[i]: expected degrees of the nodes before i
    std::uint32_t community;
  };
  Vertex n_;
  double scale_;
  std::vector<Node> node_;
  std::vector<Vertex> guide_;
};

}  // namespace buzz::graph
