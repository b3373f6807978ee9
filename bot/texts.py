"""Every fixed sentence the bot says, in one place (wording is product, not code)."""

EMPTY = "I got an empty message. Say “help” to see what I can do."
TOO_LONG = (
    "That message is {n:,} characters long; I read up to {max:,}. Nothing was changed — "
    "please send the key part."
)
CRASHED = (
    "Sorry, something went wrong on my side and nothing was changed. "
    "Please try again, or say “help”."
)
DATABASE_TROUBLE = "Sorry, I couldn't reach the CRM database just now; nothing was changed."
INACTIVE = "Your account is deactivated; ask an admin to reactivate it."
CANCELLED = "OK, dropped it. Nothing was changed."
NOTHING_TO_CANCEL = "There's nothing to cancel."
DECLINED = "OK, I won't. Nothing was changed."
YES_OR_NO = "Please answer yes or no (or “cancel”): {question}"
DIDNT_GET = "Sorry, I didn't catch that. "
UNSURE = "Just to check: you want to {what} ({details})?"
FAILED = "That didn't work: {reason}. Nothing was changed."
EXPIRED = "That question has expired; please ask again."
BAD_BUTTON = "That button doesn't work any more."
