"""Renderers: one `Reply`, three looks (console text, Slack Block Kit, Telegram HTML)."""
