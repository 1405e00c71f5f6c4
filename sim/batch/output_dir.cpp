#include "sim/batch/output_dir.hpp"

#include <fmt/format.h>
#include <unistd.h>

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
  if (fs::exists(target_) && !overwrite_) {
    throw InputError(
        fmt::format("{}: output folder already exists; pass --overwrite to replace it "
                    "or choose another --out",
                    target_.string()));
  }
  if (!target_.parent_path().empty()) fs::create_directories(target_.parent_path());
  staging_ = sibling(target_, "staging");
  fs::remove_all(staging_);
  fs::create_directory(staging_);
}

OutputDir::~OutputDir() {
  if (committed_) return;
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
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
    if (!out) throw std::runtime_error(fmt::format("{}: write failed", temp.string()));
  }
  fs::rename(temp, path);
}

}  // namespace buzz::batch
