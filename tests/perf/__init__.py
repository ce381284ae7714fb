"""Benchmarks against same-run baselines (issue 7); not part of the test run."""
