"""The benchmarks are run by `make bench` (python -m tests.perf), never by pytest."""

collect_ignore_glob = ["*.py"]
