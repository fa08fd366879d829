"""One module a command: `run(args, tact) -> exit status`."""
