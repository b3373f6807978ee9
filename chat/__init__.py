"""The platform-neutral chat types: a `Message` comes in, a `Reply` goes out.

The conversation engine (bot/) answers messages with replies, and the scheduler (jobs/)
queues replies as pushes in its outbox: both import these, and nothing here imports either.
"""
