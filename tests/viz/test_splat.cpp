#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <vector>

#include "viz/splat.hpp"

using namespace buzz::viz;

namespace {

// The pixels of `image` that hold `colour`, as (column, row) pairs.
std::vector<std::pair<int, int>> where(const Image& image, std::uint32_t colour) {
  std::vector<std::pair<int, int>> out;
  for (int row = 0; row < image.height; ++row) {
    for (int col = 0; col < image.width; ++col) {
      if (image.pixels[std::size_t(row) * image.width + col] == colour) out.emplace_back(col, row);
    }
  }
  return out;
}

constexpr std::uint32_t kGrey = 0xff66605a, kRed = 0xff3539e5;

}  // namespace

TEST_CASE("splat puts each agent where OpenGL would put its point", "[viz][splat]") {
  const std::vector<std::uint32_t> colours = {kGrey, kRed};
  Image image;
  SECTION("the world's origin lands in the middle and row 0 is the bottom") {
    const std::vector<float> x = {0.0f, -0.95f}, y = {0.0f, -0.95f};
    splat(x, y, std::vector<std::uint8_t>{0, 1}, colours, View{}, 1, 20, 10, image);
    REQUIRE(image.width == 20);
    REQUIRE(image.height == 10);
    CHECK(where(image, kGrey) == std::vector<std::pair<int, int>>{{10, 5}});
    CHECK(where(image, kRed) == std::vector<std::pair<int, int>>{{0, 0}});
  }
  SECTION("a square of the point size, and nothing else drawn") {
    splat(std::vector<float>{0.0f}, std::vector<float>{0.0f}, std::vector<std::uint8_t>{1}, colours,
          View{}, 3, 20, 10, image);
    const auto red = where(image, kRed);
    REQUIRE(red.size() == 9);
    CHECK(red.front() == std::pair(9, 4));
    CHECK(red.back() == std::pair(11, 6));
    CHECK(where(image, 0).size() == 200 - 9);  // the rest stays transparent
    // The drawn rectangle bounds the square exactly.
    CHECK(std::tuple(image.x0, image.y0, image.x1, image.y1) == std::tuple(9, 4, 12, 7));
  }
  SECTION("the view scales and pans as the renderer's transform does") {
    // (x + pan) * scale: world (3, -1) with pan (-3, 1) is the middle at any scale.
    splat(std::vector<float>{3.0f}, std::vector<float>{-1.0f}, std::vector<std::uint8_t>{0},
          colours, View{4, 2, -3, 1}, 1, 20, 10, image);
    CHECK(where(image, kGrey) == std::vector<std::pair<int, int>>{{10, 5}});
    // World x 0.25 at scale 4 is device x 1, the right edge: off the image.
    splat(std::vector<float>{0.25f}, std::vector<float>{0.0f}, std::vector<std::uint8_t>{0},
          colours, View{4, 1, 0, 0}, 1, 20, 10, image);
    CHECK(where(image, kGrey).empty());
    CHECK(image.x1 == image.x0);  // nothing drawn: an empty rectangle
  }
}

TEST_CASE("splat draws later agents over earlier ones and clips at the edges", "[viz][splat]") {
  const std::vector<std::uint32_t> colours = {kGrey, kRed};
  Image image;
  // Two agents on one spot: the later one shows, as with points drawn in order.
  splat(std::vector<float>{0.0f, 0.0f}, std::vector<float>{0.0f, 0.0f},
        std::vector<std::uint8_t>{1, 0}, colours, View{}, 2, 8, 8, image);
  CHECK(where(image, kGrey).size() == 4);
  CHECK(where(image, kRed).empty());
  // A square half over the left edge keeps its visible half; far away or not a number: none.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  splat(std::vector<float>{-1.0f, -50.0f, nan}, std::vector<float>{0.0f, 0.0f, 0.0f},
        std::vector<std::uint8_t>{1, 1, 1}, colours, View{}, 4, 8, 8, image);
  const auto red = where(image, kRed);
  CHECK(red.size() == 8);  // 2 columns x 4 rows
  for (const auto& [col, row] : red) CHECK(col < 2);
  // And over the top right corner: a 2 x 2 corner shows.
  splat(std::vector<float>{1.0f}, std::vector<float>{1.0f}, std::vector<std::uint8_t>{1}, colours,
        View{}, 4, 8, 8, image);
  CHECK(where(image, kRed) == std::vector<std::pair<int, int>>{{6, 6}, {7, 6}, {6, 7}, {7, 7}});
  // States past the palette wrap round; agents past the states are the first state.
  splat(std::vector<float>{-0.5f, 0.5f}, std::vector<float>{0.0f, 0.0f},
        std::vector<std::uint8_t>{3}, colours, View{}, 1, 8, 8, image);
  CHECK(where(image, kRed).size() == 1);
  CHECK(where(image, kGrey).size() == 1);
}

TEST_CASE("agents of 5 pixels and more are discs", "[viz][splat]") {
  Image image;
  splat(std::vector<float>{0.0f}, std::vector<float>{0.0f}, std::vector<std::uint8_t>{1},
        std::vector<std::uint32_t>{kGrey, kRed}, View{}, 10, 20, 20, image);
  const auto red = where(image, kRed);
  // A disc of diameter 10 covers about pi * 25 = 79 pixels of its 10 x 10 square.
  CHECK(red.size() > 70);
  CHECK(red.size() < 90);
  const auto has = [&](int col, int row) {
    return std::find(red.begin(), red.end(), std::pair(col, row)) != red.end();
  };
  // The square spans columns and rows 5 to 14: its corners are empty, its middle row full.
  CHECK_FALSE(has(5, 5));
  CHECK_FALSE(has(14, 14));
  for (int col = 5; col < 15; ++col) CHECK(has(col, 9));
  CHECK(std::tuple(image.x0, image.y0, image.x1, image.y1) == std::tuple(5, 5, 15, 15));
}

TEST_CASE("agents' size follows the graph's size and the zoom", "[viz][splat]") {
  // The default pane left of the panel and above the timeline: 920 x 550 pixels.
  CHECK(agent_size(34, 920, 550, 1) == 16);  // the karate club: capped
  CHECK(agent_size(1000, 920, 550, 1) == 6);
  CHECK(agent_size(100000, 920, 550, 1) == 2);
  CHECK(agent_size(1000000, 920, 550, 1) == 1);
  CHECK(agent_size(0, 920, 550, 1) == 2);
  // Zooming in 4 times doubles the size until the cap; a bigger pane gives bigger agents.
  CHECK(agent_size(1000, 920, 550, 4) == 12);
  CHECK(agent_size(1000, 920, 550, 100) == 16);
  CHECK(agent_size(10000, 1800, 1100, 1) > agent_size(10000, 920, 550, 1));
  // Never smaller than the floor, however far out.
  CHECK(agent_size(100000, 920, 550, 0.01f) == 2);
}
