# sgbot container image. Not built or run in this project's CI (no container engine there):
# treat it as a starting point and test it in your own pipeline before use.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DATA_DIR=/data
RUN useradd --create-home --uid 10001 sgbot && mkdir -p /data && chown sgbot /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY content ./content
RUN pip install --no-cache-dir .

USER sgbot
VOLUME ["/data"]
# Slack HTTP mode and the health/metrics server, when configured.
EXPOSE 3000 9100
STOPSIGNAL SIGTERM
CMD ["sgbot", "run"]
