#include "sim/common/input_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/common/input_error.hpp"

namespace buzz {

std::string unreadable_reason(const std::filesystem::path& path) {
  std::error_code ec;  // a path the system refuses (too long, say) is the user's to fix
  const auto status = std::filesystem::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) return ec.message();
  if (!std::filesystem::exists(status)) return std::strerror(ENOENT);
  if (std::filesystem::is_directory(status)) return "it is a folder";
  if (!std::filesystem::is_regular_file(status)) return "it is not a regular file";
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::strerror(errno);
  return "";
}

std::string read_input_file(const std::filesystem::path& path, std::string_view what) {
  if (const std::string why = unreadable_reason(path); !why.empty()) {
    throw InputError(fmt::format("{}: cannot read the {} ({})", path.string(), what, why));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

}  // namespace buzz
