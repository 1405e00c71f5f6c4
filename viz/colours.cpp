#include "viz/colours.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace buzz::viz {

std::vector<std::uint32_t> state_colours(const std::vector<std::string>& names) {
  constexpr std::uint32_t grey = 0xff66605a, light_blue = 0xfff6b564, blue = 0xffe5881e,
                          green = 0xff47a043, orange = 0xff00b3ff, red = 0xff3539e5;
  constexpr std::uint32_t spare[] = {0xffc080c0, 0xff80c0c0, 0xffc0c080};
  const std::pair<const char*, std::uint32_t> known[] = {
      {"unaware", grey},   {"susceptible", grey}, {"ignorant", grey},   {"inactive", grey},
      {"potential", grey}, {"aware", light_blue}, {"engaged", blue},    {"advocate", green},
      {"annoyed", orange}, {"detractor", red},    {"infectious", red},  {"active", red},
      {"spreader", red},   {"adopted", red},      {"recovered", green}, {"stifler", green},
      {"spent", green}};
  std::vector<std::uint32_t> out;
  std::size_t spares = 0;
  for (const auto& n : names) {
    const auto it = std::find_if(std::begin(known), std::end(known),
                                 [&](const auto& k) { return n == k.first; });
    out.push_back(it != std::end(known) ? it->second : spare[spares++ % std::size(spare)]);
  }
  if (out.empty()) out.push_back(grey);  // a model that names no states: everyone grey
  return out;
}

}  // namespace buzz::viz
