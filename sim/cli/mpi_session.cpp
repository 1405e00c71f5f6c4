#include "sim/cli/mpi_session.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace buzz::cli {

struct MpiSession::Api {
  int (*init)(int*, int*);
  void (*finalize)();
  void (*barrier)();
  void (*abort)(int);
  void (*sum_doubles)(double*, int);
  std::uint64_t (*sum_u64)(std::uint64_t);
};

namespace {

bool under_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr;
}

// The plugin beside this executable, loaded once. RTLD_GLOBAL: Open MPI's own components
// look up libmpi's symbols.
const MpiSession::Api* load_plugin() {
#ifdef BUZZ_HAVE_MPI
  static const MpiSession::Api* api = []() -> const MpiSession::Api* {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto path = (ec ? std::filesystem::path(".") : self.parent_path()) / "libbuzz_mpi.so";
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (handle == nullptr) {
      std::cerr << fmt::format(
          "buzzsim: running under mpirun, but the MPI plugin cannot be loaded ({}); every "
          "rank will do all the work\n",
          dlerror());
      return nullptr;
    }
    static MpiSession::Api loaded{};
    const auto bind = [&](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(handle, name));
      return fn != nullptr;
    };
    if (!bind(loaded.init, "buzz_mpi_init") || !bind(loaded.finalize, "buzz_mpi_finalize") ||
        !bind(loaded.barrier, "buzz_mpi_barrier") || !bind(loaded.abort, "buzz_mpi_abort") ||
        !bind(loaded.sum_doubles, "buzz_mpi_sum_doubles") ||
        !bind(loaded.sum_u64, "buzz_mpi_sum_u64")) {
      std::cerr << fmt::format("buzzsim: {} lacks a function buzzsim needs\n", path.string());
      return nullptr;
    }
    return &loaded;
  }();
  return api;
#else
  return nullptr;
#endif
}

}  // namespace

MpiSession::MpiSession() {
  if (!under_mpirun()) return;
  api_ = load_plugin();
  if (api_ != nullptr && api_->init(&rank_, &size_) == 0) active_ = true;
}

MpiSession::~MpiSession() {
  if (active_) api_->finalize();
}

void MpiSession::barrier() const {
  if (active_) api_->barrier();
}

void MpiSession::abort(int status) const {
  if (active_) api_->abort(status);
  std::exit(status);
}

void MpiSession::sum(std::vector<double>& values) const {
  if (active_) api_->sum_doubles(values.data(), static_cast<int>(values.size()));
}

std::size_t MpiSession::sum(std::size_t value) const {
  return active_ ? static_cast<std::size_t>(api_->sum_u64(value)) : value;
}

}  // namespace buzz::cli
