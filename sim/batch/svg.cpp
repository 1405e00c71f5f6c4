#include "sim/batch/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/batch/html.hpp"

namespace buzz::batch::svg {

namespace {
const char* kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
}  // namespace

const char* colour(std::size_t i) { return kColours[i % std::size(kColours)]; }

std::string number(double v) {
  if (std::isnan(v)) return "n/a";
  return fmt::format("{:.3g}", v);
}

double Frame::x(double v) const {
  return kLeft + (x1 > x0 ? (v - x0) / (x1 - x0) : 0.5) * (kWidth - kLeft - kRight);
}

double Frame::y(double v) const {
  return kHeight - kBottom - (y1 > y0 ? (v - y0) / (y1 - y0) : 0.5) * (kHeight - kTop - kBottom);
}

std::string Frame::axes(const std::string& title, const std::string& x_label, bool x_ticks) const {
  return fmt::format(
      "<text x='{}' y='14' class='title'>{}</text>"
      "<line x1='{}' y1='{}' x2='{}' y2='{}' class='axis'/>"
      "<line x1='{}' y1='{}' x2='{}' y2='{}' class='axis'/>"
      "<text x='{}' y='{}' class='tick' text-anchor='end'>{}</text>"
      "<text x='{}' y='{}' class='tick' text-anchor='end'>{}</text>"
      "<text x='{}' y='{}' class='tick'>{}</text>"
      "<text x='{}' y='{}' class='tick' text-anchor='end'>{}</text>"
      "<text x='{}' y='{}' class='tick' text-anchor='middle'>{}</text>",
      kLeft, html_escape(title), kLeft, kTop, kLeft, kHeight - kBottom, kLeft, kHeight - kBottom,
      kWidth - kRight, kHeight - kBottom, kLeft - 4, y(y1) + 4, number(y1), kLeft - 4, y(y0) + 4,
      number(y0), kLeft, kHeight - kBottom + 12, x_ticks ? number(x0) : "", kWidth - kRight,
      kHeight - kBottom + 12, x_ticks ? number(x1) : "", (kLeft + kWidth) / 2, kHeight - 4,
      html_escape(x_label));
}

std::string chart(const std::string& body) {
  return fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' "
      "viewBox='0 0 {} {}'>{}</svg>",
      Frame::kWidth, Frame::kHeight, Frame::kWidth, Frame::kHeight, body);
}

std::string heatmap(const Heatmap& h) {
  std::vector<double> xs, ys;
  for (std::size_t i = 0; i < h.cells.size(); ++i) {
    if (std::find(xs.begin(), xs.end(), h.x[i]) == xs.end()) xs.push_back(h.x[i]);
    if (std::find(ys.begin(), ys.end(), h.y[i]) == ys.end()) ys.push_back(h.y[i]);
  }
  std::sort(xs.begin(), xs.end());
  std::sort(ys.begin(), ys.end());
  double lo = 1e300, hi = -1e300;
  for (double v : h.cells) lo = std::min(lo, v), hi = std::max(hi, v);
  const double left = 70, top = 24, cell_w = 300.0 / xs.size(), cell_h = 200.0 / ys.size();
  std::string body =
      fmt::format("<text x='{}' y='14' class='title'>{} (mean)</text>", left, html_escape(h.title));
  for (std::size_t i = 0; i < h.cells.size(); ++i) {
    const auto xi = std::find(xs.begin(), xs.end(), h.x[i]) - xs.begin();
    const auto yi = std::find(ys.begin(), ys.end(), h.y[i]) - ys.begin();
    const double t = hi > lo ? (h.cells[i] - lo) / (hi - lo) : 0.5;
    // From pale yellow (low) to dark blue (high).
    const int r = int(255 * (1 - t) + 8 * t), g = int(247 * (1 - t) + 48 * t),
              b = int(188 * (1 - t) + 107 * t);
    body += fmt::format(
        "<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='rgb({},{},{})'>"
        "<title>{} = {:.4g}</title></rect>",
        left + xi * cell_w, top + (ys.size() - 1 - yi) * cell_h, cell_w, cell_h, r, g, b,
        html_escape(h.title), h.cells[i]);
  }
  for (std::size_t i = 0; i < xs.size(); ++i) {
    body +=
        fmt::format("<text x='{:.1f}' y='{:.1f}' class='tick' text-anchor='middle'>{:.3g}</text>",
                    left + (i + 0.5) * cell_w, top + 214, xs[i]);
  }
  for (std::size_t i = 0; i < ys.size(); ++i) {
    body += fmt::format("<text x='{:.1f}' y='{:.1f}' class='tick' text-anchor='end'>{:.3g}</text>",
                        left - 4, top + (ys.size() - 1 - i + 0.5) * cell_h + 3, ys[i]);
  }
  body += fmt::format("<text x='{}' y='258' class='tick' text-anchor='middle'>{}</text>",
                      left + 150, html_escape(h.x_label));
  body += fmt::format(
      "<text x='10' y='{}' class='tick' transform='rotate(-90 10 {})' "
      "text-anchor='middle'>{}</text>",
      top + 100, top + 100, html_escape(h.y_label));
  body += fmt::format("<text x='{}' y='{}' class='tick'>low {:.3g}, high {:.3g}</text>", left + 310,
                      top + 10, lo, hi);
  return fmt::format("<svg xmlns='http://www.w3.org/2000/svg' width='560' height='270'>{}</svg>",
                     body);
}

}  // namespace buzz::batch::svg
