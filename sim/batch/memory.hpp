#pragma once

// What a run will need in memory, estimated before anything is allocated, so that a run
// the machine cannot hold is refused with the reason instead of dying halfway.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "sim/scenario/config.hpp"

namespace buzz::batch {

struct MemoryEstimate {
  double graph = 0;   // bytes: the graph and its building
  double agents = 0;  // bytes: the models of the replicates that run at once
  double series = 0;  // bytes: every replicate's recorded time series and its outputs
  std::uint64_t records = 0, columns = 0;
  double total() const { return graph + agents + series; }
};

// An upper estimate for the scenario run with `threads` threads; an edge-list graph counts
// as nothing (its size is known only once read).
MemoryEstimate estimate_memory(const scenario::Config& config, unsigned threads);

// The machine's physical memory in bytes.
double physical_memory();

// Throws InputError naming the scenario, the estimate and its parts, the machine's memory
// and what to change, when the run would need more than the machine has.
void check_memory(const scenario::Config& config, unsigned threads);

// The bytes the outputs of these scenarios take on disk, estimated from their time series.
double estimate_output_bytes(const std::vector<scenario::Config>& configs);

// Throws InputError naming `folder`, the estimate and the free space of the disk that would
// hold it, when the outputs of `configs` would not fit there.
void check_disk_space(const std::vector<scenario::Config>& configs,
                      const std::filesystem::path& folder);

}  // namespace buzz::batch
