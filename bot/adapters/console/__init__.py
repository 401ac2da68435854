"""The console chat: a terminal stand-in for a platform, used by `make run` with no credentials."""
