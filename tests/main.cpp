// Catch2 v2's main, compiled once into its own object (it is slow to build).
// A listener counts the test cases; after Catch's own report the run ends
// with the plain line
//     tests: N passed, M failed
// so that CI and people read the same summary. The exit status is non-zero
// when anything failed.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>

namespace {

std::size_t g_passed = 0, g_failed = 0;

struct CountCases : Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;
    void testRunEnded(Catch::TestRunStats const& stats) override {
        g_passed = stats.totals.testCases.passed;
        g_failed = stats.totals.testCases.failed + stats.totals.testCases.failedButOk;
    }
};

}  // namespace

CATCH_REGISTER_LISTENER(CountCases)

int main(int argc, char* argv[]) {
    const int failed_assertions = Catch::Session().run(argc, argv);
    std::fflush(stdout);
    std::printf("tests: %zu passed, %zu failed\n", g_passed, g_failed);
    return (failed_assertions != 0 || g_failed != 0) ? 1 : 0;
}
