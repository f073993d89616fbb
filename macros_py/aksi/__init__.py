"""Service layer: one function per SOP action, called alike by the CLI and by the Excel button."""
