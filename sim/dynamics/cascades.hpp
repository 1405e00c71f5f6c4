#pragma once

#include <cstdint>
#include <vector>

namespace buzz::dynamics {

// Shape of one share tree: the root (a brand post or event) and everyone who passed it on,
// each linked to whom they had it from.
struct CascadeShape {
  std::uint32_t size = 0;   // nodes, root included
  std::uint32_t depth = 0;  // longest root-to-leaf path, in ties
  // Mean distance between two nodes of the tree (Goel, Anderson, Hofman & Watts 2016);
  // 0 for a lone root. A star of n nodes gives 2(n - 1)/n, a path of n nodes (n + 1)/3.
  double structural_virality = 0;
};

// Shape of a tree given as parent[i] for nodes 1..n-1 (node 0 is the root; each parent
// index is smaller than its child's). O(n): the sum of all pairwise distances is
// sum over ties of s * (n - s), s the size of the subtree below the tie.
CascadeShape cascade_shape(const std::vector<std::uint32_t>& parent);

}  // namespace buzz::dynamics
