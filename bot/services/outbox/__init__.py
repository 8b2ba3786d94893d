"""The outbox: every message the bot owes someone is a row of the `prompt` table, sent by the
tick (bot/services/due_work.py) with claim tokens, leases, an attempt mark and a look-up by
metadata before any second post. A kind (registry.py) says whom a row is for, where it goes,
how it is rendered at send time and when it is skipped; enqueue (queue.py) adds a row.
/work/notes/outbox.md and the README describe how a feature adds one."""
