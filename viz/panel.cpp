// The panel beside the panes: run controls, the model's live controls and events, the
// legend and the inspector.
#include <fmt/format.h>

#include "viz/app.hpp"

namespace buzz::viz {

void App::panel(int fb_h) {
  ImGui::SetNextWindowPos(ImVec2(area_w_, 0));
  ImGui::SetNextWindowSize(ImVec2(kPanelWidth, float(fb_h)));
  ImGui::Begin("buzzview", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  ImGui::Text("%u agents, %llu ties, %u %s", graph_.num_nodes(),
              static_cast<unsigned long long>(graph_.num_edges()), graph_.num_communities(),
              graph_.num_communities() == 1 ? "community" : "communities");
  if (ImGui::Button(runs_[0]->playing() ? "Pause" : "Play")) {
    const bool play = !runs_[0]->playing();
    for_runs([&](LiveRun& r) { r.set_playing(play); });
  }
  ImGui::SameLine();
  if (ImGui::Button("Step")) for_runs([](LiveRun& r) { r.step_once(); });
  ImGui::SameLine();
  if (ImGui::Button("Restart")) for_runs([](LiveRun& r) { r.restart(); });
  ImGui::SameLine();
  if (ImGui::Button("New seed")) {
    const auto seed = runs_[0]->seed() + 1;
    for_runs([&](LiveRun& r) { r.restart(seed); });
  }
  if (ImGui::SliderFloat("ticks/s", &speed_, 1, 2000, "%.0f", ImGuiSliderFlags_Logarithmic)) {
    for_runs([&](LiveRun& r) { r.set_speed(speed_); });
  }
  // Frames come first: above what the frame rate leaves room for, the run goes slower.
  // A run at its horizon or paused says so instead of "0 ticks/s".
  const std::uint32_t tick = panes_[0].snapshot.tick;
  const auto seed = static_cast<unsigned long long>(runs_[0]->seed());
  if (tick >= runs_[0]->config().ticks) {
    ImGui::TextWrapped("seed %llu, finished at tick %u (Restart or New seed to run again)", seed,
                       tick);
  } else if (!runs_[0]->playing()) {
    ImGui::TextWrapped("seed %llu, paused at tick %u", seed, tick);
  } else if (shown_fps_ == 0) {  // the rates are measured over the first second
    ImGui::TextWrapped("seed %llu, tick %u", seed, tick);
  } else {
    ImGui::TextWrapped("seed %llu, %.0f ticks/s at %.0f frames/s", seed, shown_tps_, shown_fps_);
  }
  if (graph_.num_edges() > kMaxTies) {
    ImGui::TextDisabled("Ties not drawn: more than %llu",
                        static_cast<unsigned long long>(kMaxTies));
  } else if (!ties_.empty()) {
    ImGui::Checkbox("Show ties (T)", &show_ties_);
  }
  ImGui::Separator();
  controls();
  legend();
  ImGui::Separator();
  inspector();
  ImGui::Separator();
  ImGui::TextWrapped(
      "Keys: Space play/pause, S or Right step, R restart, N new seed, T ties, %sEsc clear "
      "selection. "
      "Wheel zooms, drag pans.",
      triggers_.empty() ? "" : fmt::format("C {} now, ", triggers_[0].name).c_str());
  ImGui::End();
}

void App::controls() {
  const auto controls = runs_[0]->controls();
  if (controls.empty() && triggers_.empty()) return;
  ImGui::TextUnformatted("Live controls (first scenario)");
  for (const auto& c : controls) {
    float value = float(c.value);
    int choice = int(c.value);
    bool changed = false;
    // The name on its own line and the widget the panel's width below it, so that no
    // name is cut ("reply_probability", not "reply_probabilit").
    ImGui::TextUnformatted(c.name.c_str());
    ImGui::PushItemWidth(-1);
    const std::string id = "##" + c.name;
    if (!c.choices.empty()) {
      std::vector<const char*> items;
      for (const auto& x : c.choices) items.push_back(x.c_str());
      changed = ImGui::Combo(id.c_str(), &choice, items.data(), int(items.size()));
      value = float(choice);
    } else {
      changed = ImGui::SliderFloat(id.c_str(), &value, float(c.min), float(c.max), "%.2f",
                                   c.logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
    }
    ImGui::PopItemWidth();
    if (changed) runs_[0]->set_control(c.name, value);
  }
  for (std::size_t t = 0; t < triggers_.size(); ++t) {
    ImGui::SliderFloat((triggers_[t].name + " size").c_str(), &trigger_sizes_[t],
                       float(triggers_[t].min), float(triggers_[t].max), "%.3f");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", triggers_[t].size_label.c_str());
    if (ImGui::Button((triggers_[t].name + " now").c_str())) {
      for_runs([&](LiveRun& r) { r.trigger(triggers_[t].name, trigger_sizes_[t]); });
    }
  }
  ImGui::Separator();
}

void App::legend() {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::TextUnformatted("Legend");
  const auto names = runs_[0]->state_names();
  if (names.empty()) ImGui::TextUnformatted("(this model reports no states per agent)");
  for (std::size_t s = 0; s < names.size(); ++s) {
    const std::uint32_t c = panes_[0].colours[s % panes_[0].colours.size()];
    ImGui::ColorButton(names[s].c_str(), ImGui::ColorConvertU32ToFloat4(c),
                       ImGuiColorEditFlags_NoTooltip, ImVec2(14, 14));
    ImGui::SameLine();
    ImGui::TextUnformatted(names[s].c_str());
  }
  const auto line = [](ImVec4 colour, const char* mark, const char* text) {
    ImGui::TextColored(colour, "%s", mark);
    ImGui::SameLine();
    ImGui::TextUnformatted(text);
  };
  if (runs_[0]->display().messages) {  // shares, complaints and posts
    line(ImGui::ColorConvertU32ToFloat4(kShare), "--", "share to friends (fades)");
    line(ImGui::ColorConvertU32ToFloat4(kComplaint), "--", "complaint to friends (fades)");
    line(ImVec4(1, 1, 1, 1), "o ", "brand post pulses on followers");
    line(ImGui::ColorConvertU32ToFloat4(kSelection), "--", "share tree of the selected agent");
  }
  const ImVec2 end = ImGui::GetCursorScreenPos();
  legend_rect_ = ImVec4(at.x, at.y, kPanelWidth - 16, end.y - at.y);
}

void App::inspector() {
  const auto inspect = hovered_ ? hovered_ : selected_;
  if (!inspect) {
    ImGui::TextWrapped(runs_[0]->display().messages
                           ? "Hover an agent to inspect it; click to select it and show its "
                             "share tree."
                           : "Hover an agent to inspect it; click to select it.");
    return;
  }
  const graph::Vertex v = *inspect;
  if (graph_.named()) {
    ImGui::Text("%s agent %u, %s", hovered_ ? "Hovered" : "Selected", v, graph_.name(v).c_str());
  } else {
    ImGui::Text("%s agent %u", hovered_ ? "Hovered" : "Selected", v);
  }
  ImGui::Text("community %u, degree %u", graph_.community(v), graph_.out_degree(v));
  std::string about = panes_[0].run->describe(v);
  const auto names = runs_[0]->state_names();
  const auto& states = panes_[0].snapshot.states;
  if (about.empty() && v < states.size() && states[v] < names.size()) {
    about = "state " + names[states[v]];  // from the snapshot, for any model
  }
  ImGui::TextWrapped("%s", about.c_str());
  if (selected_ && runs_[0]->display().messages) {
    ImGui::Text("share tree: %zu ties (purple)", tree_.size());
  }
}

}  // namespace buzz::viz
