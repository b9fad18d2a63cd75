def load_demo_awards(*, now) -> None:
    """Demo rows for awards (see the feature's package)."""
