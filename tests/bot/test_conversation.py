"""Every intent through the whole engine: what the person reads and what the database holds."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from crm_core.models import (
    AlertRule,
    AuditEntry,
    Campaign,
    Deal,
    Feedback,
    Interaction,
    Lead,
    Task,
)
from tests.bot.conftest import NOW, TZ, TestBot


def count(bot: TestBot, model: type) -> int:
    with bot.db() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_log_call_with_follow_up(testbot: TestBot, team: dict[str, int]) -> None:
    out = testbot.say("log call with Acme, follow up Friday")
    assert out == "Logged a call with Acme Corp, Inc. Follow-up set for Fri 27 Nov 09:00."
    with testbot.db() as s:
        interaction = s.scalars(select(Interaction)).one()
        task = s.scalars(select(Task)).one()
        audit = s.scalars(select(AuditEntry).where(AuditEntry.actor_id == team["alex"])).all()
    assert (interaction.kind, interaction.customer_id, interaction.user_id) == (
        "call",
        team["Acme Corp, Inc."],
        team["alex"],
    )
    assert interaction.source_platform == "console" and interaction.source_message_id == "m1"
    assert task.due_at == datetime(2026, 11, 27, 9, 0, tzinfo=TZ)
    assert task.kind == "follow_up" and task.owner_id == team["alex"]
    assert {a.action for a in audit} == {"interaction.create", "task.create"}


def test_demo_with_contact_yesterday(testbot: TestBot, team: dict[str, int]) -> None:
    out = testbot.say("had a demo with Priya at Northwind yesterday")
    assert out.startswith("Logged a demo with Priya at Northwind Traders (yesterday 12:00).")
    with testbot.db() as s:
        interaction = s.scalars(select(Interaction)).one()
    assert interaction.contact_id is not None
    assert interaction.occurred_at == datetime(2026, 11, 22, 12, 0, tzinfo=TZ)


def test_customer_history(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("log email with Globex, sent the proposal")
    out = testbot.say("what's going on with Globex?")
    assert out.startswith("Globex Corporation: last contact today 10:00, 0 open deals, $0 won")
    assert "Owner         Alex Kim" in out and "[Log call]" in out
    assert "email · Alex Kim" in out


def test_deal_lifecycle(testbot: TestBot, team: dict[str, int]) -> None:
    out = testbot.say("new deal Umbrella 25k closing Dec 15")
    assert out.startswith(
        "New deal #1: Umbrella Corp deal, $25,000, prospecting, closing Tue 15 Dec."
    )
    assert testbot.say("Umbrella is in negotiation").startswith(
        "Updated Umbrella Corp deal: prospecting → negotiation."
    )
    assert testbot.say("Umbrella deal won!! 🎉").startswith("🎉 Umbrella Corp deal won: $25,000.")
    with testbot.db() as s:
        deal = s.scalars(select(Deal)).one()
        stages = [h.to_stage for h in deal.history]
    assert deal.stage == "won" and deal.closed_at is not None
    assert stages == ["prospecting", "negotiation", "won"]


def test_marking_lost_is_confirmed(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("new deal Hooli 40k closing Dec 18")
    assert testbot.say("mark the Hooli deal as lost").startswith(
        "Mark Hooli deal ($40,000) as lost?"
    )
    assert testbot.say("no") == "OK, I won't. Nothing was changed."
    with testbot.db() as s:
        assert s.scalars(select(Deal.stage)).one() == "prospecting"
    testbot.say("mark the Hooli deal as lost")
    assert testbot.say("yes").startswith("Updated Hooli deal: prospecting → lost.")
    with testbot.db() as s:
        assert s.scalars(select(Deal.stage)).one() == "lost"


def test_leads_create_duplicate_and_list(testbot: TestBot, team: dict[str, int]) -> None:
    out = testbot.say("new lead Sam Lee from Initech, sam@initech.io")
    assert (
        out == "New lead #1: Sam Lee at Initech (sam@initech.io). It's yours. "
        "(Already a customer in the CRM.)"
    )
    again = testbot.say("add lead Samuel Lee, sam@initech.io")
    assert again.startswith("That lead exists already") and count(testbot, Lead) == 1
    assert testbot.say("my leads").startswith("Your open leads: 1.")


def test_assignment_rights(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("new lead Sam Lee from Initech, sam@initech.io")
    refused = testbot.say("give Initech to @dana")
    assert "only their manager or an admin" in refused or "belongs to" in refused
    out = testbot.say("give Initech to @dana", user="morgan")
    assert out == "Lead #1 (Initech) now belongs to Dana Scully."
    with testbot.db() as s:
        assert s.scalars(select(Lead.owner_id)).one() == team["dana"]
    assert "not in your team" in testbot.say("give Initech to @wes", user="morgan")


def test_bulk_assignment_is_confirmed_and_fair(testbot: TestBot, team: dict[str, int]) -> None:
    from crm_core.services import leads
    from crm_core.services.context import Actor

    with testbot.db() as s:
        for i in range(4):
            leads.create_lead(session=s, actor=Actor.system("t"), company=f"Prospect {i}")
    assert "only a manager or an admin" in testbot.say("share out the unassigned leads round robin")
    question = testbot.say("share out the unassigned leads round robin", user="morgan")
    assert question.startswith("Share out every unassigned lead round robin among team east?")
    out = testbot.say("yes", user="morgan")
    assert out.startswith("Assigned 4 leads (round robin).")
    with testbot.db() as s:
        owners = s.scalars(select(Lead.owner_id)).all()
    assert Counter(owners) == Counter([team["alex"], team["dana"], team["alex"], team["dana"]])


def test_reports_by_role(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("new deal Acme 100k closing Dec 15")
    testbot.say("Acme is in negotiation")
    testbot.say("new deal Hooli 50k closing Dec 1", user="dana")
    testbot.say("new deal Initech 30k closing Dec 2", user="wes")
    mine = testbot.say("pipeline by stage")
    assert mine.startswith("Your open pipeline: $100,000 in 1 deal ($70,000 weighted).")
    team_view = testbot.say("pipeline by owner", user="morgan")
    assert team_view.startswith("Team east's open pipeline: $150,000 in 2 deals")
    everyone = testbot.say("pipeline by owner", user="ada")
    assert everyone.startswith("Everyone's open pipeline: $180,000 in 3 deals")
    fc = testbot.say("forecast for this quarter", user="morgan")
    assert fc.startswith(
        "Team east's forecast for 1 Oct – 31 Dec 2026: $70,000 (won $0 + "
        "$70,000 weighted from $150,000 open)."
    )
    assert "you can see your own numbers" in testbot.say("forecast for dana this quarter")
    assert testbot.say("forecast for dana this quarter", user="morgan").startswith(
        "Dana Scully's forecast"
    )


def test_rep_performance(testbot: TestBot, team: dict[str, int]) -> None:
    testbot.say("new deal Acme 10k closing Dec 18")
    testbot.say("Acme deal won")
    testbot.say("log call with Hooli")
    out = testbot.say("how am I doing this month")
    assert out.startswith(
        "Alex Kim, 1 Nov – 30 Nov 2026: won $10,000 (1 won, 0 lost, win rate 100%)"
    )
    board = testbot.say("show me the leaderboard", user="morgan")
    assert board.startswith("Leaderboard (team east's), 1 Nov – 30 Nov 2026: Alex Kim leads")


def test_reminders_and_tasks(testbot: TestBot, team: dict[str, int]) -> None:
    out = testbot.say("remind me to send Globex the contract on Thursday")
    assert out.startswith("OK, I'll remind you Thu 26 Nov 09:00: send Globex the contract.")
    testbot.say("remind #sales to prepare the QBR tomorrow at 3pm")
    with testbot.db() as s:
        tasks = s.scalars(select(Task).order_by(Task.id)).all()
    assert (
        tasks[0].customer_id == team["Globex Corporation"]
        and tasks[0].target_user_id == team["alex"]
    )
    assert tasks[1].target_channel == "#sales"
    listing = testbot.say("my tasks this week")
    assert listing.startswith("Your tasks 23 Nov – 29 Nov 2026: 2.")
    assert "send Globex the contract" in listing
    assert testbot.click("task_done", str(tasks[0].id)).startswith("Done: send Globex the contract")
    assert "done already" in testbot.click("task_done", str(tasks[0].id))
    snoozed = testbot.click("task_snooze", f"{tasks[1].id}:1d")
    assert snoozed.startswith("Snoozed to")


def test_alerts_campaigns_segments_feedback(testbot: TestBot, team: dict[str, int]) -> None:
    out = testbot.say("alert #sales when pipeline drops below 200k", user="morgan")
    assert out.startswith(
        "Alert #1 set: I'll tell #sales when team east's open pipeline drops "
        "below $200,000 (now $0)."
    )
    with testbot.db() as s:
        rule = s.scalars(select(AlertRule)).one()
    assert (rule.metric, rule.comparator, rule.threshold, rule.scope_team) == (
        "pipeline",
        "<",
        Decimal("200000.00"),
        "east",
    )
    assert (
        testbot.say("which customers might churn?") == "No customers at risk of churning right now."
    )
    assert "only a manager or an admin can plan campaigns" in testbot.say(
        "plan an email campaign for new customers next Monday"
    )
    planned = testbot.say("plan an email campaign for new customers next Monday", user="morgan")
    assert "planned: email to 9 new customers, starting Mon 30 Nov" in planned
    assert count(testbot, Campaign) == 1
    fb = testbot.say("tell product that Acme wants SSO")
    assert fb.startswith("Passed to product (feedback #1) about Acme Corp, Inc.")
    with testbot.db() as s:
        assert s.scalars(select(Feedback.team)).one() == "product"


def test_help_and_unknown(testbot: TestBot, team: dict[str, int]) -> None:
    assert testbot.say("help").startswith("Here's what I can do, Alex.")
    unknown = testbot.say("tell me a joke")
    assert unknown.startswith("Sorry, I didn't get that.") and testbot.last is not None
    assert not testbot.last.ok


def test_retried_platform_event_is_logged_once(testbot: TestBot, team: dict[str, int]) -> None:
    first = testbot.say("log call with Initech")
    testbot.counter -= 1  # the platform sends the same event (same message id) again
    again = testbot.say("log call with Initech")
    # The second delivery gets the first one's answer and writes nothing.
    assert first.startswith("Logged a call") and again == first
    assert count(testbot, Interaction) == 1


def test_first_contact_registers_a_rep(testbot: TestBot) -> None:
    out = testbot.say("pipeline", user="newbie")
    assert out.startswith("No open deals in your pipeline") or "pipeline" in out
    from crm_core.models import User

    with testbot.db() as s:
        user = s.scalars(select(User).where(User.name == "newbie")).one()
    assert user.role == "rep"
    _ = (NOW, date, timedelta)


def test_notification_preferences_from_chat(testbot: TestBot, team: dict[str, int]) -> None:
    from crm_core.models import NotificationPreference

    out = testbot.say("mute stale-deal nudges")
    assert "mute" in out.lower() or "stale" in out.lower()
    with testbot.db() as s:
        assert s.scalar(select(func.count(NotificationPreference.id))) == 1
    assert testbot.last is not None and testbot.last.ok


def test_a_deal_write_evaluates_alert_rules_at_once(testbot: TestBot, team: dict[str, int]) -> None:
    from crm_core.models import OutboxMessage

    testbot.say("alert me when my pipeline goes above 50k")
    with testbot.db() as s:
        rule = s.scalars(select(AlertRule)).one()
        assert rule.last_state is False
    testbot.say("new deal Acme 60k closing Dec 15")
    with testbot.db() as s:
        rule = s.scalars(select(AlertRule)).one()
        pushes = s.scalars(select(OutboxMessage)).all()
    assert rule.last_state is True and rule.last_value == Decimal("60000.00")
    assert len(pushes) == 1 and "60,000" in pushes[0].payload["text"]
