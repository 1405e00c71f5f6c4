#include "sim/batch/output_dir.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "sim/common/input_error.hpp"

namespace buzz::batch {

namespace fs = std::filesystem;

namespace {
fs::path sibling(const fs::path& target, std::string_view tag) {
  return target.parent_path() /
         fmt::format(".{}.{}-{}", target.filename().string(), tag, ::getpid());
}

bool alive(long pid) { return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM); }

// What runs into `target` that were killed left beside it: an old output moved aside goes
// back when nothing replaced it; staging folders and replaced outputs are removed.
void clean_leftovers(const fs::path& target) {
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) return;
  const std::string prefix = fmt::format(".{}.", target.filename().string());
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string rest = name.substr(prefix.size());
    const auto dash = rest.rfind('-');
    if (dash == std::string::npos) continue;
    const std::string tag = rest.substr(0, dash);
    if (tag != "staging" && tag != "replaced") continue;
    long pid = 0;
    try {
      pid = std::stol(rest.substr(dash + 1));
    } catch (const std::exception&) {
      continue;
    }
    if (alive(pid)) continue;
    std::error_code ignored;
    if (tag == "replaced" && !fs::exists(target, ignored)) {
      fs::rename(entry.path(), target, ignored);
    } else {
      fs::remove_all(entry.path(), ignored);
    }
  }
}
}  // namespace

void write_marker(const fs::path& folder) {
  write_file(folder / kOutputMarker, "written by buzzsim; --overwrite may replace this folder\n");
}

void check_replaceable(const fs::path& folder) {
  if (!fs::exists(folder / kOutputMarker)) {
    throw InputError(fmt::format(
        "{}: --overwrite replaces only a folder buzzsim wrote (it holds {}), and this one does "
        "not; not touching it: choose another --out or remove it yourself",
        folder.string(), kOutputMarker));
  }
}

OutputDir::OutputDir(fs::path target, bool overwrite)
    : target_(std::move(target)), overwrite_(overwrite) {
  if (target_.filename().empty()) target_ = target_.parent_path();
  if (target_.empty()) throw InputError("--out must name a folder, got an empty path");
  if (fs::exists(target_) && !fs::is_directory(target_)) {
    throw InputError(fmt::format("{}: --out names a file, not a folder", target_.string()));
  }
  clean_leftovers(target_);
  if (fs::exists(target_) && overwrite_) check_replaceable(target_);
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
  write_marker(staging_);
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

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
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

void open_resumable(const std::filesystem::path& folder, const std::string& plan_file,
                    const std::string& identity, bool resume, bool overwrite, std::string_view what,
                    std::string_view same) {
  namespace fs = std::filesystem;
  if (fs::exists(folder) && resume) {
    if (read_file(folder / plan_file) != identity) {
      throw InputError(
          fmt::format("{}: holds a different {} (or none); --resume continues only the same {}",
                      folder.string(), what, same));
    }
    return;
  }
  if (fs::exists(folder) && !overwrite) {
    throw InputError(
        fmt::format("{}: output folder already exists; pass --resume to continue the {} in it, "
                    "--overwrite to start again, or choose another --out",
                    folder.string(), what));
  }
  if (fs::exists(folder)) check_replaceable(folder);
  fs::remove_all(folder);
  fs::create_directories(folder);
  write_marker(folder);
  write_file(folder / plan_file, identity);
}

}  // namespace buzz::batch
