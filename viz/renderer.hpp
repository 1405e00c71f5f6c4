#pragma once

#include <cstdint>
#include <vector>

namespace buzz::viz {

// Draws agents as points and ties as lines with OpenGL 3.3 core: one vertex buffer of
// positions uploaded once, colours updated per frame.
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

 private:
  void upload(const std::vector<Vertex>& v);
  unsigned program_ = 0, vao_ = 0, vbo_ = 0;
  int transform_ = -1, point_size_ = -1;
  float zoom_ = 1, pan_x_ = 0, pan_y_ = 0, aspect_ = 1;
};

}  // namespace buzz::viz
