// The timeline under the panes: the model's headline columns for each run, with marks
// where a live control changed something.
#include <fmt/format.h>

#include <algorithm>

#include "viz/app.hpp"

namespace buzz::viz {

namespace {

// A small line chart of one timeline column for each run, with change marks.
void timeline_plot(const char* title,
                   const std::vector<const std::vector<std::vector<double>>*>& rows,
                   const std::vector<int>& column, const std::vector<std::uint32_t>& marks,
                   ImVec2 size) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted(title);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  draw->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), IM_COL32(28, 30, 36, 255));
  double lo = 0, hi = 1e-9;
  std::size_t longest = 2;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (column[r] < 0) continue;
    for (const auto& row : *rows[r])
      lo = std::min(lo, row[column[r]]), hi = std::max(hi, row[column[r]]);
    longest = std::max(longest, rows[r]->size());
  }
  for (auto m : marks) {
    const float x = p.x + size.x * float(m) / float(longest - 1);
    draw->AddLine(ImVec2(x, p.y), ImVec2(x, p.y + size.y), IM_COL32(200, 200, 200, 90));
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (column[r] < 0 || rows[r]->size() < 2) continue;
    std::vector<ImVec2> line;
    const std::size_t n = rows[r]->size(), stride = std::max<std::size_t>(1, n / 400);
    for (std::size_t i = 0; i < n; i += stride) {
      const double v = (*rows[r])[i][column[r]];
      line.emplace_back(p.x + size.x * float(i) / float(longest - 1),
                        p.y + size.y - size.y * float((v - lo) / (hi - lo)));
    }
    draw->AddPolyline(line.data(), int(line.size()), kRunColours[r], 0, 1.5f);
  }
  draw->AddText(ImVec2(p.x + 3, p.y + 1), IM_COL32(170, 170, 170, 255),
                fmt::format("{:.3g}", hi).c_str());
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
    timeline_plot(wanted[k].c_str(), rows, cols, marks, ImVec2(plot_w, 75));
  }
  ImGui::End();
}

}  // namespace buzz::viz
