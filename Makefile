# Build an LLM from scratch, Part I — C++20 reference.
# `make help` lists the targets. Everything is built into build/.
#
#   CXX       compiler (g++ >= 12 or clang++ >= 14)          default: g++
#   CXXFLAGS  optimisation flags, overridable                 default: -O3 -march=native -g
#   EXTRA     appended flags, e.g. EXTRA=-Werror or sanitizers
#
# Flags that are always on: C++20, warnings, dependency tracking, and
# -ffp-contract=off so that g++ and clang++ round every expression the same
# way (no silent a*b+c fusion). Never -ffast-math or -Ofast.

CXX      ?= g++
ifeq ($(origin CXX),default)
CXX      := g++
endif
CXXFLAGS ?= -O3 -march=native -g
EXTRA    ?=
BUILD    ?= build

WARN     := -Wall -Wextra -Wpedantic
ALLFLAGS := -std=c++20 $(WARN) -ffp-contract=off $(CXXFLAGS) $(EXTRA) -Isrc -Ilessons -MMD -MP
LDLIBS   := -pthread

SRC      := $(wildcard src/*/*.cpp)
LIB_OBJ  := $(SRC:%.cpp=$(BUILD)/%.o)
LIB      := $(BUILD)/libllm.a

LESSON_SRC := $(sort $(wildcard lessons/[1-5]_*.cpp))
# lesson-only fixtures (toy tasks and experiments), linked into the lessons and the tests
FIXTURE_OBJ := $(patsubst %.cpp,$(BUILD)/%.o,$(wildcard lessons/fixtures/*.cpp))
# French catalogues (src/viz/i18n.hpp): lessons/fr/lessonN.cpp for lesson N, common.cpp for all
FR_COMMON   := $(BUILD)/lessons/fr/common.o
FR_ALL      := $(patsubst %.cpp,$(BUILD)/%.o,$(wildcard lessons/fr/*.cpp))
LESSONS    := $(foreach f,$(LESSON_SRC),$(BUILD)/lesson$(firstword $(subst _, ,$(notdir $(f)))))

TEST_SRC := $(filter-out tests/main.cpp,$(wildcard tests/*.cpp))
TEST_OBJ := $(TEST_SRC:%.cpp=$(BUILD)/%.o)
TEST_MAIN:= $(BUILD)/tests/main.o
TEST_BIN := $(BUILD)/run_tests

.PHONY: all help test clean lesson1 lesson2 lesson3 lesson4 lesson5 bench sanitize fuzz
.DEFAULT_GOAL := all

all: $(LIB) $(LESSONS) $(TEST_BIN)     ## build the library, the lessons and the tests

help:                                  ## list the targets
	@echo "make            build everything into $(BUILD)/"
	@echo "make lesson1    self-attention                 (figures in out/lesson1/)"
	@echo "make lesson2    multi-head attention           (figures in out/lesson2/)"
	@echo "make lesson3    positional encoding            (figures in out/lesson3/)"
	@echo "make lesson4    the transformer encoder        (figures in out/lesson4/)"
	@echo "make lesson5    the complete mini LLM: train, evaluate, save, reuse"
	@echo "make test       build and run the test suite (needs Catch2: apt-get install catch2)"
	@echo "make bench      benchmark against PyTorch (PyTorch optional)"
	@echo "make sanitize   tests and a short lesson 5 under ASan+UBSan"
	@echo "make fuzz       run the libFuzzer harnesses for a bounded time (clang++)"
	@echo "make clean      remove $(BUILD)/"
	@echo "Variables: CXX=clang++  CXXFLAGS='-O0 -g'  EXTRA=-Werror"

# ---------------------------------------------------------------------------
# library

$(BUILD)/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(ALLFLAGS) -c $< -o $@

# AdamW's update loop vectorizes only when sqrt need not set errno; sqrt is
# correctly rounded either way, so the values are the same bits.
$(BUILD)/src/nn/optim.o: ALLFLAGS += -fno-math-errno
# The softmax's exp loop (ops.hpp, exp_nonpositive) has a select at the end;
# g++ vectorizes it only when a floating-point operation may not trap, which
# is clang's default. Nothing here enables FP traps, and the flag changes no
# value (it is not one of -ffast-math's value-changing flags).
$(BUILD)/src/core/ops.o: ALLFLAGS += -fno-trapping-math

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# ---------------------------------------------------------------------------
# lessons: lessons/N_name.cpp -> build/lessonN ; `make lessonN` builds and runs it

.SECONDEXPANSION:
$(LESSONS): $(BUILD)/lesson%: $$(wildcard lessons/%_*.cpp) $$(patsubst %.cpp,$(BUILD)/%.o,$$(wildcard lessons/fr/lesson%.cpp)) $(FR_COMMON) $(FIXTURE_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(ALLFLAGS) $(filter %.cpp,$^) $(filter $(BUILD)/lessons/fr/%.o,$^) $(FIXTURE_OBJ) $(LIB) $(LDLIBS) -o $@

# (a static pattern rule: make skips implicit rules for .PHONY targets)
lesson1 lesson2 lesson3 lesson4 lesson5: lesson%: $(BUILD)/lesson%
	./$(BUILD)/lesson$*

# ---------------------------------------------------------------------------
# tests: Catch2 v2. Its main (slow to compile) is its own object, built once.

$(TEST_MAIN): tests/main.cpp
	@mkdir -p $(dir $@)
	@test -f /usr/include/catch2/catch.hpp || { echo "Catch2 is missing: run 'apt-get install catch2' (Debian/Ubuntu)"; exit 1; }
	$(CXX) $(ALLFLAGS) -c $< -o $@

$(TEST_BIN): $(TEST_MAIN) $(TEST_OBJ) $(FIXTURE_OBJ) $(FR_ALL) $(LIB)
	$(CXX) $(ALLFLAGS) $(TEST_MAIN) $(TEST_OBJ) $(FIXTURE_OBJ) $(FR_ALL) $(LIB) $(LDLIBS) -o $@

# tests/test_robustness.cpp runs $(BUILD)/lesson5 as a subprocess (LLM_LESSON5).
test: $(TEST_BIN) $(BUILD)/lesson5      ## build and run the tests; ends with "tests: N passed, M failed"
	LLM_LESSON5=$(BUILD)/lesson5 ./$(TEST_BIN)

# ---------------------------------------------------------------------------
# sanitizers: the tests (and lesson 5's short run, see SANITIZE_LESSON) under
# AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer.

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -DLLM_POISON
SAN_OUT   := build/sanitize/out/lesson5
sanitize:                              ## tests and a short lesson 5 under ASan + UBSan, in build/sanitize
	$(MAKE) BUILD=build/sanitize CXXFLAGS="-O1 -g" EXTRA="$(SAN_FLAGS) $(EXTRA)" test build/sanitize/lesson5
	./build/sanitize/lesson5 --epochs 3 --train data/workshop10.tsv --test data/workshop10.tsv \
	    --out $(SAN_OUT) --no-timing > /dev/null
	printf 'i love this movie\nthis film is terrible\n' | ./build/sanitize/lesson5 \
	    --load $(SAN_OUT)/model.safetensors --predict - --predict "what a boring ending"

# ---------------------------------------------------------------------------
# bench: our timings (tests/bench/bench.cpp -> $(BUILD)/bench/ours.jsonl), then
# PyTorch's when $(TORCH_PYTHON) has torch (bench_torch.py -> torch.jsonl),
# then one side-by-side table. Timings, not tests: nothing here can fail on speed.
# LLM_THREADS does not matter: the bench sets 1 and 2 threads itself.

TORCH_PYTHON ?= /usr/bin/python3
BENCH_BIN    := $(BUILD)/bench/bench

$(BENCH_BIN): tests/bench/bench.cpp $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(ALLFLAGS) $< $(LIB) $(LDLIBS) -o $@

bench: $(BENCH_BIN)                    ## time GEMM and the model at configs A and B, next to PyTorch
	$(BENCH_BIN) all > $(BUILD)/bench/ours.jsonl
	@rm -f $(BUILD)/bench/torch.jsonl
	@if $(TORCH_PYTHON) -c 'import torch' 2>/dev/null; then \
	  echo "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(TORCH_PYTHON) tests/bench/bench_torch.py > $(BUILD)/bench/torch.jsonl"; \
	  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(TORCH_PYTHON) tests/bench/bench_torch.py > $(BUILD)/bench/torch.jsonl; \
	else echo "bench: $(TORCH_PYTHON) with torch not found: the PyTorch columns stay empty"; fi
	$(BENCH_BIN) table $(BUILD)/bench/ours.jsonl $(BUILD)/bench/torch.jsonl

# ---------------------------------------------------------------------------
# fuzz: libFuzzer harnesses for the two parsers of outside data (clang++ and
# Debian's libclang-rt-14-dev). Each runs FUZZ_SECONDS; new inputs go to
# build/fuzz/corpus-NAME, the committed seeds stay in tests/fuzz/corpus_NAME.

FUZZ_CXX     ?= clang++
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc
FUZZERS      := safetensors tsv
FUZZ_SRC_safetensors := src/io/safetensors.cpp src/io/files.cpp
FUZZ_SRC_tsv         := src/io/dataset.cpp src/io/tokenizer.cpp src/io/files.cpp

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.cpp $$(FUZZ_SRC_$$*)
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_FLAGS) $^ -o $@

fuzz: $(FUZZERS:%=build/fuzz/fuzz_%)   ## run every fuzzer for FUZZ_SECONDS
	@for f in $(FUZZERS); do \
	  mkdir -p build/fuzz/corpus-$$f; \
	  echo "== fuzz_$$f for $(FUZZ_SECONDS) s"; \
	  ./build/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=build/fuzz/ \
	      build/fuzz/corpus-$$f tests/fuzz/corpus_$$f > build/fuzz/$$f.log 2>&1; rc=$$?; \
	  grep -E "DONE|number_of_executed_units|ERROR|SUMMARY" build/fuzz/$$f.log; \
	  [ $$rc -eq 0 ] || { echo "fuzz_$$f failed (exit $$rc): see build/fuzz/$$f.log and build/fuzz/crash-*"; exit 1; }; \
	done

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
