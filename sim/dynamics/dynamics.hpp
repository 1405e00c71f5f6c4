#pragma once

#include <memory>
#include <string_view>

#include "sim/dynamics/spec.hpp"
#include "sim/engine/model.hpp"
#include "sim/graph/graph.hpp"

namespace buzz::dynamics {

// A fresh model of the given dynamics on `graph`, which must outlive it.
std::unique_ptr<engine::Model> make_model(const DynamicsSpec& spec, const graph::Graph& graph);

// The scenario-file name of the dynamics, e.g. "independent_cascade".
std::string_view name(const DynamicsSpec& spec);

}  // namespace buzz::dynamics
