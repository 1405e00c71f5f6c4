#pragma once

// What the fuzz targets share: a scratch file per process to hand bytes to readers that
// take a path, and the rule that a clear InputError is the right answer to bad bytes,
// while anything else (a crash, a sanitizer report, another exception) is a finding.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "sim/common/input_error.hpp"

namespace buzz::fuzz {

inline std::filesystem::path scratch(const std::string& name) {
  static const auto dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("buzz-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir / name;
}

inline std::filesystem::path write(const std::string& name, std::string_view bytes) {
  const auto path = scratch(name);
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), bytes.size());
  return path;
}

// Legitimate inputs may name up to hundreds of millions of nodes; the fuzzer's memory limit
// would call those out of memory. Numbers of eight or more digits are skipped here: the
// limits on them are tested in tests/bad_inputs instead.
inline bool has_huge_number(std::string_view bytes) {
  std::size_t run = 0;
  for (char c : bytes) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run >= 8) return true;
  }
  return false;
}

template <typename F>
int expect_clean(F&& f) {
  try {
    f();
  } catch (const InputError&) {
    // The answer to bad input.
  }
  return 0;
}

}  // namespace buzz::fuzz
