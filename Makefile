# Two commands for people: `make site` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8000
# Debian packages the tests drive for real: a browser, an SSH server, a web server, GoAccess, and
# Java for the Nu HTML checker.
APT_PACKAGES := chromium openssh-server openssh-client nginx goaccess openjdk-17-jre-headless

.PHONY: site hook serve redaksi test fuzz lint bench demo system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP) hook
	$(BIN)/laman validate content
	$(BIN)/laman build
	@echo "Buka / open: output/index.html — atau jalankan / or run: make serve"

# The pre-commit hook that runs `laman validate` on the articles being committed; never replaces
# another hook (scripts/install-hook says so instead).
hook:
	@sh scripts/install-hook

serve: $(STAMP)
	$(BIN)/laman build --local
	@echo "Pratinjau / preview: http://127.0.0.1:$(PORT)/"
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory output $(PORT)

# The Ruang Redaksi for office staff: opens the browser at this clone's board.
redaksi: $(STAMP)
	$(BIN)/laman redaksi

system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || missing="$$missing openssh-server"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	command -v goaccess >/dev/null || missing="$$missing goaccess"; \
	command -v java >/dev/null || missing="$$missing openjdk-17-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	  else \
	    echo "Pasang dulu / install first: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

test: $(STAMP) system-deps
	$(BIN)/ruff check pipeline tests bench scripts pelicanconf.py publishconf.py
	$(BIN)/python -m pytest -n 2 -q

# Many more random office histories than `make test` runs, from a new seed each time.
fuzz: $(STAMP)
	LAMAN_FUZZ_EXAMPLES=$${LAMAN_FUZZ_EXAMPLES:-500} $(BIN)/python -m pytest -q tests/test_property_history.py

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests bench scripts pelicanconf.py publishconf.py

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

bench: $(STAMP)
	for script in check build recap signature import redaksi; do $(BIN)/python bench/$$script.py || exit 1; done

clean:
	rm -rf output output.old .laman-cache .pytest_cache
