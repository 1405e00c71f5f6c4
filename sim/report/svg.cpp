#include "sim/report/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/report/html.hpp"

namespace buzz::report::svg {

namespace {
const char* kColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
}  // namespace

const char* colour(std::size_t i) { return kColours[i % std::size(kColours)]; }

std::string number(double v) {
  if (std::isnan(v)) return "n/a";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  const double a = std::fabs(v);
  if (a < 100) {
    if (a != 0 && a < 1e-3) {  // digits, not an exponent: three significant figures
      return fmt::format("{:.{}f}", v, int(-std::floor(std::log10(a))) + 2);
    }
    return fmt::format("{:.3g}", v);
  }
  const std::string digits = fmt::format("{:.0f}", a);
  std::string out = v < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string percent_of(double difference, double base) {
  if (std::isnan(difference) || std::isnan(base) || base == 0 || difference == 0) return "";
  const double p = 100 * difference / std::fabs(base);
  return fmt::format("{:+.{}f}%", p, std::fabs(p) < 10 ? 1 : 0);
}

double Frame::x(double v) const {
  return kLeft + (x1 > x0 ? (v - x0) / (x1 - x0) : 0.5) * (kWidth - kLeft - kRight);
}

double Frame::y(double v) const {
  return kHeight - kBottom - (y1 > y0 ? (v - y0) / (y1 - y0) : 0.5) * (kHeight - kTop - kBottom);
}

std::string Frame::axes(const std::string& title, const std::string& x_label, bool x_ticks) const {
  // Round steps between the ends (1, 2, 2.5 or 5 times a power of ten), at most five.
  std::string ticks;
  double step = 0;
  if (x_ticks && x1 > x0) {
    const double raw = (x1 - x0) / 5, power = std::pow(10, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
      if (m * power >= raw) {
        step = m * power;
        break;
      }
    }
  }
  for (double v = step > 0 ? std::ceil(x0 / step) * step : x1; v < x1 - 0.6 * step; v += step) {
    if (v < x0 + 0.4 * step) continue;  // too close to the end label
    ticks += fmt::format(
        "<line x1='{0:.1f}' y1='{1}' x2='{0:.1f}' y2='{2}' class='axis'/>"
        "<text x='{0:.1f}' y='{3}' class='tick' text-anchor='middle'>{4}</text>",
        x(v), kHeight - kBottom, kHeight - kBottom + 3, kHeight - kBottom + 12, number(v));
  }
  return ticks + fmt::format(
                     "<text x='{}' y='14' class='title'>{}</text>"
                     "<line x1='{}' y1='{}' x2='{}' y2='{}' class='axis'/>"
                     "<line x1='{}' y1='{}' x2='{}' y2='{}' class='axis'/>"
                     "<text x='{}' y='{}' class='tick' text-anchor='end'>{}</text>"
                     "<text x='{}' y='{}' class='tick' text-anchor='end'>{}</text>"
                     "<text x='{}' y='{}' class='tick'>{}</text>"
                     "<text x='{}' y='{}' class='tick' text-anchor='end'>{}</text>"
                     "<text x='{}' y='{}' class='tick' text-anchor='middle'>{}</text>",
                     kLeft, html_escape(title), kLeft, kTop, kLeft, kHeight - kBottom, kLeft,
                     kHeight - kBottom, kWidth - kRight, kHeight - kBottom, kLeft - 4, y(y1) + 4,
                     number(y1), kLeft - 4, y(y0) + 4, number(y0), kLeft, kHeight - kBottom + 12,
                     x_ticks ? number(x0) : "", kWidth - kRight, kHeight - kBottom + 12,
                     x_ticks ? number(x1) : "", (kLeft + kWidth) / 2, kHeight - 4,
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
  const double left = 70, top = 24, cell_w = 440.0 / xs.size(), cell_h = 200.0 / ys.size();
  std::string body = fmt::format("<text x='{}' y='14' class='title'>{} (mean{})</text>", left,
                                 html_escape(h.title), h.low.empty() ? "" : " and 95% interval");
  for (std::size_t i = 0; i < h.cells.size(); ++i) {
    const auto xi = std::find(xs.begin(), xs.end(), h.x[i]) - xs.begin();
    const auto yi = std::find(ys.begin(), ys.end(), h.y[i]) - ys.begin();
    const double level = hi > lo ? (h.cells[i] - lo) / (hi - lo) : 0.5;
    const double t = h.direction == engine::Direction::lower_is_better ? 1 - level : level;
    // From pale yellow (worse, or low) to dark blue (better, or high).
    const int r = int(255 * (1 - t) + 8 * t), g = int(247 * (1 - t) + 48 * t),
              b = int(188 * (1 - t) + 107 * t);
    const std::string interval =
        i < h.low.size() ? fmt::format("[{}, {}]", number(h.low[i]), number(h.high[i])) : "";
    const double cx = left + (xi + 0.5) * cell_w, cy = top + (ys.size() - 1 - yi + 0.5) * cell_h;
    body += fmt::format(
        "<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='rgb({},{},{})'>"
        "<title>{} = {} {}</title></rect>",
        left + xi * cell_w, top + (ys.size() - 1 - yi) * cell_h, cell_w, cell_h, r, g, b,
        html_escape(h.title), number(h.cells[i]), interval);
    // The value, and its interval when the cell has room, in a colour that reads on it.
    const char* ink = t > 0.55 ? "#fff" : "#222";
    body += fmt::format(
        "<text x='{:.1f}' y='{:.1f}' class='tick' style='fill:{}' "
        "text-anchor='middle'>{}</text>",
        cx, cy + (interval.empty() || cell_h < 28 ? 3 : -2), ink, number(h.cells[i]));
    if (!interval.empty() && cell_h >= 28 && cell_w >= 80) {
      body += fmt::format(
          "<text x='{:.1f}' y='{:.1f}' style='font-size:8px;fill:{}' "
          "text-anchor='middle'>{}</text>",
          cx, cy + 9, ink, interval);
    }
  }
  for (std::size_t i = 0; i < xs.size(); ++i) {
    body += fmt::format("<text x='{:.1f}' y='{:.1f}' class='tick' text-anchor='middle'>{}</text>",
                        left + (i + 0.5) * cell_w, top + 214,
                        i < h.x_names.size() ? html_escape(h.x_names[i]) : number(xs[i]));
  }
  for (std::size_t i = 0; i < ys.size(); ++i) {
    body += fmt::format("<text x='{:.1f}' y='{:.1f}' class='tick' text-anchor='end'>{}</text>",
                        left - 4, top + (ys.size() - 1 - i + 0.5) * cell_h + 3,
                        i < h.y_names.size() ? html_escape(h.y_names[i]) : number(ys[i]));
  }
  body += fmt::format("<text x='{}' y='258' class='tick' text-anchor='middle'>{}</text>",
                      left + 220, html_escape(words(h.x_label)));
  body += fmt::format(
      "<text x='10' y='{}' class='tick' transform='rotate(-90 10 {})' "
      "text-anchor='middle'>{}</text>",
      top + 100, top + 100, html_escape(words(h.y_label)));
  // The legend: the colour scale from pale to dark, with what each end is.
  const bool verdict = h.direction != engine::Direction::no_verdict;
  const bool lower = h.direction == engine::Direction::lower_is_better;
  const double bar = left + 170;
  for (int k = 0; k < 10; ++k) {
    const double t = (k + 0.5) / 10;
    body += fmt::format("<rect x='{:.1f}' y='266' width='10' height='9' fill='rgb({},{},{})'/>",
                        bar + 10 * k, int(255 * (1 - t) + 8 * t), int(247 * (1 - t) + 48 * t),
                        int(188 * (1 - t) + 107 * t));
  }
  const std::string pale = verdict ? fmt::format("worse ({})", number(lower ? hi : lo))
                                   : fmt::format("low ({})", number(lo));
  const std::string dark = verdict ? fmt::format("better ({})", number(lower ? lo : hi))
                                   : fmt::format("high ({})", number(hi));
  body += fmt::format(
      "<text x='{:.1f}' y='274' class='tick' text-anchor='end'>{}</text>"
      "<text x='{:.1f}' y='274' class='tick'>{}</text>",
      bar - 3, html_escape(pale), bar + 103, html_escape(dark));
  return fmt::format("<svg xmlns='http://www.w3.org/2000/svg' width='530' height='284'>{}</svg>",
                     body);
}

}  // namespace buzz::report::svg
