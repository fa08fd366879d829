"""Textual screens and widgets. They ask the store (through `console.context.Tact`);
they never compute signals themselves."""
