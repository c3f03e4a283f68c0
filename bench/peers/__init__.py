"""Peer tools measured in the same run as our benchmarks (optional, each in its own venv)."""
