# SPDX-License-Identifier: Apache-2.0
# The two commands of the README, and a few conveniences.
#   make demo   set up, build, create the demo county on SQLite and serve it
#   make test   set up, build and run every suite; ends with "N passed, N failed"
DATA ?= xiangzhi-data
LISTEN ?= 127.0.0.1:8080

.PHONY: demo test build setup bench clean

setup:
	@scripts/setup.sh

build: setup
	@[ -f build/build.ninja ] || meson setup build >/dev/null
	@ninja -C build

demo: build
	@echo "乡治演示 / xiangzhi demo: 新密市 (410183) — http://$(LISTEN)"
	./build/xiangzhi demo --data $(DATA) --db sqlite:$(DATA)/xiangzhi.db --listen $(LISTEN) --serve

test:
	@scripts/test.sh

bench: build
	bench/http.sh
	bench/writer.sh

clean:
	rm -rf build build-asan build-fuzz .test-out
