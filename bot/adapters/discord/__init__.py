"""Discord: discord.py over the gateway; this package only translates."""
