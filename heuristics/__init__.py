"""Pure weak-signal heuristics: domain types, detectors, reply templates, the engine.

Nothing in this package does I/O or imports textual or the store (tests/test_hygiene.py).
"""
