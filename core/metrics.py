"""Prometheus metrics. Names and labels never carry user ids or message text."""

from prometheus_client import Counter, Gauge, Histogram

COMMANDS = Counter("sgbot_commands_total", "Requests handled", ["command", "outcome"])
HANDLER_SECONDS = Histogram(
    "sgbot_handler_seconds",
    "Handler latency",
    ["kind"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
DEDUPE_HITS = Counter("sgbot_dedupe_hits_total", "Repeated deliveries that had no second effect")
OUTBOX = Counter("sgbot_outbox_total", "Outbox rows finished", ["status"])
OUTBOX_STATE = Gauge("sgbot_outbox_rows", "Outbox rows by status", ["status"])
FEED_POLLS = Counter("sgbot_feed_polls_total", "Feed polls", ["outcome"])
SURVEY_ANSWERS = Counter("sgbot_survey_answers_total", "Survey answers saved")
