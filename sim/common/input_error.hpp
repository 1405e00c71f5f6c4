#pragma once

#include <stdexcept>
#include <string>

namespace buzz {

// Bad input from a user: a scenario file, a graph file or the command line. The message
// is complete and ready to print, e.g.
//   scenarios/x.textproto:12:5: dynamics.sir.beta must be in [0, 1], got 1.5
// Commands exit with status 2 on it; any other exception is an internal fault (status 1).
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace buzz
