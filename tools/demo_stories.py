def load_demo_stories(*, now) -> None:
    """Demo rows for stories (see the feature's package)."""
