def load_demo_recognition(*, now) -> None:
    """Demo rows for recognition (see the feature's package)."""
