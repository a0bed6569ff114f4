"""Benchmarks (``make bench``): throughput figures printed beside their baselines."""
