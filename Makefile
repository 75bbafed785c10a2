# Build an LLM from scratch, Part I — C++20 reference.
# `make help` lists the targets. Everything is built into build/.
#
#   CXX       compiler (g++ >= 12 or clang++ >= 14)          default: g++
#   CXXFLAGS  optimisation flags, overridable                 default: -O3 -march=native -g
#   EXTRA     appended flags, e.g. EXTRA=-Werror or sanitizers
#   READABLE  1: the plain kernels (src/kernels/readable: three-loop GEMM, one
#             thread, zeroing allocator, lesson 2's attention steps), built in
#             build/readable; empty: the fast ones (src/kernels/fast), in build/
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
READABLE ?=
ifeq ($(READABLE),1)
BUILD    ?= build/readable
KERNELS  := readable
KFLAGS   := -DLLM_READABLE
else
BUILD    ?= build
KERNELS  := fast
KFLAGS   :=
endif

WARN     := -Wall -Wextra -Wpedantic
ALLFLAGS := -std=c++20 $(WARN) -ffp-contract=off $(CXXFLAGS) $(KFLAGS) $(EXTRA) -Isrc -Ilessons -MMD -MP
LDLIBS   := -pthread

# every layer's files, and the kernels of this build (src/kernels/fast or src/kernels/readable)
SRC      := $(wildcard src/*/*.cpp) $(wildcard src/kernels/$(KERNELS)/*.cpp)
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

.PHONY: all help test transcripts clean lesson1 lesson2 lesson3 lesson4 lesson5 bench sanitize fuzz browser catch2 check-layers check-builds
.DEFAULT_GOAL := all

all: $(LIB) $(LESSONS) $(TEST_BIN) $(BUILD)/realdata/split   ## build the library, the lessons, the tests and the split tool

help:                                  ## list the targets
	@echo "make            build everything into $(BUILD)/"
	@echo "make lesson1    self-attention                 (figures in out/lesson1/)"
	@echo "make lesson2    multi-head attention           (figures in out/lesson2/)"
	@echo "make lesson3    positional encoding            (figures in out/lesson3/)"
	@echo "make lesson4    the transformer encoder        (figures in out/lesson4/)"
	@echo "make lesson5    the complete mini LLM: train, evaluate, save, reuse"
	@echo "                LESSON_LANG=fr: the lesson in French (make lesson3 LESSON_LANG=fr)"
	@echo "                every lesson writes its page, out/lessonN/index.html, and updates out/index.html"
	@echo "make test       check-layers, the browser check, then the test suite (installs Catch2 when it is missing and it can)"
	@echo "make browser    every lesson's page in headless Chromium; screenshots in out/screenshots/"
	@echo "make check-layers   includes point only down the layers of src/"
	@echo "make check-builds   the fast and the readable build give the same results (builds both)"
	@echo "make transcripts  rewrite tests/transcripts/ from the lessons' output (review the diff)"
	@echo "make bench      the machine's peak, then a benchmark against PyTorch and ONNX Runtime (both optional)"
	@echo "make sanitize   tests and a short lesson 5 under ASan+UBSan"
	@echo "make fuzz       run the libFuzzer harnesses for a bounded time (clang++)"
	@echo "make clean      remove $(BUILD)/"
	@echo "Variables: CXX=clang++  CXXFLAGS='-O0 -g'  EXTRA=-Werror  READABLE=1 (plain kernels, in build/readable)"

# ---------------------------------------------------------------------------
# library

$(BUILD)/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(ALLFLAGS) -c $< -o $@

# AdamW's update loop vectorizes only when sqrt need not set errno; sqrt is
# correctly rounded either way, so the values are the same bits.
$(BUILD)/src/nn/optim.o: ALLFLAGS += -fno-math-errno
# The softmax's exp loop (kernels/softmax.cpp, exp_nonpositive) has a select at
# the end; g++ vectorizes it only when a floating-point operation may not trap,
# which is clang's default. Nothing here enables FP traps, and the flag changes
# no value (it is not one of -ffast-math's value-changing flags).
$(BUILD)/src/kernels/softmax.o: ALLFLAGS += -fno-trapping-math
# The same for the fast build's attention softmax (kernels/fast/attention.cpp).
$(BUILD)/src/kernels/fast/attention.o: ALLFLAGS += -fno-trapping-math

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
# LESSON_LANG=fr: the lesson in French (its --lang flag), e.g. make lesson3 LESSON_LANG=fr
LESSON_LANG ?=
lesson1 lesson2 lesson3 lesson4 lesson5: lesson%: $(BUILD)/lesson%
	./$(BUILD)/lesson$* $(if $(LESSON_LANG),--lang $(LESSON_LANG))

# ---------------------------------------------------------------------------
# tests: Catch2 v2. Its main (slow to compile) is its own object, built once.

$(TEST_MAIN): tests/main.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(ALLFLAGS) -c $< -o $@

# every test object includes <catch2/catch.hpp>: check for it (and install it) first
$(TEST_MAIN) $(TEST_OBJ): | catch2

$(TEST_BIN): $(TEST_MAIN) $(TEST_OBJ) $(FIXTURE_OBJ) $(FR_ALL) $(LIB)
	$(CXX) $(ALLFLAGS) $(TEST_MAIN) $(TEST_OBJ) $(FIXTURE_OBJ) $(FR_ALL) $(LIB) $(LDLIBS) -o $@

# The layer check and the browser check first (each stops `make test` when it
# fails), then the tests. tests/test_robustness.cpp runs $(BUILD)/lesson5 as a
# subprocess (LLM_LESSON5); tests/test_lessons_run.cpp runs every lesson
# (LLM_LESSONS) against its transcript in tests/transcripts/ and runs every
# exercise. TEST_ARGS: Catch arguments, e.g. TEST_ARGS='~[lessons]' to skip the
# lesson runs.
TEST_ARGS ?=
# The readable build adds its sums in another order: its lessons print the same
# text, with last digits that can differ. The byte-exact checks of what they
# print (tag [transcript]: transcripts and exercises' lines) are the fast
# build's; make check-builds holds the two builds to stated tolerances.
TEST_FILTER := $(if $(filter 1,$(READABLE)),~[transcript])

test: check-layers $(TEST_BIN) $(LESSONS)   ## check-layers, the browser check, then the tests; ends with "tests: N passed, M failed"
	@$(MAKE) --no-print-directory browser
	@$(if $(TEST_FILTER),echo "readable build: the byte-exact transcript checks ([transcript]) are the fast build's (make check-builds compares the two builds)")
	LLM_LESSON5=$(BUILD)/lesson5 LLM_LESSONS=$(BUILD) ./$(TEST_BIN) $(TEST_FILTER) $(TEST_ARGS)

# The transcripts the tests compare with, in English and in French (whose
# figures go to out/fr/): rewritten on purpose, then reviewed with
# `git diff tests/transcripts`.
transcripts: $(LESSONS)                 ## rewrite tests/transcripts/lessonN.txt and fr/lessonN.txt from the lessons
	@mkdir -p tests/transcripts/fr
	for n in 1 2 3 4 5; do ./$(BUILD)/lesson$$n --no-timing --out out/lesson$$n > tests/transcripts/lesson$$n.txt || exit 1; done
	for n in 1 2 3 4 5; do ./$(BUILD)/lesson$$n --lang fr --no-timing --out out/fr/lesson$$n > tests/transcripts/fr/lesson$$n.txt || exit 1; done

# Catch2 v2 (<catch2/catch.hpp>), the tests' only dependency. When the compiler
# cannot find it, Debian's catch2 is installed if this user can (root, or sudo
# without a password, and apt-get); otherwise the command to run, and exit 2.
CATCH2_LOG := $(BUILD)/catch2-install.log
catch2:                                ## install Debian's catch2 when <catch2/catch.hpp> is missing
	@if echo '#include <catch2/catch.hpp>' | $(CXX) -std=c++20 -E -x c++ - >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then as=""; elif sudo -n true 2>/dev/null; then as="sudo -n"; else as=none; fi; \
	if [ "$$as" = none ] || ! command -v apt-get >/dev/null; then \
	    echo "Catch2 is missing (<catch2/catch.hpp>): run 'sudo apt-get install catch2', then make test"; exit 2; fi; \
	echo "Catch2 is missing: installing Debian's catch2 ($${as:+$$as }apt-get install catch2, log in $(CATCH2_LOG))"; \
	mkdir -p $(BUILD); \
	$$as env DEBIAN_FRONTEND=noninteractive apt-get install -y -q catch2 >$(CATCH2_LOG) 2>&1 || \
	{ $$as apt-get update -q >>$(CATCH2_LOG) 2>&1 && \
	  $$as env DEBIAN_FRONTEND=noninteractive apt-get install -y -q catch2 >>$(CATCH2_LOG) 2>&1; } || \
	{ echo "installing catch2 failed (see $(CATCH2_LOG)): run 'sudo apt-get install catch2', then make test"; exit 2; }

# The lesson pages in headless Chromium (tests/browser/check.mjs): runs every
# lesson, checks each page's images, links, console and headings, and writes
# screenshots to out/screenshots/. Skipped, saying so, without chromium or node,
# or with BROWSER=skip (make sanitize: the lessons under ASan would be slow).
CHROMIUM ?= $(shell command -v chromium 2>/dev/null)
BROWSER  ?= run
browser: $(if $(filter skip,$(BROWSER)),,$(LESSONS))                   ## every lesson's page in headless Chromium; screenshots in out/screenshots/
	@if [ "$(BROWSER)" = skip ]; then echo "browser check: skipped (BROWSER=skip)"; \
	elif [ -z "$(CHROMIUM)" ]; then echo "browser check: SKIPPED, chromium not found (apt-get install chromium; .ci/run installs it)"; \
	elif ! command -v node >/dev/null; then echo "browser check: SKIPPED, node not found (apt-get install nodejs)"; \
	else echo "browser check: every lesson run, its page opened in $(CHROMIUM)"; \
	     node tests/browser/check.mjs --chromium "$(CHROMIUM)" --build $(BUILD); fi

# ---------------------------------------------------------------------------
# structure and the two builds

check-layers:                          ## includes point only down: kernels < core < nn < io < viz < app
	@tests/check_layers.sh

# tests/realdata/split.cpp: the development split of a labelled file (README,
# "Lesson 5 on real reviews"); not part of `make test` (it needs a file of yours).
$(BUILD)/realdata/split: tests/realdata/split.cpp $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(ALLFLAGS) $< $(LIB) $(LDLIBS) -o $@

# tests/builds/twin.cpp: one fixed training step, run by the fast build on 1,
# 2 and 3 threads (the same bytes) and by the readable build (the same numbers
# within the tolerances twin.cpp states).
TWIN_OUT := build/twin-out
$(BUILD)/twin: tests/builds/twin.cpp $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(ALLFLAGS) $< $(LIB) $(LDLIBS) -o $@

check-builds:                          ## the fast and the readable build agree (builds both)
	$(MAKE) READABLE= BUILD=build build/twin
	$(MAKE) READABLE=1 BUILD=build/readable build/readable/twin
	@mkdir -p $(TWIN_OUT)
	LLM_THREADS=1 build/twin run $(TWIN_OUT)/fast-1.bin
	LLM_THREADS=2 build/twin run $(TWIN_OUT)/fast-2.bin
	LLM_THREADS=3 build/twin run $(TWIN_OUT)/fast-3.bin
	build/readable/twin run $(TWIN_OUT)/readable.bin
	build/twin same $(TWIN_OUT)/fast-1.bin $(TWIN_OUT)/fast-2.bin
	build/twin same $(TWIN_OUT)/fast-1.bin $(TWIN_OUT)/fast-3.bin
	build/twin close $(TWIN_OUT)/fast-1.bin $(TWIN_OUT)/readable.bin

# ---------------------------------------------------------------------------
# sanitizers: the tests (and lesson 5's short run, see SANITIZE_LESSON) under
# AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer.

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -DLLM_POISON
SAN_OUT   := build/sanitize/out/lesson5
sanitize:                              ## tests and a short lesson 5 under ASan + UBSan, in build/sanitize
	$(MAKE) BUILD=build/sanitize CXXFLAGS="-O1 -g" EXTRA="$(SAN_FLAGS) $(EXTRA)" BROWSER=skip TEST_ARGS='~[lessons]' test build/sanitize/lesson5
	./build/sanitize/lesson5 --epochs 3 --train data/workshop10.tsv --test data/workshop10.tsv \
	    --out $(SAN_OUT) --no-timing > /dev/null
	printf 'i love this movie\nthis film is terrible\n' | ./build/sanitize/lesson5 \
	    --load $(SAN_OUT)/model.safetensors --predict - --predict "what a boring ending"

# ---------------------------------------------------------------------------
# bench: the machine's FMA peak and our timings (tests/bench/bench.cpp ->
# $(BUILD)/bench/ours.jsonl; every model figure also as a % of that peak), then
# PyTorch's when $(TORCH_PYTHON) has torch (bench_torch.py -> torch.jsonl),
# then one side-by-side table. Timings, not tests: nothing here can fail on speed.
# LLM_THREADS does not matter: the bench sets 1 and 2 threads itself.

#
# ONNX Runtime (optional too): when node is present, and torch and onnx for
# the export (Debian: apt-get install python3-torch python3-onnx), the PyTorch
# model is exported (bench_torch.py --export-onnx -> $(BUILD)/bench/onnx/) and
# timed by tests/bench/bench_ort.mjs with npm's onnxruntime-node, installed
# into $(ORT_NODE) on first use when npm is present (never committed: build/
# is ignored; --ignore-scripts: the package ships its CPU library, the install
# script only fetches GPU extras). Anything missing leaves the ONNX Runtime
# column empty, with one line saying why.
#
# The summary marks each target of issue 16 met or not met, and compares
# every row with tests/bench/baseline.jsonl: the medians of 3 runs of
# `bench all` made before issue 16's speed changes (`bench baseline`).

TORCH_PYTHON ?= /usr/bin/python3
BENCH_BIN    := $(BUILD)/bench/bench
ORT_NODE     := $(BUILD)/bench/node
ORT_PKG      := $(ORT_NODE)/node_modules/onnxruntime-node/package.json
ONNX_DIR     := $(BUILD)/bench/onnx

$(BENCH_BIN): tests/bench/bench.cpp $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(ALLFLAGS) $< $(LIB) $(LDLIBS) -o $@

bench: $(BENCH_BIN) $(BUILD)/lesson5   ## the FMA peak; GEMM and the model at configs A and B, next to PyTorch and ONNX Runtime
	$(BENCH_BIN) all > $(BUILD)/bench/ours.jsonl
	@rm -f $(BUILD)/bench/torch.jsonl $(BUILD)/bench/ort.jsonl
	@if $(TORCH_PYTHON) -c 'import torch' 2>/dev/null; then \
	  echo "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(TORCH_PYTHON) tests/bench/bench_torch.py > $(BUILD)/bench/torch.jsonl"; \
	  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(TORCH_PYTHON) tests/bench/bench_torch.py > $(BUILD)/bench/torch.jsonl; \
	else echo "bench: $(TORCH_PYTHON) with torch not found: the PyTorch columns stay empty"; fi
	@if ! command -v node >/dev/null; then \
	  echo "bench: node not found (apt-get install nodejs): the ONNX Runtime column stays empty"; \
	elif ! $(TORCH_PYTHON) -c 'import torch, onnx' 2>/dev/null; then \
	  echo "bench: $(TORCH_PYTHON) with torch and onnx not found (apt-get install python3-torch python3-onnx): no model to export, the ONNX Runtime column stays empty"; \
	elif [ ! -f $(ORT_PKG) ] && ! command -v npm >/dev/null; then \
	  echo "bench: onnxruntime-node is not in $(ORT_NODE) and npm was not found (apt-get install npm): the ONNX Runtime column stays empty"; \
	elif [ ! -f $(ORT_PKG) ] && ! { echo "npm install --prefix $(ORT_NODE) --ignore-scripts onnxruntime-node"; mkdir -p $(ORT_NODE); \
	    npm install --prefix $(ORT_NODE) --ignore-scripts --no-audit --no-fund onnxruntime-node > $(ORT_NODE)/npm-install.log 2>&1; }; then \
	  echo "bench: npm install onnxruntime-node failed (see $(ORT_NODE)/npm-install.log): the ONNX Runtime column stays empty"; \
	elif ! { [ $(ONNX_DIR)/B.onnx -nt tests/bench/bench_torch.py ] || { echo "$(TORCH_PYTHON) tests/bench/bench_torch.py --export-onnx $(ONNX_DIR)"; \
	    $(TORCH_PYTHON) tests/bench/bench_torch.py --export-onnx $(ONNX_DIR); }; }; then \
	  echo "bench: the ONNX export failed: the ONNX Runtime column stays empty"; \
	else echo "node tests/bench/bench_ort.mjs $(ORT_NODE) $(ONNX_DIR) > $(BUILD)/bench/ort.jsonl"; \
	  node tests/bench/bench_ort.mjs $(ORT_NODE) $(ONNX_DIR) > $(BUILD)/bench/ort.jsonl || \
	  echo "bench: onnxruntime-node failed: the ONNX Runtime column stays empty"; fi
	$(BENCH_BIN) table $(BUILD)/bench/ours.jsonl $(BUILD)/bench/torch.jsonl $(BUILD)/bench/ort.jsonl tests/bench/baseline.jsonl

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
