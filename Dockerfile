# crmbot: the chat-ops CRM bot, one image for Slack and Telegram.
#
#   docker build -t crmbot .
#   docker run --env-file .env -v crmbot-data:/data crmbot serve telegram
#
# or, with PostgreSQL, `docker compose up` (compose.yaml). The parser's model ships inside the
# package (intents/model, no download at start); the process runs as an unprivileged user and
# answers /healthz, /readyz and /metrics on port 8080.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY chat ./chat
COPY crm_core ./crm_core
COPY intents ./intents
COPY jobs ./jobs
# A virtual environment of its own, copied whole into the final stage (no build leftovers).
RUN python -m venv /opt/crmbot \
    && /opt/crmbot/bin/pip install --no-compile . \
    && /opt/crmbot/bin/python -c "from intents import Parser; Parser.load()"

FROM python:3.11-slim
LABEL org.opencontainers.image.title="crmbot" \
      org.opencontainers.image.description="Self-hosted chat-ops CRM assistant for Slack and Telegram" \
      org.opencontainers.image.licenses="MIT"
ENV PATH=/opt/crmbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CRMBOT_DATABASE_URL=sqlite:////data/crmbot.db \
    CRMBOT_PORT=8080 \
    CRMBOT_HEALTH_HOST=0.0.0.0 \
    CRMBOT_HEALTH_PORT=8080
RUN groupadd --system --gid 10001 crmbot \
    && useradd --system --uid 10001 --gid crmbot --home-dir /data --create-home \
       --shell /usr/sbin/nologin crmbot
COPY --from=build /opt/crmbot /opt/crmbot
USER crmbot:crmbot
WORKDIR /data
VOLUME ["/data"]
# Slack HTTP mode: /slack/events and the health endpoints (CRMBOT_PORT); Socket Mode and
# Telegram: the health endpoints (CRMBOT_HEALTH_PORT). Telegram's webhook listens on
# TELEGRAM_WEBHOOK_PORT (8443) when TELEGRAM_WEBHOOK_URL is set.
EXPOSE 8080
# The slim image has no curl: a few lines of the standard library ask /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot.healthcheck"]
# SIGTERM stops the adapter and releases the scheduler's lease at once.
STOPSIGNAL SIGTERM
ENTRYPOINT ["crmbot"]
CMD ["serve", "telegram"]
