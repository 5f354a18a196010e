# `make run` and `make test` set up .venv (scripts/bootstrap.sh) on first use.
# Extra options for the run: make run ARGS="--scenario manifesto --seed 1"
.PHONY: run test bootstrap clean

ARGS ?=

bootstrap:
	@bash scripts/bootstrap.sh

run: bootstrap
	.venv/bin/samen run $(ARGS)

test: bootstrap
	.venv/bin/python -m pytest -q

clean:
	rm -rf .venv .pytest_cache build *.egg-info
