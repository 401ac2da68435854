"""Slack: Bolt over Socket Mode or signed HTTP; this package only translates."""
