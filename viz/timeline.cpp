// The timeline under the panes: the model's headline columns for each run, with marks
// where a live control changed something.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "viz/app.hpp"

namespace buzz::viz {

namespace {

// A number for an axis: no exponent for counts, three figures for shares.
std::string axis_number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e7) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

// A small line chart of one timeline column for each run, with change marks, a value
// scale (its lowest and highest value) and a time axis (days for the campaign, ticks
// otherwise). `hours_per_row` is 0 for ticks.
void timeline_plot(const char* title,
                   const std::vector<const std::vector<std::vector<double>>*>& rows,
                   const std::vector<int>& column, const std::vector<std::uint32_t>& marks,
                   ImVec2 size, double hours_per_row) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted(title);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  constexpr float kAxis = 14;  // room under the chart for the time labels
  const ImVec2 plot(size.x, size.y - kAxis);
  draw->AddRectFilled(p, ImVec2(p.x + plot.x, p.y + plot.y), IM_COL32(28, 30, 36, 255));
  const ImU32 label = IM_COL32(170, 170, 170, 255);
  double lo = 0, hi = 0;
  bool any = false;
  std::size_t longest = 2;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (column[r] < 0) continue;
    for (const auto& row : *rows[r]) {
      lo = any ? std::min(lo, row[column[r]]) : row[column[r]];
      hi = any ? std::max(hi, row[column[r]]) : row[column[r]];
      any = true;
    }
    longest = std::max(longest, rows[r]->size());
  }
  lo = std::min(lo, 0.0);
  const double span = hi > lo ? hi - lo : 1;  // a flat series sits on the floor
  for (auto m : marks) {
    const float x = p.x + plot.x * float(m) / float(longest - 1);
    draw->AddLine(ImVec2(x, p.y), ImVec2(x, p.y + plot.y), IM_COL32(200, 200, 200, 90));
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (column[r] < 0 || rows[r]->size() < 2) continue;
    std::vector<ImVec2> line;
    const std::size_t n = rows[r]->size(), stride = std::max<std::size_t>(1, n / 400);
    for (std::size_t i = 0; i < n; i += stride) {
      const double v = (*rows[r])[i][column[r]];
      line.emplace_back(p.x + plot.x * float(i) / float(longest - 1),
                        p.y + plot.y - plot.y * float((v - lo) / span));
    }
    draw->AddPolyline(line.data(), int(line.size()), kRunColours[r], 0, 1.5f);
  }
  if (any) {
    draw->AddText(ImVec2(p.x + 3, p.y + 1), label, axis_number(hi).c_str());
    draw->AddText(ImVec2(p.x + 3, p.y + plot.y - 14), label, axis_number(lo).c_str());
  } else {
    draw->AddText(ImVec2(p.x + 3, p.y + 1), label, "no data yet");
  }
  // Time ticks at the quarters of the rows so far.
  for (int q = 0; q <= 4; ++q) {
    const double row = double(longest - 1) * q / 4;
    const float x = p.x + plot.x * float(q) / 4;
    draw->AddLine(ImVec2(x, p.y + plot.y), ImVec2(x, p.y + plot.y + 3), label);
    // "day" once, at the origin: five "day 8.5"s overlap in a narrow plot.
    const std::string text =
        hours_per_row > 0 ? fmt::format("{}{}", q == 0 ? "day " : "",
                                        axis_number(std::round(row * hours_per_row / 2.4) / 10))
                          : fmt::format("{:.0f}", row);
    const float w = ImGui::CalcTextSize(text.c_str()).x;
    draw->AddText(ImVec2(std::clamp(x - w / 2, p.x, p.x + plot.x - w), p.y + plot.y + 2), label,
                  text.c_str());
  }
  ImGui::Dummy(size);
  ImGui::EndGroup();
}

int column_of(const std::vector<std::string>& columns, const std::string& name) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name || (columns[i].size() > name.size() &&
                               columns[i].compare(columns[i].size() - name.size() - 1,
                                                  std::string::npos, "." + name) == 0)) {
      return int(i);
    }
  }
  return -1;
}

}  // namespace

void App::timeline() {
  ImGui::SetNextWindowPos(ImVec2(0, area_h_));
  ImGui::SetNextWindowSize(ImVec2(area_w_, kTimelineHeight));
  ImGui::Begin("Timeline", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  timeline_rect_ = ImVec4(0, area_h_, area_w_, kTimelineHeight);
  std::vector<std::vector<std::vector<double>>> histories(runs_.size());
  std::vector<std::uint32_t> marks;
  for (std::size_t r = 0; r < runs_.size(); ++r) {
    std::vector<std::uint32_t> m;
    runs_[r]->timeline(histories[r], m);
    if (r == 0) marks = m;
  }
  std::vector<const std::vector<std::vector<double>>*> rows;
  for (const auto& h : histories) rows.push_back(&h);
  const std::vector<std::string>& wanted = runs_[0]->headline_columns();
  const float plot_w = (area_w_ - 40) / 4 - 8;
  for (std::size_t k = 0; k < wanted.size() && k < 8; ++k) {
    std::vector<int> cols;
    for (auto& r : runs_) cols.push_back(column_of(r->columns(), wanted[k]));
    if (k % 4) ImGui::SameLine();
    timeline_plot(wanted[k].c_str(), rows, cols, marks, ImVec2(plot_w, 89),
                  runs_[0]->display().clock ? runs_[0]->config().tick_hours : 0);
  }
  ImGui::End();
}

}  // namespace buzz::viz
