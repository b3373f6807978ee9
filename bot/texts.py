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

# --- who may use the bot (enrolment, channel links, other people's buttons) ---------------
NOT_ENROLLED = {
    "invite": "Hi! I only work for invited members of the sales team: please ask your CRM "
    "admin for an invite link.",
    "external": "Hi! I only work for members of this workspace's own sales team, so I can't "
    "help you here; please ask the workspace admin if you need access.",
    "unknown_team": "Hi! I couldn't confirm that you're a member of this workspace, so I can't "
    "help you yet; please ask your CRM admin for access.",
    "closed": "Hi! I don't know you yet: please ask your CRM admin for access.",
}
INVITE_PROBLEM = {
    "invalid": "That invite link isn't valid; please ask your CRM admin for a new one.",
    "used": "That invite link has been used already; please ask your CRM admin for a new one.",
    "expired": "That invite link has expired; please ask your CRM admin for a new one.",
    "taken": "This Telegram account is linked to another CRM user already; please ask your "
    "CRM admin.",
    "inactive": "That account is deactivated; please ask your CRM admin.",
}
INVITE_WELCOME = "Welcome, {name}! Your Telegram account is now linked to the CRM."
LINK_USAGE = "Use /link #channel in a group, e.g. /link #sales, so alerts for #sales come here."
LINK_NOT_ALLOWED = "Only a manager or an admin can link channels; nothing was changed."
LINKED = "Linked: pushes for {name} now come to this group."
LINK_MOVED = "Linked: pushes for {name} now come to this group (they went to {before} until now)."
LINK_FAILED = "That didn't work: {reason}. Nothing was changed."
NOT_YOUR_QUESTION = "That question was for {name}; only they can answer it. Nothing was changed."
NOT_YOUR_QUESTION_ANON = "That question was for someone else; only they can answer it."
NUMBER_TOO_BIG = "That button refers to a record that doesn't exist; nothing was changed."

# --- once per request (replays, edits) and undo that respects others' changes ------------
EDIT_NOT_APPLIED = (
    "I saw you edited a message, but I don't apply edits: what I did with the original stands. "
    "Send the correction as a new message (say “undo” first to reverse my last change)."
)
NOT_YOUR_REQUEST = "That request was already handled for someone else; nothing was changed."
UNDONE = "Undone: {done}."
UNDO_KEPT = "Left as it is: {kept}."
UNDO_KEPT_ONE = "the {what} #{id} ({name} changed it since)"
UNDO_NOTHING_DONE = "Nothing was undone: {kept}."

# --- buttons and hints shared by every conversation ---------------------------------------
YES_BUTTON = "Yes"
NO_BUTTON = "No"
CANCEL_BUTTON = "Cancel"
YES_NO_HINT = "(yes / no)"
NO_DETAILS = "no details"
DONE_BUTTON = "Done #{id}"
SNOOZE_BUTTON = "Snooze #{id} 1 day"
LOG_CALL_BUTTON = "Log call"
FOLLOW_UP_BUTTON = "Follow up in 3 days"
AND_MORE = "and {n} more"

# --- task buttons (done, snooze, follow up, log call) --------------------------------------
TASK_BUTTON_DONE = "Done: {text}. ✅"
TASK_BUTTON_SNOOZED = "Snoozed to {when}: {text}."
FOLLOW_UP_TASK = "Follow up with {name}"
FOLLOW_UP_CREATED = "Follow-up with {name} set for {when}."
CALL_LOGGED = "Logged a call with {name}."

# --- customers and people named in a message ----------------------------------------------
ASK_CUSTOMER = "Which customer?"
DID_YOU_MEAN = "Did you mean {name}?"
MATCHED_NOTE = "(matched “{typed}” to {name})"
CONTACT_OF_NOTE = "({contact} is a contact at {name})"
WHICH_CUSTOMER_OF_CONTACT = "{contact} is a contact at more than one customer. Which one?"
WHICH_CUSTOMER_NAMED = "Which “{name}” do you mean?"
UNKNOWN_CUSTOMER = "I don't know a customer called “{name}”."
CREATE_CUSTOMER = "I don't know “{name}” yet. Create it as a new customer?"
CREATED_CUSTOMER_NOTE = "(created the customer {name})"
UNKNOWN_PERSON = "I don't know anyone called “{name}”. {question}"

# --- refusals: who may act for whom -------------------------------------------------------
SOMEONE_ELSE = "someone else"
NOT_IN_YOUR_TEAM = "{what} belongs to {whose}, who is not in your team"
ONLY_THEIR_MANAGER = "{what} belongs to {whose}; only their manager or an admin can change it"
MANAGERS_ONLY = "only a manager or an admin can {what}; you are a {role}"
OWN_NUMBERS_ONLY = "you can see your own numbers; {name}'s are for their manager"
OTHER_TEAMS_NUMBERS = "{name} is not in your team ({team}); their numbers are for their own manager"
# whose numbers a report or an alert covers
SCOPE_YOUR = "your"
SCOPE_EVERYONE = "everyone's"
SCOPE_TEAM = "team {team}'s"
SCOPE_PERSON = "{name}'s"

# (what the bot would do, in an “are you sure?” question, is each write's registered action:
# intents/registry.py, beside its help examples)

# --- logging calls, emails, meetings ------------------------------------------------------
ASK_KIND = "What was it: a call, email, meeting, demo, note or message?"
ASK_INTERACTION_CUSTOMER = "Which customer was the {kind} with?"
ALREADY_LOGGED = "Already logged: that {kind} with {customer} is in the history."
LOGGED_WITH_CONTACT = "with {contact} at {customer}"
LOGGED_WITH = "with {customer}"
LOGGED = "Logged {article} {kind} {who}{said}"
FOLLOW_UP_SET = "Follow-up set for {when}."

# --- customer history ---------------------------------------------------------------------
ASK_HISTORY_CUSTOMER = "Which customer do you want to see?"
RISK_LABELS = {"low": "low", "medium": "medium ⚠️", "high": "high 🔴", "unknown": "unknown"}
HISTORY_EARLIER = "and {n} earlier"
HISTORY_RECENT_TITLE = "Recent"
HISTORY_DEALS_TITLE = "Open deals"
HISTORY_CONTACTS_TITLE = "Contacts"
HISTORY_SUMMARY = "{name}: last contact {last}, {deals}, {won} won, risk {risk}."

# --- leads ----------------------------------------------------------------------------------
ASK_LEAD = 'Who is the lead? A person, a company, or both ("Sam Lee from Initech").'
LEAD_EXISTS = "That lead exists already: {lead} (owner: {owner}). Nothing was added."
NEW_LEAD = "New lead #{id}: {who}"
LEAD_IS_YOURS = "It's yours."
LEAD_IS_CUSTOMER = "(Already a customer in the CRM.)"
ASK_WHICH_LEAD = "Which lead? Name the company or the person."
NO_LEAD_FOUND = "I found no open lead for “{name}”. Which lead?"
WHICH_LEAD_FOR = "Which lead for “{name}”?"
SHARE_OUT_WHAT = "share out leads"
SHARE_OUT = "Share out every unassigned lead {strategy}?"
SHARE_OUT_TEAM = "Share out every unassigned lead {strategy} among team {team}?"
LEADS_ASSIGNED = "Assigned {leads} ({strategy})."
LEADS_UNASSIGNED = "{leads} left unassigned: {reason}."
ASK_ASSIGNEE = "Who should get it?"
LEAD_WHAT = "lead #{id}"
ASSIGN_OTHERS_WHAT = "assigning leads to others"
LEAD_ASSIGNED = "Lead #{id} ({name}) now belongs to {who}."
ASK_WHOSE_LEADS = "Whose leads?"
LEADS_WITH_STATUS = "{status} leads"
OPEN_LEADS = "open leads"
NO_LEADS = "No {what} ({label})."
LEADS_MORE = " (showing {shown})"
LEADS_LIST = "{label} {what}: {n}{more}."

# --- deals ----------------------------------------------------------------------------------
ASK_DEAL_CUSTOMER = "Which customer is the deal with?"
ASK_DEAL_AMOUNT = "How much is the {customer} deal worth?"
ASK_DEAL_CLOSE = (
    "When do you expect the {customer} deal to close? (a date like “Dec 15” or “end of Q1”, "
    "or “no date”: then no forecast counts it)"
)
DEAL_UNDATED = " No close date yet, so no forecast counts it."
DEAL_CLOSING = ", closing {day}"
NEW_DEAL = "New deal #{id}: {name}, {amount}, {stage}{closing}."
ASK_DEAL_OWNER_CUSTOMER = "Which customer's deal?"
NO_OPEN_DEAL = (
    "{customer} has no open deal. Open one with “new deal {customer} 20k closing next month”."
)
WHICH_DEAL = "{customer} has {n} open deals. Which one?"
DEAL_CHOICE = "#{id} {name} ({amount}, {stage})"
DEAL_WHAT = "the deal {name}"
ASK_DEAL_CHANGE = (
    "What changed on {name}? A stage (e.g. negotiation, won, lost), an amount, a close date "
    "or a probability."
)
CONFIRM_LOST = "Mark {name} ({amount}) as lost?"
DEAL_CHANGED_AMOUNT = "amount {before} → {after}"
DEAL_CHANGED_CLOSING = "closing {day}"
DEAL_CHANGED_PROBABILITY = "probability {probability}"
DEAL_NO_CHANGE = "no change"
DEAL_UPDATED = "Updated {name}: {changes}."
DEAL_WON = "🎉 {name} won: {amount}."

# --- reports: pipeline, forecast, leaderboard -----------------------------------------------
ASK_WHOSE_NUMBERS = "Whose numbers?"
PIPELINE_CLOSING = " closing {period}"
NO_OPEN_DEALS = "No open deals in {label} pipeline{when}."
PIPELINE_TOP = " (top 12 of {n})"
PIPELINE = "{label} open pipeline{when}: {amount} in {deals} ({weighted} weighted){more}."
PIPELINE_TITLE = "Pipeline by {group_by}"
# Money in several currencies (crm_core.money): converted at the team's rates, or named apart.
CONVERTED_AT_RATES = " Other currencies converted to {currency} at your rates."
NO_RATE = " Not included: {deals} in {amounts} (no rate set in CRMBOT_FX_RATES)."
FORECAST = (
    "{label} forecast for {period}: {weighted} (won {won} + {open_weighted} weighted from "
    "{open_amount} open)."
)
FORECAST_TITLE = "By owner"
NO_REPS = "No reps to report on ({label})."
REP_SUMMARY = (
    "{name}, {period}: won {won} ({deals_won} won, {deals_lost} lost, win rate {win_rate}), "
    "{activities}, lead conversion {conversion}."
)
LEADERBOARD = "Leaderboard ({label}), {period}: {name} leads with {won} won."

# --- reminders and tasks --------------------------------------------------------------------
ASK_WHEN = "When should I remind you? (e.g. “tomorrow at 9”, “Friday”)"
WHEN_PASSED = "{when} has passed. When should I remind you?"
ASK_REMIND_WHOM = "Remind whom?"
REMINDER_SET = "OK, I'll remind {who} {when}: {text}"
ASK_WHOSE_TASKS = "Whose tasks?"
NOTHING_DUE = "Nothing due {period} ({label} tasks). 🎉"
TASKS_OVERDUE = " ({n} overdue)"
TASKS_DUE = "{label} tasks {period}: {n}{overdue}."

# --- alerts -----------------------------------------------------------------------------------
METRIC_WORDS = {
    "pipeline": "open pipeline",
    "forecast": "this quarter's forecast",
    "won": "won this quarter",
    "stale_days": "days since activity on the stalest deal",
    "deal_amount": "largest open deal",
}
STALE_DAYS = "{n} days"
ASK_METRIC = "Which number should I watch?"
ASK_COMPARATOR = "Tell you when it goes above or below?"
ASK_THRESHOLD = "At what number?"
ASK_ALERT_WHOM = "Tell whom?"
NUMBERS_WHAT = "{name}'s numbers"
CHANNEL_ALERTS_WHAT = "send team-wide alerts to a channel"
ALERT_SCOPE_ALL = "the whole"
DROPS_BELOW = "drops below"
GOES_ABOVE = "goes above"
ALERT_SET = (
    "Alert #{id} set: I'll tell {who} when {whose} {metric} {direction} {threshold} (now {now})."
)

# --- segments and campaigns -------------------------------------------------------------------
SEGMENT_WORDS = {
    "top": "top customers",
    "at_risk": "customers at risk of churning",
    "loyal": "loyal customers",
    "potential": "promising customers",
    "dormant": "dormant customers",
    "new": "new customers",
}
ASK_SEGMENT = "Which segment?"
NO_SEGMENT_MEMBERS = "No {segment} right now."
DAYS_AGO = "{n} days ago"
SEGMENT_MORE = " (by value; showing {shown})"
CAMPAIGNS_WHAT = "plan campaigns"
CAMPAIGN_PLANNED = (
    "Campaign #{id} “{name}” planned: {channel} to {members}, starting {when}. "
    "Owners get their lists as tasks then."
)

# --- feedback to other teams ------------------------------------------------------------------
ASK_FEEDBACK_TEAM = "Which team should get it?"
ASK_FEEDBACK_TEXT = "What should I tell {team}?"
FEEDBACK_ABOUT = " about {customer}"
FEEDBACK_PASSED = "Passed to {team} (feedback #{id}){about}: “{text}”."
FEEDBACK_POSTED = "Posted in {channel}."
FEEDBACK_NO_CHANNEL = (
    "The {team} team has no channel yet, so it waits in “open feedback for {team}” "
    "(an admin can run `crmbot teams set {team} --channel #{team}`)."
)
FEEDBACK_STATUS_SET = "Feedback #{id} is now {status}."
FEEDBACK_NOT_YOUR_TEAM = "Feedback #{id} is for {team}; only {team} or an admin can change it."

# --- help and not understood ------------------------------------------------------------------
HELP_TIPS = (
    "Say “undo” to reverse your last change (within 10 minutes), “cancel” to drop a question."
)
HELP = "Here's what I can do, {name}. {tips}"
NOT_UNDERSTOOD = "Sorry, I didn't get that. Try one of these (or say “help”):"

# --- home (Slack's App Home, Telegram's /start) -----------------------------------------------
HOME_TASKS_TITLE = "Tasks (overdue and next 7 days)"
HOME_NO_TASKS_TITLE = "Tasks"
HOME_NOTHING_DUE = "Nothing due this week. 🎉"
HOME_DEALS_TITLE = "Open deals ({n})"
HOME = "Hi {name}: {tasks} due, {deals}."

# --- adapters and the console -----------------------------------------------------------------
TELEGRAM_START = (
    "Hi {name}! I'm your CRM assistant: tell me about calls, deals and follow-ups in plain "
    "words, or say “help”. {home}"
)
TELEGRAM_APOLOGY = "Sorry, something went wrong on my side and nothing was changed."
# the menu Telegram shows for "/": (command, what it does)
TELEGRAM_COMMANDS = [
    ("start", "your tasks and open deals"),
    ("help", "what I can do"),
    ("log", "log a call, email or meeting"),
    ("history", "a customer's history"),
    ("lead", "add a lead"),
    ("deal", "open a deal"),
    ("pipeline", "open pipeline"),
    ("forecast", "weighted forecast"),
    ("tasks", "your follow-ups"),
    ("leads", "your leads"),
    ("remind", "set a reminder"),
    ("churn", "customers at risk"),
    ("undo", "undo your last change"),
    ("cancel", "drop the current question"),
    ("link", "link this group to a #channel"),
]
SLACK_CHOSE = "<@{user}> chose *{label}*"
SLACK_A_BUTTON = "a button"
SLACK_CONTINUED = "(continued)"  # the notification text of a reply's further messages
CONSOLE_WELCOME = "crmbot console as {name}. Say “help” for examples, Ctrl-D to leave."
CONSOLE_BYE = "bye"

# --- tasks: done, cancelled, moved (update_task) ---------------------------------------------
ASK_WHICH_TASK = "Which task?"
ASK_WHOSE_DEALS = "Whose deals?"
UNASSIGNED_LABEL = "unassigned"
LEADS_OTHER_REGIONS = (
    "{leads} in regions no rep of team {team} covers stayed unassigned for their own team."
)
ASK_WHOSE_CUSTOMERS = "Whose customers?"
NO_OPEN_TASKS = "You have no open tasks{about}."
NO_TASK_MATCHES = "I found no open task of yours{about}. Which task?"
ASK_TASK_CHANGE = "What should happen to #{id} “{text}”: done, cancelled, or moved to when?"
TASK_DONE = "Done: #{id} {text}."
TASK_CANCELLED = "Cancelled: #{id} {text}."
TASK_MOVED = "Moved #{id} to {when}: {text}."
TASK_MOVE_PAST = "{when} has passed. When should #{id} be due instead?"
TASK_CHOICE = "#{id} {when} – {text}"

# --- deals as a list, and one deal's card (list_deals) --------------------------------------
DEALS_NONE = "No {status} deals{scope}{filters}."
DEALS_HEADER = "{scope} {status} deals{filters}: {total} ({amount})."
DEALS_SHOWN = "Showing {first}–{last} of {total}."
DEALS_UNDATED = "{n} of them have no close date, so no forecast counts them."
DEALS_COLUMNS = ["#", "Deal", "Customer", "Stage", "Amount", "Closes", "Owner"]
DEAL_NO_DATE = "no date"
DEAL_CARD_TITLE = "Deal #{id}: {name}"
DEAL_CARD_LINE = "{customer} · {stage} · {amount} · {probability} · closes {closes} · owner {owner}"
DEAL_CARD_REASON = "Why {outcome}: {reason}"
DEAL_CARD_HISTORY = "Stages"
DEAL_CARD_CONTACTS = "Contacts"
DEAL_CARD_NO_CONTACTS = "none on record"
DEAL_CARD_LAST = "Last activity"
DEAL_CARD_NEVER = "never"
DEAL_CARD_NEXT = "Next task"
DEAL_CARD_NO_TASK = "none (set one: “remind me to follow up with {customer} on Friday”)"
DEAL_CARD_HEALTH_OK = "Health: on track."
DEAL_CARD_HEALTH = "Health: {reasons}."
FILTER_CUSTOMER = " with {customer}"
FILTER_CLOSING = " closing {period}"
FILTER_STAGE = " in {stage}"
FILTER_ABOVE = " over {amount}"
FILTER_BELOW = " under {amount}"

# --- contacts (save_contact) ------------------------------------------------------------------
ASK_CONTACT_NAME = "Who is the contact? (e.g. “Jane Roe, CFO, jane@acme.com”)"
ASK_CONTACT_CUSTOMER = "Which customer does {name} work for?"
CONTACT_ADDED = "Added {name} to {customer}{details}."
CONTACT_UPDATED = "Updated {name} at {customer}: {changes}."
CONTACT_UNCHANGED = "{name} at {customer} already has those details; nothing changed."
ASK_CONTACT_CHANGE = "What should I change for {name} at {customer}: an email, a phone or a title?"

# --- leads: status, disqualify, convert (update_lead) ----------------------------------------
ASK_LEAD_CHANGE = (
    "What about lead #{id} ({who})? Contacted, qualified, disqualified, or convert it?"
)
LEAD_STATUS_SET = "Lead #{id} ({who}) is now {status}."
LEAD_DISQUALIFIED = "Lead #{id} ({who}) is disqualified: {reason}."
CONFIRM_CONVERT = "Convert lead #{id} ({who}) into a customer{deal}?"
CONVERT_DEAL = " with a {amount} deal"
LEAD_CONVERTED = "Converted lead #{id}: {customer} is a customer{contact}{deal}."
CONVERTED_CONTACT = ", with {contact} as contact"
CONVERTED_DEAL = ", and deal #{deal_id} ({amount}) is open"

# --- feedback, read back (list_feedback) -----------------------------------------------------
FEEDBACK_NONE = "No {status}feedback{team}{customer}."
FEEDBACK_HEADER = "{status}feedback{team}{customer}: {n}."
FEEDBACK_TEAM = " for {team}"
FEEDBACK_COLUMNS = ["#", "Team", "Customer", "Status", "Request", "From"]

# --- undo: what was reversed, and why nothing was ------------------------------------------
NOTHING_TO_UNDO = "nothing to undo"
NOTHING_OF_YOURS_TO_UNDO = "There's nothing of yours from the last 10 minutes to undo."
UNDO_ALREADY_GONE = "{what} #{id} was already gone"
UNDO_REMOVED = "removed the {what} #{id}"
UNDO_GONE = "{what} #{id} is gone"
UNDO_RESTORED = "restored the {what} #{id}"
CANT_UNDO = "I can't undo a {action}; nothing was changed."

# --- tables and fields: column headings, field labels, and the words for “none” ------------
NEVER = "never"
NOBODY = "nobody"
SOMEONE = "someone"
YOU = "you"
CHOICE_ABOVE = "above"
CHOICE_BELOW = "below"
SEGMENT_COLUMNS = ["Customer", "Last contact", "Contacts/yr", "Won"]
OPEN_DEAL_COLUMNS = ["Deal", "Stage", "Amount", "Close"]
SHARE_OUT_COLUMNS = ["Rep", "Leads"]
LEAD_COLUMNS = ["#", "Lead", "Status", "Since"]
PIPELINE_COLUMNS = ["Deals", "Amount", "Weighted"]  # after the grouping's own heading
PIPELINE_TOTAL = "Total"
FORECAST_COLUMNS = ["Owner", "Forecast", "Won", "Open"]
LEADERBOARD_COLUMNS = ["#", "Rep", "Won", "Deals W/L", "Win rate", "Activities", "Lead conv."]
HISTORY_OWNER = "Owner"
HISTORY_LIFECYCLE = "Lifecycle"
HISTORY_LIFETIME_WON = "Lifetime won"
HISTORY_LAST_CONTACT = "Last contact"
HISTORY_INTERACTIONS = "Interactions"
HISTORY_CHURN_RISK = "Churn risk"

# --- one fact of a customer (customer_history: "who owns acme?", "our contact at X?") -------
CUSTOMER_OWNER = "{customer} is owned by {owner}."
CUSTOMER_NO_OWNER = "Nobody owns {customer} yet."
CUSTOMER_CONTACTS = "Our contacts at {customer}: {contacts}{more}."
CUSTOMER_MORE_CONTACTS = " and {n} more"
CUSTOMER_NO_CONTACTS = (
    "No contact on record at {customer} yet (add one: “add Jane Roe to {customer} as CFO”)."
)

# --- overdue tasks (list_tasks: "what's overdue?") -------------------------------------------
NOTHING_OVERDUE = "Nothing overdue ({label} tasks). 🎉"
TASKS_LATE = "{label} overdue tasks: {n}."

# --- dates and lists as they read in a reply (bot/format.py) -------------------------------
TODAY_AT = "today {clock}"
TOMORROW_AT = "tomorrow {clock}"
YESTERDAY_AT = "yesterday {clock}"

# --- a question left open, help inside it, a new request replacing it ------------------------
STILL_ASKING = "I'm still waiting for an answer to: {question} (or say “cancel”)"
QUESTION_DROPPED = "(I dropped my earlier question.)"
UNDO_UNMERGED = "split {name} out again (its history, deals and contacts are its own again)"
CONSOLE_BUTTON_HINT = "(type a button's label to press it, e.g. “{label}”)"

# --- merging two customer records (merge_customers) ------------------------------------------
MERGE_WHAT = "merge customers"
ASK_MERGE_DROP = "Which customer record should go (be merged into another)?"
ASK_MERGE_KEEP = "Merge {drop} into which customer?"
WHICH_INTO = "Which “{name}” should {drop} be merged into?"
MERGE_SAME = "{name} is the same record; there is nothing to merge."
CONFIRM_MERGE = (
    "Merge {drop} into {keep}? Its history, contacts, deals, leads, tasks and feedback move to "
    "{keep}, and “{drop}” becomes one of its names."
)
MERGED = "Merged {drop} into {keep}: moved {moved}. “{drop}” now finds {keep}."
MERGED_NOTHING = "nothing else"
MERGE_MOVED_WORDS = {
    "interactions": ("interaction", "interactions"),
    "contacts": ("contact", "contacts"),
    "deals": ("deal", "deals"),
    "leads": ("lead", "leads"),
    "tasks": ("task", "tasks"),
    "feedback": ("feedback", "feedback"),
}

# --- deals with no close date, named in period reports -----------------------------------------
UNDATED_DEALS = "Not counted: {deals} ({amount}) with no close date."

# --- targets and charts (a manager's "pipeline chart" / "forecast chart") ----------------------
# Said after the forecast: " $438,882 of the $500,000 target, 88 %; $61,118 to go."
TARGET_PROGRESS = " {actual} of the {target} target, {percent} %; {remaining} to go."
TARGET_REACHED = " {actual} of the {target} target, {percent} %; {over} over."
CHART_WORDS = ("chart", "charts", "graph", "plot", "picture")
CONSOLE_CHART_WRITTEN = "(chart written to {path})"
CHART_FORECAST_TITLE = "{label} forecast, {period}"

# --- notification settings from chat (“mute alerts”, “quiet hours 22-7”) ----------------------
ALL_PUSHES = "all pushes"
SETTINGS_DEFAULT = "You get every kind of push, at any hour."
SETTINGS = "Notification settings: {parts}."
SETTING_DIGEST_ONLY = "digest only"
SETTING_MUTED = "muted: {kinds}"
SETTING_QUIET = "quiet hours {start}-{end}"
WHOSE_YOU = "you"
MUTED = "Muted {kinds} for {whose}; they are recorded, not sent."
UNMUTED = "Unmuted {kinds}."
DIGEST_ONLY_STILL_ON = '(Digest-only is still on: say "send me everything" to end it.)'
QUIET_HOURS_SET = (
    "Quiet hours set: {start:%H:%M}-{end:%H:%M} local time; pushes wait until they end."
)
QUIET_HOURS_REMOVED = "Quiet hours removed."
DIGEST_ONLY = "Digest only: {whose} will get the digests and nothing else."
EVERYTHING_AGAIN_YOU = "You will get every kind of push again."
EVERYTHING_AGAIN = "{whose} will get every kind of push again."
CHANNEL_SETTINGS_REFUSED = "Only a manager or an admin can change {channel}'s notifications."

# --- lists shown a page at a time --------------------------------------------------------------
MORE_BUTTON = "More"
MORE_HINT = "(Say “more” for the next ones.)"

# --- a person named in a log who is not yet a contact ------------------------------------------
ASK_ADD_CONTACT = "{contact} is not a contact at {customer} yet. Add them?"
ADD_CONTACT_YES = "Yes, add {contact}"
ADD_CONTACT_NO = "No, just log it"
CONTACT_ADDED_NOTE = "(added {contact} as a contact at {customer})"
