"""Speed, memory and quality benchmarks. Not part of the test suite (a smoke test is).

Each module runs as `python -m benchmarks.<name>`, measures its figures beside a naive
baseline in the same process, and writes `benchmarks/results/<name>.md`.
`python -m benchmarks` runs them all and gathers `benchmarks/RESULTS.md`.
"""
