/* The peer for continuous-time SIR: igraph's igraph_sir (Gillespie, one random initial
 * infected person) on G(n, m) with m = n k / 2, timed per simulation. Prints the seconds
 * per major outbreak (one that reaches 1% of the graph) and the mean final size of those.
 * Built by bench/sir_vs_igraph.sh when libigraph-dev is installed.
 * Usage: igraph_sir N K BETA GAMMA RUNS SEED */
#include <igraph/igraph.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: igraph_sir N K BETA GAMMA RUNS SEED\n");
    return 2;
  }
  const igraph_integer_t n = atoll(argv[1]);
  const double k = atof(argv[2]), beta = atof(argv[3]), gamma = atof(argv[4]);
  const int runs = atoi(argv[5]);
  igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)atoll(argv[6]));
  igraph_t graph;
  igraph_erdos_renyi_game_gnm(&graph, n, (igraph_integer_t)(n * k / 2), IGRAPH_UNDIRECTED,
                              IGRAPH_NO_LOOPS);
  double major_seconds = 0, minor_seconds = 0, major_size = 0;
  int major = 0;
  for (int r = 0; r < runs; ++r) {
    igraph_vector_ptr_t result;
    igraph_vector_ptr_init(&result, 0);
    const double t0 = now();
    igraph_sir(&graph, beta, gamma, 1, &result);
    const double seconds = now() - t0;
    igraph_sir_t* sir = (igraph_sir_t*)VECTOR(result)[0];
    const igraph_integer_t last = igraph_vector_int_size(&sir->no_r) - 1;
    const double size = (double)VECTOR(sir->no_r)[last] / (double)n;
    if (size >= 0.01) {
      ++major;
      major_seconds += seconds;
      major_size += size;
    } else {
      minor_seconds += seconds;
    }
    igraph_sir_destroy(sir);
    free(sir);
    igraph_vector_ptr_destroy(&result);
  }
  printf("igraph_sir: %d of %d runs major; %.3f s per major outbreak, final size %.4f; "
         "%.3f s in minor ones\n",
         major, runs, major > 0 ? major_seconds / major : 0.0, major > 0 ? major_size / major : 0.0,
         minor_seconds);
  igraph_destroy(&graph);
  return 0;
}
