"""Benchmarks for Dragør Frivillig (`make bench`; design.md section 7). Speed targets live here,
never in the tests."""
