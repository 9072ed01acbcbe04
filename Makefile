# The README's two commands are `make run` and `make test`; both install what is missing first.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

CARGO ?= cargo
NPM ?= npm
APP := target/debug/roadmap-planner
APP_RELEASE := target/release/roadmap-planner

.PHONY: run test deps ui fmt fmt-check structure clippy cargo-test bindings ui-check ui-test e2e app cli package bench bench-window deps-audit audit life hunt churn-lives

## Install everything, build, and open the app on your real data folder.
run: deps ui
	$(CARGO) build --release -p roadmap-planner -p roadmap-cli
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  echo; \
	  echo "No display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot open."; \
	  echo "The command-line interface works without one:"; \
	  echo; \
	  target/release/roadmap --help; \
	  echo; \
	  target/release/roadmap status; \
	else \
	  $(APP_RELEASE); \
	fi

## Install everything, then run every check the project has.
test: deps ui fmt-check structure bindings deps-audit clippy cargo-test ui-check ui-test e2e
	@if [ -s target/audit-not-run.txt ]; then \
	  echo "make test: all checks that could run passed; NOT RUN (database out of reach):"; \
	  sed 's/^/  /' target/audit-not-run.txt; \
	else \
	  echo "make test: all checks passed"; \
	fi
	@if [ -s target/audit-snapshot.txt ]; then sed 's/^/  /' target/audit-snapshot.txt; fi

deps:
	scripts/install-deps.sh

ui:
	$(NPM) --prefix ui run build

## Licences, banned crates and sources of every dependency (no network needed), then known
## vulnerabilities where their databases can be reached (reported as not run where not).
deps-audit:
	scripts/audit.sh

## The same audit, failing when a vulnerability database cannot be reached.
audit: deps
	scripts/audit.sh --strict

fmt:
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all --check

## No crate's modules import each other round a circle; the CLI's files stay under 600 lines;
## the store depends on no network, keyring or async crate (scripts/structure.py).
structure:
	python3 scripts/structure.py

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## Under a private session bus with gnome-keyring: the CalDAV tests keep a password in a real
## Secret Service (and start Radicale and Xandikos themselves).
cargo-test:
	scripts/with-keyring.sh $(CARGO) test --workspace

## The plan's rules against random whole lives for ten minutes (LIFE_SECONDS to change it),
## in release mode; prints how many lives ran. `make test` runs 256 of them.
LIFE_SECONDS ?= 600
RUNS ?= 20
life:
	LIFE_SECONDS=$(LIFE_SECONDS) $(CARGO) test --release -p roadmap-core --test it \
	  life::every_rule_holds_for_ten_minutes -- --ignored --nocapture

## Every random test of the core with CASES random cases each (instead of `make test`'s few
## hundred; the CalDAV lives run 32 there), in release mode: a hunt for rare counterexamples.
CASES ?= 3000
hunt:
	PROPTEST_CASES=$(CASES) $(CARGO) test --release -p roadmap-core --lib --test it

## Regenerate the TypeScript bindings and fail if they differ from the committed ones.
bindings:
	rm -rf ui/src/bindings
	$(CARGO) test --quiet -p roadmap-core --lib export_bindings
	@if [ -n "$$(git status --porcelain ui/src/bindings)" ]; then \
	  git status --porcelain ui/src/bindings; \
	  echo "error: ui/src/bindings is out of date; commit the regenerated files" >&2; \
	  exit 1; \
	fi

ui-check:
	$(NPM) --prefix ui run check

ui-test:
	$(NPM) --prefix ui test

## End-to-end tests of the real app window, under Xvfb, driven through tauri-driver.
## No session bus: with one, the desktop portal can stall the app's start for 25 s. The screen
## is larger than the largest window the tests ask for; the window speaks British English
## (locales compiled by scripts/install-deps.sh), so dates read the same on every machine.
e2e: ui
	$(CARGO) build -p roadmap-planner -p roadmap-cli
	xvfb-run -a -s "-screen 0 1600x1000x24" \
	  env -u DBUS_SESSION_BUS_ADDRESS WEBKIT_DISABLE_COMPOSITING_MODE=1 \
	      LOCPATH=$(CURDIR)/.tools/locale LANG=en_GB.UTF-8 \
	      ROADMAP_APP=$(CURDIR)/$(APP) ROADMAP_CLI=$(CURDIR)/target/debug/roadmap \
	      TAURI_DRIVER=$(CURDIR)/.tools/bin/tauri-driver \
	  $(NPM) --prefix ui run e2e

## A .deb of the size-optimised build, checked by unpacking it and starting the app from it.
package: deps
	scripts/package.sh

## Every benchmark that prints a figure for BENCHMARKS.md (the TaskJuggler comparison is
## bench/compare-taskjuggler.sh; it needs tj3 and hyperfine).
bench: deps ui
	$(CARGO) bench -p roadmap-core -p roadmap-app
	bench/startup.sh
	bench/memory.sh
	bench/size.sh
	bench/caldav-sync.sh
	bench/plan-1000.py
	bench/churn.sh
	$(MAKE) churn-lives
	$(MAKE) bench-window

## How many other sessions one action changes, per kind of action, over random lives (median,
## 90th percentile, most): CHURN_LIVES=… lives, default 2,000.
churn-lives:
	$(CARGO) test --release -p roadmap-core --test it churn_over_random_lives -- --ignored --nocapture

## From the user's action to the updated view in the real window (optimised as released, with
## a settable clock: target/bench-app), under Xvfb: create, mark, move, replan preview and
## accept, on the bundled and a 1,000-topic roadmap.
BENCH_APP := target/bench-app
bench-window: ui
	$(CARGO) build --profile bench-app -p roadmap-planner -p roadmap-cli \
	  --features roadmap-planner/test-clock,roadmap-cli/test-clock
	xvfb-run -a -s "-screen 0 1280x800x24" \
	  env -u DBUS_SESSION_BUS_ADDRESS WEBKIT_DISABLE_COMPOSITING_MODE=1 \
	      LOCPATH=$(CURDIR)/.tools/locale LANG=en_GB.UTF-8 \
	      ROADMAP_APP=$(CURDIR)/$(BENCH_APP)/roadmap-planner ROADMAP_CLI=$(CURDIR)/$(BENCH_APP)/roadmap \
	      TAURI_DRIVER=$(CURDIR)/.tools/bin/tauri-driver \
	  node bench/window-latency.mjs $(RUNS)
