"""The tact application: CLI, config, store, sources, demo community, audit log, Textual app."""
