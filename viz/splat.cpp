#include "viz/splat.hpp"

#include <algorithm>
#include <cmath>

namespace buzz::viz {

void splat(std::span<const float> x, std::span<const float> y, std::span<const std::uint8_t> states,
           std::span<const std::uint32_t> colours, const View& view, int size, int width,
           int height, Image& image) {
  image.width = width, image.height = height;
  image.pixels.assign(std::size_t(width) * std::size_t(height), 0);
  image.x0 = image.y0 = image.x1 = image.y1 = 0;
  if (colours.empty() || width <= 0 || height <= 0) return;
  size = std::max(size, 1);
  // Pixel column of world x: (ndc + 1) / 2 * width, less half the square to its left edge.
  const float ax = view.scale_x * 0.5f * float(width), ay = view.scale_y * 0.5f * float(height);
  const float bx = (view.pan_x * view.scale_x + 1) * 0.5f * float(width) - 0.5f * float(size);
  const float by = (view.pan_y * view.scale_y + 1) * 0.5f * float(height) - 0.5f * float(size);
  const auto n = std::min(x.size(), y.size());
  int min_x = width, min_y = height, max_x = 0, max_y = 0;
  for (std::size_t v = 0; v < n; ++v) {
    // Rounded half up; shifted by `size` so that truncation is floor wherever it is drawn.
    const float fx = x[v] * ax + bx + 0.5f + float(size), fy = y[v] * ay + by + 0.5f + float(size);
    if (!(fx >= 1 && fx < float(width + size) && fy >= 1 && fy < float(height + size))) {
      continue;  // off the image (or not a number)
    }
    const int left = int(fx) - size, bottom = int(fy) - size;
    const int x0 = std::max(left, 0), x1 = std::min(left + size, width);
    const int y0 = std::max(bottom, 0), y1 = std::min(bottom + size, height);
    min_x = std::min(min_x, x0), max_x = std::max(max_x, x1);
    min_y = std::min(min_y, y0), max_y = std::max(max_y, y1);
    const std::uint8_t s = v < states.size() ? states[v] : 0;
    const std::uint32_t colour = colours[s % colours.size()];
    for (int row = y0; row < y1; ++row) {
      int from = x0, to = x1;
      if (size >= 5) {  // a disc: each row spans the chord at its centre's height
        const float dy = float(row - bottom) + 0.5f - 0.5f * float(size);
        const float half = std::sqrt(std::max(0.25f * float(size * size) - dy * dy, 0.0f));
        const float centre = float(left) + 0.5f * float(size);
        from = std::max(x0, int(std::lround(centre - half)));
        to = std::min(x1, int(std::lround(centre + half)));
      }
      std::fill(image.pixels.begin() + std::ptrdiff_t(row) * width + from,
                image.pixels.begin() + std::ptrdiff_t(row) * width + std::max(from, to), colour);
    }
  }
  if (min_x < max_x && min_y < max_y) {
    image.x0 = min_x, image.y0 = min_y, image.x1 = max_x, image.y1 = max_y;
  }
}

int agent_size(std::size_t agents, float width, float height, float zoom) {
  if (agents == 0) return 2;
  const float diameter = std::min(width, height);
  const float spacing = std::sqrt(0.785398f * diameter * diameter / float(agents));
  const float size = 0.4f * spacing * std::sqrt(std::max(zoom, 0.0f));
  return std::clamp(int(std::lround(size)), agents > 200000 ? 1 : 2, 16);
}

}  // namespace buzz::viz
