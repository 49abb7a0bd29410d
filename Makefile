# Outpost build entry points. `make test` is the one command that runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := build
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

VERSION := $(shell node -p 'require("./package.json").version')
ARCH := $(shell node -p process.arch)
TARBALL := dist/outpost-$(VERSION)-linux-$(ARCH).tar.gz

.PHONY: build setup deps typecheck bundle dist lint fmt test bench chaos demo clean

## build: install dependencies if missing, type-check the tree, bundle dist/outpost + dist/bin/*
build: deps typecheck bundle

## setup: the host side of demo and test: Debian packages, a Docker engine, node_modules (build/host-setup.sh)
setup:
	bash build/host-setup.sh

deps:
	@if [ ! -d node_modules ]; then npm ci; fi

typecheck: deps
	tsc --noEmit -p tsconfig.json

bundle: deps
	node build/bundle.mjs

## dist: the installable tarball dist/outpost-<version>-linux-<arch>.tar.gz (checks the 20 MB budget)
dist: build
	node build/package.mjs

lint: deps
	biome check .

fmt: deps
	biome format --write .

## test: set up the host, build and package (the tarball test unpacks $(TARBALL)), build the test bundle
## dist-test/ (the shipped programs + the test-only fixture agent, never in dist/), then every *.test.ts
test: setup dist
	node build/bundle.mjs --test
	vitest run

## test-unit: the unit project of vitest.config.ts only (planners, codecs, memory-transport pubsub):
## no build, no Docker, no processes; under a minute. `make test` runs it too, with the integration tests.
.PHONY: test-unit
test-unit: deps
	vitest run --project unit

## bench: every bench/*.bench.ts in name order, each in its own node process; fails if any failed
bench: build
	@shopt -s nullglob; benches=(bench/*.bench.ts); failed=(); \
	if [ $${#benches[@]} -eq 0 ]; then echo "bench: no bench/*.bench.ts yet"; exit 0; fi; \
	for b in "$${benches[@]}"; do echo "== $$b"; node --import tsx "$$b" || failed+=("$$b"); done; \
	if [ $${#failed[@]} -gt 0 ]; then echo "bench: failed: $${failed[*]}"; exit 1; fi

## chaos: fault suite against one real node (private dockerd, tmpfs persist/); root only; < 15 min
chaos: setup build
	node --import tsx bench/chaos.ts

demo: setup build
	bash build/demo.sh

## demo-update: the demo's second act: a newer Outpost release rolled out to the demo node (A/B slots,
## committed), then a broken one that falls back (build/demo-update.sh; starts the demo if none runs)
.PHONY: demo-update
demo-update: setup build
	bash build/demo-update.sh

clean:
	rm -rf dist dist-test .vitest-tmp
