#include "viz/renderer.hpp"

#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <GL/glext.h>

#include <stdexcept>
#include <string>

namespace buzz::viz {

namespace {

const char* kVertexShader = R"(#version 330 core
layout(location = 0) in vec2 position;
layout(location = 1) in vec4 colour;
uniform vec4 transform;  // zoom / aspect, zoom, pan x, pan y
uniform float point_size;
out vec4 v_colour;
void main() {
  gl_Position = vec4((position.x + transform.z) * transform.x, (position.y + transform.w) * transform.y, 0, 1);
  gl_PointSize = point_size;
  v_colour = colour;
})";

const char* kFragmentShader = R"(#version 330 core
in vec4 v_colour;
out vec4 colour;
void main() { colour = v_colour; })";

// The image's drawn rectangle (`rect`: x0, y0, x1, y1 as fractions of the viewport): a
// strip of two triangles from the vertex number alone.
const char* kImageVertexShader = R"(#version 330 core
uniform vec4 rect;
out vec2 uv;
void main() {
  uv = mix(rect.xy, rect.zw, vec2(gl_VertexID & 1, gl_VertexID >> 1));
  gl_Position = vec4(uv * 2 - 1, 0, 1);
})";

const char* kImageFragmentShader = R"(#version 330 core
in vec2 uv;
uniform sampler2D image;
out vec4 colour;
void main() { colour = texture(image, uv); })";

unsigned compile(unsigned kind, const char* source) {
  const unsigned shader = glCreateShader(kind);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  int ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024];
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    throw std::runtime_error(std::string("shader: ") + log);
  }
  return shader;
}

unsigned link(const char* vertex, const char* fragment) {
  const unsigned program = glCreateProgram();
  const unsigned vs = compile(GL_VERTEX_SHADER, vertex);
  const unsigned fs = compile(GL_FRAGMENT_SHADER, fragment);
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  glLinkProgram(program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  return program;
}

}  // namespace

Renderer::Renderer() {
  program_ = link(kVertexShader, kFragmentShader);
  transform_ = glGetUniformLocation(program_, "transform");
  point_size_ = glGetUniformLocation(program_, "point_size");
  glGenVertexArrays(1, &vao_);
  glGenBuffers(1, &vbo_);
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(Vertex), nullptr);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(Vertex),
                        reinterpret_cast<void*>(offsetof(Vertex, rgba)));
  glEnableVertexAttribArray(1);
  glBindVertexArray(0);

  image_program_ = link(kImageVertexShader, kImageFragmentShader);
  rect_ = glGetUniformLocation(image_program_, "rect");
  glGenVertexArrays(1, &image_vao_);
}

Renderer::~Renderer() {
  for (const auto& t : textures_) glDeleteTextures(1, &t.id);
  glDeleteVertexArrays(1, &image_vao_);
  glDeleteProgram(image_program_);
  glDeleteBuffers(1, &vbo_);
  glDeleteVertexArrays(1, &vao_);
  glDeleteProgram(program_);
}

void Renderer::set_view(float zoom, float pan_x, float pan_y, float aspect) {
  zoom_ = zoom, pan_x_ = pan_x, pan_y_ = pan_y, aspect_ = aspect;
}

void Renderer::upload(const std::vector<Vertex>& v) {
  glUseProgram(program_);
  glUniform4f(transform_, zoom_ / aspect_, zoom_, pan_x_, pan_y_);
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
  glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(v.size() * sizeof(Vertex)), v.data(), GL_STREAM_DRAW);
}

void Renderer::draw_points(const std::vector<Vertex>& points, float size) {
  if (points.empty()) return;
  upload(points);
  glUniform1f(point_size_, size);
  glEnable(GL_PROGRAM_POINT_SIZE);
  glDrawArrays(GL_POINTS, 0, GLsizei(points.size()));
  glBindVertexArray(0);
}

void Renderer::draw_lines(const std::vector<Vertex>& ends) {
  if (ends.empty()) return;
  upload(ends);
  glUniform1f(point_size_, 1);
  glDrawArrays(GL_LINES, 0, GLsizei(ends.size()));
  glBindVertexArray(0);
}

void Renderer::draw_image(std::size_t slot, const Image& image, bool changed) {
  if (image.width <= 0 || image.height <= 0) return;
  glActiveTexture(GL_TEXTURE0);
  while (textures_.size() <= slot) {
    Texture t;
    glGenTextures(1, &t.id);
    glBindTexture(GL_TEXTURE_2D, t.id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);  // one texel per pixel
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    textures_.push_back(t);
  }
  auto& texture = textures_[slot];
  glBindTexture(GL_TEXTURE_2D, texture.id);
  if (image.width != texture.width || image.height != texture.height) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, image.width, image.height, 0, GL_RGBA,
                 GL_UNSIGNED_BYTE, image.pixels.data());
    texture.width = image.width, texture.height = image.height;
  } else if (changed && image.x1 > image.x0) {
    // Only the drawn rectangle: the quad below covers nothing else.
    glPixelStorei(GL_UNPACK_ROW_LENGTH, image.width);
    glTexSubImage2D(GL_TEXTURE_2D, 0, image.x0, image.y0, image.x1 - image.x0, image.y1 - image.y0,
                    GL_RGBA, GL_UNSIGNED_BYTE,
                    image.pixels.data() + std::size_t(image.y0) * image.width + image.x0);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  }
  if (image.x1 <= image.x0) {
    glBindTexture(GL_TEXTURE_2D, 0);
    return;
  }
  glUseProgram(image_program_);
  glUniform4f(rect_, float(image.x0) / float(image.width), float(image.y0) / float(image.height),
              float(image.x1) / float(image.width), float(image.y1) / float(image.height));
  glBindVertexArray(image_vao_);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray(0);
  glBindTexture(GL_TEXTURE_2D, 0);
}

}  // namespace buzz::viz
