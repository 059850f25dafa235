# reportgen - build, test, sample, install.
#   make            build build/reportgen
#   make sample     install missing Debian packages (as root), build, write the sample PDF
#   make check      install missing Debian packages (as root), build, run all tests
#   make pdfa-check PDF/A tests only (PDFBox preflight on --pdfa=1b, own 2x checks)
#   make install    PREFIX=/usr/local DESTDIR= : binary, schema, layouts, fonts, man page

# The one list of Debian packages the project needs (build, fonts, tests).
DEBIAN_PACKAGES = gcc make pkg-config libxml2-dev libharfbuzz-dev libunibreak-dev \
                  libfontconfig-dev libhpdf-dev fonts-noto-core fonts-dejavu-core \
                  qpdf poppler-utils libhyphen-dev hyphen-nl \
                  icc-profiles-free libxml2-utils default-jre-headless libpdfbox2-java \
                  libactivation-java libjaxb-api-java python3 \
                  libgmime-3.0-dev libcurl4-openssl-dev python3-aiosmtpd

PREFIX  ?= /usr/local
DATADIR ?= $(PREFIX)/share/reportgen
MANDIR  ?= $(PREFIX)/share/man

PKGS    = libxml-2.0 harfbuzz harfbuzz-subset fontconfig libunibreak gmime-3.0 libcurl
CC     ?= cc
WERROR ?=
CFLAGS ?= -O2 -g
WARN    = -Wall -Wextra -Wshadow -Wstrict-prototypes $(WERROR)
CPPFLAGS_ALL = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
               -DRG_DATADIR='"$(DATADIR)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lhyphen -lm -lpthread

BUILD   = build
SRCS    = $(wildcard generator/*.c)
OBJS    = $(SRCS:generator/%.c=$(BUILD)/obj/%.o)
LIBOBJS = $(filter-out $(BUILD)/obj/main.o,$(OBJS))
TESTSRC = $(wildcard tests/unit/*.c)
TESTOBJ = $(TESTSRC:tests/unit/%.c=$(BUILD)/test-obj/%.o)

SAMPLE_DEF = samples/viermaandsrapportage-2023-T1.xml
SAMPLE_PDF = out/viermaandsrapportage-2023-T1.pdf

.PHONY: all deps sample check unit e2e pdfa-check install clean FORCE

all: $(BUILD)/reportgen

$(BUILD)/reportgen: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

$(BUILD)/obj/%.o: generator/%.c | $(BUILD)/obj
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(BUILD)/test-obj/%.o: tests/unit/%.c | $(BUILD)/test-obj
	$(CC) $(CPPFLAGS_ALL) -Igenerator $(CFLAGS) $(WARN) -MMD -MP -c $< -o $@

$(BUILD)/unit-tests: $(TESTOBJ) $(LIBOBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TESTOBJ) $(LIBOBJS) $(LIBS)

$(BUILD)/obj $(BUILD)/test-obj:
	mkdir -p $@

# paths.o has DATADIR compiled in: rebuild it when PREFIX/DATADIR change.
$(BUILD)/config: FORCE | $(BUILD)/obj
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
$(BUILD)/obj/paths.o: $(BUILD)/config

-include $(OBJS:.o=.d) $(TESTOBJ:.o=.d)

# Installs what is missing from DEBIAN_PACKAGES when run as root; otherwise
# names the missing packages and fails.
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing Debian packages:$$missing (run 'make deps' as root)"; exit 1; \
	  fi; \
	fi

sample: deps
	$(MAKE) --no-print-directory all
	@mkdir -p out
	$(BUILD)/reportgen build $(SAMPLE_DEF) -o $(SAMPLE_PDF)
	@echo "wrote $(SAMPLE_PDF)"

# Every suite runs (tests/run.sh), then one closing line counts them all.
TEST_SUITES = $(BUILD)/unit-tests tests/e2e.sh tests/pdfa.sh tests/batch.sh \
              'python3 tests/mail_test.py $(BUILD)/reportgen'

check: deps
	$(MAKE) --no-print-directory all $(BUILD)/unit-tests
	tests/run.sh $(TEST_SUITES)

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

e2e: $(BUILD)/reportgen
	tests/e2e.sh

pdfa-check: $(BUILD)/reportgen
	tests/pdfa.sh

batch-check: $(BUILD)/reportgen
	tests/batch.sh

# Every period's report in samples/, in parallel, into out/.
sample-batch: deps
	$(MAKE) --no-print-directory all
	$(BUILD)/reportgen batch samples -o out

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/schema \
	  $(DESTDIR)$(DATADIR)/layouts $(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/reportgen $(DESTDIR)$(PREFIX)/bin/reportgen
	install -m 644 generator/schema/*.xsd $(DESTDIR)$(DATADIR)/schema/
	install -m 644 layouts/*.xml layouts/*.xsd $(DESTDIR)$(DATADIR)/layouts/
	install -m 644 fonts/README.md $(DESTDIR)$(DATADIR)/fonts/
	install -m 644 reportgen.1 $(DESTDIR)$(MANDIR)/man1/reportgen.1

clean:
	rm -rf $(BUILD) out tests/tmp tests/tmp-batch
