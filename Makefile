# `make run` and `make test` set up .venv (scripts/bootstrap.sh) on first use; `make test`
# also installs Debian's chromium for the browser tests when it is missing, and lints
# (ruff, configured in pyproject.toml) before it runs the tests.
# Extra options for the run: make run ARGS="--scenario manifesto --seed 1"
.PHONY: run test golden bootstrap chromium workshop examples clean

ARGS ?=

bootstrap:
	@bash scripts/bootstrap.sh

run: bootstrap
	.venv/bin/samen run $(ARGS)

chromium:
	@bash scripts/ensure-chromium.sh

test: bootstrap chromium
	.venv/bin/ruff check . && .venv/bin/python -m pytest -q

# Regenerate the regression goldens after a deliberate change of results (then add a line to
# CHANGELOG.md and bump model.MODEL_VERSION).
golden: bootstrap
	.venv/bin/python -m tests.regression

workshop: bootstrap
	.venv/bin/samen workshop $(ARGS)

# Regenerate the example briefs in docs/examples/ on the current model (a few minutes).
examples: bootstrap
	bash scripts/make-examples.sh

clean:
	rm -rf .venv .pytest_cache build *.egg-info
