// libbuzz_mpi: the few MPI calls buzzsim makes, behind a C interface that the executable
// loads with dlopen only when it runs under mpirun, so that ordinary runs do not pay for
// loading and initialising the MPI libraries.
#include <mpi.h>

#include <cstdint>

extern "C" {

int buzz_mpi_init(int* rank, int* size) {
  if (MPI_Init(nullptr, nullptr) != MPI_SUCCESS) return 1;
  MPI_Comm_rank(MPI_COMM_WORLD, rank);
  MPI_Comm_size(MPI_COMM_WORLD, size);
  return 0;
}

void buzz_mpi_finalize() { MPI_Finalize(); }

void buzz_mpi_barrier() { MPI_Barrier(MPI_COMM_WORLD); }

void buzz_mpi_abort(int status) { MPI_Abort(MPI_COMM_WORLD, status); }

void buzz_mpi_sum_doubles(double* values, int count) {
  MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}

std::uint64_t buzz_mpi_sum_u64(std::uint64_t value) {
  unsigned long long in = value, out = 0;
  MPI_Allreduce(&in, &out, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  return out;
}
}
