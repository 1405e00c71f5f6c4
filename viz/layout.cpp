#include "viz/layout.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <numeric>
#include <unordered_map>

#include "sim/engine/random.hpp"

namespace buzz::viz {

namespace {

constexpr double kGolden = 2.39996322972865332;  // golden angle, radians

struct Point {
  double x = 0, y = 0;
};

// Calls fn(c, d) for every ordered pair of disks c != d whose centres fall in the same or
// neighbouring cells of a grid with the given cell size. Cells are found from the
// positions at the call; fn may move disks.
template <typename Fn>
void for_each_near(const std::vector<Point>& p, double cell, Fn&& fn) {
  const auto key = [&](double x, double y) {
    return (std::int64_t(std::floor(x / cell)) << 32) ^
           std::int64_t(std::floor(y / cell) + (1 << 30));
  };
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> grid;
  for (std::uint32_t c = 0; c < p.size(); ++c) grid[key(p[c].x, p[c].y)].push_back(c);
  for (std::uint32_t c = 0; c < p.size(); ++c) {
    const auto gx = std::floor(p[c].x / cell), gy = std::floor(p[c].y / cell);
    for (int dx = -1; dx <= 1; ++dx) {
      for (int dy = -1; dy <= 1; ++dy) {
        const auto it = grid.find(key((gx + dx + 0.5) * cell, (gy + dy + 0.5) * cell));
        if (it == grid.end()) continue;
        for (std::uint32_t d : it->second) {
          if (d != c) fn(c, d);
        }
      }
    }
  }
}

struct CommunityTie {
  std::uint32_t a, b;
  double weight;  // arcs between the two communities
};

// Force-directed positions of the communities; radius[c] is each disk's radius.
std::vector<Point> place_communities(const std::vector<double>& radius,
                                     const std::vector<CommunityTie>& ties, std::uint64_t seed) {
  const std::size_t n = radius.size();
  std::vector<Point> p(n);
  const engine::Random random(seed, 0x6c61796f7574ull);  // "layout"
  double total_area = 0;
  for (double r : radius) total_area += r * r;
  const double spread = std::sqrt(total_area) * 2;
  for (std::size_t c = 0; c < n; ++c) {
    const auto bits = random.bits(0, c, engine::Purpose{1});
    p[c] = {(engine::Random::to_unit(bits[0]) - 0.5) * spread,
            (engine::Random::to_unit(bits[1]) - 0.5) * spread};
  }
  if (n == 1) return {Point{}};
  double max_weight = 1;
  for (const auto& t : ties) max_weight = std::max(max_weight, t.weight);
  const double cell = std::max(4 * *std::max_element(radius.begin(), radius.end()), spread / 50);
  double temperature = spread / 10;
  std::vector<Point> force(n);
  for (int iteration = 0; iteration < 150; ++iteration) {
    std::fill(force.begin(), force.end(), Point{});
    // Repulsion between nearby disks, through a grid.
    for_each_near(p, cell, [&](std::uint32_t c, std::uint32_t d) {
      const double ex = p[c].x - p[d].x, ey = p[c].y - p[d].y;
      const double dist = std::max(std::hypot(ex, ey), 1e-6);
      const double gap = radius[c] + radius[d];
      const double push = gap * gap / dist + (dist < gap ? 2 * (gap - dist) : 0);
      force[c].x += ex / dist * push;
      force[c].y += ey / dist * push;
    });
    // Gravity keeps disconnected communities in view.
    for (std::uint32_t c = 0; c < n; ++c) {
      force[c].x -= 0.02 * p[c].x;
      force[c].y -= 0.02 * p[c].y;
    }
    // Attraction along ties between communities.
    for (const auto& [c, d, w] : ties) {
      const double ex = p[d].x - p[c].x, ey = p[d].y - p[c].y;
      const double dist = std::max(std::hypot(ex, ey), 1e-6);
      const double pull = dist * dist / cell * (w / max_weight);
      force[c].x += ex / dist * pull;
      force[c].y += ey / dist * pull;
      force[d].x -= ex / dist * pull;
      force[d].y -= ey / dist * pull;
    }
    for (std::uint32_t c = 0; c < n; ++c) {
      const double f = std::max(std::hypot(force[c].x, force[c].y), 1e-12);
      const double step = std::min(f, temperature);
      p[c].x += force[c].x / f * step;
      p[c].y += force[c].y / f * step;
    }
    temperature *= 0.97;
  }
  // Squeeze: draw the disks together while keeping them apart, so that the clusters fill
  // the picture and neighbours in the community graph stay neighbours.
  const double margin = 0.35;
  for (int round = 0; round < 120; ++round) {
    for (auto& q : p) q.x *= 0.97, q.y *= 0.97;
    const double size = 2 * (1 + margin) * *std::max_element(radius.begin(), radius.end());
    for (int pass = 0; pass < 4; ++pass) {
      for_each_near(p, size, [&](std::uint32_t c, std::uint32_t d) {
        if (d < c) return;
        const double ex = p[d].x - p[c].x, ey = p[d].y - p[c].y;
        const double dist = std::max(std::hypot(ex, ey), 1e-6);
        const double gap = (radius[c] + radius[d]) * (1 + margin);
        if (dist >= gap) return;
        const double push = (gap - dist) / 2;
        p[c].x -= ex / dist * push, p[c].y -= ey / dist * push;
        p[d].x += ex / dist * push, p[d].y += ey / dist * push;
      });
    }
  }
  return p;
}

// Ties between communities, counted by sorting the community pairs of every arc.
std::vector<CommunityTie> community_ties(const graph::Graph& graph) {
  const graph::Vertex n = graph.num_nodes();
  std::vector<std::uint64_t> pairs;
  for (graph::Vertex u = 0; u < n; ++u) {
    for (graph::Vertex v : graph.out_neighbors(u)) {
      const std::uint64_t cu = graph.community(u), cv = graph.community(v);
      if (cu < cv) pairs.push_back(cu << 32 | cv);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<CommunityTie> ties;
  for (std::size_t i = 0; i < pairs.size();) {
    std::size_t j = i;
    while (j < pairs.size() && pairs[j] == pairs[i]) ++j;
    ties.push_back({std::uint32_t(pairs[i] >> 32), std::uint32_t(pairs[i]), double(j - i)});
    i = j;
  }
  return ties;
}

// Points into [-1, 1]^2, keeping the aspect.
Layout fitted(const std::vector<Point>& p) {
  const auto n = p.size();
  double lo_x = 1e300, hi_x = -1e300, lo_y = 1e300, hi_y = -1e300;
  for (const Point& q : p) {
    lo_x = std::min(lo_x, q.x), hi_x = std::max(hi_x, q.x);
    lo_y = std::min(lo_y, q.y), hi_y = std::max(hi_y, q.y);
  }
  const double span = std::max({hi_x - lo_x, hi_y - lo_y, 1e-9});
  Layout out;
  out.x.resize(n);
  out.y.resize(n);
  for (std::size_t v = 0; v < n; ++v) {
    out.x[v] = float((p[v].x - (lo_x + hi_x) / 2) / span * 1.9);
    out.y[v] = float((p[v].y - (lo_y + hi_y) / 2) / span * 1.9);
  }
  return out;
}

}  // namespace

Layout community_layout(const graph::Graph& graph, std::uint64_t seed) {
  const graph::Vertex n = graph.num_nodes();
  const std::uint32_t communities = std::max<std::uint32_t>(graph.num_communities(), 1);
  std::vector<std::vector<graph::Vertex>> members(communities);
  for (graph::Vertex v = 0; v < n; ++v) members[graph.community(v)].push_back(v);
  std::vector<double> radius(communities);
  for (std::uint32_t c = 0; c < communities; ++c)
    radius[c] = std::sqrt(double(members[c].size())) + 1;

  const std::vector<Point> centre = place_communities(radius, community_ties(graph), seed);

  // Sunflower spiral in each disk, best-connected first (in the middle).
  std::vector<Point> p(n);
  for (std::uint32_t c = 0; c < communities; ++c) {
    auto& m = members[c];
    std::stable_sort(m.begin(), m.end(), [&](graph::Vertex a, graph::Vertex b) {
      return graph.out_degree(a) > graph.out_degree(b);
    });
    for (std::size_t k = 0; k < m.size(); ++k) {
      const double r = std::sqrt(k + 0.5), angle = k * kGolden;
      p[m[k]] = {centre[c].x + r * std::cos(angle), centre[c].y + r * std::sin(angle)};
    }
  }
  // Pull friends together within a community, staying inside its disk.
  std::vector<Point> next(n);
  for (int round = 0; round < 8; ++round) {
    for (graph::Vertex v = 0; v < n; ++v) {
      Point sum{};
      int count = 0;
      for (graph::Vertex u : graph.out_neighbors(v)) {
        if (graph.community(u) != graph.community(v)) continue;
        sum.x += p[u].x;
        sum.y += p[u].y;
        ++count;
      }
      next[v] = p[v];
      if (count > 0) {
        next[v].x = 0.7 * p[v].x + 0.3 * sum.x / count;
        next[v].y = 0.7 * p[v].y + 0.3 * sum.y / count;
      }
      const Point& o = centre[graph.community(v)];
      const double r = radius[graph.community(v)];
      const double dx = next[v].x - o.x, dy = next[v].y - o.y, d = std::hypot(dx, dy);
      if (d > r) next[v] = {o.x + dx / d * r, o.y + dy / d * r};
    }
    std::swap(p, next);
    // Averaging shrinks each community towards its middle; spread it back to fill its
    // disk (a uniform disk of radius r has root-mean-square radius r / sqrt 2).
    std::vector<double> squares(communities, 0);
    for (graph::Vertex v = 0; v < n; ++v) {
      const Point& o = centre[graph.community(v)];
      squares[graph.community(v)] +=
          (p[v].x - o.x) * (p[v].x - o.x) + (p[v].y - o.y) * (p[v].y - o.y);
    }
    for (graph::Vertex v = 0; v < n; ++v) {
      const std::uint32_t c = graph.community(v);
      const double rms = std::sqrt(squares[c] / double(members[c].size()));
      if (rms <= 0) continue;
      const double scale = (radius[c] - 1) / std::sqrt(2.0) / rms;
      const Point& o = centre[c];
      p[v] = {o.x + (p[v].x - o.x) * scale, o.y + (p[v].y - o.y) * scale};
    }
  }

  return fitted(p);
}

Layout cached_layout(const graph::Graph& graph, std::uint64_t seed, const std::string& key,
                     const std::filesystem::path& cache_dir) {
  const auto file =
      cache_dir /
      ("layout-" + std::to_string(std::hash<std::string>{}(key + std::to_string(seed))) + ".bin");
  const std::size_t n = graph.num_nodes();
  {
    std::ifstream in(file, std::ios::binary);
    Layout cached;
    cached.x.resize(n);
    cached.y.resize(n);
    if (in &&
        in.read(reinterpret_cast<char*>(cached.x.data()), std::streamsize(n * sizeof(float))) &&
        in.read(reinterpret_cast<char*>(cached.y.data()), std::streamsize(n * sizeof(float))) &&
        in.peek() == std::ifstream::traits_type::eof()) {
      return cached;
    }
  }
  Layout layout = community_layout(graph, seed);
  std::error_code ignored;
  std::filesystem::create_directories(cache_dir, ignored);
  const auto temp = file.string() + ".partial";
  {
    std::ofstream out(temp, std::ios::binary);
    out.write(reinterpret_cast<const char*>(layout.x.data()), std::streamsize(n * sizeof(float)));
    out.write(reinterpret_cast<const char*>(layout.y.data()), std::streamsize(n * sizeof(float)));
  }
  std::filesystem::rename(temp, file, ignored);  // a cache: failing to keep it is harmless
  return layout;
}

}  // namespace buzz::viz
