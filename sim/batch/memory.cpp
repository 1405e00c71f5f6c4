#include "sim/batch/memory.hpp"

#include <fmt/format.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/common/input_error.hpp"
#include "sim/common/overload.hpp"
#include "sim/dynamics/campaign.hpp"

namespace buzz::batch {

namespace {

// Bytes per recorded value at the peak of writing: the record itself, its row of
// timeseries.csv and its place in result.binpb (message and serialised).
constexpr double kBytesPerValue = 36;
// Bytes per tie while the graph is built (both arcs, plus the sort's scratch) and per
// person (offsets, community, activity).
constexpr double kBytesPerTie = 24, kBytesPerNode = 24;

double gib(double bytes) { return bytes / (1024.0 * 1024.0 * 1024.0); }

std::string size_text(double bytes) {
  return bytes >= 1024.0 * 1024.0 * 1024.0 ? fmt::format("{:.1f} GB", gib(bytes))
                                           : fmt::format("{:.1f} MB", bytes / (1024.0 * 1024.0));
}

}  // namespace

MemoryEstimate estimate_memory(const scenario::Config& c, unsigned threads) {
  MemoryEstimate e;
  const auto [nodes, ties] = std::visit(
      Overload{[](const graph::CommunitySpec& s) {
                 return std::pair(double(s.nodes), double(s.nodes) * s.mean_degree / 2);
               },
               [](const graph::ErdosRenyiSpec& s) {
                 return std::pair(double(s.nodes), double(s.nodes) * s.mean_degree / 2);
               },
               [](const graph::WattsStrogatzSpec& s) {
                 return std::pair(double(s.nodes), double(s.nodes) * s.neighbors / 2);
               },
               [](const graph::BarabasiAlbertSpec& s) {
                 return std::pair(double(s.nodes), double(s.nodes) * s.edges_per_node);
               },
               [](const graph::CompleteSpec& s) {
                 return std::pair(double(s.nodes), double(s.nodes) * (double(s.nodes) - 1) / 2);
               },
               [](const graph::RandomRegularSpec& s) {
                 return std::pair(double(s.nodes), double(s.nodes) * s.degree / 2);
               },
               [](const graph::ConfigurationSpec& s) {
                 double ties = 0;
                 for (auto d : s.degrees) ties += d;
                 return std::pair(double(s.degrees.size()), ties / 2);
               },
               [](const graph::EdgeListSpec&) { return std::pair(0.0, 0.0); }},
      c.graph);
  e.graph = nodes * kBytesPerNode + ties * kBytesPerTie;
  const double at_once = std::min<double>(c.replicates, std::max(1u, threads));
  double per_agent = 16;
  e.columns = 8;
  if (const auto* campaign = std::get_if<dynamics::CampaignParams>(&c.dynamics)) {
    const double brands = double(std::max<std::size_t>(1, campaign->brands.size()));
    per_agent = 160 + 32 * brands;  // person, feed, schedule; a relation per brand
    // Beside the brands' columns: replicate, tick and day in timeseries.csv, and the tick
    // each record keeps.
    constexpr std::uint64_t kRowExtras = 4;
    e.columns =
        std::uint64_t(brands) * dynamics::Campaign::brand_tick_reporters().size() + kRowExtras;
  }
  e.agents = at_once * nodes * per_agent;
  e.records = c.ticks / std::max(1u, c.record_every) + 2;
  e.series = double(c.replicates) * double(e.records) * double(e.columns) * kBytesPerValue;
  return e;
}

double physical_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && size > 0 ? double(pages) * double(size) : 0;
}

void check_memory(const scenario::Config& config, unsigned threads) {
  const auto e = estimate_memory(config, threads);
  const double limit = physical_memory();
  if (limit <= 0 || e.total() <= limit) return;
  throw InputError(fmt::format(
      "{}: this run needs about {:.1f} GB of memory (time series {:.1f} GB: {} replicates x "
      "{} records x {} columns; graph {:.1f} GB; agents {:.1f} GB), more than this machine's "
      "{:.1f} GB; record less often (outputs.record_every), or run fewer replicates, ticks or "
      "people",
      config.origin, gib(e.total()), gib(e.series), config.replicates, e.records, e.columns,
      gib(e.graph), gib(e.agents), gib(limit)));
}

double estimate_output_bytes(const std::vector<scenario::Config>& configs) {
  // timeseries.csv (about 12 bytes a value) and result.binpb (about 9).
  double bytes = 0;
  for (const auto& c : configs) {
    const auto e = estimate_memory(c, 1);
    bytes += double(c.replicates) * double(e.records) * double(e.columns) * 21;
  }
  return bytes;
}

void check_disk_space(const std::vector<scenario::Config>& configs,
                      const std::filesystem::path& folder) {
  if (folder.empty()) return;  // refused as an output folder elsewhere
  // The disk of the nearest folder that exists: the output folder is made later.
  std::filesystem::path at = std::filesystem::absolute(folder);
  std::error_code ec;
  while (!std::filesystem::exists(at, ec) && at.has_parent_path() && at != at.parent_path()) {
    at = at.parent_path();
  }
  struct statvfs fs {};
  if (statvfs(at.c_str(), &fs) != 0) return;  // unknown: the writes will say
  const double free = double(fs.f_bavail) * double(fs.f_frsize);
  const double need = estimate_output_bytes(configs);
  if (need <= free) return;
  throw InputError(fmt::format(
      "{}: the outputs need about {}, and the disk that would hold them ({}) has {} free; "
      "free some space, choose another --out, or record less often (outputs.record_every)",
      folder.string(), size_text(need), at.string(), size_text(free)));
}

}  // namespace buzz::batch
