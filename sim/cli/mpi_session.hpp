#pragma once

#include <cstddef>
#include <vector>

namespace buzz::cli {

// Under mpirun (Open MPI sets OMPI_COMM_WORLD_SIZE), sweep points, uncertainty draws and
// calibration particles are spread over the ranks. The MPI libraries are loaded (from
// libbuzz_mpi.so beside the executable) only then: a plain run starts without them.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool active() const { return active_; }
  void barrier() const;
  // Ends every rank: one rank's bad input must not leave the others at a barrier.
  [[noreturn]] void abort(int status) const;
  // Element-wise sum over the ranks, on every rank.
  void sum(std::vector<double>& values) const;
  std::size_t sum(std::size_t value) const;

  struct Api;  // the plugin's functions

 private:
  const Api* api_ = nullptr;
  int rank_ = 0, size_ = 1;
  bool active_ = false;
};

}  // namespace buzz::cli
