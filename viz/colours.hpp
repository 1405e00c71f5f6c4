#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace buzz::viz {

// Agent colours (0xAABBGGRR) by the state's name, so that a state means one colour in every
// model (nobody reached grey, spreading red, done green) and a model's states never share
// one; names not listed take a spare colour.
std::vector<std::uint32_t> state_colours(const std::vector<std::string>& names);

}  // namespace buzz::viz
