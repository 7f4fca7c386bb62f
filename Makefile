# Makefile — the two Quick start commands (run, test) plus the CI helpers they share.
# Everything is built by meson; this file only installs dependencies and picks the build dir.

SANITIZE ?= 0
FUZZ_SECONDS ?= 60
MESON_ARGS ?=

ifeq ($(SANITIZE),1)
BUILD_DIR := build-asan
SETUP_ARGS := -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
else
BUILD_DIR := build
SETUP_ARGS := -Dbuildtype=debugoptimized
endif

.PHONY: run test deps build fuzz bench clean

deps:
	@build-aux/install-deps

build: deps
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  meson setup $(BUILD_DIR) -Dwerror=true $(SETUP_ARGS) $(MESON_ARGS); \
	fi
	@meson compile -C $(BUILD_DIR)

run: build
	@build-aux/run-app $(BUILD_DIR)

test: build
	@build-aux/run-tests $(BUILD_DIR)

fuzz: deps
	@if [ ! -f build-fuzz/build.ninja ]; then \
	  CC=clang meson setup build-fuzz -Dfuzzing=true -Dbuildtype=debugoptimized; \
	fi
	@meson compile -C build-fuzz
	@build-aux/run-fuzz build-fuzz $(FUZZ_SECONDS)

bench: build
	@build-aux/run-bench $(BUILD_DIR)

clean:
	rm -rf build build-asan build-fuzz
