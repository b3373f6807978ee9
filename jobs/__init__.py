"""The scheduler: sweeps of the CRM tables write pushes to the outbox; a delivery job sends
them through the adapters' notifiers, exactly once where the platform lets us check.

- `jobs.scheduler.CrmScheduler`: APScheduler in the bot's process, under a database lease;
- `jobs.runner.run_once`: every job due at a given time, once (`crmbot jobs run-once`);
- `jobs.notifier`: the `Notifier` protocol, `PushTarget`, the delivery errors, the console;
- `jobs.preferences.decide`: what a person's mute, quiet hours and digest-only mean for a push;
- `jobs.feedback`: customers' feedback pushed to its team's channel, and back when done;
- `jobs.housekeeping`: expired conversation questions removed;
- `jobs.alerts.evaluate_after_write`: for the engine, after writes that move alert metrics.
"""
