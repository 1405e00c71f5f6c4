// From the scenario message to Config: each section converted and its rules checked.
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "sim/graph/edge_list.hpp"
#include "sim/scenario/detail.hpp"
#include "sim/scenario/scenario.hpp"

namespace buzz::scenario::detail {

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& p) {
  const std::filesystem::path path(p);
  return path.is_absolute() || base.empty() ? path : base / path;
}

namespace {

namespace proto = buzzsim;

// Copies the fields of a message into a plain struct by name, through reflection, for
// messages whose fields mostly carry over as they are. Every field of the message must be
// in the table or among `converted`, so a field added to the proto and forgotten here
// fails the first load instead of silently keeping its struct default.
template <typename Out>
struct FieldTable {
  std::vector<std::pair<const char*, double Out::*>> doubles;
  std::vector<std::pair<const char*, std::uint32_t Out::*>> uints;
  std::vector<std::pair<const char*, bool Out::*>> bools;
  std::vector<std::string_view> converted;  // handled by the caller

  void copy(const pb::Message& msg, Out& out) const {
    const pb::Descriptor* d = msg.GetDescriptor();
    const pb::Reflection* r = msg.GetReflection();
    const auto field = [&](const char* name, pb::FieldDescriptor::CppType type) {
      const pb::FieldDescriptor* f = d->FindFieldByName(name);
      if (f == nullptr || f->cpp_type() != type) {
        throw std::logic_error(
            fmt::format("{} has no field {} of the expected type", d->name(), name));
      }
      return f;
    };
    std::size_t named = converted.size();
    for (auto [name, member] : doubles)
      out.*member = r->GetDouble(msg, field(name, pb::FieldDescriptor::CPPTYPE_DOUBLE));
    for (auto [name, member] : uints)
      out.*member = r->GetUInt32(msg, field(name, pb::FieldDescriptor::CPPTYPE_UINT32));
    for (auto [name, member] : bools)
      out.*member = r->GetBool(msg, field(name, pb::FieldDescriptor::CPPTYPE_BOOL));
    named += doubles.size() + uints.size() + bools.size();
    if (named != std::size_t(d->field_count())) {
      throw std::logic_error(fmt::format("{} has {} fields but the conversion table names {}",
                                         d->name(), d->field_count(), named));
    }
  }
};

using buzzsim::Dynamics;
using buzzsim::GraphSpec;
using buzzsim::Scenario;
using buzzsim::Seeding;

dynamics::Seeding to_seeding(const Seeding& s) {
  return {s.count(),
          s.strategy() == Seeding::TOP_DEGREE ? dynamics::SeedStrategy::top_degree
                                              : dynamics::SeedStrategy::random,
          {s.nodes().begin(), s.nodes().end()},
          {s.names().begin(), s.names().end()}};
}

// The node count a generator spec fixes, if it fixes one before any file is read.
std::optional<std::uint32_t> known_nodes(const GraphSpec& g) {
  switch (g.kind_case()) {
    case GraphSpec::kErdosRenyi:
      return g.erdos_renyi().nodes();
    case GraphSpec::kWattsStrogatz:
      return g.watts_strogatz().nodes();
    case GraphSpec::kBarabasiAlbert:
      return g.barabasi_albert().nodes();
    case GraphSpec::kComplete:
      return g.complete().nodes();
    case GraphSpec::kRandomRegular:
      return g.random_regular().nodes();
    case GraphSpec::kConfigurationModel:
      if (g.configuration_model().has_degrees_path()) return std::nullopt;
      return static_cast<std::uint32_t>(g.configuration_model().degrees_size());
    case GraphSpec::kEdgeList:
    case GraphSpec::kGraphml:
    case GraphSpec::kGml:
    case GraphSpec::kBuzzgraph:
      return std::nullopt;
    case GraphSpec::kCommunities:
    case GraphSpec::KIND_NOT_SET:
      return g.communities().nodes();
  }
  return std::nullopt;
}

void check_readable(Checker& check, const Node& node, std::string_view field,
                    const std::filesystem::path& path) {
  // Before opening, which would block on a FIFO with no writer.
  try {
    graph::require_regular_file(path);
  } catch (const InputError& e) {
    check.fail(node.at(field), fmt::format("{}: {}", node.field_path(field), e.what()));
    return;
  }
  std::ifstream in(path);
  if (!in) {
    check.fail(node.at(field),
               fmt::format("{}: cannot open graph file \"{}\" ({})", node.field_path(field),
                           path.string(), std::strerror(errno)));
  }
}

// A graph read from a file: an edge list, GraphML, GML or a saved buzzgraph.
graph::EdgeListSpec convert_graph_file(const GraphSpec& g, const Node& node,
                                       const std::filesystem::path& base, Checker& check) {
  graph::EdgeListSpec spec;
  if (g.kind_case() == GraphSpec::kEdgeList) {
    const auto& e = g.edge_list();
    const Node n = node.child("edge_list");
    if (e.path().empty()) {
      check.fail(n.where, fmt::format("{} must name a file, got none", n.field_path("path")));
    } else {
      spec.path = resolve(base, e.path());
      check_readable(check, n, "path", spec.path);
    }
    if (e.has_nodes()) spec.nodes = e.nodes();
    spec.directed = e.directed();
    if (e.has_community_path()) {
      spec.community_path = resolve(base, e.community_path());
      check_readable(check, n, "community_path", *spec.community_path);
    }
    return spec;
  }
  using Format = graph::EdgeListSpec::Format;
  const auto kind = g.kind_case();
  const auto& f = kind == GraphSpec::kGraphml ? g.graphml()
                  : kind == GraphSpec::kGml   ? g.gml()
                                              : g.buzzgraph();
  const Node n = node.child(kind == GraphSpec::kGraphml ? "graphml"
                            : kind == GraphSpec::kGml   ? "gml"
                                                        : "buzzgraph");
  spec.format = kind == GraphSpec::kGraphml ? Format::graphml
                : kind == GraphSpec::kGml   ? Format::gml
                                            : Format::buzzgraph;
  if (kind == GraphSpec::kBuzzgraph && f.has_community_attribute()) {
    check.fail(n.at("community_attribute"),
               fmt::format("{} must be unset: a buzzgraph holds its communities, got \"{}\"",
                           n.field_path("community_attribute"), f.community_attribute()));
  }
  if (f.path().empty()) {
    check.fail(n.where, fmt::format("{} must name a file, got none", n.field_path("path")));
  } else {
    spec.path = resolve(base, f.path());
    check_readable(check, n, "path", spec.path);
  }
  spec.community_attribute = f.community_attribute();
  return spec;
}

graph::ConfigurationSpec convert_configuration(const buzzsim::ConfigurationModel& c, const Node& n,
                                               const std::filesystem::path& base, Checker& check) {
  graph::ConfigurationSpec spec;
  if (c.has_degrees_path() == (c.degrees_size() > 0)) {
    check.fail(n.where, fmt::format("{} must give the degrees either inline (degrees: [...]) "
                                    "or in a file (degrees_path), got {}",
                                    n.path, c.has_degrees_path() ? "both" : "neither"));
  }
  if (c.has_degrees_path()) {
    const auto path = resolve(base, c.degrees_path());
    check_readable(check, n, "degrees_path", path);
    if (std::ifstream(path)) spec.degrees = graph::read_degrees(path);
  } else {
    spec.degrees.assign(c.degrees().begin(), c.degrees().end());
  }
  if (const auto why = graph::not_graphical(spec.degrees)) {
    check.fail(n.at(c.has_degrees_path() ? "degrees_path" : "degrees"),
               fmt::format("{} must be a graphical degree sequence (one a simple graph can "
                           "have), got one that {}",
                           n.field_path(c.has_degrees_path() ? "degrees_path" : "degrees"), *why));
  }
  return spec;
}

graph::CommunitySpec convert_communities(const buzzsim::CommunityGraph& c, const Node& n,
                                         Checker& check) {
  if (c.max_community_size() < c.min_community_size()) {
    check.fail(n.at("max_community_size"),
               fmt::format("{} must be at least min_community_size ({}), got {}",
                           n.field_path("max_community_size"), c.min_community_size(),
                           c.max_community_size()));
  }
  const double max_degree = c.max_degree_share() * (c.nodes() - 1.0);
  if (max_degree <= c.mean_degree()) {
    check.fail(n.at("mean_degree"),
               fmt::format("{} must be below the largest degree, max_degree_share * (nodes - 1) "
                           "= {}, got {}",
                           n.field_path("mean_degree"), max_degree, c.mean_degree()));
  }
  return graph::CommunitySpec{c.nodes(),
                              c.mean_degree(),
                              c.degree_exponent(),
                              c.max_degree_share(),
                              c.community_size_exponent(),
                              c.min_community_size(),
                              c.max_community_size(),
                              c.mixing()};
}

graph::GraphSpec convert_graph(const Scenario& s, const Node& root,
                               const std::filesystem::path& base, Checker& check) {
  const GraphSpec& g = s.graph();
  const Node node = root.child("graph");
  switch (g.kind_case()) {
    case GraphSpec::kErdosRenyi: {
      const auto& e = g.erdos_renyi();
      const Node n = node.child("erdos_renyi");
      if (e.mean_degree() > e.nodes() - 1.0) {
        check.fail(n.at("mean_degree"),
                   fmt::format("{} must be at most nodes - 1 = {}, got {}",
                               n.field_path("mean_degree"), e.nodes() - 1, e.mean_degree()));
      }
      return graph::ErdosRenyiSpec{e.nodes(), e.mean_degree()};
    }
    case GraphSpec::kWattsStrogatz: {
      const auto& w = g.watts_strogatz();
      const Node n = node.child("watts_strogatz");
      if (w.neighbors() % 2 != 0 || w.neighbors() >= w.nodes()) {
        check.fail(n.at("neighbors"),
                   fmt::format("{} must be even and below nodes ({}), got {}",
                               n.field_path("neighbors"), w.nodes(), w.neighbors()));
      }
      return graph::WattsStrogatzSpec{w.nodes(), w.neighbors(), w.rewire()};
    }
    case GraphSpec::kBarabasiAlbert: {
      const auto& b = g.barabasi_albert();
      const Node n = node.child("barabasi_albert");
      if (b.edges_per_node() >= b.nodes()) {
        check.fail(n.at("edges_per_node"),
                   fmt::format("{} must be below nodes ({}), got {}",
                               n.field_path("edges_per_node"), b.nodes(), b.edges_per_node()));
      }
      return graph::BarabasiAlbertSpec{b.nodes(), b.edges_per_node()};
    }
    case GraphSpec::kComplete:
      return graph::CompleteSpec{g.complete().nodes()};
    case GraphSpec::kRandomRegular: {
      const auto& r = g.random_regular();
      const Node n = node.child("random_regular");
      if (r.degree() >= r.nodes() || (std::uint64_t{r.nodes()} * r.degree()) % 2 != 0) {
        check.fail(n.at("degree"),
                   fmt::format("{} must be below nodes ({}) with nodes * degree even, got {}",
                               n.field_path("degree"), r.nodes(), r.degree()));
      }
      return graph::RandomRegularSpec{r.nodes(), r.degree()};
    }
    case GraphSpec::kEdgeList:
    case GraphSpec::kGraphml:
    case GraphSpec::kGml:
    case GraphSpec::kBuzzgraph:
      return convert_graph_file(g, node, base, check);
    case GraphSpec::kConfigurationModel:
      return convert_configuration(g.configuration_model(), node.child("configuration_model"), base,
                                   check);
    case GraphSpec::kCommunities:
    case GraphSpec::KIND_NOT_SET:
      return convert_communities(g.communities(), node.child("communities"), check);
  }
  throw std::logic_error("unhandled graph kind");
}

// Ticks of `hours` each in `days`, rounded.
std::uint32_t days_to_ticks(double days, double hours) {
  return static_cast<std::uint32_t>(std::llround(days * 24 / hours));
}

// A brand's calendar: its inline posts and its file's, in time order, each post's content
// the brand's own overridden by what the post says.
void read_brand_calendar(const Scenario& s, const proto::Brand& pb_brand, const Node& bn,
                         const std::filesystem::path& base, Checker& check, dynamics::Brand& b) {
  const double hours = s.tick_hours();
  const double horizon_days = s.ticks() * hours / 24;
  std::vector<buzzsim::Post> posts(pb_brand.posts().begin(), pb_brand.posts().end());
  std::optional<long> start_day;
  if (pb_brand.has_calendar_start_date()) {
    start_day = days_since_epoch(pb_brand.calendar_start_date());
    if (!start_day) {
      check.fail(bn.at("calendar_start_date"),
                 fmt::format("{} must be a date, YYYY-MM-DD, got \"{}\"",
                             bn.field_path("calendar_start_date"), pb_brand.calendar_start_date()));
    }
  }
  // (A bad start date is reported above; the file's dates cannot be read without it.)
  if (pb_brand.has_calendar_file() && (!pb_brand.has_calendar_start_date() || start_day)) {
    const auto from_file =
        read_calendar(resolve(base, pb_brand.calendar_file()), start_day, check, bn);
    posts.insert(posts.end(), from_file.begin(), from_file.end());
  }
  // Posts past the horizon: one message for all of them, saying how long the calendar is.
  std::size_t late = 0, first_late = 0;
  double last_day = 0;
  for (std::size_t k = 0; k < posts.size(); ++k) {
    const auto& post = posts[k];
    const double at_hours = post.day() * 24 + post.hour();
    last_day = std::max(last_day, post.day());
    if (at_hours / 24 >= horizon_days) {
      if (late++ == 0) first_late = k;
      continue;
    }
    dynamics::PostContent content = b.content();
    apply_category(post.category(), content);
    static_assert(int(dynamics::Category::inspiration) == buzzsim::Post::INSPIRATION &&
                  int(dynamics::Format::video) == buzzsim::VIDEO);
    content.category = static_cast<dynamics::Category>(post.category());
    if (post.has_format()) content.format = static_cast<dynamics::Format>(post.format());
    if (post.has_tone()) content.tone = post.tone();
    if (post.has_value()) content.value = post.value();
    if (post.has_commerciality()) content.commerciality = post.commerciality();
    if (post.has_novelty()) content.novelty = post.novelty();
    content.paid = post.paid();
    const auto tick =
        std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::floor(at_hours / hours)));
    b.calendar.push_back({tick, content});
  }
  if (late > 0) {
    const auto& post = posts[first_late];
    check.fail(bn.where,
               fmt::format("{}: post {} (day {}, hour {}) must be before the horizon ({} days){}; "
                           "the calendar runs to day {}: set ticks to at least {} or shorten "
                           "the calendar",
                           bn.path, first_late, post.day(), post.hour(), horizon_days,
                           late > 1 ? fmt::format(", and so must {} later posts", late - 1) : "",
                           last_day, std::ceil((std::floor(last_day) + 1) * 24 / hours)));
  }
  std::stable_sort(b.calendar.begin(), b.calendar.end(),
                   [](const auto& x, const auto& y) { return x.tick < y.tick; });
}

// One brand of a campaign; `earlier` are the brands before it (their names must differ).
dynamics::Brand convert_brand(const Scenario& s, const proto::Brand& pb_brand, const Node& bn,
                              const std::vector<dynamics::Brand>& earlier, int i, int brands,
                              const std::filesystem::path& base, Checker& check) {
  const double hours = s.tick_hours();
  const double horizon_days = s.ticks() * hours / 24;
  auto to_ticks = [&](double days) { return days_to_ticks(days, hours); };
  const std::optional<std::uint32_t> nodes = known_nodes(s.graph());
  dynamics::Brand b;
  b.name = pb_brand.name().empty() ? (brands == 1 ? "brand" : fmt::format("brand{}", i))
                                   : pb_brand.name();
  for (const auto& other : earlier) {
    if (other.name == b.name) {
      check.fail(bn.at("name"),
                 fmt::format("{} must differ from every other brand's, got \"{}\" twice",
                             bn.field_path("name"), b.name));
    }
  }
  b.tone = pb_brand.tone();
  b.reply_probability = pb_brand.reply_probability();
  b.posts_per_week = pb_brand.posts_per_week();
  b.regularity = static_cast<dynamics::Regularity>(pb_brand.regularity());
  b.burst_size = pb_brand.burst_size();
  if (pb_brand.start_day() >= horizon_days) {
    check.fail(bn.at("start_day"),
               fmt::format("{} must be before the horizon ({} days), got {}",
                           bn.field_path("start_day"), horizon_days, pb_brand.start_day()));
  }
  if (pb_brand.end_day() != 0 && pb_brand.end_day() <= pb_brand.start_day()) {
    check.fail(bn.at("end_day"),
               fmt::format("{} must be after start_day ({}) or 0 for the horizon, got {}",
                           bn.field_path("end_day"), pb_brand.start_day(), pb_brand.end_day()));
  }
  b.start_tick = std::max<std::uint32_t>(1, to_ticks(pb_brand.start_day()));
  b.end_tick =
      pb_brand.end_day() == 0 ? s.ticks() : std::min(s.ticks(), to_ticks(pb_brand.end_day()));
  b.commerciality = pb_brand.commerciality();
  b.value = pb_brand.value();
  b.novelty = pb_brand.novelty();
  b.default_fit = pb_brand.default_fit();
  for (const auto& f : pb_brand.fit()) b.fit.emplace_back(f.community(), f.affinity());
  b.target_community = pb_brand.target_community();
  b.follower_share = pb_brand.follower_share();
  b.advocates = pb_brand.seeding().count();
  b.advocate_strategy = static_cast<dynamics::AdvocateStrategy>(pb_brand.seeding().strategy());
  if (nodes && b.advocates > *nodes) {
    const Node sn = bn.child("seeding");
    check.fail(sn.at("count"), fmt::format("{} must be at most the graph's nodes ({}), got {}",
                                           sn.field_path("count"), *nodes, b.advocates));
  }
  b.paid_reach = pb_brand.paid_reach();
  b.acquisition_per_day = pb_brand.acquisition_per_day();
  b.history_ticks = to_ticks(pb_brand.history_days());
  b.format = static_cast<dynamics::Format>(pb_brand.format());
  if (b.follower_share == 0 && b.paid_reach == 0 && b.advocates == 0) {
    check.fail(
        bn.at("follower_share"),
        fmt::format("{}: a brand needs followers, paid reach or seeded advocates to be seen; "
                    "got follower_share 0, paid_reach 0 and no seeding",
                    bn.path));
  }
  const pb::FieldDescriptor* events_field = pb_brand.GetDescriptor()->FindFieldByName("events");
  for (int e = 0; e < pb_brand.events_size(); ++e) {
    const auto& ev = pb_brand.events(e);
    const Node en{ev, Checker::nested(bn.tree, events_field, e),
                  fmt::format("{}.events[{}]", bn.path, e),
                  Checker::locate(bn.tree, events_field, bn.where, e)};
    if (ev.day() >= horizon_days) {
      check.fail(en.at("day"), fmt::format("{} must be before the horizon ({} days), got {}",
                                           en.field_path("day"), horizon_days, ev.day()));
    }
    b.events.push_back({ev.kind() == proto::BrandEvent::PRAISE ? dynamics::EventKind::praise
                                                               : dynamics::EventKind::crisis,
                        std::max<std::uint32_t>(1, to_ticks(ev.day())), ev.share()});
  }
  read_brand_calendar(s, pb_brand, bn, base, check, b);
  return b;
}

// Fields copied as they are, by name; those in other units are converted in
// convert_audience. The tables must name every field of the message (checked by copy).
const FieldTable<dynamics::Audience> kAudienceFields{
    {
        {"engage_log_odds", &dynamics::Audience::engage_log_odds},
        {"tone_effect", &dynamics::Audience::tone_effect},
        {"value_effect", &dynamics::Audience::value_effect},
        {"commerciality_effect", &dynamics::Audience::commerciality_effect},
        {"fit_effect", &dynamics::Audience::fit_effect},
        {"sentiment_effect", &dynamics::Audience::sentiment_effect},
        {"fatigue_effect", &dynamics::Audience::fatigue_effect},
        {"peer_effect", &dynamics::Audience::peer_effect},
        {"homophily_boost", &dynamics::Audience::homophily_boost},
        {"targeting_relevance", &dynamics::Audience::targeting_relevance},
        {"annoy_log_odds", &dynamics::Audience::annoy_log_odds},
        {"broadcast_annoyance", &dynamics::Audience::broadcast_annoyance},
        {"commercial_annoyance", &dynamics::Audience::commercial_annoyance},
        {"fatigue_annoyance", &dynamics::Audience::fatigue_annoyance},
        {"mistargeting_annoyance", &dynamics::Audience::mistargeting_annoyance},
        {"awareness_gain", &dynamics::Audience::awareness_gain},
        {"attention_floor", &dynamics::Audience::attention_floor},
        {"fatigue_per_post", &dynamics::Audience::fatigue_per_post},
        {"unfollow_probability", &dynamics::Audience::unfollow_probability},
        {"follow_probability", &dynamics::Audience::follow_probability},
        {"share_probability", &dynamics::Audience::share_probability},
        {"advocate_share_probability", &dynamics::Audience::advocate_share_probability},
        {"comment_share", &dynamics::Audience::comment_share},
        {"negative_transmissibility", &dynamics::Audience::negative_transmissibility},
        {"answered_damping", &dynamics::Audience::answered_damping},
        {"complaint_probability", &dynamics::Audience::complaint_probability},
        {"satisfied_if_answered", &dynamics::Audience::satisfied_if_answered},
        {"satisfied_if_ignored", &dynamics::Audience::satisfied_if_ignored},
        {"aware_threshold", &dynamics::Audience::aware_threshold},
        {"initial_awareness_low", &dynamics::Audience::initial_awareness_low},
        {"affinity_spread", &dynamics::Audience::affinity_spread},
        {"engage_sentiment_step", &dynamics::Audience::engage_sentiment_step},
        {"reply_sentiment_step", &dynamics::Audience::reply_sentiment_step},
        {"seen_reply_sentiment_step", &dynamics::Audience::seen_reply_sentiment_step},
        {"annoy_sentiment_step", &dynamics::Audience::annoy_sentiment_step},
        {"complaint_sentiment_step", &dynamics::Audience::complaint_sentiment_step},
        {"detractor_sentiment", &dynamics::Audience::detractor_sentiment},
        {"advocate_sentiment", &dynamics::Audience::advocate_sentiment},
        {"net_sentiment_cutoff", &dynamics::Audience::net_sentiment_cutoff},
        {"commercial_fatigue", &dynamics::Audience::commercial_fatigue},
        {"repetition_fatigue", &dynamics::Audience::repetition_fatigue},
        {"organic_reach", &dynamics::Audience::organic_reach},
        {"organic_posts_per_day", &dynamics::Audience::organic_posts_per_day},
        {"story_reach", &dynamics::Audience::story_reach},
        {"comment_tone_effect", &dynamics::Audience::comment_tone_effect},
        {"share_value_effect", &dynamics::Audience::share_value_effect},
        {"post_reach_sd", &dynamics::Audience::post_reach_sd},
        {"post_engagement_sd", &dynamics::Audience::post_engagement_sd},
    },
    {
        {"advocate_threshold", &dynamics::Audience::advocate_threshold},
        {"feed_capacity", &dynamics::Audience::feed_capacity},
    },
    {},
    {"awareness_half_life_days",
     "fatigue_half_life_days",
     "post_lifetime_hours",
     "detractor_half_life_days",
     "organic_reach_trend",
     "engagement_trend",
     "posting_elasticity",
     "status_reach",
     "link_reach",
     "video_reach",
     "action_reach",
     "inspiration_reach",
     "night_reach",
     "evening_reach",
     "status_engagement",
     "link_engagement",
     "video_engagement",
     "action_engagement",
     "inspiration_engagement",
     "follow_from_reach",
     "status_comment",
     "link_comment",
     "video_comment",
     "status_share",
     "link_share",
     "video_share"}};
const FieldTable<dynamics::Mechanisms> kMechanismFields{
    {},
    {},
    {
        {"tone", &dynamics::Mechanisms::tone},
        {"replies", &dynamics::Mechanisms::replies},
        {"awareness_decay", &dynamics::Mechanisms::awareness_decay},
        {"fatigue", &dynamics::Mechanisms::fatigue},
        {"content", &dynamics::Mechanisms::content},
        {"communities", &dynamics::Mechanisms::communities},
        {"targeting", &dynamics::Mechanisms::targeting},
        {"sharing", &dynamics::Mechanisms::sharing},
        {"paid_reach", &dynamics::Mechanisms::paid_reach},
        {"negative_word_of_mouth", &dynamics::Mechanisms::negative_word_of_mouth},
        {"heavy_tailed_activity", &dynamics::Mechanisms::heavy_tailed_activity},
        {"feed_limit", &dynamics::Mechanisms::feed_limit},
        {"feed_ranking", &dynamics::Mechanisms::feed_ranking},
        {"stories", &dynamics::Mechanisms::stories},
    },
    {}};

// The audience's fields: most copied by name, the rest converted to ticks or tables.
dynamics::Audience convert_audience(const proto::Audience& a, double hours) {
  dynamics::Audience o;
  kAudienceFields.copy(a, o);
  o.awareness_half_life_ticks = a.awareness_half_life_days() * 24 / hours;
  o.fatigue_half_life_ticks = a.fatigue_half_life_days() * 24 / hours;
  o.detractor_half_life_ticks = a.detractor_half_life_days() * 24 / hours;
  o.organic_reach_trend_per_tick = a.organic_reach_trend() / (30 * 24 / hours);
  o.engagement_trend_per_tick = a.engagement_trend() / (30 * 24 / hours);
  o.posting_elasticity = a.posting_elasticity();
  o.format_reach[int(dynamics::Format::photo)] = 1;
  o.format_reach[int(dynamics::Format::status)] = a.status_reach();
  o.format_reach[int(dynamics::Format::link)] = a.link_reach();
  o.format_reach[int(dynamics::Format::video)] = a.video_reach();
  o.category_reach[int(dynamics::Category::none)] = 1;
  o.category_reach[int(dynamics::Category::action)] = a.action_reach();
  o.category_reach[int(dynamics::Category::product)] = 1;
  o.category_reach[int(dynamics::Category::inspiration)] = a.inspiration_reach();
  o.hour_reach[0] = a.night_reach();
  o.hour_reach[1] = 1;
  o.hour_reach[2] = a.evening_reach();
  o.format_engagement[int(dynamics::Format::photo)] = 0;
  o.format_engagement[int(dynamics::Format::status)] = a.status_engagement();
  o.format_engagement[int(dynamics::Format::link)] = a.link_engagement();
  o.format_engagement[int(dynamics::Format::video)] = a.video_engagement();
  o.category_engagement[int(dynamics::Category::none)] = 0;
  o.category_engagement[int(dynamics::Category::action)] = a.action_engagement();
  o.category_engagement[int(dynamics::Category::product)] = 0;
  o.category_engagement[int(dynamics::Category::inspiration)] = a.inspiration_engagement();
  o.follow_from_reach = a.follow_from_reach();
  o.format_comment[int(dynamics::Format::photo)] = 0;
  o.format_comment[int(dynamics::Format::status)] = a.status_comment();
  o.format_comment[int(dynamics::Format::link)] = a.link_comment();
  o.format_comment[int(dynamics::Format::video)] = a.video_comment();
  o.format_share[int(dynamics::Format::photo)] = 0;
  o.format_share[int(dynamics::Format::status)] = a.status_share();
  o.format_share[int(dynamics::Format::link)] = a.link_share();
  o.format_share[int(dynamics::Format::video)] = a.video_share();
  o.post_lifetime_ticks = std::max<std::uint32_t>(
      1, static_cast<std::uint32_t>(std::llround(a.post_lifetime_hours() / hours)));

  return o;
}

dynamics::Mechanisms convert_mechanisms(const proto::Mechanisms& m) {
  dynamics::Mechanisms out;
  kMechanismFields.copy(m, out);
  return out;
}

// population.hourly_activity, normalised to a mean of 1 per hour.
std::vector<double> hourly_activity(const Scenario& s, const Node& node, Checker& check) {
  std::vector<double> out;
  if (const auto& h = s.population().hourly_activity(); !h.empty()) {
    double sum = 0;
    bool bad = h.size() != 24;
    for (double w : h) bad = bad || !(w >= 0) || !std::isfinite(w), sum += w;
    if (bad || sum <= 0) {
      check.fail(node.where,
                 fmt::format("population.hourly_activity must hold 24 values, none negative and "
                             "not all 0, got {} values summing to {}",
                             h.size(), sum));
    } else {
      for (double w : h) out.push_back(w * 24 / sum);
    }
  }
  return out;
}

dynamics::CampaignParams convert_campaign(const Scenario& s, const Node& node,
                                          const std::filesystem::path& base, Checker& check) {
  const proto::Campaign& c = s.dynamics().campaign();
  dynamics::CampaignParams p;
  if (c.brands_size() == 0) {
    check.fail(node.where,
               fmt::format("{} must list at least one brand", node.field_path("brands")));
  }
  if (c.brands_size() > dynamics::kMaxBrands) {
    check.fail(node.where,
               fmt::format("{} must list at most {} brands, got {}", node.field_path("brands"),
                           dynamics::kMaxBrands, c.brands_size()));
  }
  const pb::FieldDescriptor* brands_field = c.GetDescriptor()->FindFieldByName("brands");
  for (int i = 0; i < c.brands_size(); ++i) {
    const Node bn{c.brands(i), Checker::nested(node.tree, brands_field, i),
                  fmt::format("{}[{}]", node.field_path("brands"), i),
                  Checker::locate(node.tree, brands_field, node.where, i)};
    p.brands.push_back(
        convert_brand(s, c.brands(i), bn, p.brands, i, c.brands_size(), base, check));
  }
  p.audience = convert_audience(c.audience(), s.tick_hours());
  p.mechanisms = convert_mechanisms(c.mechanisms());
  p.tick_hours = s.tick_hours();
  p.ticks = s.ticks();
  p.record_every = s.outputs().record_every();
  p.mean_sessions_per_day = s.population().mean_sessions_per_day();
  p.hourly_activity = hourly_activity(s, node, check);
  p.per_community = s.outputs().per_community();
  p.share_log = s.outputs().share_log();
  return p;
}

// SIR and SIS share their fields.
dynamics::SirParams to_sir(const buzzsim::Sir& m, bool reinfection) {
  return {m.beta(),         m.gamma(),           to_seeding(m.seeds()),
          reinfection,      m.continuous_time(), m.transmission_rate(),
          m.recovery_rate()};
}

dynamics::DynamicsSpec convert_dynamics(const Scenario& s, const Node& root,
                                        const std::filesystem::path& base, Checker& check) {
  const Node node = root.child("dynamics");
  const std::optional<std::uint32_t> nodes = known_nodes(s.graph());
  auto check_seeds = [&](const Node& model, const Seeding& seeds) {
    const Node n = model.child("seeds");
    if (nodes && seeds.nodes_size() == 0 && seeds.names_size() == 0 && seeds.count() > *nodes) {
      check.fail(n.at("count"), fmt::format("{} must be at most the graph's nodes ({}), got {}",
                                            n.field_path("count"), *nodes, seeds.count()));
    }
    for (int i = 0; i < seeds.nodes_size(); ++i) {
      if (nodes && seeds.nodes(i) >= *nodes) {
        check.fail(n.at("nodes", i),
                   fmt::format("{}[{}] must be below the graph's nodes ({}), got {}",
                               n.field_path("nodes"), i, *nodes, seeds.nodes(i)));
      }
    }
  };
  const auto& d = s.dynamics();
  switch (d.model_case()) {
    case Dynamics::kIndependentCascade:
      check_seeds(node.child("independent_cascade"), d.independent_cascade().seeds());
      return dynamics::IndependentCascadeParams{d.independent_cascade().p(),
                                                to_seeding(d.independent_cascade().seeds())};
    case Dynamics::kSir:
      check_seeds(node.child("sir"), d.sir().seeds());
      return to_sir(d.sir(), false);
    case Dynamics::kSis:
      check_seeds(node.child("sis"), d.sis().seeds());
      return to_sir(d.sis(), true);
    case Dynamics::kCampaign:
      return convert_campaign(s, node.child("campaign"), base, check);
    case Dynamics::kBass: {
      const auto& b = d.bass();
      const double years_per_tick = s.tick_hours() / 8766.0;  // 365.25 days
      if ((b.p() + b.q()) * years_per_tick > 1) {
        const Node n = node.child("bass");
        check.fail(n.at("q"),
                   fmt::format("{}: (p + q) * tick must be at most 1 so that a tick's "
                               "adoption chance is a probability; got ({} + {}) * {} years",
                               n.path, b.p(), b.q(), years_per_tick));
      }
      return dynamics::BassParams{
          b.p(), b.q(),
          b.mixing() == buzzsim::FULL ? dynamics::Mixing::full : dynamics::Mixing::graph,
          years_per_tick};
    }
    case Dynamics::kLinearThreshold:
      check_seeds(node.child("linear_threshold"), d.linear_threshold().seeds());
      return dynamics::ThresholdParams{dynamics::ThresholdRule::linear, 0, 0,
                                       to_seeding(d.linear_threshold().seeds())};
    case Dynamics::kWattsThreshold:
      check_seeds(node.child("watts_threshold"), d.watts_threshold().seeds());
      return dynamics::ThresholdParams{dynamics::ThresholdRule::fraction,
                                       d.watts_threshold().threshold(), 0,
                                       to_seeding(d.watts_threshold().seeds())};
    case Dynamics::kKThreshold:
      check_seeds(node.child("k_threshold"), d.k_threshold().seeds());
      return dynamics::ThresholdParams{dynamics::ThresholdRule::count, 0, d.k_threshold().k(),
                                       to_seeding(d.k_threshold().seeds())};
    case Dynamics::kRumour: {
      const auto& r = d.rumour();
      check_seeds(node.child("rumour"), r.seeds());
      return dynamics::RumourParams{
          r.variant() == buzzsim::Rumour::DALEY_KENDALL ? dynamics::RumourVariant::daley_kendall
                                                        : dynamics::RumourVariant::maki_thompson,
          r.mixing() == buzzsim::FULL ? dynamics::Mixing::full : dynamics::Mixing::graph,
          to_seeding(r.seeds())};
    }
    case Dynamics::MODEL_NOT_SET:
      break;
  }
  check.fail(node.where,
             "dynamics must choose one model: campaign, independent_cascade, sir, sis, bass, "
             "linear_threshold, watts_threshold, k_threshold or rumour");
  return dynamics::IndependentCascadeParams{};
}

}  // namespace

void record_places(const pb::Message& msg, const Tree* tree, const std::string& path,
                   std::string_view origin, std::map<std::string, std::string, std::less<>>& out) {
  if (tree == nullptr) return;
  const pb::Descriptor* d = msg.GetDescriptor();
  const pb::Reflection* r = msg.GetReflection();
  const auto put = [&](const std::string& at, pb::TextFormat::ParseLocation loc) {
    if (loc.line >= 0) out[at] = fmt::format("{}:{}:{}", origin, loc.line + 1, loc.column + 1);
  };
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    const std::string at = path.empty() ? f->name() : path + "." + f->name();
    if (f->is_repeated()) {
      if (r->FieldSize(msg, f) > 0) put(at, tree->GetLocation(f, 0));
      for (int k = 0; k < r->FieldSize(msg, f); ++k) {
        const std::string item = fmt::format("{}[{}]", at, k);
        put(item, tree->GetLocation(f, k));
        if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
          record_places(r->GetRepeatedMessage(msg, f, k), tree->GetTreeForNested(f, k), item,
                        origin, out);
        }
      }
    } else {
      put(at, tree->GetLocation(f, -1));
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && r->HasField(msg, f)) {
        record_places(r->GetMessage(msg, f), tree->GetTreeForNested(f, -1), at, origin, out);
      }
    }
  }
}

Config convert(Scenario& s, const Tree& tree, std::string_view origin,
               const std::filesystem::path& base_dir, const Overrides& overrides,
               const std::filesystem::path& file) {
  if (overrides.seed) s.set_seed(*overrides.seed);
  if (overrides.replicates) s.set_replicates(*overrides.replicates);
  if (overrides.ticks) s.set_ticks(*overrides.ticks);
  for (const auto& set : overrides.sets) {
    if (const std::string error = apply_set(s, set); !error.empty()) {
      throw InputError(fmt::format("--set {}: {}", set, error));
    }
  }

  Checker check{std::string(origin)};
  const Node root{s, &tree, "", Location{0, 0}};
  check.check_bounds(s, &tree, "", root.where);

  Config c;
  c.file = file;
  c.origin = std::string(origin);
  c.sets = overrides.sets;
  record_places(s, &tree, "", origin, c.places);
  c.name = s.name().empty() && !file.empty() ? file.stem().string() : s.name();
  c.description = s.description();
  c.seed = s.seed();
  c.replicates = s.replicates();
  c.ticks = s.ticks();
  c.tick_hours = s.tick_hours();
  c.graph = convert_graph(s, root, base_dir, check);
  c.graph_seed = s.graph().has_seed() ? s.graph().seed() : s.seed();
  c.graph_per_replicate = s.graph().per_replicate() && !s.graph().has_edge_list();
  c.population = {s.population().mean_sessions_per_day(), s.population().activity_sigma()};
  c.scale = s.population().scale();
  c.dynamics = convert_dynamics(s, root, base_dir, check);
  c.record_every = s.outputs().record_every();
  check.throw_if_failed();

  pb::TextFormat::Printer printer;
  printer.SetUseShortRepeatedPrimitives(true);
  printer.PrintToString(s, &c.canonical_text);
  std::string population;
  printer.PrintToString(s.graph(), &c.graph_key);
  printer.PrintToString(s.population(), &population);
  c.graph_key += "population {" + population + "}";
  return c;
}

}  // namespace buzz::scenario::detail
