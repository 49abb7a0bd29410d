# Outpost build entry points. `make test` is the one command that runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := build
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

VERSION := $(shell node -p 'require("./package.json").version')
ARCH := $(shell node -p process.arch)
TARBALL := dist/outpost-$(VERSION)-linux-$(ARCH).tar.gz

.PHONY: build deps typecheck bundle dist lint fmt test bench chaos demo clean

## build: install dependencies if missing, type-check the tree, bundle dist/outpost + dist/bin/*
build: deps typecheck bundle

# npm install is the fallback for the lock check npm ci fails on this registry mirror (see .ci/run).
deps:
	@if [ ! -d node_modules ]; then npm ci || npm install; fi

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

## test: build and package first (the tarball test unpacks $(TARBALL)), then every *.test.ts
test: dist
	vitest run

## bench: every bench/*.bench.ts in name order, each in its own node process; fails if any failed
bench: build
	@shopt -s nullglob; benches=(bench/*.bench.ts); failed=(); \
	if [ $${#benches[@]} -eq 0 ]; then echo "bench: no bench/*.bench.ts yet"; exit 0; fi; \
	for b in "$${benches[@]}"; do echo "== $$b"; node --import tsx "$$b" || failed+=("$$b"); done; \
	if [ $${#failed[@]} -gt 0 ]; then echo "bench: failed: $${failed[*]}"; exit 1; fi

## chaos: fault suite against one real node (private dockerd, tmpfs persist/); root only; < 15 min
chaos: build
	node --import tsx bench/chaos.ts

demo: build
	bash build/demo.sh

clean:
	rm -rf dist .vitest-tmp
