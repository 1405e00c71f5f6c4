#pragma once

// The SVG drawing of buzzsim's HTML reports (compare's report.html and the sweep's): a
// chart frame with axes, a palette, number labels and a heatmap.

#include <string>
#include <vector>

#include "sim/engine/reporter.hpp"

namespace buzz::report::svg {

// The i-th colour of the palette, for the i-th scenario.
const char* colour(std::size_t i);
// A number as a reader expects it: thousands separated (2,050, not 2.05e+03), three
// significant figures below 100, "n/a" for NaN.
std::string number(double v);
// `difference` as a signed percentage of `base` ("+12%"); "" when base is 0 or NaN.
std::string percent_of(double difference, double base);

// A chart area of 320 x 200 pixels with margins for the axes, mapping data to pixels.
struct Frame {
  double x0, x1, y0, y1;
  static constexpr double kWidth = 320, kHeight = 200, kLeft = 58, kRight = 10, kTop = 22,
                          kBottom = 26;
  double x(double v) const;
  double y(double v) const;
  // The title, both axes and their end labels.
  std::string axes(const std::string& title, const std::string& x_label, bool x_ticks = true) const;
};

// `body` in an <svg> element of the frame's size.
std::string chart(const std::string& body);

// A heatmap of values over a grid: cells[i] sits at (x[i], y[i]); colours run from pale
// yellow (low) to dark blue (high).
struct Heatmap {
  std::string title, x_label, y_label;
  std::vector<double> x, y, cells;
  std::vector<double> low, high;  // each cell's 95% interval, when known
  // Tick names by the axis's distinct values in order (a preset axis), else the numbers.
  std::vector<std::string> x_names, y_names;
  // Which end is best: the dark end is always the better one (so a lower-is-better metric
  // is dark where it is lowest), and the legend says so; no_verdict: dark is high.
  engine::Direction direction = engine::Direction::higher_is_better;
};
std::string heatmap(const Heatmap& h);

}  // namespace buzz::report::svg
