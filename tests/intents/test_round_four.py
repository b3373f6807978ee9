"""Misreads found on held-out voices, round four (now = Monday 2026-11-23 10:00, Berlin).

Each case is our own phrasing (other names, other wording) of a general rule; the comment above
each group says the rule. In short: words of their own kind (holidays, regions, roles, messaging
products, "half two") are no names; names keep their own parts ("First of", a leading city, a
number, "S.A. de C.V.") and lose what is not theirs (" in <Place>", "CFO of", "cheers"); a
reminder's text, a logged summary and a task's words hold what was said and stop at the next
ask, my next step or a hand-on instruction; dates, periods, amounts, statuses, sources and
record names are read as said.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.intents.checks import ParseFn, check_parse
from tests.intents.conftest import NOW

if TYPE_CHECKING:
    from intents.parser import Parser

CASES: list[Any] = [  # (text, intent, entities), or a pytest.param of one
    # "half three": thirty minutes past a working hour, part of when, not a name
    (
        "remind me on thursday at half three to call Petra at Lindgren Optics",
        "set_reminder",
        {"when": "2026-11-26T15:30:00+01:00", "customer": "Lindgren Optics"},
    ),
    (
        "nudge me tomorrow at half nine to send the deck to Solvik Marine",
        "set_reminder",
        {"when": "2026-11-24T09:30:00+01:00", "customer": "Solvik Marine"},
    ),
    # a sales region, a holiday, a count word: no customer
    (
        "remind me tuesday to go over the APAC forecast",
        "set_reminder",
        {"customer": None, "text": "go over the APAC forecast"},
    ),
    (
        "remind me on friday to order the Easter hampers",
        "set_reminder",
        {"customer": None, "when": "2026-11-27"},
    ),
    ("Five largest deals closing this month", "list_deals", {"limit": 5, "customer": None}),
    # a messaging product is how it was sent, not whom it was sent to
    (
        "Sent a LinkedIn message to Tomas at Harrow Kitchens",
        "log_interaction",
        {"kind": "message", "customer": "Harrow Kitchens", "contact": "Tomas"},
    ),
    # a quarter label that qualifies a noun is part of what to remember
    (
        "remind #revops on friday that H1 targets are locked",
        "set_reminder",
        {"target": "#revops", "text": "H1 targets are locked", "when": "2026-11-27"},
    ),
    (
        "reminder dec 1: Q3 board deck due",
        "set_reminder",
        {"text": "Q3 board deck due", "when": "2026-12-01"},
    ),
    # "remind to <name> on <day> that ...": the name is whom, the clause after the date is what
    (
        "could you remind to Ines on Thursday that she has to send the Brava Textil contract",
        "set_reminder",
        {"target": "Ines", "text": "she has to send the Brava Textil contract"},
    ),
    # "the #x channel" is whom, not part of the text
    (
        "Remind the #ops-nordics channel on Friday for the stock count",
        "set_reminder",
        {"target": "#ops-nordics", "text": "the stock count"},
    ),
    # a reminder's text stops where the next ask begins
    (
        "remind me tomorrow to chase Vireo Labs for the PO, and also ping Sam about the invoice",
        "set_reminder",
        {"text": "chase Vireo Labs for the PO", "when": "2026-11-24"},
    ),
    (
        "Remind me on Thursday to send Orca Freight the quote, and remind Lena the same day to "
        "book the venue.",
        "set_reminder",
        {"text": "send Orca Freight the quote", "when": "2026-11-26"},
    ),
    (
        "remind me to call Acme and book a demo",
        "set_reminder",
        {"text": "call Acme and book a demo"},
    ),
    # a name with an inner "of" keeps its first word
    (
        "had a call with Second of July Bakery about the catering order",
        "log_interaction",
        {"customer": "Second of July Bakery", "summary": "the catering order"},
    ),
    (
        "remind me on monday to send the menu to Fourth of July Fireworks",
        "set_reminder",
        {"customer": "Fourth of July Fireworks"},
    ),
    ("met the CEO of Harlow Foods", "log_interaction", {"customer": "Harlow Foods"}),
    # a city word that starts a company name is part of it
    (
        "add Pia Holm to Oslo Havn Logistikk AS as buyer",
        "save_contact",
        {"contact": "Pia Holm", "customer": "Oslo Havn Logistikk AS"},
    ),
    # a lower-case name's own number, but no amount or clock time
    ("mark blue heron 12 lost - price", "update_deal", {"customer": "blue heron 12"}),
    (
        "log a call with acme 3pm",
        "log_interaction",
        {"customer": "acme", "when": "2026-11-23T15:00:00+01:00"},
    ),
    ("new deal for vexa 25k", "create_deal", {"customer": "vexa", "amount": 25000}),
    # "in <Place>" after a name says where they are, not who
    (
        "lunch with Omar at Noor Textiles in Doha, they want samples",
        "log_interaction",
        {"customer": "Noor Textiles", "contact": "Omar", "summary": "they want samples"},
    ),
    (
        "met Lars at Fjellvik Bygg in Bergen last Friday",
        "log_interaction",
        {"customer": "Fjellvik Bygg", "when": "2026-11-20", "summary": None},
    ),
    # a logged summary: without when it was sent, with the customer's urgency and deadline
    (
        "Email to Corvane Seeds re the autumn catalogue, sent this morning.",
        "log_interaction",
        {"summary": "the autumn catalogue", "customer": "Corvane Seeds"},
    ),
    (
        "note on Halden Bakeri: their buyer is retiring, we need a new contact asap",
        "log_interaction",
        {"summary": "their buyer is retiring, we need a new contact asap"},
    ),
    (
        "Had a call with Norrland Timber this afternoon, they want the revised quote by Thursday.",
        "log_interaction",
        {"summary": "they want the revised quote by Thursday", "when": "2026-11-23"},
    ),
    (
        "call with Pellam Tools, sent them pricing on Friday",
        "log_interaction",
        {"summary": "sent them pricing", "when": "2026-11-20"},
    ),
    # my own next step or a hand-on instruction is not what was said
    (
        "Log an email to Ruth Ames at Kelso Marine: I shared the price book, and I'll chase on "
        "the 12th.",
        "log_interaction",
        {"summary": "I shared the price book", "follow_up": "2026-12-12"},
    ),
    (
        "I left a voicemail for Tom Reyes at Ardent Foods, and I'll try him again on Friday.",
        "log_interaction",
        {"summary": "left a voicemail", "customer": "Ardent Foods", "contact": "Tom Reyes"},
    ),
    (
        "Log a call with Wexford Printers - their invoices keep bouncing, pass that on to finance.",
        "log_interaction",
        {"summary": "their invoices keep bouncing"},
    ),
    (
        "Please log one meeting with Torun Glassworks, the follow up is on Friday",
        "log_interaction",
        {"summary": None, "follow_up": "2026-11-27"},
    ),
    # "I send email to X ... with Y", "we discuss Y": what was said is Y
    (
        "I send email to Kowalczyk & Wnuk on Thursday with the price list",
        "log_interaction",
        {"summary": "the price list", "customer": "Kowalczyk & Wnuk"},
    ),
    (
        "Please log the call with Brandt Maschinenbau from yesterday, we discuss the spare parts "
        "contract",
        "log_interaction",
        {"summary": "the spare parts contract", "when": "2026-11-22"},
    ),
    # which task, by its words, without the customer it is for
    (
        "I've finished the Hallam Rail vendor form, so you can mark that as done.",
        "update_task",
        {"status": "done", "customer": "Hallam Rail", "text": "vendor form"},
    ),
    (
        "The pricing sheet task for Corrib Dairies is complete.",
        "update_task",
        {"customer": "Corrib Dairies", "text": "pricing sheet"},
    ),
    (
        "cancel the reminder about the Tessaro Foods renewal, it's handled",
        "update_task",
        {"status": "cancelled", "customer": "Tessaro Foods", "text": "renewal"},
    ),
    pytest.param(
        "finished the travel booking for the Madrid offsite, mark it done",
        "update_task",
        {"text": "travel booking for the Madrid offsite", "customer": None},
        # the recogniser retrained in session 29 reads "Madrid" as the customer, and no rule
        # tells a city from a firm named by an English word ("the Apple renewal task")
        marks=pytest.mark.xfail(strict=True, reason="a city read as the customer"),
    ),
    # one word of a kind of task, or only the customer, is no task text
    (
        "mark the call-back task for Rowan Mills done",
        "update_task",
        {"customer": "Rowan Mills", "text": None},
    ),
    (
        "crossed off the Penrose Labs follow up",
        "update_task",
        {"customer": "Penrose Labs", "text": None},
    ),
    # the place of a trip is no customer
    (
        "Remind Isla on Friday to file her expenses from the Leeds trip.",
        "set_reminder",
        {"target": "Isla", "customer": None},
    ),
    # a reminder about a person names no customer (the person stays in its text)
    (
        "remind me on thursday to call Nadia Okafor about the renewal",
        "set_reminder",
        {"customer": None, "text": "call Nadia Okafor about the renewal"},
    ),
    # "put a note on X that ...": the note is what follows "that"; the kind stays a note
    (
        "Could you put a note against Elmbridge Council that all invoices need a PO number?",
        "log_interaction",
        {
            "kind": "note",
            "customer": "Elmbridge Council",
            "summary": "all invoices need a PO number",
        },
    ),
    (
        "Put a note on Harbourview that their budget resets in July, so nothing gets signed before "
        "then.",
        "log_interaction",
        {"summary": "their budget resets in July, so nothing gets signed before then"},
    ),
    # "as promised" is no clause of its own; a clause's leading "and" is no part of it
    (
        "Emailed Ana Ruiz at Coral Bay Resorts the signed order form, as promised.",
        "log_interaction",
        {"summary": "the signed order form, as promised", "customer": "Coral Bay Resorts"},
    ),
    (
        "I met with Leo Brandt at Vantage Mills today, and I think they're close to signing; could "
        "you update the deal?",
        "log_interaction",
        {"summary": "I think they're close to signing", "contact": "Leo Brandt"},
    ),
    # "this afternoon at 4" is today at 16:00; "a week today" is seven days on
    (
        "Please remind me this afternoon at 4 to call the printers",
        "set_reminder",
        {"when": "2026-11-23T16:00:00+01:00", "text": "call the printers"},
    ),
    (
        "Demo with Harlow Foods on Tuesday went well - follow up a week today please.",
        "log_interaction",
        {"follow_up": "2026-11-30", "customer": "Harlow Foods"},
    ),
    # "I'd like to follow up ..." is the follow-up, not what was said
    (
        "Emailed Ola at Brekke Bygg the signed quote; I'd like to follow up on Friday if nothing "
        "comes back.",
        "log_interaction",
        {"summary": "the signed quote", "follow_up": "2026-11-27"},
    ),
    # a date inside a note is part of it, no follow-up
    (
        "Note for Caspian Foods: their CFO is leaving at the end of Q1, so we need a new sponsor.",
        "log_interaction",
        {"follow_up": None, "when": None},
    ),
    # a task closed is not moved
    ("Task 17 is done; I sent the deck this morning.", "update_task", {"when": None}),
    # a new lead's people: "contact X" is the person; "give it to X" is whom it goes to
    (
        "New lead via the website: Harbury Mills, contact Gwen Pryce.",
        "create_lead",
        {"customer": "Harbury Mills", "contact": "Gwen Pryce"},
    ),
    (
        "create a lead for Carlow Linen Co, the contact is Oliver Brandt",
        "create_lead",
        {"customer": "Carlow Linen Co", "contact": "Oliver Brandt"},
    ),
    (
        "New lead Ailsa Baird from Kinross Glass, ailsa@kinrossglass.co.uk – give it to Fergus.",
        "create_lead",
        {"customer": "Kinross Glass", "contact": "Ailsa Baird"},
    ),
    # "CFO of X": a job title, then the company
    (
        "Please add a new lead: Paula Reyes, CFO of Bahia Azul Logistics, paula.reyes@bahiaazul.mx",
        "create_lead",
        {"customer": "Bahia Azul Logistics", "contact": "Paula Reyes"},
    ),
    # a duplicate pair said together is two names; "X and Y are dupes - keep Y" keeps Y
    (
        "I think Marlow Bikes and Marlow Bikes GmbH are the same company; could you merge the "
        "second into the first?",
        "merge_customers",
        {"customer": "Marlow Bikes GmbH", "into": "Marlow Bikes"},
    ),
    (
        "Kestrel Print and Kestrel Print Ltd are dupes - keep Kestrel Print",
        "merge_customers",
        {"customer": "Kestrel Print Ltd", "into": "Kestrel Print"},
    ),
    # a job role or a department is no customer
    ("who's the CSM on Birchwood Hotels?", "customer_history", {"customer": "Birchwood Hotels"}),
    (
        "Could you move deal #812 to a close date of the 20th? Purchasing needs another week.",
        "update_deal",
        {"deal_id": 812, "customer": None},
    ),
    # a capitalised name keeps its own number too, but not an amount's
    (
        "log a call with Studio 54 about the party",
        "log_interaction",
        {"customer": "Studio 54", "summary": "the party"},
    ),
    (
        "new deal for Harlow Mills 40 thousand",
        "create_deal",
        {"customer": "Harlow Mills", "amount": 40000},
    ),
    # "confirming Friday's demo": an event talked about, not when; the header's own date stays
    (
        "Emailed Priya at Fenmore Labs confirming Friday's demo",
        "log_interaction",
        {"summary": "confirming Friday's demo", "when": None, "customer": "Fenmore Labs"},
    ),
    (
        "Thursday's demo with Fenmore Labs went well",
        "log_interaction",
        {"when": "2026-11-19", "summary": "went well"},
    ),
    # a messaging product inside feedback is no customer either
    (
        "send product the feedback: they wanted native Zoom integration",
        "log_feedback",
        {"customer": None, "team": "product"},
    ),
    # "at 48,000" is an amount, not a clock time; "27.500 euro" is an amount, not a phone
    (
        "Please create the renewal deal for Calder Mills at 48,000 with a close date of December "
        "18.",
        "create_deal",
        {"amount": 48000, "close_date": "2026-12-18"},
    ),
    (
        "Please create new deal for Porto Vinhos, 27.500 euro, close on 12th December",
        "create_deal",
        {"amount": 27500, "customer": "Porto Vinhos"},
    ),
    # "a reminder for Thurs to ...": the weekday is when, not whom
    (
        "Set me a reminder for Thurs to order the team lunch.",
        "set_reminder",
        {"target": "me", "when": "2026-11-26", "text": "order the team lunch"},
    ),
    # a deal update's close date is a date its clause says is one
    (
        "Ashdown Farms is won! They signed the contract late on Thursday.",
        "update_deal",
        {"stage": "won", "close_date": None},
    ),
    (
        "Move Orla Textiles to proposal; we're sending the formal response on Friday.",
        "update_deal",
        {"stage": "proposal", "close_date": None},
    ),
    ("Kellerman Tools slipped to Jan 12", "update_deal", {"close_date": "2027-01-12"}),
    (
        "bits n bytes 40% now, dec 18 close",
        "update_deal",
        {"close_date": "2026-12-18", "customer": "bits n bytes", "probability": 0.4},
    ),
    # "I want to see ...", "I'd like ...": who reads the report, not whose numbers
    (
        "Could you split the team's pipeline by stage? I want to see what's in proposal.",
        "pipeline_report",
        {"group_by": "stage", "owner": None},
    ),
    (
        "Which deals did we lose last month? I'd like to understand why.",
        "list_deals",
        {"status": "lost", "owner": None},
    ),
    ("what's my pipeline by stage", "pipeline_report", {"owner": "me"}),
    # praise after a win is no reason; "and also remind ..." is the next ask
    (
        "Tarn Valley Foods won at £64k – great work Imogen!",
        "update_deal",
        {"stage": "won", "amount": 64000, "reason": None},
    ),
    # "had the last meeting with X on Friday and they ...": the header, then what was said
    (
        "had a long call with Brenner Logistics yesterday and they want to renew",
        "log_interaction",
        {"summary": "they want to renew", "when": "2026-11-22"},
    ),
    # a dotted legal form is one name, with its last full stop, and ends no clause
    (
        "Please log a meeting with Nogal Foods S.A. de C.V. from last Monday: procurement joined, "
        "and pricing is agreed.",
        "log_interaction",
        {
            "customer": "Nogal Foods S.A. de C.V.",
            "summary": "procurement joined, and pricing is agreed",
            "when": "2026-11-16",
        },
    ),
    # "feedback for <team> from X: ..." is what follows the colon
    (
        "Feedback for product from Lumière Cosmétiques S.A.S.: they need the export in CSV.",
        "log_feedback",
        {"text": "they need the export in CSV", "team": "product"},
    ),
    # a Slack mention that opens the message is the bot it is said to, not a person in it
    (
        "<@U0CRMBOT> how's Marcus tracking this quarter",
        "rep_performance",
        {"owner": "Marcus"},
    ),
    ("ok here goes: <@U0BOT> leads assigned to me", "list_leads", {"owner": "me"}),
    ("<@U12ABC>'s pipeline by stage", "pipeline_report", {"owner": "U12ABC"}),
    # whom to remind, then a date: "remind Priya the day after tomorrow to ..."
    (
        "can you remind Priya the day after tomorrow to ping Brava Foods about the renewal",
        "set_reminder",
        {"target": "Priya", "when": "2026-11-25"},
    ),
    (
        "can you remind Omar Dec 9 to send the quote",
        "set_reminder",
        {"target": "Omar", "text": "send the quote"},
    ),
    # "last 90 days" is a period, no number of deals; "Coles and Sons" is one name
    (
        "show the deals closing last 60 days",
        "list_deals",
        {"limit": None, "period": {"start": "2026-09-25", "end": "2026-11-23"}},
    ),
    ("top 5 deals closing this quarter", "list_deals", {"limit": 5}),
    (
        "can you merge Kettunen Oy into Barnes and Sons",
        "merge_customers",
        {"customer": "Kettunen Oy", "into": "Barnes and Sons"},
    ),
    # a name inside the reminder's text is what to do, not whom to remind
    (
        "set a reminder for next Friday: ping Okafor-Reid about the renewal",
        "set_reminder",
        {"target": "me", "customer": "Okafor-Reid"},
    ),
    # "company - person - phone": each item of the list is its own name
    (
        "register lead Halvard Mills - Sigrid Lunde - 020 7946 0111",
        "create_lead",
        {"customer": "Halvard Mills", "contact": "Sigrid Lunde", "phone": "020 7946 0111"},
    ),
    (
        "new lead brookfield dairy - tom reyes - 555-0199",
        "create_lead",
        {"customer": "brookfield dairy", "contact": "tom reyes"},
    ),
    # a lower-case person keeps the surname the recogniser left off; a name ends before "cheers"
    (
        "oskar lind at fjordline is now procurement manager",
        "save_contact",
        {"contact": "oskar lind", "customer": "fjordline"},
    ),
    (
        "please add ingrid dahl (head of it) to berg & co aps cheers",
        "save_contact",
        {"contact": "ingrid dahl", "customer": "berg & co aps"},
    ),
    # a purpose clause before the separator ("to walk through the plan; ...") is said too
    (
        "I met with Calloway Freight this morning to walk through the rollout plan; their PM is on "
        "board, and the dates look fine.",
        "log_interaction",
        {
            "summary": "to walk through the rollout plan; their PM is on board, and the dates look "
            "fine",
            "when": "2026-11-23",
        },
    ),
    (
        "Messaged Ruth Ames at Kelso Marine on WhatsApp to thank her for the referral; nothing "
        "else to note.",
        "log_interaction",
        {"summary": "to thank her for the referral; nothing else to note", "kind": "message"},
    ),
    (
        "Spoke with Anna Berg at Nordlys Energi this afternoon; they've agreed to a pilot.",
        "log_interaction",
        {"summary": "they've agreed to a pilot"},
    ),
    # a kind said as context is no filter of a customer's history; the records asked for are
    (
        "Before my call with their COO, could you pull up everything we have on Vantor Group?",
        "customer_history",
        {"customer": "Vantor Group", "kind": None},
    ),
    (
        "history on Kestrel Air pls, I've got their CFO on the phone in 5",
        "customer_history",
        {"kind": None},
    ),
    (
        "show me the last 3 emails with Duarte Vinhos",
        "customer_history",
        {"kind": "email", "limit": 3},
    ),
    # "the second half of next year" is H2 of that year; a clock time is no period
    (
        "Give me the pipeline by month for the second half of next year.",
        "pipeline_report",
        {"period": {"start": "2027-07-01", "end": "2027-12-31"}},
    ),
    (
        "pipeline for the first half of 2027",
        "pipeline_report",
        {"period": {"start": "2027-01-01", "end": "2027-06-30"}},
    ),
    (
        "Can I get a pipeline breakdown by stage before the 3pm call?",
        "pipeline_report",
        {"period": None, "group_by": "stage"},
    ),
    # "for the quarter": the current one
    (
        "how's @dana.k's forecast for the quarter looking",
        "forecast",
        {"owner": "dana.k", "period": {"start": "2026-10-01", "end": "2026-12-31"}},
    ),
    # statuses said by the verb: "qualify the X lead", "deals that have stalled"
    (
        "qualify the Ines Duarte lead and give it to @omar",
        "update_lead",
        {"status": "qualified", "contact": "Ines Duarte"},
    ),
    ("Which deals have stalled? I want to chase them.", "list_deals", {"status": "stale"}),
    # "a webinar lead": where the lead came from
    (
        "new webinar lead: Ana Silva at Porto Têxteis",
        "create_lead",
        {"source": "webinar", "contact": "Ana Silva", "customer": "Porto Têxteis"},
    ),
    # "with name X", "the name is X": the record's name
    (
        "Create campaign with name Herbst 2027 for potential customers, by telephone",
        "create_campaign",
        {"name": "Herbst 2027", "channel": "phone"},
    ),
    (
        "Organise an event campaign for top clients, the name is Winter Gala",
        "create_campaign",
        {"name": "Winter Gala"},
    ),
    (
        "I want to make a deal with name Fleet Upgrade for Prime 9 Motors, 80k",
        "create_deal",
        {"name": "Fleet Upgrade", "customer": "Prime 9 Motors", "amount": 80000},
    ),
    # a three-word person's name before "from <company>"
    (
        "Please note that Ana Luisa Prado from Serra Verde Agro called me back on Friday — they "
        "need more time.",
        "log_interaction",
        {"contact": "Ana Luisa Prado", "customer": "Serra Verde Agro"},
    ),
    # a doctor named with no company is an individual practitioner: the customer, with the title
    (
        "I spoke with Dr. Amara Osei this morning; she's going ahead with the solo licence.",
        "log_interaction",
        {"customer": "Dr. Amara Osei", "contact": None},
    ),
    (
        "met Dr. Olsen at Fjordlys Klinikk, they are ready to sign",
        "log_interaction",
        {"customer": "Fjordlys Klinikk", "contact": "Dr. Olsen"},  # as written
    ),
    # a person named alone is the person-only customer (the engine finds a contact so named)
    ("had a call with Priya Shah", "log_interaction", {"customer": "Priya Shah", "contact": None}),
    # "from Callum to Shona": the rep a lead moves from is no contact of it
    (
        "move the Dunmore Estates lead from Callum to Shona",
        "assign_lead",
        {"assignee": "Shona", "customer": "Dunmore Estates", "contact": None},
    ),
    # "the request of X: ...", "complaint of X about ...": what follows is the feedback
    (
        "Please pass to product team the request of Kisan Agro Foods: they want a Tamil interface",
        "log_feedback",
        {"text": "they want a Tamil interface", "customer": "Kisan Agro Foods"},
    ),
    (
        "Complaint of Nordwind Spedition GmbH about the late invoices, for the finance team please",
        "log_feedback",
        {"text": "the late invoices", "customer": "Nordwind Spedition GmbH"},
    ),
    # a weekday run into the kind ("on Thursday e-mailed") is when; "became" ends a name
    (
        "<@U0BOT> on Thursday e-mailed Omar Haddad at Levant Olive Co",
        "log_interaction",
        {"customer": "Levant Olive Co", "contact": "Omar Haddad", "when": "2026-11-19"},
    ),
    (
        "lena moretti became cfo at aurora tessuti",
        "save_contact",
        {"contact": "lena moretti", "customer": "aurora tessuti"},
    ),
    # "from Friday Harbor Foods": a weekday word that starts a capitalised name is no date
    (
        "got an email from Friday Harbor Foods about pricing",
        "log_interaction",
        {"customer": "Friday Harbor Foods", "when": None, "summary": "pricing"},
    ),
    # "X of the Y Z": one name
    (
        "please set the Hall of the Mountain King deal to proposal",
        "update_deal",
        {"customer": "Hall of the Mountain King", "stage": "proposal"},
    ),
    (
        "please move the Lady of the Lake opportunity to negotiation",
        "update_deal",
        {"customer": "Lady of the Lake"},
    ),
    # "convert X to a customer": X is a company; "an opportunity: lantern, ...": a name
    (
        "convert meadow dairy to a customer with a $40k deal",
        "update_lead",
        {"customer": "meadow dairy", "contact": None, "status": "converted"},
    ),
    (
        "Convert the Pereira Engenharia lead into customer and deal of 50k",
        "update_lead",
        {"customer": "Pereira Engenharia", "amount": 50000},
    ),
    (
        "set up an opportunity: lantern, €30k, close on friday",
        "create_deal",
        {"customer": "lantern", "amount": 30000, "close_date": "2026-11-27"},
    ),
    # a lower-case name the recogniser cut keeps all its words, but not a verb after it
    ("update: holt & søn aps -> lost", "update_deal", {"customer": "holt & søn aps"}),
    (
        "lima cavalcante s/a slips to dec 3",
        "update_deal",
        {"customer": "lima cavalcante s/a", "close_date": "2026-12-03"},
    ),
    # "to prep the deck": a lower-case word after "to" with an object is a verb, no name
    (
        "remind me tomorrow to prep the board deck",
        "set_reminder",
        {"customer": None, "text": "prep the board deck"},
    ),
    # a capitalised common word that ends a company name is part of it
    (
        "Sent a WhatsApp to Priya at Castle Hire",
        "log_interaction",
        {"customer": "Castle Hire", "contact": "Priya", "summary": None},
    ),
    # a deadline said is no date of the interaction
    (
        "call with Tarn Farms, they'd like a quote by the 4th",
        "log_interaction",
        {"when": None, "summary": "they'd like a quote by the 4th"},
    ),
    # "they'd like X" is the feedback; an English word inside what was said is no customer
    (
        "tell product that they'd like a read-only role for auditors",
        "log_feedback",
        {"text": "they'd like a read-only role for auditors", "customer": None},
    ),
    # "Mrs. Okafor" is a person; "the signed NDA" a document: neither is a reminder's customer
    (
        "Remind me tomorrow at 10 to call Mrs. Okafor",
        "set_reminder",
        {"customer": None, "text": "call Mrs. Okafor"},
    ),
    (
        "remind me to send the signed NDA to Pan Asia Logistics",
        "set_reminder",
        {"customer": "Pan Asia Logistics"},
    ),
    ("remind me friday to send over the redlined SOW", "set_reminder", {"customer": None}),
    # "still in proposal": the stage it stays at, no change
    (
        "Harlow Mills has gone quiet, but I think it's still in proposal — please set the close "
        "date to the 20th for now.",
        "update_deal",
        {"stage": None, "close_date": "2026-12-20"},
    ),
    ("move Harlow Mills to proposal", "update_deal", {"stage": "proposal"}),
    # "sent a Slack to X": a message, sent with that product; the product is no summary
    (
        "Sent a Slack to Ines at Porto Vinhos about the invoice",
        "log_interaction",
        {"kind": "message", "customer": "Porto Vinhos", "summary": "the invoice"},
    ),
    (
        "Sent a LinkedIn to Tomas at Harrow Kitchens",
        "log_interaction",
        {"kind": "message", "summary": None, "contact": "Tomas"},
    ),
    # who passed a lead along is no contact of it; "the lead queue" names no customer
    (
        "New lead from a referral (Priya Nair passed it along): Tom Okafor at Sahel Grain "
        "Traders, +234 80 555 0101.",
        "create_lead",
        {"contact": "Tom Okafor", "customer": "Sahel Grain Traders", "source": "referral"},
    ),
    (
        "share out the lead queue round robin",
        "assign_lead",
        {"customer": None, "strategy": "round_robin"},
    ),
]


@pytest.mark.parametrize(
    ("text", "intent", "entities"),
    CASES,
    ids=[str(c.values[0] if hasattr(c, "values") else c[0]) for c in CASES],
)
def test_round_four_rules(parse: ParseFn, text: str, intent: str, entities: dict) -> None:
    check_parse(parse(text), intent, entities)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Shout at me at 4 today to prep the pipeline review.", "prep the pipeline review"),
        ("give me a shout tomorrow at 9 to call Orla", "call Orla"),
    ],
)
def test_shout_is_a_reminder_frame(parser: Parser, text: str, said: str) -> None:
    """ "Shout at me ... to X" read as a reminder: its text is what follows "to"."""
    from intents.extract import extract

    doc = parser.nlp(text)
    parser._ner(doc)
    got = extract(doc, "set_reminder", NOW, parser._gazetteer)
    assert got.get("text") == said, got
    assert got.get("target") == "me", got
    assert "customer" not in got, got
