"""congvu shared plumbing: envelope, problems, settings, logging, bus, Kafka helpers."""
