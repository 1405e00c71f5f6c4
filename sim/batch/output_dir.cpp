#include "sim/batch/output_dir.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "sim/common/input_error.hpp"

namespace buzz::batch {

namespace fs = std::filesystem;

namespace {
fs::path sibling(const fs::path& target, std::string_view tag) {
  return target.parent_path() /
         fmt::format(".{}.{}-{}", target.filename().string(), tag, ::getpid());
}
}  // namespace

OutputDir::OutputDir(fs::path target, bool overwrite)
    : target_(std::move(target)), overwrite_(overwrite) {
  if (target_.filename().empty()) target_ = target_.parent_path();
  if (target_.empty()) throw InputError("--out must name a folder, got an empty path");
  if (fs::exists(target_) && !fs::is_directory(target_)) {
    throw InputError(fmt::format("{}: --out names a file, not a folder", target_.string()));
  }
  if (fs::exists(target_) && !overwrite_) {
    throw InputError(
        fmt::format("{}: output folder already exists; pass --overwrite to replace it "
                    "or choose another --out",
                    target_.string()));
  }
  std::error_code ec;
  // Folders made for the target are removed again if the run does not commit.
  for (fs::path p = target_.parent_path(); !p.empty() && !fs::exists(p); p = p.parent_path()) {
    created_.push_back(p);
    if (p == p.parent_path()) break;
  }
  if (!target_.parent_path().empty()) fs::create_directories(target_.parent_path(), ec);
  staging_ = sibling(target_, "staging");
  if (!ec) fs::remove_all(staging_, ec);
  if (!ec) fs::create_directory(staging_, ec);
  if (ec) {
    throw InputError(
        fmt::format("{}: cannot create the output folder ({})", target_.string(), ec.message()));
  }
}

OutputDir::~OutputDir() {
  if (committed_) return;
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
  for (const auto& p : created_) fs::remove(p, ignored);  // innermost first; only if empty
}

void OutputDir::commit() {
  if (fs::exists(target_)) {
    if (!overwrite_) {
      throw InputError(fmt::format("{}: output folder appeared while running; not replacing it",
                                   target_.string()));
    }
    const fs::path old = sibling(target_, "replaced");
    fs::rename(target_, old);
    fs::rename(staging_, target_);
    fs::remove_all(old);
  } else {
    fs::rename(staging_, target_);
  }
  committed_ = true;
}

void write_file(const fs::path& path, std::string_view content) {
  const fs::path temp = path.string() + ".partial";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      const int reason = errno;
      std::error_code ignored;
      fs::remove(temp, ignored);
      throw InputError(fmt::format("{}: cannot write ({})", path.string(), std::strerror(reason)));
    }
  }
  fs::rename(temp, path);
}

}  // namespace buzz::batch
