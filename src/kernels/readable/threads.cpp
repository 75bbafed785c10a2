// The readable build runs everything on the calling thread: parallel_for and
// parallel_ranges (kernels.hpp) see num_threads() == 1 and loop in order.
#include "kernels/kernels.hpp"

namespace llm::kernels {

int num_threads() { return 1; }
void set_num_threads(int) {}                        // one thread whatever is asked

void detail::run_parallel(int n, TaskRef task) {    // (not reached: num_threads() is 1)
    for (int i = 0; i < n; ++i) task.call(task.ctx, i);
}

}  // namespace llm::kernels
