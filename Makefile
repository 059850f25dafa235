# reportgen - build, test, sample, install.
#   make            build build/reportgen
#   make sample     install missing Debian packages (as root), build, write the sample PDF
#   make check      install missing Debian packages (as root), build, run all tests
#   make pdfa-check PDF/A tests only (PDFBox preflight on --pdfa=1b, own 2x checks)
#   make docs       regenerate docs/language.md and docs/layout-language.md from the
#                   schemas' xs:documentation (make check fails when they are stale)
#   make install    PREFIX=/usr/local DESTDIR= : binary, schema, layouts, fonts,
#                   images of the hyphenation patterns, man page
#   make fuzz-long  every fuzz target for FUZZ_LONG_SECONDS (one CPU-hour each,
#                   before a release); see "Fuzzing" below and docs/testing.md

# The one list of Debian packages the project needs, in two sets:
#   BUILD_PACKAGES  what `make` needs, and reportgen at run time: compiler,
#                   -dev libraries, the hyphenation patterns, the sRGB
#                   profile, the fonts of the shipped layouts (make build-deps)
#   TEST_PACKAGES   what only the tests and tools need: PDF readers and
#                   validators, Python and its SMTP server, clang and
#                   valgrind for the sanitizer and leak builds, the fonts
#                   only tests name (make deps installs both sets, as CI does)
# DEBIAN_PACKAGES is the whole list, names written out (its first lines the
# build set); TEST_PACKAGES names the test set's; tests/install_test.py
# checks both against tests/needs.txt, which says what each package is
# for. Its fonts-* packages (FONT_PACKAGES) are the fonts the layouts and
# the tests use (fonts/README.md says which family comes from which); the
# test suites see these and no other fonts (tests/fonts-conf.sh), as a
# fresh machine would.
DEBIAN_PACKAGES = gcc binutils make pkg-config zlib1g-dev libxml2-dev libharfbuzz-dev libunibreak-dev libfribidi-dev \
                  libfontconfig-dev fontconfig libhpdf-dev libpng-dev libhyphen-dev hyphen-nl icc-profiles-free \
                  libgmime-3.0-dev libcurl4-openssl-dev \
                  fonts-noto-core fonts-dejavu-core fonts-dejavu-extra \
                  qpdf poppler-utils libxml2-utils default-jre-headless libpdfbox2-java \
                  libactivation-java libjaxb-api-java python3 python3-aiosmtpd iproute2 \
                  clang libclang-rt-14-dev valgrind \
                  fonts-noto-mono fonts-lato parallel
TEST_PACKAGES   = qpdf poppler-utils libxml2-utils default-jre-headless libpdfbox2-java \
                  libactivation-java libjaxb-api-java python3 python3-aiosmtpd iproute2 \
                  clang libclang-rt-14-dev valgrind \
                  fonts-noto-mono fonts-lato parallel
BUILD_PACKAGES  = $(filter-out $(TEST_PACKAGES),$(DEBIAN_PACKAGES))
FONT_PACKAGES   = $(filter fonts-%,$(DEBIAN_PACKAGES))
BUILD_FONT_PACKAGES = $(filter fonts-%,$(BUILD_PACKAGES))

PREFIX  ?= /usr/local
DATADIR ?= $(PREFIX)/share/reportgen
MANDIR  ?= $(PREFIX)/share/man

# The mail stage's libraries are linked into reportgen-reply only (see
# generator/cli/reply-main.c): every build would otherwise load them.
CORE_PKGS = libxml-2.0 harfbuzz harfbuzz-subset fontconfig libunibreak fribidi
MAIL_PKGS = gmime-3.0 libcurl
PKGS    = $(CORE_PKGS) $(MAIL_PKGS)
LIBEXECDIR ?= $(PREFIX)/libexec/reportgen
CC     ?= cc
WERROR ?=
# CPPFLAGS, CFLAGS and LDFLAGS are the user's (or dpkg-buildflags'): every
# compile line has CPPFLAGS (after the project's own, in CPPFLAGS_ALL) and
# CFLAGS, every link line CFLAGS and LDFLAGS (tests/install_test.py checks
# this with make -n). The sanitizer and fuzz builds set CFLAGS themselves.
CFLAGS ?= -O2 -g
WARN    = -Wall -Wextra -Wshadow -Wstrict-prototypes $(WERROR)
CPPFLAGS_ALL = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
               -Igenerator -DRG_DATADIR='"$(DATADIR)"' -DRG_LIBEXECDIR='"$(LIBEXECDIR)"' \
               $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CPPFLAGS)
SYS_LIBS  = -lhpdf -lpng -lhyphen -lz -lm -lpthread
CORE_LIBS = $(shell pkg-config --libs $(CORE_PKGS) 2>/dev/null) $(SYS_LIBS)
LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(SYS_LIBS)

BUILD   = build
# The stages (folders of generator/), users before what they use: the order
# the linker takes their libraries in. tests/layers.py holds the table of
# which stage may use which, and tests/layers.sh checks this order against it.
STAGES  = cli mail batch pipeline check pdf load image layout chart text dlist hyphen fonts style model base
SRCS    = $(wildcard generator/*/*.c)
OBJS    = $(SRCS:generator/%.c=$(BUILD)/obj/%.o)
MAINS   = $(BUILD)/obj/cli/main.o $(BUILD)/obj/cli/reply-main.o $(BUILD)/obj/hyphen/image-main.o \
          $(BUILD)/obj/load/schema-compact-main.o
LIBOBJS = $(filter-out $(MAINS),$(OBJS))
# One static library per stage (cli has only the two programs' mains), so
# that the link line shows the layers: build/lib/librg<stage>.a.
stage_objs    = $(filter-out $(MAINS),$(filter $(BUILD)/obj/$(1)/%.o,$(OBJS)))
LIB_STAGES    = $(filter-out cli,$(STAGES))
ARCHIVES      = $(LIB_STAGES:%=$(BUILD)/lib/librg%.a)
CORE_ARCHIVES = $(filter-out $(BUILD)/lib/librgmail.a,$(ARCHIVES))
TESTSRC = $(wildcard tests/unit/*.c)
TESTOBJ = $(TESTSRC:tests/unit/%.c=$(BUILD)/test-obj/%.o)

# Images of the hyphenation patterns installed here (generator/hyphen/image.h):
# reportgen loads one in ~0.5 ms instead of parsing the patterns (Dutch:
# 7-11 ms), and parses them when the image is missing or of other bytes.
HYPHEN_DIR    = /usr/share/hyphen
HYPHEN_DICS   = $(sort $(notdir $(filter $(HYPHEN_DIR)/%,$(realpath $(wildcard $(HYPHEN_DIR)/hyph_*.dic)))))
HYPHEN_IMAGES = $(HYPHEN_DICS:%.dic=$(BUILD)/hyphen/%.img)

# The schemas without their documentation, which reportgen validates with
# (generator/load/schema-compact-main.c says why; pipeline/paths.c picks a
# copy only when it is at least as new as its source).
COMPACT_SCHEMAS = $(BUILD)/schema/report.xsd $(BUILD)/schema/xml.xsd $(BUILD)/schema/layout.xsd

SAMPLE_DEF = samples/viermaandsrapportage-2023-T1.xml
SAMPLE_PDF = out/viermaandsrapportage-2023-T1.pdf
# the second sample (issue 15): an annual report of an invented organisation,
# with an SVG logo, a PNG with alpha and a JPEG photo
SAMPLE2_DEF = samples/jaarverslag/jaarverslag-2023.xml
SAMPLE2_PDF = out/jaarverslag-2023.pdf
GALLERY_DEF = samples/gallery/grafieken.xml

.PHONY: all deps build-deps check-deps sample gallery check unit e2e pdfa-check generated docs install clean print-stages \
        print-packages print-build-packages print-test-packages print-font-packages print-build-font-packages FORCE

all: $(BUILD)/reportgen $(BUILD)/reportgen-reply $(HYPHEN_IMAGES) $(COMPACT_SCHEMAS)

$(BUILD)/reportgen: $(BUILD)/obj/cli/main.o $(CORE_ARCHIVES)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

$(BUILD)/reportgen-reply: $(BUILD)/obj/cli/reply-main.o $(ARCHIVES)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

define STAGE_LIBRARY
$(BUILD)/lib/librg$(1).a: $(call stage_objs,$(1))
	@mkdir -p $$(@D)
	rm -f $$@ && $(AR) rcs $$@ $$^
endef
$(foreach s,$(LIB_STAGES),$(eval $(call STAGE_LIBRARY,$(s))))

# (tests/layers.sh compares this with the table's order)
print-stages:
	@echo $(STAGES)

# (tests/install_test.py checks these lists against what the suites use)
print-packages:
	@echo $(DEBIAN_PACKAGES)
print-build-packages:
	@echo $(BUILD_PACKAGES)
print-test-packages:
	@echo $(TEST_PACKAGES)
print-font-packages:
	@echo $(FONT_PACKAGES)
print-build-font-packages:
	@echo $(BUILD_FONT_PACKAGES)

$(BUILD)/hyphen-image: $(BUILD)/obj/hyphen/image-main.o $(BUILD)/obj/hyphen/image.o \
                      $(BUILD)/obj/base/hash.o $(BUILD)/obj/base/files.o $(BUILD)/obj/base/base.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lhyphen

$(BUILD)/hyphen/%.img: $(HYPHEN_DIR)/%.dic $(BUILD)/hyphen-image | $(BUILD)/hyphen
	$(BUILD)/hyphen-image $< $@

$(BUILD)/schema-compact: $(BUILD)/obj/load/schema-compact-main.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(shell pkg-config --libs libxml-2.0 2>/dev/null)

$(BUILD)/schema/%.xsd: generator/schema/%.xsd $(BUILD)/schema-compact
	@mkdir -p $(@D)
	$(BUILD)/schema-compact $< $@
$(BUILD)/schema/layout.xsd: layouts/layout.xsd $(BUILD)/schema-compact
	@mkdir -p $(@D)
	$(BUILD)/schema-compact $< $@

$(BUILD)/obj/%.o: generator/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(BUILD)/test-obj/%.o: tests/unit/%.c | $(BUILD)/test-obj
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(BUILD)/unit-tests: $(TESTOBJ) $(ARCHIVES)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/obj $(BUILD)/test-obj $(BUILD)/hyphen:
	mkdir -p $@

# paths.o has DATADIR and LIBEXECDIR compiled in: rebuild it when they change.
$(BUILD)/config: FORCE | $(BUILD)/obj
	@echo '$(DATADIR) $(LIBEXECDIR)' | cmp -s - $@ || echo '$(DATADIR) $(LIBEXECDIR)' > $@
$(BUILD)/obj/pipeline/paths.o: $(BUILD)/config

-include $(OBJS:.o=.d) $(TESTOBJ:.o=.d)

# deps installs what is missing of DEBIAN_PACKAGES (both sets: what CI
# and make check need), build-deps of BUILD_PACKAGES (enough for make,
# make sample and make install), when run as root; otherwise they name the
# missing packages and fail.
define INSTALL_MISSING
@missing=""; for p in $(1); do \
  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then \
    echo "installing:$$missing"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
  else \
    echo "missing Debian packages:$$missing (run 'make $@' as root)"; exit 1; \
  fi; \
fi
endef
deps:
	$(call INSTALL_MISSING,$(DEBIAN_PACKAGES))
build-deps:
	$(call INSTALL_MISSING,$(BUILD_PACKAGES))

# Everything tests/needs.txt names is here (tools on PATH, Python modules,
# files, fonts fontconfig finds among FONT_PACKAGES'): run by make check and
# .ci/run before any suite, it names what is missing and its package.
check-deps:
	@RG_FONT_PACKAGES='$(FONT_PACKAGES)' tests/check_deps.sh

sample: build-deps
	$(MAKE) --no-print-directory all
	@mkdir -p out
	$(BUILD)/reportgen build $(SAMPLE_DEF) -o $(SAMPLE_PDF)
	@echo "wrote $(SAMPLE_PDF)"
	$(BUILD)/reportgen build $(SAMPLE2_DEF) -o $(SAMPLE2_PDF)
	@echo "wrote $(SAMPLE2_PDF)"

# The chart gallery (every chart type and part) in each layout, checked.
gallery: build-deps
	$(MAKE) --no-print-directory all
	@mkdir -p out
	for l in layouts/*.xml; do \
	  $(BUILD)/reportgen build $(GALLERY_DEF) --layout $$(basename $$l .xml) --check-layout \
	    -o out/grafieken-$$(basename $$l .xml).pdf || exit 1; \
	done
	@echo "wrote out/grafieken-*.pdf"

# Every suite runs (tests/run.sh; "background:" marks one that mostly waits and
# runs beside the others, "solo:" one that times itself and runs alone), then
# one closing line counts them all; the suites see only the fonts of
# FONT_PACKAGES. make check runs CHECK_JOBS suites at once (the longest are
# listed first), the sanitizer and valgrind runs one at a time.
CHECK_JOBS ?= 2
RUN_TESTS   = RG_FONT_PACKAGES='$(FONT_PACKAGES)' tests/run.sh
TEST_SUITES = 'SEEDS=$(SEEDS) BUILD=$(BUILD) tests/generated.sh' tests/regress.sh tests/e2e.sh \
              'python3 tests/install_test.py $(BUILD)/reportgen' 'BUILD=$(BUILD) tests/layers.sh' tests/docs.sh $(BUILD)/unit-tests tests/tags.sh tests/tags-elements.sh tests/pdfa.sh tests/streams.sh tests/batch.sh tests/shard.sh tests/cli.sh 'python3 tests/cli_man.py $(BUILD)/reportgen' tests/hostile.sh tests/faults.sh tests/run_test.sh \
              'background:python3 tests/mail_test.py $(BUILD)/reportgen' \
              'background:python3 tests/inbox_test.py $(BUILD)/reportgen'
# Random valid definitions built with --check-layout (tests/generated.sh):
# SEEDS of them in check and sanitize-check, GENERATED_SEEDS in
# `make generated`. Replay a failure with the line it prints. 200 since
# issue 17: the definitions carry notes, appendices, images, grouped
# tables and text blocks now, and 300 of them took 102 s of make check's
# five minutes.
SEEDS           ?= 200
GENERATED_SEEDS ?= 3000
# tests/tag_check.py (the tags against what the definitions wrote) runs in
# e2e.sh, regress.sh and generated.sh on every PDF they build when
# TAG_CHECK is not 0 (the default: TAG_CHECK=0 leaves it out, e.g. to
# time the suites alone); its own test (planted violations) always runs.
TAG_CHECK ?= 1
export TAG_CHECK
TEST_SUITES += 'python3 tests/tag_check_test.py $(BUILD)/reportgen'
# Pages spilled to a scratch file give the same PDFs as pages kept in
# memory (issue 22): the samples, tests/regress/ and SPILL_SEEDS random
# definitions, each built both ways.
SPILL_SEEDS ?= 20
TEST_SUITES += 'SPILL_SEEDS=$(SPILL_SEEDS) BUILD=$(BUILD) tests/spill.sh'

check: deps
	@$(MAKE) --no-print-directory check-deps
	$(MAKE) --no-print-directory all $(BUILD)/unit-tests
	RUN_JOBS=$(CHECK_JOBS) $(RUN_TESTS) $(TEST_SUITES)

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

e2e: $(BUILD)/reportgen
	tests/e2e.sh

pdfa-check: $(BUILD)/reportgen
	tests/pdfa.sh

batch-check: $(BUILD)/reportgen
	tests/batch.sh

generated: all
	SEEDS=$(GENERATED_SEEDS) BUILD=$(BUILD) tests/generated.sh

# The language references, generated from the schemas' documentation
# (docs/schema-doc.py; tests/docs.sh fails when they are out of date).
docs:
	python3 docs/schema-doc.py generator/schema/report.xsd > docs/language.md.tmp || \
	  { rm -f docs/language.md.tmp; exit 1; }
	mv docs/language.md.tmp docs/language.md
	python3 docs/schema-doc.py layouts/layout.xsd > docs/layout-language.md.tmp || \
	  { rm -f docs/layout-language.md.tmp; exit 1; }
	mv docs/layout-language.md.tmp docs/layout-language.md

# The benchmark suite (not a test): writes bench/results.md.
bench: all
	python3 bench/run.py

# Every period's report in samples/, in parallel, into out/.
sample-batch: build-deps
	$(MAKE) --no-print-directory all
	$(BUILD)/reportgen batch samples -o out

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/schema \
	  $(DESTDIR)$(DATADIR)/layouts $(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/reportgen $(DESTDIR)$(PREFIX)/bin/reportgen
	install -d $(DESTDIR)$(LIBEXECDIR)
	install -m 755 $(BUILD)/reportgen-reply $(DESTDIR)$(LIBEXECDIR)/reportgen-reply
	install -m 644 generator/schema/*.xsd $(DESTDIR)$(DATADIR)/schema/
	install -d $(DESTDIR)$(DATADIR)/schema/compact
	install -m 644 $(COMPACT_SCHEMAS) $(DESTDIR)$(DATADIR)/schema/compact/
	install -m 644 layouts/*.xml layouts/*.xsd $(DESTDIR)$(DATADIR)/layouts/
	install -m 644 fonts/README.md $(DESTDIR)$(DATADIR)/fonts/
	install -d $(DESTDIR)$(DATADIR)/mail
	install -m 644 mail/inbox.conf.example mail/antwoord-nl.txt mail/antwoord-en.txt \
	  $(DESTDIR)$(DATADIR)/mail/
	install -d $(DESTDIR)$(DATADIR)/hyphen
	$(if $(HYPHEN_IMAGES),install -m 644 $(HYPHEN_IMAGES) $(DESTDIR)$(DATADIR)/hyphen/)
	install -m 644 reportgen.1 $(DESTDIR)$(MANDIR)/man1/reportgen.1
	install -d $(DESTDIR)$(DATADIR)/mail/systemd
	install -m 644 mail/systemd/reportgen-inbox.service mail/systemd/reportgen-inbox.timer \
	  $(DESTDIR)$(DATADIR)/mail/systemd/
	install -m 644 mail/cron.example $(DESTDIR)$(DATADIR)/mail/

clean:
	rm -rf $(BUILD) out tests/tmp tests/tmp-batch tests/tmp-shard

# ---- Sanitizers and leak checks ---------------------------------------------
#   make asan            clang + AddressSanitizer/LeakSanitizer, build-asan/, every suite
#   make ubsan           clang + UndefinedBehaviorSanitizer, build-ubsan/, every suite
#   make sanitize-check  one clang build with both (build-san/), every suite: what CI runs
#   make leakcheck       every suite with each reportgen run and the unit tests under
#                        valgrind memcheck (slow: not part of check or CI)
# Each builds the binary and the unit tests in its own folder, then runs
# TEST_SUITES with BUILD and RG pointing at that build. Sanitizer and valgrind
# reports go to files in <build>/logs (tests discard much of reportgen's
# stderr, and an abort would pass a test that only expects a failure), and
# tests/sanitizer-logs.sh, the last suite (solo: after the background ones
# too), fails on any report.
SAN_CC      = clang
SAN_CFLAGS  = -O1 -g -fno-omit-frame-pointer
ASAN_FLAGS  = -fsanitize=address
# 'undefined' (clang 14: signed overflow, shifts, alignment, bounds, null,
# float-cast-overflow, ...) plus what it leaves out but is a bug here:
# float-divide-by-zero (an inf/NaN coordinate) and bounds checks on locals.
UBSAN_FLAGS = -fsanitize=undefined,float-divide-by-zero,local-bounds -fno-sanitize-recover=all
SAN_LOGS    = $(CURDIR)/$(BUILD)/logs
SAN_ENV     = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:log_path=$(SAN_LOGS)/asan \
              UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1:log_path=$(SAN_LOGS)/ubsan \
              LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
# valgrind: the unit tests directly, reportgen through tests/valgrind-rg.sh
LEAK_SUITES = $(subst $(BUILD)/reportgen,$$RG,$(subst $(BUILD)/unit-tests,'RG_REAL=$(BUILD)/unit-tests tests/valgrind-rg.sh',$(TEST_SUITES)))

.PHONY: asan ubsan sanitize-check leakcheck san-run clean-sanitize

asan: deps
	$(MAKE) --no-print-directory BUILD=build-asan CC=$(SAN_CC) \
	  CFLAGS='$(SAN_CFLAGS) $(ASAN_FLAGS)' san-run
ubsan: deps
	$(MAKE) --no-print-directory BUILD=build-ubsan CC=$(SAN_CC) \
	  CFLAGS='$(SAN_CFLAGS) $(UBSAN_FLAGS)' san-run
sanitize-check: deps
	$(MAKE) --no-print-directory BUILD=build-san CC=$(SAN_CC) \
	  CFLAGS='$(SAN_CFLAGS) $(ASAN_FLAGS) $(UBSAN_FLAGS)' san-run

# (called by the three above with BUILD, CC and CFLAGS set)
san-run: all $(BUILD)/unit-tests
	rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	$(SAN_ENV) RG=$(BUILD)/reportgen $(RUN_TESTS) $(TEST_SUITES) 'solo:tests/sanitizer-logs.sh $(SAN_LOGS)'

leakcheck: deps
	@$(MAKE) --no-print-directory check-deps
	$(MAKE) --no-print-directory all $(BUILD)/unit-tests
	rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	VALGRIND_LOGS=$(SAN_LOGS) RG_REAL=$(CURDIR)/$(BUILD)/reportgen RG=tests/valgrind-rg.sh \
	  $(RUN_TESTS) $(LEAK_SUITES) 'solo:tests/sanitizer-logs.sh $(SAN_LOGS)'

clean: clean-sanitize
clean-sanitize:
	rm -rf build-asan build-ubsan build-san

# ---- Fuzzing (tests/fuzz/, README "Fuzzing") --------------------------------
#   make fuzz            clang + libFuzzer + ASan/UBSan targets in build-fuzz/, each run
#                        for FUZZ_SECONDS (default 60) with the dictionary and the seed
#                        corpus; new inputs go to build-fuzz/corpus/<target> (scratch),
#                        crashes to build-fuzz/artifacts/<target>/. FUZZ_TARGETS=csv
#                        runs one.
#   make fuzz-long       the same, each target for FUZZ_LONG_SECONDS (default 3600: one
#                        CPU-hour a target, the least before a release; ten minutes
#                        missed what 45 found). One process on one core at a time; note
#                        the CPU-minutes run in docs/testing.md's table.
#   make fuzz-merge      minimises scratch + seeds back into tests/fuzz/corpus (-merge=1,
#                        edges only: keeps the committed corpus to a few dozen files);
#                        only when you mean to commit new seeds
#   make fuzz-replay     the same target sources with $(CC), no libFuzzer, over the seed
#                        corpus and tests/fuzz/crashes/<target>/ (part of make check)
FUZZ_TARGETS ?= definition csv build layout mail image svg
FUZZ_SECONDS ?= 60
FUZZ_LONG_SECONDS ?= 3600
FUZZ_CC      ?= clang
FUZZ_BUILD    = build-fuzz
FUZZ_CFLAGS   = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=undefined
FUZZ_OBJS     = $(LIBOBJS:$(BUILD)/obj/%.o=$(FUZZ_BUILD)/obj/%.o)
# -max_len: real definitions are 10-20 KB; 64 KB leaves room without making
# each run of the build target (layout + two PDFs) slow.
FUZZ_OPTS     = -dict=tests/fuzz/reportgen.dict -max_len=65536 -timeout=10 \
                -rss_limit_mb=1024 -print_final_stats=1
FUZZ_REPLAY   = $(FUZZ_TARGETS:%=$(BUILD)/fuzz-replay-%)

TEST_SUITES += '$(MAKE) --no-print-directory BUILD=$(BUILD) fuzz-replay'
# Last and alone: the time ratios of growing inputs (linear.sh); input '-',
# init and build --watch (issue 20), whose watch waits on quiet periods.
TEST_SUITES += solo:tests/linear.sh solo:tests/authoring.sh

.PHONY: fuzz fuzz-long fuzz-build fuzz-merge fuzz-replay clean-fuzz
# The objects are kept: make would delete them as intermediates of the
# fuzz_% rule, and every fuzz-build would compile the whole tree again.
.SECONDARY: $(FUZZ_OBJS)

$(FUZZ_BUILD)/obj/%.o: generator/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(WARN) -MMD -MP -c $< -o $@
$(FUZZ_BUILD)/obj/pipeline/paths.o: $(BUILD)/config

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(WARN) $(LDFLAGS) \
	  -o $@ $< $(FUZZ_OBJS) $(LIBS)

$(FUZZ_BUILD)/obj:
	mkdir -p $@

-include $(FUZZ_OBJS:.o=.d)

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/artifacts/$$t || exit 1; \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/fuzz_$$t $(FUZZ_OPTS) -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ \
	    $(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

fuzz-long:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_LONG_SECONDS)

fuzz-merge: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  rm -rf $(FUZZ_BUILD)/merged/$$t && mkdir -p $(FUZZ_BUILD)/merged/$$t $(FUZZ_BUILD)/corpus/$$t || exit 1; \
	  $(FUZZ_BUILD)/fuzz_$$t $(FUZZ_OPTS) -merge=1 -use_counters=0 $(FUZZ_BUILD)/merged/$$t \
	    tests/fuzz/corpus/$$t $(FUZZ_BUILD)/corpus/$$t || exit 1; \
	  rm -f tests/fuzz/corpus/$$t/* && cp $(FUZZ_BUILD)/merged/$$t/* tests/fuzz/corpus/$$t/ || exit 1; \
	  echo "tests/fuzz/corpus/$$t: $$(ls tests/fuzz/corpus/$$t | wc -l) files"; \
	done

$(BUILD)/fuzz-replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(ARCHIVES)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ \
	  tests/fuzz/fuzz_$*.c tests/fuzz/replay.c $(ARCHIVES) $(LIBS)

# One line per target, then the total as tests/run.sh expects it.
fuzz-replay: $(FUZZ_REPLAY)
	@p=0; f=0; for t in $(FUZZ_TARGETS); do \
	  line=$$($(BUILD)/fuzz-replay-$$t tests/fuzz/corpus/$$t tests/fuzz/crashes/$$t | \
	         grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1); \
	  [ -n "$$line" ] || line="0 passed, 1 failed (the replay itself died)"; \
	  echo "fuzz-replay $$t: $$line"; \
	  p=$$((p + $${line%% passed*})); f=$$((f + $$(echo "$$line" | sed 's/.*, \([0-9]*\) failed.*/\1/'))); \
	done; echo "$$p passed, $$f failed"; [ $$f -eq 0 ]

clean: clean-fuzz
clean-fuzz:
	rm -rf $(FUZZ_BUILD)
