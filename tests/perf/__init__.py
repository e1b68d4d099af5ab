"""Benchmarks: run with `python -m tests.perf <name>` (see __main__.py); never collected as tests."""
