"""Sending a reply's attachment (a chart) after its text: a Slack file upload
(files_upload_v2, scope files:write) or a Telegram photo (sendPhoto).

The text goes first and is the answer; the picture follows it and is best effort. A failed
upload is logged and returns False, never raises: for a scheduled push, raising would make
the delivery job send the (already delivered) text again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from chat.reply import Attachment

if TYPE_CHECKING:  # the Slack adapter imports this module and need not load telegram
    from telegram import Bot

log = logging.getLogger(__name__)


def slack_upload(
    client: WebClient, channel: str, attachment: Attachment, thread_ts: str | None = None
) -> bool:
    """Upload into a conversation id (C..., D..., G...); True when Slack took it."""
    try:
        client.files_upload_v2(
            channel=channel,
            file=attachment.data,
            filename=attachment.filename,
            title=attachment.title,
            alt_txt=attachment.title,
            thread_ts=thread_ts,
        )
    except (SlackApiError, SlackRequestError, OSError) as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else exc
        log.warning("files_upload_v2 of %s failed: %s", attachment.filename, error)
        return False
    return True


def slack_upload_private(client: WebClient, user: str, attachment: Attachment) -> bool:
    """Upload into the person's DM with the bot: a /crm answer is ephemeral, and a file cannot
    be; the DM keeps it theirs alone (and works in channels the bot has not joined)."""
    try:
        opened = client.conversations_open(users=user)
    except (SlackApiError, OSError) as exc:
        log.warning("conversations.open for a chart failed: %s", exc)
        return False
    channel = (opened.get("channel") or {}).get("id")
    return bool(channel) and slack_upload(client, str(channel), attachment)


async def telegram_photo(
    bot: Bot, chat_id: int | str, attachment: Attachment, **kwargs: Any
) -> bool:
    """Send as a photo with its title as the caption (plain text: nothing to escape)."""
    from telegram import InputFile
    from telegram.constants import MessageLimit
    from telegram.error import TelegramError

    try:
        await bot.send_photo(
            chat_id,
            photo=InputFile(attachment.data, filename=attachment.filename),
            caption=attachment.title[: MessageLimit.CAPTION_LENGTH],
            **kwargs,
        )
    except TelegramError as exc:
        log.warning("sendPhoto of %s failed: %s", attachment.filename, exc)
        return False
    return True
