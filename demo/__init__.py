"""Demo and scale data: ``demo`` for people to click through, ``synthetic`` for benchmarks."""
