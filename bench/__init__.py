"""Benchmarks: ``python -m bench.bench_<topic>`` prints figures beside the plain alternative."""
