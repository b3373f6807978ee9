"""Closed vocabularies of the contract: surface phrases -> canonical entity values.

Phrases are lower-case token sequences (as spaCy's blank English tokenizer splits them).
"""

from __future__ import annotations

INTENTS: tuple[str, ...] = (
    "log_interaction",
    "customer_history",
    "create_lead",
    "assign_lead",
    "list_leads",
    "create_deal",
    "update_deal",
    "pipeline_report",
    "forecast",
    "set_reminder",
    "list_tasks",
    "set_alert",
    "create_campaign",
    "segment_customers",
    "rep_performance",
    "log_feedback",
    "help",
    "unknown",
)

# Keys each intent may return (the contract's table; customer_id goes with customer).
INTENT_KEYS: dict[str, tuple[str, ...]] = {
    "log_interaction": ("kind", "customer", "contact", "summary", "when", "follow_up"),
    "customer_history": ("customer", "kind", "limit"),
    "create_lead": ("contact", "customer", "email", "phone", "source"),
    "assign_lead": ("customer", "contact", "assignee", "strategy"),
    "list_leads": ("owner", "status"),
    "create_deal": ("customer", "amount", "stage", "close_date", "name"),
    "update_deal": ("customer", "stage", "amount", "close_date", "probability"),
    "pipeline_report": ("owner", "period", "group_by"),
    "forecast": ("period", "owner"),
    "set_reminder": ("customer", "when", "text", "target"),
    "list_tasks": ("owner", "period"),
    "set_alert": ("metric", "comparator", "threshold", "target", "owner"),
    "create_campaign": ("name", "segment", "channel", "when"),
    "segment_customers": ("segment", "limit"),
    "rep_performance": ("owner", "period"),
    "log_feedback": ("customer", "text", "team"),
    "help": (),
    "unknown": (),
}

# Intents that change data: never guessed (a stricter threshold and a cue check apply).
WRITE_INTENTS = frozenset({
    "log_interaction", "create_lead", "assign_lead", "create_deal", "update_deal",
    "set_reminder", "set_alert", "create_campaign", "log_feedback",
})

KIND = {
    "call": ["call", "calls", "called", "phone call", "phoned", "rang", "ring", "dialed", "dialled",
             "phone", "cold call", "call log", "calls log", "catch up call", "zoom call", "spoke", "spoke to",
             "spoke with", "talked to", "talked with", "teams call", "video call"],
    "email": ["email", "emails", "emailed", "e-mail", "e-mailed", "mailed", "mail", "wrote to",
              "sent an email", "email thread"],
    "meeting": ["meeting", "meetings", "mtg", "mtgs", "met", "meet", "met with", "sync", "catch-up", "catchup",
                "lunch", "coffee", "sit-down", "visit", "visited", "onsite", "on-site", "call meeting"],
    "demo": ["demo", "demos", "demoed", "demo'd", "presentation", "walkthrough", "walk-through",
             "product tour", "presented"],
    "note": ["note", "notes", "noted", "jot down", "memo"],
    "message": ["message", "messages", "messaged", "msg", "texted", "dm", "dm'd", "dmed", "pinged",
                "whatsapp", "whatsapped", "chatted", "sms'd", "slacked", "text"],
}
STAGE = {
    "prospecting": ["prospecting", "prospect stage", "early stage"],
    "qualification": ["qualification", "qualifying", "qualified", "discovery"],
    "proposal": ["proposal", "proposal sent", "quote sent", "quoted", "sent the proposal", "sent a proposal"],
    "negotiation": ["negotiation", "negotiations", "negotiating", "in contract", "contract review",
                    "redlines", "redlining"],
    "won": ["won", "closed won", "closed-won", "signed", "win", "closed the deal", "is a win",
            "closed it", "landed", "sealed", "booked", "wins", "closed", "said yes"],
    "lost": ["lost", "closed lost", "closed-lost", "dead", "lose", "fell through", "fell apart",
             "walked away", "went with a competitor", "chose a competitor", "no go", "killed",
             "passed on us", "dropped out", "fell apart", "backed out", "pulled out", "said no"],
}
LEAD_STATUS = {
    "new": ["new", "fresh", "brand new", "untouched"],
    "contacted": ["contacted", "reached out", "reached"],
    "qualified": ["qualified", "sql", "mql"],
    "disqualified": ["disqualified", "unqualified", "dq'd", "dq", "junk", "bad fit"],
    "converted": ["converted", "conversions"],
}
SEGMENT = {
    "top": ["top", "best", "biggest", "largest", "most valuable", "highest value", "high value",
            "top spending", "key accounts", "vip", "whales", "highest paying", "top-spending"],
    "at_risk": ["at risk", "at-risk", "churn", "churning", "might churn", "likely to churn",
                "risky", "risk of churn", "about to churn", "could churn", "may churn", "unhappy",
                "about to leave", "might leave", "in danger", "risk of leaving", "could leave",
                "going to churn", "at risk of churning", "leaving", "leave"],
    "loyal": ["loyal", "repeat", "long-time", "longtime", "most loyal", "long standing",
              "long-standing", "faithful", "returning"],
    "potential": ["potential", "promising", "upsell", "high potential", "growth", "up-sell",
                  "expansion", "could grow", "could buy more", "upside"],
    "dormant": ["dormant", "inactive", "quiet", "gone quiet", "sleeping", "lapsed", "gone dark",
                "went dark", "silent", "haven't bought", "not bought", "idle", "cold", "asleep", "stopped buying", "hasn't bought"],
    "new": ["new", "newest", "recent", "recently signed", "just signed", "fresh", "latest",
            "newly signed", "brand new"],
}
METRIC = {
    "pipeline": ["pipeline", "pipe", "open pipeline", "pipeline total", "pipeline value"],
    "forecast": ["forecast", "forecasted", "projection", "weighted forecast"],
    "won": ["won", "won revenue", "closed won", "wins", "bookings", "closed revenue", "revenue won"],
    "stale_days": ["stale", "goes stale", "stuck", "untouched", "no activity", "idle", "inactive",
                   "no touch", "without activity", "not touched", "not updated", "sits",
                   "sitting", "without an update", "unattended", "quiet", "no contact"],
    "deal_amount": ["deal amount", "deal size", "deal over", "deal above", "deal bigger",
                    "deal larger", "big deal", "deal worth", "deal value", "deal is created",
                    "deal gets created", "deal comes in", "any deal", "a deal", "deal"],
}
COMPARATOR = {
    "<": ["below", "under", "less than", "lower than", "drops below", "falls below", "dips below",
          "drops under", "falls under", "goes below", "goes under", "sinks below", "<", "beneath",
          "drops", "falls", "dips", "smaller than", "fewer than", "short of"],
    ">": ["above", "over", "more than", "greater than", "exceeds", "exceed", "tops", "bigger than",
          "larger than", "higher than", "goes above", "goes over", "rises above", "passes", ">",
          "hits", "reaches", "crosses", "longer than", "beyond", "past", "at least"],
}
CHANNEL = {
    "email": ["email", "e-mail", "emails", "newsletter", "mailing", "email blast", "mailchimp",
              "eblast", "inbox"],
    "phone": ["phone", "call", "calls", "calling", "cold call", "cold calls", "cold calling",
              "phone calls", "telephone", "phone blitz", "call blitz"],
    "sms": ["sms", "text", "texts", "text message", "text messages", "texting"],
    "social": ["social", "social media", "linkedin", "twitter", "instagram", "facebook",
               "socials", "x", "tiktok"],
    "event": ["event", "events", "webinar", "webinars", "conference", "meetup", "meetups",
              "roadshow", "workshop", "dinner", "in-person", "trade show", "live event"],
    "mail": ["mail", "postal", "direct mail", "letter", "letters", "postcard", "postcards",
             "snail mail", "post", "printed mail", "mailer", "mailers"],
}
STRATEGY = {
    "round_robin": ["round robin", "round-robin", "roundrobin", "evenly", "equally", "in turn",
                    "rotate", "rotation", "rotating", "fairly", "one each", "take turns",
                    "spread evenly", "split evenly"],
    "least_loaded": ["least loaded", "least busy", "fewest leads", "lightest load",
                     "least-loaded", "least work", "least leads", "most capacity",
                     "whoever is least busy", "whoever has the fewest", "lowest load",
                     "least full", "less busy", "fewest open leads", "most free"],
    "territory": ["territory", "territories", "by region", "region", "regions", "by territory",
                  "per region", "by area", "geography", "geographically", "by location",
                  "by country", "per territory"],
}
GROUP_BY = {
    "stage": ["stage", "stages", "deal stage", "phase"],
    "owner": ["owner", "owners", "rep", "reps", "salesperson", "person", "seller", "sellers",
              "account owner", "team member", "user", "ae", "aes", "member", "people"],
    "region": ["region", "regions", "territory", "territories", "geo", "area", "country"],
    "month": ["month", "months", "monthly", "close month", "calendar month"],
}
TEAM = {
    "product": ["product", "product team", "pm", "pms", "product management", "product folks"],
    "support": ["support", "support team", "customer support", "helpdesk", "help desk", "cs",
                "customer success", "success"],
    "engineering": ["engineering", "engineers", "eng", "dev", "devs", "developers", "dev team",
                    "r&d", "tech team", "engineering team"],
    "marketing": ["marketing", "marketing team", "marketers", "growth team"],
    "finance": ["finance", "finance team", "accounting", "billing", "accounts", "ar"],
    "legal": ["legal", "legal team", "lawyers", "counsel"],
    "sales": ["sales", "sales team"],
    "design": ["design", "designers", "ux", "design team"],
    "security": ["security", "security team", "infosec"],
    "operations": ["operations", "ops", "ops team"],
}
SOURCE = ["linkedin", "website", "web", "web form", "webform", "referral", "webinar", "conference",
          "trade show", "tradeshow", "cold call", "inbound", "google", "google ads", "ads",
          "newsletter", "event", "partner", "twitter", "meetup", "cold email", "outbound",
          "word of mouth", "facebook", "booth", "expo", "podcast"]

# Company-name suffixes (kept as written).
COMPANY_SUFFIXES = {
    "inc", "inc.", "corp", "corp.", "corporation", "co", "co.", "llc", "ltd", "ltd.", "limited",
    "gmbh", "ag", "sa", "bv", "plc", "group", "holdings", "industries", "labs", "systems",
    "technologies", "tech", "solutions", "partners", "logistics", "foods", "health", "energy",
    "enterprises", "software", "media", "studios", "ventures", "capital", "consulting", "global",
    "international", "pharma", "motors", "airlines", "bank", "insurance", "retail", "networks",
    "dynamics", "analytics", "robotics", "works", "brothers", "bros", "&", "and", "sons",
    "company", "services", "cloud", "ai", "io", "hq", "digital", "design", "foundation",
}


def phrase_table(table: dict[str, list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for canon, phrases in table.items():
        for phrase in phrases:
            out.setdefault(phrase, canon)
    return out
