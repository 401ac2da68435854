"""What practitioners looked up, counted by week for the partnership's reports: counts of commands
and topics only, never who asked or what they typed.

The counting happens as each lookup is answered (bot/delivery.py gathers the counts,
storage/lookups.py keeps them); this feature is their report, `sgbot report lookups` (cli.py).
It adds no chat command."""
