"""Every fixed sentence the scheduled jobs push, and what they answer about notification
settings, in one place (wording is product, not code). jobs/ keeps its own texts, apart from
bot/texts.py, so that the jobs need no import of bot/ just for their wording.

Format strings take named fields (str.format); the callers fill them."""

# --- buttons and lists on pushes -------------------------------------------------------------
DONE_BUTTON = "Done"
SNOOZE_BUTTON = "Snooze 1 day"
LOG_CALL_BUTTON = "Log call"
LIST_MORE = "\n...and {n} more"

# --- reminders and follow-ups that fall due --------------------------------------------------
REMINDER = "Reminder"
FOLLOW_UP = "Follow-up"
TASK_DUE = "{label}: {text}"
TASK_FOR = " (for {name})"

# --- nudges: stale deals and uncontacted leads -----------------------------------------------
STALE_DEAL = "{name} ({amount}, {stage}) has had no activity for {idle}. Time to follow up?"
LEAD_BY_ID = "lead #{id}"
LEAD_CONTACT_AT = "{contact} ({company})"
LEAD_NOT_CONTACTED = "Lead {who} was assigned to you {age} ago and is not contacted yet."

# --- alerts that fire -------------------------------------------------------------------------
METRIC_LABELS = {
    "pipeline": "open pipeline",
    "forecast": "forecast for the quarter",
    "won": "won this quarter",
    "stale_days": "days since activity on the stalest open deal",
    "deal_amount": "largest open deal",
}
STALE_DAYS = "{n} days"
SCOPE_USER = "user #{id}"
SCOPE_TEAM = "team {team}"
SCOPE_EVERYBODY = "everybody"
BELOW = "below"
ABOVE = "above"
ALERT_FIRED = "Alert: {metric} for {scope} is {direction} {threshold}: now {now}."

# --- campaigns: start, stragglers, results ----------------------------------------------------
# what an owner is asked to do with each customer, by campaign channel
CAMPAIGN_VERBS = {
    "phone": "Call",
    "email": "E-mail",
    "sms": "Text",
    "social": "Message",
    "event": "Invite",
    "mail": "Send mail to",
}
CAMPAIGN_VERB_OTHER = "Contact"
CAMPAIGN_TASK = "{verb} {name} ({campaign})"
CAMPAIGN_STARTS = (
    'Campaign "{name}" starts: {verb} {customers} by {due:%a %d %b}. They are in your tasks.'
)
CAMPAIGN_STARTED = (
    'Campaign "{name}" ({segment}, by {channel}) started: {customers} for {owners}{unowned}.'
)
CAMPAIGN_UNOWNED = ", {n} without an owner"
CAMPAIGN_STRAGGLERS = 'Campaign "{name}": {customers} still to {verb}.'
CAMPAIGN_RESULTS = (
    'Campaign "{name}" results: contacted {contacted} of {total} ({contacted_share}), '
    "responded {responded} ({responded_share})."
)

# --- digests: a rep's morning, a manager's week ----------------------------------------------
TODAYS_TASKS_TITLE = "Today's tasks"
OVERDUE_TITLE = "Overdue"
STALE_DEALS_TITLE = "Stale deals (no activity for {days}+ days)"
STALE_DEAL_LINE = "{name} - {customer} (idle {days} days)"
MORNING_DIGEST = "Good morning {name}: {tasks} today, {overdue} overdue, {stale}."
WEEKLY_SCOPE_TEAM = "team {team}"
WEEKLY_SCOPE_EVERYBODY = "everybody"
WEEKLY_DIGEST = (
    "Weekly digest for {scope}: pipeline {open} ({change} this week), forecast {forecast} "
    "for the quarter."
)
WEEKLY_PIPELINE_TITLE = "Pipeline this week"
WEEKLY_FORECAST_TITLE = "Forecast {start:%b}-{end:%b %Y}"
WEEKLY_LEADERBOARD_TITLE = "Leaderboard (last 7 days)"

# --- kinds of push, as people call them (settings replies and delivery notes) ---------------
KIND_LABELS = {
    "reminder": "reminders",
    "follow_up": "follow-up reminders",
    "stale_deal": "stale-deal nudges",
    "lead_nudge": "lead nudges",
    "alert": "alerts",
    "campaign": "campaign pushes",
    "digest": "digests",
    "feedback": "customer feedback",
}

# --- customers' feedback routed to a team (jobs/feedback.py) ---------------------------------
FEEDBACK_PUSH = "Feedback #{id} for {team}{about}: “{text}” (from {author})."
FEEDBACK_PUSH_ABOUT = " about {customer}"
FEEDBACK_ACK_BUTTON = "Acknowledge"
FEEDBACK_DONE_BUTTON = "Done"
FEEDBACK_DONE_PUSH = "{team} marked your feedback #{id}{about} as done: “{text}”."
FEEDBACK_SOMEONE = "someone"

# --- field labels and column headings on pushes -----------------------------------------------
FIELD_RULE = "Rule"
FIELD_METRIC = "Metric"
FIELD_THRESHOLD = "Threshold"
FIELD_CUSTOMER = "Customer"
FIELD_DEAL = "Deal"
FIELD_LAST_ACTIVITY = "Last activity"
FIELD_LEAD = "Lead"
FIELD_PHONE = "Phone"
FIELD_EMAIL = "Email"
FIELD_DUE = "Due"
FIELD_TASK = "Task"
FIELD_CONTACTED = "Contacted"
FIELD_RESPONDED = "Responded"
FIELD_MEMBERS = "Members"
FIELD_OPEN_NOW = "Open now"
FIELD_CHANGE = "Change"
FIELD_NEW_DEALS = "New deals"
FIELD_WON = "Won"
FIELD_LOST = "Lost"
FIELD_WEIGHTED = "Weighted"
FIELD_WON_SO_FAR = "Won so far"
FIELD_OPEN_WEIGHTED = "Open (weighted)"
CAMPAIGN_OWNER_COLUMNS = ["Owner", "Customers"]
WEEKLY_LEADERBOARD_COLUMNS = ["Rep", "Won", "Deals won", "Activities"]

# --- charts (pipeline, forecast against its target) and targets in the weekly digest --------
CHART_AMOUNT = "Amount"
CHART_WEIGHTED = "Weighted"
CHART_TOTAL = "Total"
CHART_WON = "Won"
CHART_OPEN_WEIGHTED = "Open (weighted)"
CHART_TARGET = "Target {target}"
CHART_PIPELINE_SUBTITLE = "{title}: {amount} open, {weighted} weighted"
CHART_FORECAST_SUBTITLE = "{title}: {weighted}"
CHART_PIPELINE_FILE = "pipeline-by-{group_by}.png"
CHART_FORECAST_FILE = "forecast-{start:%Y-%m-%d}-{end:%Y-%m-%d}.png"
TARGET_PROGRESS = "{actual} of the {target} target, {percent} %; {remaining} to go"
TARGET_REACHED = "{actual} of the {target} target, {percent} %; {over} over"
FIELD_TARGET = "Target"
WEEKLY_TARGET = " {progress}."
WEEKLY_CHART_TITLE = "Forecast {start:%b}-{end:%b %Y}"

# --- a channel push that cannot reach its channel (told to whoever set it up) ----------------
CHANNEL_UNREACHABLE = (
    "I could not post your {what} to {channel}: {why}. {fix} Until then it will not be sent there."
)
CHANNEL_WHY_NOT_MEMBER = "I'm not a member of that channel"
CHANNEL_WHY_NOT_FOUND = "I can't find that channel"
CHANNEL_FIX_SLACK = (
    "Invite me with /invite @crmbot in the channel (a private channel always needs this), "
    "or ask your Slack admin to add the chat:write.public scope for public channels."
)
CHANNEL_FIX_TELEGRAM = "Add me to the group and link it with /link {channel} there."
CHANNEL_WHAT = {
    "alert": "alert",
    "reminder": "reminder",
    "follow_up": "follow-up",
    "campaign": "campaign update",
}
