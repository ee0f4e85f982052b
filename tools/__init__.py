"""Developer tools that are not shipped code (the sample generator)."""
