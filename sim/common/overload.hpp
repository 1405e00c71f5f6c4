#pragma once

namespace buzz {

// Visitor from lambdas, for std::visit over the spec variants.
template <class... Fns>
struct Overload : Fns... {
  using Fns::operator()...;
};
// Clang 14 does not deduce aggregate template arguments (P1816) without a guide.
template <class... Fns>
Overload(Fns...) -> Overload<Fns...>;

}  // namespace buzz
