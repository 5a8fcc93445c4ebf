# kiln: build, test, sanitize, fuzz, conformance and bench targets.
#
#   make            build ./kiln
#   make demo       set-up, build, render samples/
#   make test       set-up, build, unit + golden tests
#   make asan       ASan+UBSan build running the same tests
#   make fuzz       libFuzzer targets (clang)
#   make conformance  ../shared conformance runners, figures printed
#   make bench      timings against the reference tools and the libyaml floor

SHELL := /bin/bash
CC ?= cc
PKGS := yaml-0.1 libxxhash libgit2 cmocka libpcre2-8 libcrypto zlib libarchive
# Debian packages providing the libraries above and the build tools.
DEBS := build-essential pkg-config libyaml-dev libxxhash-dev libgit2-dev libcmocka-dev \
        libpcre2-dev libssl-dev zlib1g-dev libarchive-dev flex bison python3
BUILD ?= build
OPT ?= -O2
SAN ?=
CFLAGS_BASE := -std=c11 -g $(OPT) -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
               -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Icompiler $(SAN)

SRC := $(filter-out compiler/main.c,$(wildcard compiler/*/*.c))
OBJ := $(SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all setup demo test unit golden asan fuzz conformance bench clean format
all: setup kiln-bin

# setup: install missing Debian packages (as root) or print the one line to run.
$(BUILD)/.setup:
	@missing=""; \
	for p in $(PKGS); do pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	for c in flex bison pkg-config python3 $(CC); do command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  echo "kiln: missing:$$missing"; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq $(DEBS) >/dev/null || exit 1; \
	  else echo "run: sudo apt-get install -y $(DEBS)"; exit 1; fi; \
	fi
	@mkdir -p $(BUILD) && touch $@
setup: $(BUILD)/.setup

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CFLAGS_ALL = $(CFLAGS_BASE) $(PKG_CFLAGS) $(CFLAGS)

$(BUILD)/%.o: %.c $(wildcard compiler/*/*.h) | $(BUILD)/.setup
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libkiln.a: $(OBJ)
	@rm -f $@; ar rcs $@ $^

$(BUILD)/kiln: $(BUILD)/compiler/main.o $(BUILD)/libkiln.a
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

kiln-bin: $(BUILD)/kiln
	@if [ "$(BUILD)" = build ]; then cp $(BUILD)/kiln ./kiln; fi

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libkiln.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(BUILD)/libkiln.a $(PKG_LIBS)

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do $$t || fail=1; done; exit $$fail

golden: $(BUILD)/kiln
	@KILN=$(abspath $(BUILD)/kiln) bash tests/golden/run.sh

test: all
	@$(MAKE) --no-print-directory unit golden

demo: all
	@bash samples/demo.sh ./kiln

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  CFLAGS="-DKILN_ARENA_MALLOC" unit golden

FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz: setup
	@mkdir -p build/fuzz
	@for f in $(wildcard tests/fuzz/fuzz_*.c); do \
	  n=$$(basename $$f .c); \
	  clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	    -DKILN_ARENA_MALLOC -Icompiler $(PKG_CFLAGS) -o build/fuzz/$$n $$f $(SRC) $(PKG_LIBS) || exit 1; \
	  echo "fuzz: $$n (60 s)"; \
	  mkdir -p build/fuzz/corpus-$$n; cp tests/fuzz/corpus/* build/fuzz/corpus-$$n/ 2>/dev/null; \
	  build/fuzz/$$n -max_total_time=$${FUZZ_SECONDS:-60} -max_len=4096 build/fuzz/corpus-$$n || exit 1; \
	done

conformance: all
	@bash tests/conformance.sh ./kiln

bench: all
	@bash tests/bench/run.sh ./kiln

format:
	clang-format -i compiler/*.c compiler/*/*.[ch] tests/unit/*.[ch] tests/fuzz/*.c

clean:
	rm -rf build kiln
