#pragma once

namespace buzz {

// Visitor from lambdas, for std::visit over the spec variants.
template <class... Fns>
struct Overload : Fns... {
  using Fns::operator()...;
};

}  // namespace buzz
