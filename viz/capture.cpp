// Headless capture: the frame just drawn, as a PNG.
#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>

#include <iostream>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

#include "viz/app.hpp"

namespace buzz::viz {

bool App::capture(int fb_w, int fb_h) const {
  // From the back buffer, as RGB (the alpha channel is not an image).
  std::vector<unsigned char> pixels(std::size_t(fb_w) * fb_h * 3);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, fb_w, fb_h, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  stbi_flip_vertically_on_write(1);
  if (!stbi_write_png(options_.screenshot.c_str(), fb_w, fb_h, 3, pixels.data(), fb_w * 3)) {
    std::cerr << options_.screenshot << ": cannot write the screenshot\n";
    return false;
  }
  return true;
}

}  // namespace buzz::viz
