"""The contract every floor above shares: the request and reply model, the text markup, the
command registry, the handler context, the content pack, the clock, settings and metrics.

core/ sits on storage/ (the handler context carries the database) and below handlers/ and bot/;
tests/test_layering.py keeps imports going down the floors only."""

__version__ = "0.1.0"
