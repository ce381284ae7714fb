"""`python -m tests.perf`: the benchmark suite (see tests/perf/bench.py)."""

from tests.perf.bench import main

raise SystemExit(main())
