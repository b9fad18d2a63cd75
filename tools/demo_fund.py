def load_demo_fund(*, now) -> None:
    """Demo rows for fund (see the feature's package)."""
