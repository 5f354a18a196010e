"""Samen experiments: scenarios, runs, sweeps, analysis, charts, briefs and the `samen` CLI."""
