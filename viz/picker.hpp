#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "sim/graph/graph.hpp"
#include "viz/layout.hpp"

namespace buzz::viz {

// Nearest agent to a point, through a grid over the layout.
class Picker {
 public:
  explicit Picker(const Layout& layout) : layout_(layout) {
    for (graph::Vertex v = 0; v < layout.x.size(); ++v) {
      cells_[key(layout.x[v], layout.y[v])].push_back(v);
    }
  }
  std::optional<graph::Vertex> nearest(float x, float y, float radius) const {
    std::optional<graph::Vertex> best;
    float best_d = radius * radius;
    const int gx = cell(x), gy = cell(y);
    const int reach = int(std::ceil(radius / kCell));
    for (int dx = -reach; dx <= reach; ++dx) {
      for (int dy = -reach; dy <= reach; ++dy) {
        const auto it = cells_.find((std::int64_t(gx + dx) << 32) ^ std::uint32_t(gy + dy));
        if (it == cells_.end()) continue;
        for (graph::Vertex v : it->second) {
          const float d =
              (layout_.x[v] - x) * (layout_.x[v] - x) + (layout_.y[v] - y) * (layout_.y[v] - y);
          if (d < best_d) best_d = d, best = v;
        }
      }
    }
    return best;
  }

 private:
  static constexpr float kCell = 0.02f;
  static int cell(float c) { return int(std::floor(c / kCell)); }
  static std::int64_t key(float x, float y) {
    return (std::int64_t(cell(x)) << 32) ^ std::uint32_t(cell(y));
  }
  const Layout& layout_;
  std::unordered_map<std::int64_t, std::vector<graph::Vertex>> cells_;
};

}  // namespace buzz::viz
