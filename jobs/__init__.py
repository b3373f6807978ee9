"""The scheduler: sweeps of the CRM tables write pushes to the outbox; a delivery job sends
them through the adapters' notifiers, exactly once where the platform lets us check.

- `jobs.scheduler.CrmScheduler`: APScheduler in the bot's process, under a database lease;
- `jobs.runner.run_once`: every job due at a given time, once (`crmbot jobs run-once`);
- `jobs.notifier`: the `Notifier` protocol, `PushTarget`, the delivery errors, the console;
- `jobs.preferences`: mute, quiet hours, digest-only, set from chat;
- `jobs.alerts.evaluate_after_write`: for the engine, after writes that move alert metrics.
"""
