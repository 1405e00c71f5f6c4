#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/engine/model.hpp"

namespace buzz::viz {

// Colours are 0xAABBGGRR, as OpenGL and ImGui read them.
constexpr std::uint32_t rgb(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  return 0xff000000u | std::uint32_t(b) << 16 | std::uint32_t(g) << 8 | r;
}

// The panes' background (glClearColor 0.08, 0.09, 0.11).
constexpr std::uint32_t kBackground = rgb(20, 23, 28);

// Okabe and Ito's colour-blind-safe palette ("Color Universal Design", 2002), and a grey
// for people nothing has reached yet, light enough to stand out from the background.
namespace palette {
constexpr std::uint32_t grey = rgb(0x70, 0x70, 0x70), orange = rgb(0xe6, 0x9f, 0x00),
                        sky_blue = rgb(0x56, 0xb4, 0xe9), bluish_green = rgb(0x00, 0x9e, 0x73),
                        yellow = rgb(0xf0, 0xe4, 0x42), blue = rgb(0x00, 0x72, 0xb2),
                        vermillion = rgb(0xd5, 0x5e, 0x00), reddish_purple = rgb(0xcc, 0x79, 0xa7);
}  // namespace palette

// Agent colours by the state's role (engine::StateRole, declared by each model), so that a
// role means one colour in every model: nobody reached grey, spreading and opposed
// vermillion, informed and done sky blue, engaged blue, a champion yellow, irritated
// orange. A model that declares no roles is drawn grey.
std::vector<std::uint32_t> state_colours(const std::vector<engine::StateRole>& roles);

// WCAG 2.1's contrast ratio of two colours, from 1 (equal) to 21 (black on white); its
// rule for graphical objects (success criterion 1.4.11) asks for at least 3.
double contrast_ratio(std::uint32_t a, std::uint32_t b);

// How a colour looks to someone with a full protan, deutan or tritan colour vision
// deficiency (Machado, Oliveira and Fernandes 2009, severity 1), or to normal vision.
enum class Vision { normal, protan, deutan, tritan };
std::uint32_t as_seen(std::uint32_t colour, Vision vision);

// CIE 1976 colour difference (Delta E*ab) between two colours as `vision` sees them.
double colour_difference(std::uint32_t a, std::uint32_t b, Vision vision);

}  // namespace buzz::viz
