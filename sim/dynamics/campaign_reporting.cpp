// The campaign model's reporters: their declaration, the per-tick observation, the
// per-run metrics and the further tables (docs/campaign.md, "Outputs").
#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>

#include <oneapi/tbb/enumerable_thread_specific.h>

#include "sim/dynamics/campaign.hpp"
#include "sim/dynamics/campaign_detail.hpp"
#include "sim/dynamics/cascades.hpp"
#include "sim/engine/kernels.hpp"

namespace buzz::dynamics {

const std::vector<std::string>& Campaign::post_count_columns() {
  static const std::vector<std::string> columns{
      "reach",        "follower_reach", "paid_reach", "engaged",      "shares",
      "earned_reach", "total_reach",    "comments",   "interactions", "non_follower_reach"};
  return columns;
}

const std::vector<std::string>& Campaign::post_direct_columns() {
  static const std::vector<std::string> columns{"reach", "follower_reach", "paid_reach"};
  return columns;
}

const std::vector<std::string>& Campaign::post_value_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> out{"followers"};
    out.insert(out.end(), post_count_columns().begin(), post_count_columns().end());
    return out;
  }();
  return columns;
}

const std::vector<std::string>& Campaign::post_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> out{"brand", "post", "tick", "day"};
    out.insert(out.end(), post_value_columns().begin(), post_value_columns().end());
    return out;
  }();
  return columns;
}

using graph::Vertex;
using namespace campaign_detail;

double Campaign::BrandTotals::follower_awareness() const {
  return stock[kFollowers] > 0 ? stock[kFollowerAwarenessSum] / kFixedPoint / stock[kFollowers] : 0;
}

const std::vector<Campaign::TickColumn>& Campaign::tick_columns() {
  using engine::Direction, engine::Measure;
  using T = BrandTotals;
  static const std::vector<TickColumn> columns{
      {engine::headline({"aware", "people", Measure::stock, Direction::higher_is_better,
                         "people whose awareness is at or above the aware threshold"}),
       [](const T& t) { return t.stock[kAware]; }},
      {engine::headline({"engaged", "people", Measure::stock, Direction::higher_is_better,
                         "people in the engaged state"}),
       [](const T& t) { return t.stock[kEngaged]; }},
      {engine::headline({"advocates", "people", Measure::stock, Direction::higher_is_better,
                         "people in the advocate state"}),
       [](const T& t) { return t.stock[kAdvocates]; }},
      {engine::headline({"detractors", "people", Measure::stock, Direction::lower_is_better,
                         "people in the detractor state"}),
       [](const T& t) { return t.stock[kDetractors]; }},
      {engine::headline({"followers", "people", Measure::stock, Direction::higher_is_better,
                         "people following the brand"}),
       [](const T& t) { return t.stock[kFollowers]; }},
      {{"unfollows", "people", Measure::flow, Direction::lower_is_better,
        "people who stopped following since the previous record"},
       [](const T& t) { return t.flow[kUnfollows]; }},
      {{"follows", "people", Measure::flow, Direction::higher_is_better,
        "people who started following since the previous record"},
       [](const T& t) { return t.flow[kFollows_]; }},
      {engine::headline(
           {"mean_sentiment", "sentiment in [-1, 1]", Measure::stock, Direction::higher_is_better,
            "mean sentiment of everyone who ever heard of the brand, complaints included", true}),
       [](const T& t) {
         return t.stock[kEverAwareCount] > 0
                    ? t.stock[kSentimentSum] / kFixedPoint / t.stock[kEverAwareCount]
                    : 0;
       }},
      {{"follower_awareness", "awareness in [0, 1]", Measure::stock, Direction::higher_is_better,
        "mean awareness of the current followers"},
       [](const T& t) { return t.follower_awareness(); }},
      {engine::headline({"owned_impressions", "impressions", Measure::flow,
                         Direction::higher_is_better, "the brand's posts read by followers"}),
       [](const T& t) { return t.flow[kOwned]; }},
      {engine::headline(
           {"earned_impressions", "impressions", Measure::flow, Direction::higher_is_better,
            "friends' shares and the brand's answers to friends, read (complaints apart)"}),
       [](const T& t) { return t.flow[kEarned]; }},
      {{"paid_impressions", "impressions", Measure::flow, Direction::no_verdict,
        "posts read as ads by non-followers"},
       [](const T& t) { return t.flow[kPaid]; }},
      {{"negative_impressions", "impressions", Measure::flow, Direction::lower_is_better,
        "complaints read"},
       [](const T& t) { return t.flow[kNegative]; }},
      {{"engagements", "engagements", Measure::flow, Direction::higher_is_better,
        "likes, comments and shares"},
       [](const T& t) { return t.flow[kEngagements]; }},
      {{"shares", "shares", Measure::flow, Direction::higher_is_better,
        "items passed on to friends"},
       [](const T& t) { return t.flow[kShares]; }},
      {{"complaints", "complaints", Measure::flow, Direction::lower_is_better,
        "complaints put out"},
       [](const T& t) { return t.flow[kComplaints]; }},
      {{"share_of_voice", "share", Measure::flow, Direction::higher_is_better,
        "the brand's share of all brands' impressions since the previous record"},
       nullptr},
  };
  return columns;
}

const engine::Reporters& Campaign::brand_tick_reporters() {
  static const engine::Reporters reporters = engine::reporters_of(tick_columns());
  return reporters;
}

// Final per-person figures, per brand, and per community.
struct Campaign::FinalCounts {
  struct Brand {
    std::uint64_t exposed = 0, aware = 0, ever_aware = 0, positive = 0, negative = 0;
    std::uint64_t heard_negative = 0, heard_praise = 0, followers = 0, detractors = 0;
    std::int64_t sentiment = 0;
  };
  std::vector<Brand> brand;
  std::vector<std::uint64_t> population;
  std::vector<std::uint64_t> engaged_by_community, followers_by_community;  // [b * communities + c]
};

// The share trees' shapes: positive trees (a post or a praise event at the root) apart from
// complaint trees, per brand, and the cascades table of every tree.
struct Campaign::CascadeTotals {
  struct Stats {
    double count = 0, size_sum = 0, max_size = 0, max_depth = 0, virality_sum = 0;
  };
  std::vector<Stats> positive, complaint;
  engine::Table table{
      "cascades", {"brand", "root", "kind", "size", "depth", "structural_virality"}, {}};
};

// What a brand's run metrics are computed from: its flows over the run, its people at the
// end, its share trees and what the records kept.
struct Campaign::BrandRun {
  const std::uint64_t* flow;  // total_flows_ of the brand
  const FinalCounts::Brand& end;
  const CascadeTotals::Stats& trees;
  const CascadeTotals::Stats& complaint_trees;
  double population, days, impressions, all_impressions;
  double peak_aware, peak_aware_days, peak_detractors, mean_follower_awareness;

  double count(Flow f) const { return double(flow[f]); }
};

const std::vector<Campaign::RunColumn>& Campaign::run_columns() {
  using engine::Direction, engine::Measure, engine::headline;
  using R = BrandRun;
  static const std::vector<RunColumn> columns{
      {headline({"reach", "share per day", Measure::flow, Direction::higher_is_better,
                 "mean daily reach: share of the population with an impression of the brand on a "
                 "day (posts, ads, friends' shares and answers; complaints apart), averaged over "
                 "the days"}),
       [](const R& r) { return r.count(kReached) / (r.population * std::max(r.days, 1.0)); }},
      {{"unique_reach", "share", Measure::stock, Direction::higher_is_better,
        "share of the population with at least one impression (complaints apart)"},
       [](const R& r) { return double(r.end.exposed) / r.population; }},
      {{"final_aware_share", "share", Measure::stock, Direction::higher_is_better,
        "share of the population aware of the brand at the end (complaints do not make aware)"},
       [](const R& r) { return double(r.end.aware) / r.population; }},
      {{"peak_aware_share", "share", Measure::stock, Direction::higher_is_better,
        "highest aware share over the recorded ticks"},
       [](const R& r) { return r.peak_aware; }},
      {{"time_to_peak_days", "days", Measure::stock, Direction::no_verdict,
        "when the aware share peaked"},
       [](const R& r) { return r.peak_aware_days; }},
      {headline({"engagement_rate", "engagements per impression", Measure::flow,
                 Direction::higher_is_better,
                 "engagements per impression of something one can engage with: posts, ads and "
                 "friends' shares and likes, not the brand's answers (which would make answering "
                 "look worse)"}),
       [](const R& r) {
         const double answers = r.count(kReplyImpressions);
         return r.impressions > answers ? r.count(kEngagements) / (r.impressions - answers) : 0;
       }},
      {headline({"earned_owned_ratio", "impressions per impression", Measure::flow,
                 Direction::higher_is_better, "earned impressions per owned impression"}),
       [](const R& r) { return r.count(kEarned) / std::max(r.count(kOwned), 1.0); }},
      {headline({"mean_sentiment", "sentiment in [-1, 1]", Measure::stock,
                 Direction::higher_is_better,
                 "mean sentiment at the end over everyone who ever heard of the brand", true}),
       [](const R& r) {
         return r.end.ever_aware > 0 ? r.end.sentiment / kFixedPoint / double(r.end.ever_aware) : 0;
       }},
      {{"net_sentiment", "share", Measure::stock, Direction::higher_is_better,
        "share of those with sentiment above net_sentiment_cutoff minus the share below its "
        "negative",
        true},
       [](const R& r) {
         return r.end.ever_aware > 0
                    ? (double(r.end.positive) - double(r.end.negative)) / double(r.end.ever_aware)
                    : 0;
       }},
      {headline({"followers", "people", Measure::stock, Direction::higher_is_better,
                 "followers at the end"}),
       [](const R& r) { return double(r.end.followers); }},
      {headline({"unfollows", "people", Measure::flow, Direction::lower_is_better,
                 "unfollows over the run"}),
       [](const R& r) { return r.count(kUnfollows); }},
      {{"detractors", "people", Measure::stock, Direction::lower_is_better,
        "detractors at the end"},
       [](const R& r) { return double(r.end.detractors); }},
      {headline({"peak_detractors", "people", Measure::stock, Direction::lower_is_better,
                 "most detractors at a recorded tick"}),
       [](const R& r) { return r.peak_detractors; }},
      {{"negative_reach", "share", Measure::stock, Direction::lower_is_better,
        "share of the population who read a complaint"},
       [](const R& r) { return double(r.end.heard_negative) / r.population; }},
      {{"praise_reach", "share", Measure::stock, Direction::higher_is_better,
        "share of the population who read a shared praise event"},
       [](const R& r) { return double(r.end.heard_praise) / r.population; }},
      {{"mean_follower_awareness", "awareness in [0, 1]", Measure::stock,
        Direction::higher_is_better, "mean over recorded ticks of the followers' mean awareness"},
       [](const R& r) { return r.mean_follower_awareness; }},
      {{"share_of_voice", "share", Measure::flow, Direction::higher_is_better,
        "the brand's share of all brands' impressions of the run"},
       [](const R& r) { return r.all_impressions > 0 ? r.impressions / r.all_impressions : 0; }},
      {{"cascades", "trees", Measure::stock, Direction::higher_is_better,
        "share trees (a post or praise at the root) with at least one share"},
       [](const R& r) { return r.trees.count; }},
      {{"mean_cascade_size", "people", Measure::stock, Direction::higher_is_better,
        "mean people per share tree, root excluded"},
       [](const R& r) { return r.trees.count > 0 ? r.trees.size_sum / r.trees.count : 0; }},
      {{"max_cascade_size", "people", Measure::stock, Direction::higher_is_better,
        "largest share tree"},
       [](const R& r) { return r.trees.max_size; }},
      {{"max_cascade_depth", "steps", Measure::stock, Direction::higher_is_better,
        "deepest share tree"},
       [](const R& r) { return r.trees.max_depth; }},
      {headline({"structural_virality", "steps", Measure::stock, Direction::higher_is_better,
                 "mean distance between two nodes of a share tree (Goel et al. 2016), averaged "
                 "over trees"}),
       [](const R& r) { return r.trees.count > 0 ? r.trees.virality_sum / r.trees.count : 0; }},
      {{"complaints", "complaints", Measure::flow, Direction::lower_is_better,
        "complaints put out over the run"},
       [](const R& r) { return r.count(kComplaints); }},
      {{"complaint_cascades", "trees", Measure::stock, Direction::lower_is_better,
        "complaint trees (a crisis at the root) with at least one complaint"},
       [](const R& r) { return r.complaint_trees.count; }},
      {{"max_complaint_cascade_size", "people", Measure::stock, Direction::lower_is_better,
        "people in the largest complaint tree"},
       [](const R& r) { return r.complaint_trees.max_size; }},
  };
  return columns;
}

const engine::Reporters& Campaign::brand_run_reporters() {
  static const engine::Reporters reporters = engine::reporters_of(run_columns());
  return reporters;
}

std::string Campaign::column(std::uint32_t b, const std::string& name) const {
  return brands_ == 1 ? name : params_.brands[b].name + "." + name;
}

engine::Reporters Campaign::per_brand(const engine::Reporters& reporters) const {
  engine::Reporters out;
  for (std::uint32_t b = 0; b < brands_; ++b) {
    for (engine::Reporter r : reporters) {
      r.name = column(b, r.name);
      out.push_back(std::move(r));
    }
  }
  return out;
}

engine::Reporters Campaign::tick_reporters() const { return per_brand(brand_tick_reporters()); }

engine::Reporters Campaign::run_reporters() const { return per_brand(brand_run_reporters()); }

std::vector<std::int64_t> Campaign::stocks(std::uint32_t tick) const {
  // Stocks per brand and community, as exact integers so that sums are thread-independent.
  const std::size_t stock_size = std::size_t{brands_} * communities_ * kStockCount;
  tbb::enumerable_thread_specific<std::vector<std::int64_t>> partial(
      std::vector<std::int64_t>(stock_size, 0));
  engine::for_each_agent(
      graph_.num_nodes(), [&]() -> auto& { return partial.local(); },
      [&](std::vector<std::int64_t>& st, Vertex v) {
        const std::uint32_t c = graph_.community(v);
        for (std::uint32_t b = 0; b < brands_; ++b) {
          const Relation& r = rel(v, b);
          std::int64_t* at = &st[(std::size_t{b} * communities_ + c) * kStockCount];
          const double awareness = awareness_at(r, tick);
          at[kAware] += awareness >= params_.audience.aware_threshold;
          at[kEngaged] += r.state == State::engaged;
          at[kAdvocates] += r.state == State::advocate;
          at[kDetractors] += r.state == State::detractor;
          if (r.flags & kFollows) {
            ++at[kFollowers];
            at[kFollowerAwarenessSum] += round_to_integer(awareness * kFixedPoint);
          }
          if (r.flags & kEverAware) {
            ++at[kEverAwareCount];
            at[kSentimentSum] += round_to_integer(r.sentiment * kFixedPoint);
          }
        }
      });
  std::vector<std::int64_t> stock(stock_size, 0);
  for (const auto& st : partial) {
    for (std::size_t i = 0; i < stock_size; ++i) stock[i] += st[i];
  }
  return stock;
}

std::vector<std::int64_t> Campaign::followers_stock() {
  // Every change of a follow is a follow or unfollow flow (this record's are in
  // interval_flows_ by now), so the count needs no pass over everyone.
  std::vector<std::int64_t> stock(std::size_t{brands_} * communities_ * kStockCount, 0);
  for (std::size_t bc = 0; bc < followers_now_.size(); ++bc) {
    const std::uint64_t* fl = &interval_flows_[bc * kFlowCount];
    followers_now_[bc] += std::int64_t(fl[kFollows_]) - std::int64_t(fl[kUnfollows]);
    stock[bc * kStockCount + kFollowers] = followers_now_[bc];
  }
  return stock;
}

void Campaign::record_brands(std::uint32_t tick, const std::vector<std::int64_t>& stock) {
  // Per-brand totals, then the row, column by column as declared.
  const double n = graph_.num_nodes();
  std::vector<double> impressions(brands_, 0);
  double all_impressions = 0;
  const auto& columns = tick_columns();
  const std::size_t width = columns.size();
  for (std::uint32_t b = 0; b < brands_; ++b) {
    BrandTotals t;
    auto& s = t.stock;
    auto& f = t.flow;
    for (std::uint32_t c = 0; c < communities_; ++c) {
      for (std::uint32_t k = 0; k < kStockCount; ++k) {
        s[k] += double(stock[(std::size_t{b} * communities_ + c) * kStockCount + k]);
      }
      for (std::uint32_t k = 0; k < kFlowCount; ++k) {
        f[k] += double(interval_flows_[(std::size_t{b} * communities_ + c) * kFlowCount + k]);
      }
    }
    impressions[b] = f[kOwned] + f[kEarned] + f[kPaid];
    all_impressions += impressions[b];
    double* row = &row_[b * width];
    for (std::size_t k = 0; k < width; ++k) row[k] = columns[k].value ? columns[k].value(t) : 0;
    for (std::uint32_t k = 0; k < kFlowCount; ++k) total_flows_[b * kFlowCount + k] += f[k];
    if (s[kAware] / n > peak_aware_[b]) {
      peak_aware_[b] = s[kAware] / n;
      peak_aware_tick_[b] = tick;
    }
    peak_detractors_[b] = std::max(peak_detractors_[b], s[kDetractors]);
    followers_by_record_[b].push_back(s[kFollowers]);
    follower_awareness_sum_[b] += t.follower_awareness();
  }
  // The column declared without a function: share of voice.
  for (std::size_t k = 0; k < width; ++k) {
    if (columns[k].value) continue;
    for (std::uint32_t b = 0; b < brands_; ++b) {
      row_[b * width + k] = all_impressions > 0 ? impressions[b] / all_impressions : 0;
    }
  }
  ++records_;
  record_ticks_.push_back(tick);
}

void Campaign::record_communities(std::uint32_t tick, const std::vector<std::int64_t>& stock) {
  for (std::uint32_t b = 0; b < brands_; ++b) {
    for (std::uint32_t c = 0; c < communities_; ++c) {
      const std::int64_t* st = &stock[(std::size_t{b} * communities_ + c) * kStockCount];
      const std::uint64_t* fl = &interval_flows_[(std::size_t{b} * communities_ + c) * kFlowCount];
      community_rows_.insert(
          community_rows_.end(),
          {double(tick), double(b), double(c), double(st[kAware]), double(st[kEngaged]),
           double(st[kAdvocates]), double(st[kDetractors]), double(st[kFollowers]),
           st[kEverAwareCount] > 0 ? st[kSentimentSum] / kFixedPoint / st[kEverAwareCount] : 0,
           double(fl[kOwned]), double(fl[kEarned]), double(fl[kPaid]), double(fl[kUnfollows])});
    }
  }
}

void Campaign::on_record(std::uint32_t tick) {
  // Flows stay in each thread's counters until a record needs them.
  for (Scratch& s : scratch_) {
    for (std::size_t i = 0; i < s.flows.size(); ++i) {
      interval_flows_[i] += s.flows[i];
      s.flows[i] = 0;
    }
  }

  const auto stock = params_.followers_only ? followers_stock() : stocks(tick);
  record_brands(tick, stock);
  if (params_.per_community) record_communities(tick, stock);
  std::fill(interval_flows_.begin(), interval_flows_.end(), 0);
}

void Campaign::observe(std::vector<double>& row) const {
  row.insert(row.end(), row_.begin(), row_.end());
}

Campaign::FinalCounts Campaign::final_counts() const {
  const Vertex n = graph_.num_nodes();
  FinalCounts out;
  out.brand.resize(brands_);
  out.population.assign(communities_, 0);
  out.engaged_by_community.assign(std::size_t{brands_} * communities_, 0);
  out.followers_by_community.assign(std::size_t{brands_} * communities_, 0);
  for (Vertex v = 0; v < n; ++v) {
    const std::uint32_t c = graph_.community(v);
    ++out.population[c];
    for (std::uint32_t b = 0; b < brands_; ++b) {
      const Relation& r = rel(v, b);
      auto& f = out.brand[b];
      const double awareness = awareness_at(r, tick_);
      f.exposed += (r.flags & kEverExposed) != 0;
      f.aware += awareness >= params_.audience.aware_threshold;
      f.heard_negative += (r.flags & kHeardNegative) != 0;
      f.heard_praise += (r.flags & kHeardPraise) != 0;
      f.followers += (r.flags & kFollows) != 0;
      f.detractors += r.state == State::detractor;
      out.engaged_by_community[std::size_t{b} * communities_ + c] += (r.flags & kEverEngaged) != 0;
      out.followers_by_community[std::size_t{b} * communities_ + c] += (r.flags & kFollows) != 0;
      if (r.flags & kEverAware) {
        ++f.ever_aware;
        f.sentiment += round_to_integer(r.sentiment * kFixedPoint);
        f.positive += r.sentiment > params_.audience.net_sentiment_cutoff;
        f.negative += r.sentiment < -params_.audience.net_sentiment_cutoff;
      }
    }
  }
  return out;
}

Campaign::CascadeTotals Campaign::cascade_totals() const {
  // Share trees, one per root, nodes in the order they joined.
  struct Tree {
    std::vector<std::uint32_t> parent{0};
    std::unordered_map<std::uint32_t, std::uint32_t> index;
  };
  std::vector<Tree> trees(root_brand_.size());
  for (const ShareRecord& s : shares_) {
    Tree& t = trees[s.root];
    if (t.index.count(s.sharer)) continue;
    const auto p = s.parent == kNone ? t.index.end() : t.index.find(s.parent);
    t.parent.push_back(p == t.index.end() ? 0 : p->second);
    t.index.emplace(s.sharer, static_cast<std::uint32_t>(t.parent.size() - 1));
  }
  CascadeTotals out;
  out.positive.resize(brands_);
  out.complaint.resize(brands_);
  for (std::uint32_t root = 0; root < trees.size(); ++root) {
    if (trees[root].parent.size() < 2) continue;
    const CascadeShape shape = cascade_shape(trees[root].parent);
    const std::uint32_t b = root_brand_[root];
    out.table.values.insert(out.table.values.end(),
                            {double(b), double(root), double(root_kind_[root]), double(shape.size),
                             double(shape.depth), shape.structural_virality});
    auto& c = root_kind_[root] == RootKind::crisis ? out.complaint[b] : out.positive[b];
    c.count += 1;
    c.size_sum += shape.size;
    c.max_size = std::max(c.max_size, double(shape.size));
    c.max_depth = std::max(c.max_depth, double(shape.depth));
    c.virality_sum += shape.structural_virality;
  }
  return out;
}

void Campaign::append_metrics(const FinalCounts& counts, const CascadeTotals& cascades,
                              std::vector<double>& metrics) const {
  const auto impressions = [&](std::uint32_t b) {
    const auto* t = &total_flows_[b * kFlowCount];
    return double(t[kOwned] + t[kEarned] + t[kPaid]);
  };
  double all_impressions = 0;
  for (std::uint32_t b = 0; b < brands_; ++b) all_impressions += impressions(b);
  for (std::uint32_t b = 0; b < brands_; ++b) {
    const BrandRun run{&total_flows_[b * kFlowCount],
                       counts.brand[b],
                       cascades.positive[b],
                       cascades.complaint[b],
                       double(graph_.num_nodes()),
                       params_.ticks / ticks_per_day_,
                       impressions(b),
                       all_impressions,
                       peak_aware_[b],
                       peak_aware_tick_[b] / ticks_per_day_,
                       peak_detractors_[b],
                       records_ > 0 ? follower_awareness_sum_[b] / records_ : 0};
    engine::append_values(run_columns(), run, metrics);
  }
}

engine::Table Campaign::community_summary(const FinalCounts& counts) const {
  engine::Table summary{"community_summary",
                        {"brand", "community", "population", "penetration", "follower_share"},
                        {}};
  for (std::uint32_t b = 0; b < brands_; ++b) {
    for (std::uint32_t c = 0; c < communities_; ++c) {
      const double pop = double(counts.population[c]);
      if (pop == 0) continue;
      summary.values.insert(
          summary.values.end(),
          {double(b), double(c), pop,
           double(counts.engaged_by_community[std::size_t{b} * communities_ + c]) / pop,
           double(counts.followers_by_community[std::size_t{b} * communities_ + c]) / pop});
    }
  }
  return summary;
}

void Campaign::finish(std::vector<double>& metrics) {
  const FinalCounts counts = final_counts();
  CascadeTotals cascades = cascade_totals();
  append_metrics(counts, cascades, metrics);
  tables_.push_back(std::move(cascades.table));
  tables_.push_back(posts_table(params_.ticks));
  tables_.push_back(community_summary(counts));
  if (params_.per_community) {
    tables_.push_back({"communities",
                       {"tick", "brand", "community", "aware", "engaged", "advocates", "detractors",
                        "followers", "mean_sentiment", "owned_impressions", "earned_impressions",
                        "paid_impressions", "unfollows"},
                       std::move(community_rows_)});
  }
  if (params_.share_log) {
    engine::Table log{"shares", {"tick", "brand", "sharer", "parent", "root", "kind"}, {}};
    for (const ShareRecord& s : shares_) {
      log.values.insert(log.values.end(), {double(s.tick), double(s.brand), double(s.sharer),
                                           s.parent == kNone ? -1.0 : double(s.parent),
                                           double(s.root), s.kind == Kind::complaint ? 1.0 : 0.0});
    }
    tables_.push_back(std::move(log));
  }
}

// Each post: who read it, followers and ads apart, who engaged and shared, how often
// friends' shares and stories of it were read, and the followers at the last record before
// it went out (to read reach as a share of them). Posts after `upto` are left out.
engine::Table Campaign::posts_table(std::uint32_t upto) const {
  std::vector<std::uint64_t> post_counts(root_brand_.size() * kPostCountKinds, 0);
  for (const Scratch& sc : scratch_) {
    for (std::size_t i = 0; i < sc.posts.size() && i < post_counts.size(); ++i) {
      post_counts[i] += sc.posts[i];
    }
  }
  engine::Table posts{"posts", post_columns(), {}};
  for (std::uint32_t b = 0; b < brands_; ++b) {
    for (std::size_t k = 0; k < post_ticks_[b].size() && post_ticks_[b][k] <= upto; ++k) {
      const std::uint32_t root = post_ids_[b][k], at = post_ticks_[b][k];
      const auto rec = std::upper_bound(record_ticks_.begin(), record_ticks_.end(), at);
      const double followers =
          rec == record_ticks_.begin()
              ? 0
              : followers_by_record_[b][std::size_t(rec - record_ticks_.begin()) - 1];
      const std::uint64_t* c = &post_counts[std::size_t{root} * kPostCountKinds];
      posts.values.insert(
          posts.values.end(),
          {double(b), double(root), double(at), at / ticks_per_day_, followers,
           double(c[kPostReach]), double(c[kPostFanReach]), double(c[kPostPaidReach]),
           double(c[kPostEngaged]), double(c[kPostShares]), double(c[kPostEarnedReach]),
           // As the platform's "total reach": followers, ads and friends' stories together.
           double(c[kPostReach] + c[kPostEarnedReach]), double(c[kPostComments]),
           // Likes (each engagement is one), comments and shares, as the platform counts them.
           double(c[kPostEngaged] + c[kPostComments] + c[kPostShares]),
           // Everyone reached but followers in their feeds: ads and friends' stories.
           double(c[kPostPaidReach] + c[kPostEarnedReach])});
    }
  }
  return posts;
}

std::vector<engine::Table> Campaign::tables_so_far() const {
  std::vector<engine::Table> out;
  out.push_back(posts_table(tick_));
  return out;
}

std::vector<engine::Table> Campaign::take_tables() { return std::move(tables_); }

}  // namespace buzz::dynamics
