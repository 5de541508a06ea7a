# libchatbot — build, test, demo and install entry points.
# The README's two commands are `make demo` and `make test`; .ci/run calls `make test`.

PREFIX ?= /usr/local
SWIFT ?= swift
RELEASE_DIR := .build/release

.PHONY: deps deps-test build release demo test test-swift lib install clean

deps:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product chatbot-cli

## The main job: compile the bundled French HR knowledge base and ask it questions.
demo: release
	$(RELEASE_DIR)/chatbot-cli build examples/rh/faq.csv --synonyms examples/rh/synonymes.txt -o $(RELEASE_DIR)/rh.cbindex
	$(RELEASE_DIR)/chatbot-cli ask $(RELEASE_DIR)/rh.cbindex < examples/rh/questions.txt

## Every test: Swift (XCTest/Swift Testing), then the C, Python and PHP suites.
test: deps-test test-swift

test-swift:
	$(SWIFT) test

clean:
	rm -rf .build
