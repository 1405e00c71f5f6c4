#include "sim/scenario/scenario.hpp"

#include <fmt/format.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <numeric>
#include <regex>
#include <sstream>

#include "proto/scenario.pb.h"
#include "sim/common/input_error.hpp"
#include "sim/engine/random.hpp"

namespace buzz::scenario {

namespace {

namespace pb = google::protobuf;
using Tree = pb::TextFormat::ParseInfoTree;
using buzzsim::Bounds;
using buzzsim::bounds;
using buzzsim::Dynamics;
using buzzsim::GraphSpec;
using buzzsim::Scenario;
using buzzsim::Seeding;
namespace proto = buzzsim;

struct Location {
  int line = -1;  // 0-based, -1 when unknown
  int column = 0;
};

// Keeps the parser's first error; the rest usually follow from it.
class FirstError : public pb::io::ErrorCollector {
 public:
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    if (found) return;
    found = true;
    where = {line, column};
    text = message;
  }
  void AddWarning(int, pb::io::ColumnNumber, const std::string&) override {}

  bool found = false;
  Location where;
  std::string text;
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// Rewrites protobuf's unknown-field error to name the nearest valid field, and moves its
// location from the end of the name to its start.
std::string explain_parse_error(const std::string& message, Location& where) {
  static const std::regex unknown(R"re(Message type "([\w.]+)" has no field named "(\w+)")re");
  std::smatch m;
  if (!std::regex_search(message, m, unknown)) return message;
  const std::string type = m[1], name = m[2];
  where.column = std::max(0, where.column - static_cast<int>(name.size()));
  const pb::Descriptor* d = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(type);
  if (d == nullptr) return message;
  std::string best, all;
  std::size_t best_distance = std::string::npos;
  for (int i = 0; i < d->field_count(); ++i) {
    const std::string& candidate = d->field(i)->name();
    all += (i ? ", " : "") + candidate;
    const std::size_t distance = edit_distance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  const std::string short_type = type.substr(type.rfind('.') + 1);
  if (best_distance <= std::max<std::size_t>(2, name.size() / 3)) {
    return fmt::format("unknown field \"{}\" in {}; did you mean \"{}\"?", name, short_type, best);
  }
  return fmt::format("unknown field \"{}\" in {}; valid fields are: {}", name, short_type, all);
}

std::string format_number(double value, bool integral) {
  return integral ? fmt::format("{}", static_cast<long long>(value)) : fmt::format("{}", value);
}

std::string describe_bounds(const Bounds& b, bool integral) {
  auto num = [&](double v) { return format_number(v, integral); };
  if (b.has_min() && b.has_max()) {
    return fmt::format("in {}{}, {}{}", b.min_open() ? "(" : "[", num(b.min()), num(b.max()),
                       b.max_open() ? ")" : "]");
  }
  if (b.has_min()) return fmt::format("{} {}", b.min_open() ? ">" : ">=", num(b.min()));
  return fmt::format("{} {}", b.max_open() ? "<" : "<=", num(b.max()));
}

bool within(const Bounds& b, double v) {
  if (b.has_min() && (b.min_open() ? v <= b.min() : v < b.min())) return false;
  if (b.has_max() && (b.max_open() ? v >= b.max() : v > b.max())) return false;
  return !std::isnan(v);
}

// Checks a parsed scenario and collects every error with its place in the file.
class Checker {
 public:
  explicit Checker(std::string origin) : origin_(std::move(origin)) {}

  // Every numeric field against its (bounds) option, recursing into set sub-messages.
  void check_bounds(const pb::Message& msg, const Tree* tree, const std::string& path,
                    Location where) {
    const pb::Descriptor* d = msg.GetDescriptor();
    const pb::Reflection* r = msg.GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* f = d->field(i);
      const std::string field_path = path.empty() ? f->name() : path + "." + f->name();
      if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
        if (f->is_repeated()) {
          for (int k = 0; k < r->FieldSize(msg, f); ++k) {
            check_bounds(r->GetRepeatedMessage(msg, f, k), nested(tree, f, k),
                         fmt::format("{}[{}]", field_path, k), locate(tree, f, where, k));
          }
        } else if (r->HasField(msg, f)) {
          check_bounds(r->GetMessage(msg, f), nested(tree, f), field_path, locate(tree, f, where));
        }
        continue;
      }
      if (f->is_repeated() || !f->options().HasExtension(bounds)) continue;
      const Bounds& b = f->options().GetExtension(bounds);
      bool integral = true;
      double v = 0;
      switch (f->cpp_type()) {
        case pb::FieldDescriptor::CPPTYPE_INT32:
          v = r->GetInt32(msg, f);
          break;
        case pb::FieldDescriptor::CPPTYPE_INT64:
          v = double(r->GetInt64(msg, f));
          break;
        case pb::FieldDescriptor::CPPTYPE_UINT32:
          v = r->GetUInt32(msg, f);
          break;
        case pb::FieldDescriptor::CPPTYPE_UINT64:
          v = double(r->GetUInt64(msg, f));
          break;
        case pb::FieldDescriptor::CPPTYPE_DOUBLE:
          v = r->GetDouble(msg, f), integral = false;
          break;
        case pb::FieldDescriptor::CPPTYPE_FLOAT:
          v = r->GetFloat(msg, f), integral = false;
          break;
        default:
          continue;
      }
      if (!within(b, v)) {
        fail(locate(tree, f, where),
             fmt::format("{} must be {}, got {}", field_path, describe_bounds(b, integral),
                         format_number(v, integral)));
      }
    }
  }

  // Location of msg's field `name` in the file, or `fallback` when it was not written.
  static Location locate(const Tree* tree, const pb::FieldDescriptor* f, Location fallback,
                         int index = -1) {
    if (tree == nullptr || f == nullptr) return fallback;
    const auto loc = tree->GetLocation(f, index);
    return loc.line < 0 ? fallback : Location{loc.line, loc.column};
  }
  static const Tree* nested(const Tree* tree, const pb::FieldDescriptor* f, int index = -1) {
    return tree == nullptr ? nullptr : tree->GetTreeForNested(f, index);
  }

  void fail(Location where, const std::string& message) {
    errors_.push_back(where.line < 0 ? fmt::format("{}: {}", origin_, message)
                                     : fmt::format("{}:{}:{}: {}", origin_, where.line + 1,
                                                   where.column + 1, message));
  }

  void throw_if_failed() const {
    if (errors_.empty()) return;
    std::string all;
    for (const auto& e : errors_) all += (all.empty() ? "" : "\n") + e;
    throw InputError(all);
  }

 private:
  std::string origin_;
  std::vector<std::string> errors_;
};

// A message of the scenario together with where it sits in the file, for rule checks.
struct Node {
  const pb::Message& msg;
  const Tree* tree;
  std::string path;
  Location where;

  Location at(std::string_view field) const {
    return Checker::locate(tree, msg.GetDescriptor()->FindFieldByName(std::string(field)), where);
  }
  Node child(std::string_view field) const {
    const pb::FieldDescriptor* f = msg.GetDescriptor()->FindFieldByName(std::string(field));
    return {msg.GetReflection()->GetMessage(msg, f), Checker::nested(tree, f),
            path.empty() ? std::string(field) : path + "." + std::string(field), at(field)};
  }
  std::string field_path(std::string_view field) const {
    return path.empty() ? std::string(field) : path + "." + std::string(field);
  }
};

dynamics::Seeding to_seeding(const Seeding& s) {
  return {s.count(),
          s.strategy() == Seeding::TOP_DEGREE ? dynamics::SeedStrategy::top_degree
                                              : dynamics::SeedStrategy::random,
          {s.nodes().begin(), s.nodes().end()}};
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
    case GraphSpec::kEdgeList:
      return std::nullopt;
    case GraphSpec::kCommunities:
    case GraphSpec::KIND_NOT_SET:
      return g.communities().nodes();
  }
  return std::nullopt;
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& p) {
  const std::filesystem::path path(p);
  return path.is_absolute() || base.empty() ? path : base / path;
}

void check_readable(Checker& check, const Node& node, std::string_view field,
                    const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    check.fail(node.at(field),
               fmt::format("{}: cannot open graph file \"{}\" ({})", node.field_path(field),
                           path.string(), std::strerror(errno)));
  }
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
    case GraphSpec::kEdgeList: {
      const auto& e = g.edge_list();
      const Node n = node.child("edge_list");
      graph::EdgeListSpec spec;
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
    case GraphSpec::kCommunities:
    case GraphSpec::KIND_NOT_SET: {
      const auto& c = g.communities();
      const Node n = node.child("communities");
      if (c.max_community_size() < c.min_community_size()) {
        check.fail(n.at("max_community_size"),
                   fmt::format("{} must be at least min_community_size ({}), got {}",
                               n.field_path("max_community_size"), c.min_community_size(),
                               c.max_community_size()));
      }
      const double max_degree = c.max_degree_share() * (c.nodes() - 1.0);
      if (max_degree <= c.mean_degree()) {
        check.fail(
            n.at("mean_degree"),
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
  }
  throw std::logic_error("unhandled graph kind");
}

dynamics::CampaignParams convert_campaign(const Scenario& s, const Node& node, Checker& check) {
  const proto::Campaign& c = s.dynamics().campaign();
  const double hours = s.tick_hours();
  const double horizon_days = s.ticks() * hours / 24;
  auto to_ticks = [&](double days) {
    return static_cast<std::uint32_t>(std::llround(days * 24 / hours));
  };
  const std::optional<std::uint32_t> nodes = known_nodes(s.graph());
  dynamics::CampaignParams p;
  if (c.brands_size() == 0) {
    check.fail(node.where,
               fmt::format("{} must list at least one brand", node.field_path("brands")));
  }
  if (c.brands_size() > dynamics::kMaxBrands) {
    check.fail(node.where, fmt::format("{} must list at most {} brands, got {}",
                                       node.field_path("brands"), dynamics::kMaxBrands,
                                       c.brands_size()));
  }
  const pb::FieldDescriptor* brands_field = c.GetDescriptor()->FindFieldByName("brands");
  for (int i = 0; i < c.brands_size(); ++i) {
    const proto::Brand& pb_brand = c.brands(i);
    const Node bn{pb_brand, Checker::nested(node.tree, brands_field, i),
                  fmt::format("{}[{}]", node.field_path("brands"), i),
                  Checker::locate(node.tree, brands_field, node.where, i)};
    dynamics::Brand b;
    b.name = pb_brand.name().empty() ? (c.brands_size() == 1 ? "brand" : fmt::format("brand{}", i))
                                     : pb_brand.name();
    for (const auto& other : p.brands) {
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
    p.brands.push_back(std::move(b));
  }

  const proto::Audience& a = c.audience();
  dynamics::Audience& o = p.audience;
  o.engage_log_odds = a.engage_log_odds();
  o.tone_effect = a.tone_effect();
  o.value_effect = a.value_effect();
  o.commerciality_effect = a.commerciality_effect();
  o.fit_effect = a.fit_effect();
  o.sentiment_effect = a.sentiment_effect();
  o.fatigue_effect = a.fatigue_effect();
  o.peer_effect = a.peer_effect();
  o.homophily_boost = a.homophily_boost();
  o.targeting_relevance = a.targeting_relevance();
  o.annoy_log_odds = a.annoy_log_odds();
  o.broadcast_annoyance = a.broadcast_annoyance();
  o.commercial_annoyance = a.commercial_annoyance();
  o.fatigue_annoyance = a.fatigue_annoyance();
  o.mistargeting_annoyance = a.mistargeting_annoyance();
  o.awareness_half_life_ticks = a.awareness_half_life_days() * 24 / hours;
  o.awareness_gain = a.awareness_gain();
  o.attention_floor = a.attention_floor();
  o.fatigue_per_post = a.fatigue_per_post();
  o.fatigue_half_life_ticks = a.fatigue_half_life_days() * 24 / hours;
  o.unfollow_probability = a.unfollow_probability();
  o.follow_probability = a.follow_probability();
  o.share_probability = a.share_probability();
  o.advocate_threshold = a.advocate_threshold();
  o.advocate_share_probability = a.advocate_share_probability();
  o.comment_share = a.comment_share();
  o.negative_transmissibility = a.negative_transmissibility();
  o.answered_damping = a.answered_damping();
  o.complaint_probability = a.complaint_probability();
  o.satisfied_if_answered = a.satisfied_if_answered();
  o.satisfied_if_ignored = a.satisfied_if_ignored();
  o.feed_capacity = a.feed_capacity();
  o.post_lifetime_ticks = std::max<std::uint32_t>(
      1, static_cast<std::uint32_t>(std::llround(a.post_lifetime_hours() / hours)));

  const proto::Mechanisms& m = c.mechanisms();
  p.mechanisms = {m.tone(),
                  m.replies(),
                  m.awareness_decay(),
                  m.fatigue(),
                  m.content(),
                  m.communities(),
                  m.targeting(),
                  m.sharing(),
                  m.paid_reach(),
                  m.negative_word_of_mouth(),
                  m.heavy_tailed_activity(),
                  m.feed_limit()};
  p.tick_hours = hours;
  p.ticks = s.ticks();
  p.record_every = s.outputs().record_every();
  p.mean_sessions_per_day = s.population().mean_sessions_per_day();
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

dynamics::DynamicsSpec convert_dynamics(const Scenario& s, const Node& root, Checker& check) {
  const Node node = root.child("dynamics");
  const std::optional<std::uint32_t> nodes = known_nodes(s.graph());
  auto check_seeds = [&](const Node& model, const Seeding& seeds) {
    const Node n = model.child("seeds");
    if (nodes && seeds.nodes_size() == 0 && seeds.count() > *nodes) {
      check.fail(n.at("count"), fmt::format("{} must be at most the graph's nodes ({}), got {}",
                                            n.field_path("count"), *nodes, seeds.count()));
    }
    for (int i = 0; i < seeds.nodes_size(); ++i) {
      if (nodes && seeds.nodes(i) >= *nodes) {
        check.fail(n.at("nodes"), fmt::format("{}[{}] must be below the graph's nodes ({}), got {}",
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
      return convert_campaign(s, node.child("campaign"), check);
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

Config convert(Scenario& s, const Tree& tree, std::string_view origin,
               const std::filesystem::path& base_dir, const Overrides& overrides,
               const std::filesystem::path& file = {}) {
  if (overrides.seed) s.set_seed(*overrides.seed);
  if (overrides.replicates) s.set_replicates(*overrides.replicates);
  if (overrides.ticks) s.set_ticks(*overrides.ticks);

  Checker check{std::string(origin)};
  const Node root{s, &tree, "", Location{0, 0}};
  check.check_bounds(s, &tree, "", root.where);

  Config c;
  c.file = file;
  c.name = s.name().empty() && !file.empty() ? file.stem().string() : s.name();
  c.description = s.description();
  c.seed = s.seed();
  c.replicates = s.replicates();
  c.ticks = s.ticks();
  c.tick_hours = s.tick_hours();
  c.graph = convert_graph(s, root, base_dir, check);
  c.graph_seed = s.graph().has_seed() ? s.graph().seed() : s.seed();
  c.population = {s.population().mean_sessions_per_day(), s.population().activity_sigma()};
  c.dynamics = convert_dynamics(s, root, check);
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

}  // namespace

namespace {

// Parses scenario text into the message and the locations of its fields.
void parse_message(std::string_view text, std::string_view origin, Scenario& s, Tree& tree) {
  FirstError error;
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&error);
  parser.WriteLocationsTo(&tree);
  pb::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  if (!parser.Parse(&input, &s)) {
    if (!error.found) throw InputError(fmt::format("{}: cannot parse scenario", origin));
    const std::string reason = explain_parse_error(error.text, error.where);
    throw InputError(
        fmt::format("{}:{}:{}: {}", origin, error.where.line + 1, error.where.column + 1, reason));
  }
}

std::string read_scenario_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in || std::filesystem::is_directory(file)) {
    throw InputError(
        fmt::format("{}: cannot open scenario file ({})", file.string(),
                    std::filesystem::is_directory(file) ? "it is a folder" : std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

// Sets the numeric, boolean or enum field at `path` (e.g. "dynamics.sir.beta",
// "dynamics.campaign.brands[0].tone") to `value`; returns an error, or "" when done.
std::string set_by_path(pb::Message& root, const std::string& path, double value) {
  pb::Message* msg = &root;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    int index = -1;
    if (const auto open = part.find('['); open != std::string::npos && part.back() == ']') {
      try {
        index = std::stoi(part.substr(open + 1, part.size() - open - 2));
      } catch (const std::exception&) {
        return fmt::format("\"{}\" has a bad index", part);
      }
      part = part.substr(0, open);
    }
    const pb::Descriptor* d = msg->GetDescriptor();
    const pb::FieldDescriptor* f = d->FindFieldByName(part);
    if (f == nullptr) {
      std::string best;
      std::size_t best_distance = std::string::npos;
      for (int i = 0; i < d->field_count(); ++i) {
        const auto distance = edit_distance(part, d->field(i)->name());
        if (distance < best_distance) best_distance = distance, best = d->field(i)->name();
      }
      return fmt::format("no field \"{}\" in {}{}", part, d->name(),
                         best_distance <= 2 ? fmt::format("; did you mean \"{}\"?", best) : "");
    }
    const pb::Reflection* r = msg->GetReflection();
    if (f->is_repeated() != (index >= 0)) {
      return fmt::format("\"{}\" {}", part,
                         f->is_repeated() ? "is repeated: give an index, e.g. [0]"
                                          : "is not repeated: drop the index");
    }
    if (dot == std::string::npos) {
      if (f->is_repeated()) return fmt::format("\"{}\" is a list, not a number", part);
      switch (f->cpp_type()) {
        case pb::FieldDescriptor::CPPTYPE_DOUBLE:
          r->SetDouble(msg, f, value);
          return "";
        case pb::FieldDescriptor::CPPTYPE_FLOAT:
          r->SetFloat(msg, f, float(value));
          return "";
        case pb::FieldDescriptor::CPPTYPE_INT32:
          r->SetInt32(msg, f, int32_t(std::llround(value)));
          return "";
        case pb::FieldDescriptor::CPPTYPE_INT64:
          r->SetInt64(msg, f, std::llround(value));
          return "";
        case pb::FieldDescriptor::CPPTYPE_UINT32:
        case pb::FieldDescriptor::CPPTYPE_UINT64:
          if (value < 0) return fmt::format("\"{}\" cannot be negative, got {}", part, value);
          if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_UINT32) {
            r->SetUInt32(msg, f, uint32_t(std::llround(value)));
          } else {
            r->SetUInt64(msg, f, uint64_t(std::llround(value)));
          }
          return "";
        case pb::FieldDescriptor::CPPTYPE_BOOL:
          r->SetBool(msg, f, value != 0);
          return "";
        case pb::FieldDescriptor::CPPTYPE_ENUM: {
          const auto* e = f->enum_type()->FindValueByNumber(int(std::llround(value)));
          if (e == nullptr)
            return fmt::format("{} has no value numbered {}", f->enum_type()->name(), value);
          r->SetEnum(msg, f, e);
          return "";
        }
        default:
          return fmt::format("\"{}\" is not a number, a boolean or an enum", part);
      }
    }
    if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      return fmt::format("\"{}\" is a value, not a message", part);
    }
    if (index >= 0) {
      if (index >= r->FieldSize(*msg, f)) {
        return fmt::format("{}[{}] does not exist: the scenario has {}", part, index,
                           r->FieldSize(*msg, f));
      }
      msg = r->MutableRepeatedMessage(msg, f, index);
    } else {
      msg = r->MutableMessage(msg, f);
    }
    start = dot + 1;
  }
}

}  // namespace

Config parse(std::string_view text, std::string_view origin, const std::filesystem::path& base_dir,
             const Overrides& overrides) {
  Scenario s;
  Tree tree;
  parse_message(text, origin, s, tree);
  return convert(s, tree, origin, base_dir, overrides);
}

Config load(const std::filesystem::path& file, const Overrides& overrides) {
  Scenario s;
  Tree tree;
  parse_message(read_scenario_file(file), file.string(), s, tree);
  return convert(s, tree, file.string(), file.parent_path(), overrides, file);
}

SweepPlan load_sweep(const std::filesystem::path& file, const Overrides& overrides) {
  const std::string origin = file.string();
  Scenario s;
  Tree tree;
  parse_message(read_scenario_file(file), origin, s, tree);
  SweepPlan plan;
  {
    Scenario base = s;
    plan.base = convert(base, tree, origin, file.parent_path(), overrides, file);
  }
  const Node root{s, &tree, "", Location{0, 0}};
  const Node sweep = root.child("sweep");
  if (s.sweep().axes_size() == 0) {
    throw InputError(
        fmt::format("{}: sweep must list at least one axis (sweep {{ axes {{ field: ... "
                    "values: [...] }} }}), got none",
                    origin));
  }
  Checker check{origin};
  const pb::FieldDescriptor* axes_field = s.sweep().GetDescriptor()->FindFieldByName("axes");
  const auto design = s.sweep().design();
  for (int a = 0; a < s.sweep().axes_size(); ++a) {
    const auto& axis = s.sweep().axes(a);
    const Node an{axis, Checker::nested(sweep.tree, axes_field, a),
                  fmt::format("sweep.axes[{}]", a),
                  Checker::locate(sweep.tree, axes_field, sweep.where, a)};
    std::string path = axis.field();
    if (path.rfind("campaign.", 0) == 0) path = "dynamics.campaign.brands[0]." + path.substr(9);
    plan.fields.push_back(path);
    Scenario probe = s;
    const std::string error =
        set_by_path(probe, path, axis.values_size() ? axis.values(0) : axis.min());
    if (!error.empty()) {
      check.fail(an.at("field"), fmt::format("{}.field: {} (path \"{}\")", an.path, error, path));
    }
    if (design == buzzsim::Sweep::GRID && axis.values_size() == 0) {
      check.fail(an.where, fmt::format("{}.values must list the grid's values, got none", an.path));
    }
    if (design != buzzsim::Sweep::GRID && !(axis.min() < axis.max())) {
      check.fail(an.at("max"),
                 fmt::format("{}: min must be below max for a {} design, got [{}, {}]", an.path,
                             buzzsim::Sweep::Design_Name(design), axis.min(), axis.max()));
    }
  }
  check.throw_if_failed();

  // The points.
  const std::size_t axes = plan.fields.size();
  std::vector<std::vector<double>> points;
  if (design == buzzsim::Sweep::GRID) {
    points.push_back({});
    for (std::size_t a = 0; a < axes; ++a) {
      std::vector<std::vector<double>> next;
      for (const auto& p : points) {
        for (double v : s.sweep().axes(int(a)).values()) {
          next.push_back(p);
          next.back().push_back(v);
        }
      }
      points = std::move(next);
    }
  } else {
    // Draws from a stream of their own, keyed by point and axis.
    const engine::Random random(plan.base.seed, 0x7377656570000000ull);  // "sweep"
    const std::uint32_t n = s.sweep().points();
    points.assign(n, std::vector<double>(axes));
    for (std::size_t a = 0; a < axes; ++a) {
      const auto& axis = s.sweep().axes(int(a));
      std::vector<std::uint32_t> strata(n);
      std::iota(strata.begin(), strata.end(), 0u);
      for (std::uint32_t i = 0; i + 1 < n; ++i) {
        std::swap(strata[i], strata[i + random.below(n - i, a, i, 1)]);
      }
      for (std::uint32_t i = 0; i < n; ++i) {
        const double u = random.uniform(a, i, 2);
        const double x = design == buzzsim::Sweep::RANDOM ? u : (strata[i] + u) / n;
        points[i][a] = axis.min() + x * (axis.max() - axis.min());
      }
    }
  }

  for (std::uint32_t i = 0; i < points.size(); ++i) {
    Scenario point = s;
    point.clear_sweep();
    std::string assignments;
    for (std::size_t a = 0; a < axes; ++a) {
      set_by_path(point, plan.fields[a], points[i][a]);
      assignments += fmt::format("{}{} = {}", a ? ", " : "", plan.fields[a], points[i][a]);
    }
    try {
      plan.points.push_back(
          {i, points[i], convert(point, tree, origin, file.parent_path(), overrides, file)});
    } catch (const InputError& e) {
      throw InputError(fmt::format("{}\n{}: sweep point {} ({}) breaks the rule above", e.what(),
                                   origin, i, assignments));
    }
  }
  return plan;
}

std::string hash(const Config& config) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(config.canonical_text.data(), config.canonical_text.size(), digest, &size,
                 EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace buzz::scenario
