// Catch2 v2's main, compiled once into its own object (it is slow to build),
// plus a listener that ends every run with the plain line
//     tests: N passed, M failed
// counting test cases, so that CI and people read the same summary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdio>

namespace {

struct SummaryLine : Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;
    void testRunEnded(Catch::TestRunStats const& stats) override {
        const auto& cases = stats.totals.testCases;
        std::fflush(stdout);
        std::printf("tests: %llu passed, %llu failed\n",
                    static_cast<unsigned long long>(cases.passed),
                    static_cast<unsigned long long>(cases.failed + cases.failedButOk));
        std::fflush(stdout);
    }
};

}  // namespace

CATCH_REGISTER_LISTENER(SummaryLine)
