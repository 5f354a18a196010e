"""Defaults and limits of a run, kept apart from :mod:`experiments.api` (which loads the
model) so that the command line can show them in its help without loading anything.
:mod:`experiments.api` exports them; import them from there in code that runs the model."""

#: Quarters a run simulates unless told otherwise: ten years. The CLI, the brief, the sweep
#: specs, the validation and the benchmarks take their default from here.
DEFAULT_STEPS = 40
#: Fewest quarters a run may simulate: 0 gives the initial state alone.
MIN_STEPS = 0
#: Seeds are non-negative integers below this bound (fit in a signed 64-bit integer).
SEED_LIMIT = 2**63
#: What per-locality outcomes a run keeps: those of the last step, or of every step.
LOCALITY_CHOICES = ("last", "every")
