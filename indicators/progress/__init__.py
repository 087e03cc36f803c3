"""Progress: the pure engine (`engine/`), the roll-up (`rollup.py`), the reason words (`reasons.py`), the figures
derived before judging (`derived.py`) and the recompute that stores the results (`services.py`).

It reads the reported values through `indicators.models` and imports nothing else of `indicators.reporting`.
"""
