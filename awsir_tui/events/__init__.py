"""CloudTrail: the record model, readers (API, S3, files), the event store."""
