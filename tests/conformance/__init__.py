"""The same behavioural cases run against every chat adapter (see drivers.py)."""
