#include "sim/dynamics/cascades.hpp"

#include <algorithm>
#include <stdexcept>

namespace buzz::dynamics {

CascadeShape cascade_shape(const std::vector<std::uint32_t>& parent) {
  const auto n = static_cast<std::uint32_t>(parent.size());
  CascadeShape shape;
  shape.size = n;
  if (n < 2) return shape;
  std::vector<std::uint32_t> depth(n, 0);
  for (std::uint32_t i = 1; i < n; ++i) {
    if (parent[i] >= i) throw std::invalid_argument("cascade parents must precede children");
    depth[i] = depth[parent[i]] + 1;
    shape.depth = std::max(shape.depth, depth[i]);
  }
  std::vector<std::uint64_t> below(n, 1);
  double total = 0;  // sum of distances over unordered pairs
  for (std::uint32_t i = n - 1; i >= 1; --i) {
    total += double(below[i]) * double(n - below[i]);
    below[parent[i]] += below[i];
  }
  shape.structural_virality = 2 * total / (double(n) * (n - 1));
  return shape;
}

}  // namespace buzz::dynamics
