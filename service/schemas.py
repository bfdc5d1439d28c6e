"""HTTP wire models: filled by the service issue."""
