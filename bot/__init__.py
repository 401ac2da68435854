"""sgbot runtime: configuration, dispatch, adapters, scheduling and delivery."""

__version__ = "0.1.0"
