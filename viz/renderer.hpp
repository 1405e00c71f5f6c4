#pragma once

#include <cstdint>
#include <vector>

#include "viz/splat.hpp"

namespace buzz::viz {

// Draws ties as lines, highlights as points, and the agents as one image (see splat.hpp)
// with OpenGL 3.3 core.
class Renderer {
 public:
  struct Vertex {
    float x, y;
    std::uint32_t rgba;  // 0xAABBGGRR
  };

  Renderer();
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // The view: world point (x, y) lands at ((x + pan_x) * zoom, (y + pan_y) * zoom) in
  // normalised device coordinates, with `aspect` = width / height correcting x.
  void set_view(float zoom, float pan_x, float pan_y, float aspect);
  void draw_points(const std::vector<Vertex>& points, float size);
  void draw_lines(const std::vector<Vertex>& ends);  // two vertices per line
  // Draws `image`'s drawn rectangle where it lies in the viewport, blended over what is
  // there. Each slot (a pane) keeps its own texture, and uploads that rectangle again only
  // when `changed`.
  void draw_image(std::size_t slot, const Image& image, bool changed);

 private:
  void upload(const std::vector<Vertex>& v);
  unsigned program_ = 0, vao_ = 0, vbo_ = 0;
  struct Texture {
    unsigned id = 0;
    int width = 0, height = 0;
  };
  unsigned image_program_ = 0, image_vao_ = 0;
  int rect_ = -1;
  std::vector<Texture> textures_;
  int transform_ = -1, point_size_ = -1;
  float zoom_ = 1, pan_x_ = 0, pan_y_ = 0, aspect_ = 1;
};

}  // namespace buzz::viz
