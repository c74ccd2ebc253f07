"""Benchmarks that print figures and ratios against a naive baseline measured in the same run."""
