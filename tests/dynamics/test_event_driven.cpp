#include <catch2/catch.hpp>

#include <cmath>
#include <queue>
#include <tuple>

#include "sim/dynamics/event_driven.hpp"
#include "sim/dynamics/seeding.hpp"
#include "sim/engine/engine.hpp"
#include "sim/graph/build.hpp"

using namespace buzz;

namespace {

// The event-driven SIR/SIS as first written, plainly: every tie's transmission times drawn
// with a logarithm, every event on a binary heap. The model skips draws that cannot matter
// and keeps a 4-ary heap; it must give these states at every tick, bit for bit.
class Reference {
 public:
  Reference(const graph::Graph& g, const dynamics::SirParams& p, const engine::Random& random)
      : g_(g), p_(p), random_(random), state_(g.num_nodes(), 0), infections_(g.num_nodes(), 0) {
    for (graph::Vertex v : dynamics::choose_seeds(g, p.seeds, random)) infect(v, 0);
  }

  void run_to(std::uint32_t tick) {
    while (!events_.empty() && std::get<0>(events_.top()) <= tick) {
      const auto [time, target, recovery, infection] = events_.top();
      events_.pop();
      if (recovery) {
        if (state_[target] != 1 || infections_[target] != infection) continue;
        state_[target] = p_.reinfection ? 0 : 2;
      } else if (state_[target] == 0) {
        infect(target, time);
      }
    }
  }
  const std::vector<std::uint8_t>& states() const { return state_; }

 private:
  static constexpr engine::Purpose kRecoveryTime{0xed01}, kTransmissionTime{0xed02};  // the model's
  static double exponential(double u, double rate) { return -std::log1p(-u) / rate; }

  void infect(graph::Vertex v, double time) {
    state_[v] = 1;
    const std::uint32_t k = infections_[v]++;
    const double recovery =
        time + exponential(random_.uniform(k, v, kRecoveryTime), p_.recovery_rate);
    events_.emplace(recovery, v, true, k + 1);
    for (graph::Vertex w : g_.out_neighbors(v)) {
      double t = time;
      for (std::uint32_t j = 0;; ++j) {
        t += exponential(random_.uniform(k, engine::pair_subject(v, w), kTransmissionTime, j),
                         p_.transmission_rate);
        if (t >= recovery) break;
        events_.emplace(t, w, false, 0);
        if (!p_.reinfection) break;
      }
    }
  }

  using Event = std::tuple<double, graph::Vertex, bool, std::uint32_t>;
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a)) >
             std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b));
    }
  };
  const graph::Graph& g_;
  dynamics::SirParams p_;
  engine::Random random_;
  std::vector<std::uint8_t> state_;
  std::vector<std::uint32_t> infections_;
  std::priority_queue<Event, std::vector<Event>, Later> events_;
};

}  // namespace

TEST_CASE("continuous-time SIR and SIS give the plain event-driven algorithm's states",
          "[dynamics][sir][continuous]") {
  const auto g = graph::build(graph::ErdosRenyiSpec{3000, 8}, {1.5, 1}, 5);
  dynamics::SirParams sir{0, 0, {5, dynamics::SeedStrategy::random, {}, {}}};
  sir.continuous_time = true, sir.transmission_rate = 0.4, sir.recovery_rate = 1;
  dynamics::SirParams sis = sir;
  sis.reinfection = true, sis.transmission_rate = 0.3;
  for (const auto& params : {sir, sis}) {
    CAPTURE(params.reinfection);
    const std::uint64_t seed = 9;
    const std::uint32_t replicate = 1;
    dynamics::EventDrivenSir model(g, params);
    engine::Simulation simulation(model, seed, replicate);
    simulation.start();
    Reference reference(g, params, engine::Random(seed, replicate));
    std::vector<std::uint8_t> states(g.num_nodes());
    std::size_t ever_infectious = 0;
    for (std::uint32_t tick = 1; tick <= 30; ++tick) {
      simulation.advance();
      reference.run_to(tick);
      model.agent_states(states);
      CAPTURE(tick);
      REQUIRE(states == reference.states());
      ever_infectious = std::max<std::size_t>(
          ever_infectious, std::count(states.begin(), states.end(), std::uint8_t{1}));
    }
    CHECK(ever_infectious > 300);  // an outbreak, so the comparison covers many events
  }
}
