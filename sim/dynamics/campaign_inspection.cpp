// Live control and inspection of a campaign run, for a viewer or a notebook between ticks.
#include <fmt/format.h>

#include <algorithm>

#include "sim/dynamics/campaign.hpp"
#include "sim/dynamics/campaign_detail.hpp"
#include "sim/dynamics/schedule.hpp"

namespace buzz::dynamics {

using graph::Vertex;
using namespace campaign_detail;

void Campaign::set_brand(std::uint32_t b, const Brand& brand) {
  const Brand before = params_.brands[b];
  params_.brands[b] = brand;
  if (!before.calendar.empty() && brand.posts_per_week == before.posts_per_week &&
      brand.regularity == before.regularity) {
    // A calendar keeps its dates: the posts still to come take the content that changed
    // (each keeps the rest of its calendar entry: format, category, paid).
    for (std::size_t k = 0; k < post_ticks_[b].size(); ++k) {
      if (post_ticks_[b][k] <= tick_) continue;
      PostContent& c = root_content_[post_ids_[b][k]];
      if (brand.tone != before.tone) c.tone = brand.tone;
      if (brand.value != before.value) c.value = brand.value;
      if (brand.commerciality != before.commerciality) c.commerciality = brand.commerciality;
      if (brand.novelty != before.novelty) c.novelty = brand.novelty;
    }
    return;
  }
  // Posts up to now stand; from the next tick on the new schedule applies, drawn from the
  // new settings (a changed posting rate or regularity replaces a calendar for the rest
  // of the run).
  params_.brands[b].calendar.clear();
  Brand from_now = brand;
  from_now.start_tick = std::max(brand.start_tick, tick_ + 1);
  from_now.calendar.clear();
  auto& ticks = post_ticks_[b];
  auto& ids = post_ids_[b];
  const auto kept = std::upper_bound(ticks.begin(), ticks.end(), tick_) - ticks.begin();
  ticks.resize(static_cast<std::size_t>(kept));
  ids.resize(static_cast<std::size_t>(kept));
  // A stream of its own for the new schedule, so that it does not repeat the old draws,
  // derived from the run's: another seed gives another schedule.
  const engine::Random random =
      start_random_.derived(std::uint64_t{tick_} << 32 | root_brand_.size());
  for (std::uint32_t t : post_ticks(from_now, b, params_.tick_hours, random)) {
    ticks.push_back(t);
    ids.push_back(add_root(b, RootKind::post, brand.content()));
  }
  rank_posts(b);
}

std::vector<std::pair<std::uint32_t, PostContent>> Campaign::posts(std::uint32_t b) const {
  std::vector<std::pair<std::uint32_t, PostContent>> out;
  for (std::size_t k = 0; k < post_ticks_[b].size(); ++k) {
    out.emplace_back(post_ticks_[b][k], root_content_[post_ids_[b][k]]);
  }
  return out;
}

void Campaign::trigger_event(std::uint32_t b, EventKind kind, double share) {
  events_.push_back({b, BrandEvent{kind, tick_ + 1, share},
                     add_root(b, kind == EventKind::crisis ? RootKind::crisis : RootKind::praise,
                              params_.brands[b].content())});
}

namespace {
const char* const kRegularities[] = {"regular", "jittered", "bursty", "sporadic"};
}  // namespace

std::vector<engine::Control> Campaign::controls() const {
  const Brand& b = params_.brands[0];
  return {
      {"tone", 0, 1, b.tone, false, {}},
      {"posts_per_week", 0.1, 168, b.posts_per_week, true, {}},
      {"regularity", 0, 3, double(b.regularity), false,
       std::vector<std::string>(std::begin(kRegularities), std::end(kRegularities))},
      {"commerciality", 0, 1, b.commerciality, false, {}},
      {"value", 0, 1, b.value, false, {}},
      {"reply_probability", 0, 1, b.reply_probability, false, {}},
  };
}

void Campaign::set_control(std::string_view name, double value) {
  Brand b = params_.brands[0];
  if (name == "tone") {
    b.tone = std::clamp(value, 0.0, 1.0);
  } else if (name == "posts_per_week") {
    b.posts_per_week = std::clamp(value, 0.1, 168.0);
  } else if (name == "regularity") {
    b.regularity = static_cast<Regularity>(std::clamp(int(std::lround(value)), 0, 3));
  } else if (name == "commerciality") {
    b.commerciality = std::clamp(value, 0.0, 1.0);
  } else if (name == "value") {
    b.value = std::clamp(value, 0.0, 1.0);
  } else if (name == "reply_probability") {
    b.reply_probability = std::clamp(value, 0.0, 1.0);
  } else {
    return;
  }
  // Applied once at the start of the next tick, however many settings changed.
  staged_brand_ = b;
}

std::vector<engine::Trigger> Campaign::triggers() const {
  return {{"crisis", "share of customers hit", 0.005, 0.5, 0.05},
          {"praise", "share of customers delighted", 0.005, 0.5, 0.05}};
}

void Campaign::trigger(std::string_view name, double share) {
  if (name == "crisis") trigger_event(0, EventKind::crisis, share);
  if (name == "praise") trigger_event(0, EventKind::praise, share);
}

std::vector<std::uint32_t> Campaign::reached_from_outside() const {
  std::vector<std::uint32_t> out;
  if (tick_ == 0 || !std::binary_search(post_ticks_[0].begin(), post_ticks_[0].end(), tick_)) {
    return out;
  }
  for (Vertex v = 0; v < graph_.num_nodes(); ++v) {
    if (rel(v, 0).flags & kFollows) out.push_back(v);
  }
  return out;
}

std::vector<std::string> Campaign::state_names() const {
  return {"unaware", "aware", "engaged", "advocate", "annoyed", "detractor"};
}

engine::Display Campaign::display() const {
  using engine::StateRole;
  return {{StateRole::untouched, StateRole::informed, StateRole::engaged, StateRole::champion,
           StateRole::irritated, StateRole::opposed},
          true,
          true};
}

void Campaign::agent_states(std::span<std::uint8_t> out) const {
  for (Vertex v = 0; v < graph_.num_nodes(); ++v)
    out[v] = static_cast<std::uint8_t>(rel(v, 0).state);
}

std::vector<std::pair<std::uint32_t, std::uint8_t>> Campaign::recent_senders() const {
  return last_outgoing_;
}

std::string Campaign::describe(std::uint32_t v) const {
  const Relation& r = rel(v, 0);
  const double awareness = awareness_at(r, tick_);
  const auto heard = people_.head(v).heard_from;
  return fmt::format(
      "state {}, sentiment {:+.2f}, awareness {:.2f}, fatigue {:.2f}, {}following, "
      "{} engagements; last heard from {}",
      state_names()[static_cast<std::size_t>(r.state)], r.sentiment, awareness, r.fatigue,
      (r.flags & kFollows) ? "" : "not ", r.engagements,
      heard == kNone ? std::string("no friend yet") : fmt::format("person {}", heard));
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> Campaign::spread_tree(std::uint32_t v) const {
  std::uint32_t root = kNone;
  for (auto it = shares_.rbegin(); it != shares_.rend() && root == kNone; ++it) {
    if (it->sharer == v) root = it->root;
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ties;
  if (root == kNone) return ties;
  for (const ShareRecord& s : shares_) {
    if (s.root == root) ties.emplace_back(s.parent, s.sharer);
  }
  return ties;
}

}  // namespace buzz::dynamics
