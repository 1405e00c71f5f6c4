#include "viz/colours.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

namespace buzz::viz {

std::vector<std::uint32_t> state_colours(const std::vector<engine::StateRole>& roles) {
  using namespace palette;
  // By role, in engine::StateRole's order.
  constexpr std::uint32_t by_role[] = {grey,   sky_blue,   blue,       yellow,
                                       orange, vermillion, vermillion, sky_blue};
  static_assert(std::size(by_role) == std::size_t(engine::StateRole::removed) + 1);
  std::vector<std::uint32_t> out;
  for (const auto role : roles) out.push_back(by_role[std::size_t(role)]);
  if (out.empty()) out.push_back(grey);  // a model that declares no states: everyone grey
  return out;
}

namespace {

using Rgb = std::array<double, 3>;

Rgb linear(std::uint32_t c) {
  Rgb out{};
  for (int i = 0; i < 3; ++i) {
    const double v = double((c >> (8 * i)) & 0xffu) / 255;
    out[i] = v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  }
  return out;
}

std::uint32_t encode(const Rgb& l) {
  std::uint32_t out = 0xff000000u;
  for (int i = 0; i < 3; ++i) {
    const double v = std::clamp(l[i], 0.0, 1.0);
    const double s = v <= 0.0031308 ? 12.92 * v : 1.055 * std::pow(v, 1 / 2.4) - 0.055;
    out |= std::uint32_t(std::lround(s * 255)) << (8 * i);
  }
  return out;
}

double luminance(const Rgb& l) { return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; }

// Machado et al.'s matrices in linear RGB, severity 1.
constexpr double kMachado[3][3][3] = {{{0.152286, 1.052583, -0.204868},
                                       {0.114503, 0.786281, 0.099216},
                                       {-0.003882, -0.048116, 1.051998}},
                                      {{0.367322, 0.860646, -0.227968},
                                       {0.280085, 0.672501, 0.047413},
                                       {-0.011820, 0.042940, 0.968881}},
                                      {{1.255528, -0.076749, -0.178779},
                                       {-0.078411, 0.930809, 0.147602},
                                       {0.004733, 0.691367, 0.303900}}};

Rgb simulate(const Rgb& l, Vision vision) {
  if (vision == Vision::normal) return l;
  const auto& m = kMachado[int(vision) - 1];
  Rgb out{};
  for (int i = 0; i < 3; ++i) {
    out[i] = std::clamp(m[i][0] * l[0] + m[i][1] * l[1] + m[i][2] * l[2], 0.0, 1.0);
  }
  return out;
}

// CIELAB under D65 from linear sRGB.
Rgb lab(const Rgb& l) {
  const double x = (0.4124 * l[0] + 0.3576 * l[1] + 0.1805 * l[2]) / 0.95047;
  const double y = 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  const double z = (0.0193 * l[0] + 0.1192 * l[1] + 0.9505 * l[2]) / 1.08883;
  const auto f = [](double t) {
    return t > 216.0 / 24389 ? std::cbrt(t) : (24389.0 / 27 * t + 16) / 116;
  };
  return {116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))};
}

}  // namespace

double contrast_ratio(std::uint32_t a, std::uint32_t b) {
  const double la = luminance(linear(a)), lb = luminance(linear(b));
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

std::uint32_t as_seen(std::uint32_t colour, Vision vision) {
  return (colour & 0xff000000u) | (encode(simulate(linear(colour), vision)) & 0x00ffffffu);
}

double colour_difference(std::uint32_t a, std::uint32_t b, Vision vision) {
  const Rgb la = lab(simulate(linear(a), vision)), lb = lab(simulate(linear(b), vision));
  return std::hypot(la[0] - lb[0], la[1] - lb[1], la[2] - lb[2]);
}

}  // namespace buzz::viz
