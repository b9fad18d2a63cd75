def load_demo_events(*, now) -> None:
    """Demo rows for events (see the feature's package)."""
