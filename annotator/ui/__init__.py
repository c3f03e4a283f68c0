"""Qt user interface: widgets, item models, undo commands. Talks to annotator.services only."""
