"""The top floor: demo and synthetic seeding, and the local process supervisor (``runall``).

It may import every app; no app imports it. ``demo`` loads organisations for people
to click through, ``synthetic`` scale data for benchmarks, ``catalogue`` a big
catalogue for the search benchmark.
"""
