"""comms use cases, one module each: the outbox (queue, send, reconcile), consent (opt-outs, unsubscribe links,
quiet hours), delivery events (provider webhooks)."""
