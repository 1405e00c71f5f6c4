#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace buzz::viz {

// An RGBA image, 0xAABBGGRR per pixel, row 0 at the bottom as OpenGL stores textures.
struct Image {
  int width = 0, height = 0;
  std::vector<std::uint32_t> pixels;
  // The rectangle [x0, x1) x [y0, y1) outside which every pixel is transparent (empty when
  // nothing was drawn): only it need be uploaded and drawn.
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// Where the world lands on the image: world (x, y) goes to normalised device coordinates
// ((x + pan_x) * scale_x, (y + pan_y) * scale_y), which span the image from -1 to 1.
struct View {
  float scale_x = 1, scale_y = 1, pan_x = 0, pan_y = 0;
};

// Draws every agent as a size x size square of its state's colour (a disc of that
// diameter from 5 pixels up) into `image` (resized to width x height and cleared to
// transparent), in agent order so that later agents cover earlier ones, as OpenGL's points
// would. They are drawn on the CPU because Mesa's software renderer spends about 180 ns
// setting up each point, against a few ns here.
void splat(std::span<const float> x, std::span<const float> y, std::span<const std::uint8_t> states,
           std::span<const std::uint32_t> colours, const View& view, int size, int width,
           int height, Image& image);

// The agents' size in pixels for `agents` people in a width x height pane at `zoom`: 0.4
// of the spacing they would have spread evenly over the pane's inscribed circle (where the
// layout puts them), times the square root of the zoom, from 2 pixels (1 past 200,000
// agents, where 2 would cover the pane) to 16. The karate club's 34 get 16, 1,000 get 6.
int agent_size(std::size_t agents, float width, float height, float zoom);

}  // namespace buzz::viz
