"""Infrastructure: settings, the event store, SQL connections, the NATS bus."""
