# kiln: build, test, sanitize, fuzz, conformance and bench targets.
#
#   make            build ./kiln
#   make demo       set-up, build, render samples/
#   make test       set-up, build, unit + golden tests
#   make asan       ASan+UBSan build running the same tests
#   make fuzz       libFuzzer targets (clang); FUZZ=fuzz_cel one target, FUZZ_SECONDS=600 longer
#   make conformance  ../shared conformance runners, figures printed
#   make bench      timings against the reference tools and the libyaml floor

SHELL := /bin/bash
comma := ,
CC ?= cc
PKGS := yaml-0.1 libxxhash libgit2 cmocka libpcre2-8 libcrypto zlib libarchive
# Debian packages providing the libraries above and the build tools.
DEBS := build-essential pkg-config libyaml-dev libxxhash-dev libgit2-dev libcmocka-dev \
        libpcre2-dev libssl-dev zlib1g-dev libarchive-dev flex bison python3 git
BUILD ?= build
OPT ?= -O2
SAN ?=
CFLAGS_BASE := -std=c11 -g $(OPT) -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
               -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Icompiler $(SAN)

SRC := $(filter-out compiler/main.c,$(wildcard compiler/*/*.c compiler/*/*/*.c))
STDLIB_POLICIES := $(sort $(shell find stdlib/policies -type f -name '*.yaml' 2>/dev/null))
STDLIB := stdlib/kustomize/fieldspecs.tsv $(STDLIB_POLICIES)
TPL_GEN := $(BUILD)/gen/tpl_parse.c $(BUILD)/gen/tpl_lex.c
GEN_SRC := $(BUILD)/gen/cel_lex.c $(BUILD)/gen/cel_parse.c $(TPL_GEN)
OBJ := $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/stdlib_data.o $(GEN_SRC:%.c=%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all setup demo test unit golden asan fuzz conformance bench clean format install
all: setup kiln-bin

# setup: install missing Debian packages (as root) or print the one line to run.
$(BUILD)/.setup:
	@missing=""; \
	for p in $(PKGS); do pkg-config --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	for c in flex bison pkg-config python3 git $(CC); do command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
	  echo "kiln: missing:$$missing"; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq $(DEBS) >/dev/null || exit 1; \
	  else echo "run: sudo apt-get install -y $(DEBS)"; exit 1; fi; \
	fi
	@mkdir -p $(BUILD) && touch $@
setup: $(BUILD)/.setup

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -ldl -lm -pthread
# libgit2 and libarchive are dlopen'ed by the kiln binary on first use (most runs need neither):
# their SONAMEs are read from the libraries pkg-config points at.
so_name = $(shell f=$$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(2).so; \
            objdump -p $$f 2>/dev/null | awk '/SONAME/ {print $$2}')
GIT2_SO := $(call so_name,libgit2,libgit2)
ARCHIVE_SO := $(call so_name,libarchive,libarchive)
LAZY_LIBS := $(shell pkg-config --libs libgit2 libarchive 2>/dev/null)
KILN_DEP_LIBS := $(filter-out $(LAZY_LIBS),$(shell pkg-config --libs $(filter-out libgit2 libarchive cmocka,$(PKGS)) 2>/dev/null))
# The kiln binary links those libraries statically when their Debian -dev packages ship the
# archives (they do): no dynamic loading at start-up, which is most of a small run's time.
# STATIC=0 links them as shared libraries.
STATIC ?= 1
DEP_ARCHIVES := $(foreach l,$(patsubst -l%,%,$(filter -l%,$(KILN_DEP_LIBS))),$(wildcard $(shell $(CC) -print-file-name=lib$(l).a)))
STATIC_OK := $(and $(filter 1,$(STATIC)),$(filter $(words $(filter -l%,$(KILN_DEP_LIBS))),$(words $(DEP_ARCHIVES))))
KILN_LIBS = $(if $(STATIC_OK),-Wl$(comma)-Bstatic $(KILN_DEP_LIBS) -Wl$(comma)-Bdynamic,$(KILN_DEP_LIBS)) -ldl -lm -pthread
LAZY_DEFS = -DKILN_GIT2_SO='"$(GIT2_SO)"' -DKILN_ARCHIVE_SO='"$(ARCHIVE_SO)"'
CFLAGS_ALL = $(CFLAGS_BASE) $(PKG_CFLAGS) $(CFLAGS) $(LAZY_DEFS)

$(BUILD)/%.o: %.c $(wildcard compiler/*/*.h compiler/*/*/*.h) | $(BUILD)/.setup
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(EXTRA_INC) -c $< -o $@

# The Go template grammar: bison and flex generate C into $(BUILD)/gen (their warnings relaxed
# there only); parse.c includes the token numbers.
$(BUILD)/gen/tpl_parse.c: grammar/template.y | $(BUILD)/.setup
	@mkdir -p $(BUILD)/gen
	bison -Wall -Werror -o $(BUILD)/gen/tpl_parse.c --header=$(BUILD)/gen/tpl_parse.h $<
$(BUILD)/gen/tpl_parse.h: $(BUILD)/gen/tpl_parse.c
	@:
$(BUILD)/gen/tpl_lex.c: grammar/template.l $(BUILD)/gen/tpl_parse.h
	flex -o $@ $<
TPL_GEN_CFLAGS = -Wno-unused-function -Wno-sign-compare -Wno-unused-parameter \
                 -Wno-unused-but-set-variable -Wno-shadow -I$(BUILD)/gen
$(BUILD)/gen/tpl_%.o: $(BUILD)/gen/tpl_%.c $(BUILD)/gen/tpl_parse.h compiler/template/tpl_int.h compiler/template/tpl.h
	$(CC) $(CFLAGS_ALL) $(TPL_GEN_CFLAGS) -c $< -o $@
$(BUILD)/compiler/template/parse.o: $(BUILD)/gen/tpl_parse.h
$(BUILD)/compiler/template/parse.o: EXTRA_INC = -I$(BUILD)/gen

# stdlib/ files embedded into the binary as byte arrays
$(BUILD)/gen/stdlib_data.c: $(STDLIB) | $(BUILD)/.setup
	@mkdir -p $(dir $@)
	@{ echo '/* Generated by make from stdlib/: the files kiln embeds. */'; echo '#include <stddef.h>'; \
	  echo 'extern const char kz_stdlib_fieldspecs[]; extern const size_t kz_stdlib_fieldspecs_len;'; \
	  echo 'const char kz_stdlib_fieldspecs[] = {'; od -An -v -tx1 stdlib/kustomize/fieldspecs.tsv | \
	  sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; echo '0};'; \
	  echo 'const size_t kz_stdlib_fieldspecs_len = sizeof kz_stdlib_fieldspecs - 1;'; \
	  echo '#include "validate/validate.h"'; i=0; \
	  for f in $(STDLIB_POLICIES); do echo "static const char vd_stdlib_f$$i[] = {"; \
	    od -An -v -tx1 $$f | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'; echo '0};'; i=$$((i+1)); done; \
	  echo 'const vd_stdlib_file vd_stdlib_files[] = {'; i=0; \
	  for f in $(STDLIB_POLICIES); do echo "{\"$${f#stdlib/}\", vd_stdlib_f$$i, sizeof vd_stdlib_f$$i - 1},"; \
	    i=$$((i+1)); done; echo '{0, 0, 0}};'; echo "const size_t vd_stdlib_nfiles = $$i;"; } > $@

$(BUILD)/gen/stdlib_data.o: $(BUILD)/gen/stdlib_data.c compiler/validate/validate.h
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# The CEL grammar: bison and flex generate C (warnings of generated code relaxed there only).
$(BUILD)/gen/cel_parse.c: grammar/cel.y | $(BUILD)/.setup
	@mkdir -p $(BUILD)/gen
	bison -Wall -Werror -o $(BUILD)/gen/cel_parse.c --header=$(BUILD)/gen/cel_parse.h $<
$(BUILD)/gen/cel_parse.h: $(BUILD)/gen/cel_parse.c
	@:

$(BUILD)/gen/cel_lex.c: grammar/cel.l $(BUILD)/gen/cel_parse.h
	flex -o $@ $<

GEN_CFLAGS = -Wno-unused-function -Wno-sign-compare -Wno-unused-parameter -Wno-unused-but-set-variable -I$(BUILD)/gen
$(BUILD)/gen/cel_%.o: $(BUILD)/gen/cel_%.c $(BUILD)/gen/cel_parse.h compiler/validate/cel/cel_int.h compiler/validate/cel/cel.h
	$(CC) $(CFLAGS_ALL) $(GEN_CFLAGS) -c $< -o $@

$(BUILD)/libkiln.a: $(OBJ)
	@rm -f $@; ar rcs $@ $^

$(BUILD)/kiln: $(BUILD)/compiler/main.o $(BUILD)/libkiln.a
	$(CC) $(SAN) -o $@ $^ $(KILN_LIBS)

kiln-bin: $(BUILD)/kiln
	@if [ "$(BUILD)" = build ]; then cp $(BUILD)/kiln ./kiln; fi

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libkiln.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(BUILD)/libkiln.a $(PKG_LIBS)

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do $$t || fail=1; done; exit $$fail

golden: $(BUILD)/kiln
	@KILN=$(abspath $(BUILD)/kiln) bash tests/golden/run.sh
	@KILN=$(abspath $(BUILD)/kiln) bash tests/git/run.sh
	@KILN=$(abspath $(BUILD)/kiln) bash tests/watch/run.sh
	@KILN=$(abspath $(BUILD)/kiln) bash tests/schema/run.sh
	@KILN=$(abspath $(BUILD)/kiln) bash tests/check/run.sh
	@KILN=$(abspath $(BUILD)/kiln) bash tests/fleet/run.sh

test: all
	@$(MAKE) --no-print-directory unit golden
	@bash tests/install/run.sh

demo: all
	@bash samples/demo.sh ./kiln

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  CFLAGS="-DKILN_ARENA_MALLOC" unit golden

FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz: setup build/gen/stdlib_data.c $(GEN_SRC)
	@mkdir -p build/fuzz
	@for f in $(wildcard tests/fuzz/$(or $(FUZZ),fuzz_*).c); do \
	  n=$$(basename $$f .c); \
	  clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	    -DKILN_ARENA_MALLOC -Icompiler $(PKG_CFLAGS) $(LAZY_DEFS) -Ibuild/gen -o build/fuzz/$$n $$f $(SRC) build/gen/stdlib_data.c $(GEN_SRC) $(PKG_LIBS) || exit 1; \
	  echo "fuzz: $$n ($${FUZZ_SECONDS:-60} s)"; \
	  mkdir -p build/fuzz/corpus-$$n; cp tests/fuzz/corpus/* build/fuzz/corpus-$$n/ 2>/dev/null; \
	  build/fuzz/$$n -max_total_time=$${FUZZ_SECONDS:-60} -max_len=4096 build/fuzz/corpus-$$n || exit 1; \
	done

conformance: all
	@bash tests/conformance.sh ./kiln
	@bash tests/check-corpus.sh ./kiln

bench: all
	@bash tests/bench/run.sh ./kiln
	@bash tests/bench/diff.sh $(abspath $(BUILD)/kiln)
	@bash tests/bench/fleet.sh ./kiln

format:
	clang-format -i compiler/*.c compiler/*/*.[ch] compiler/*/*/*.[ch] tests/unit/*.[ch] tests/fuzz/*.c

# install: the binary, its standard library, the manual page and shell completion.
PREFIX ?= /usr/local
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/kiln \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 755 $(BUILD)/kiln $(DESTDIR)$(PREFIX)/bin/kiln
	cp -R stdlib $(DESTDIR)$(PREFIX)/share/kiln/
	install -m 644 docs/kiln.1 $(DESTDIR)$(PREFIX)/share/man/man1/kiln.1
	install -m 644 docs/kiln.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/kiln
	install -m 644 docs/_kiln $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_kiln

clean:
	rm -rf build kiln
