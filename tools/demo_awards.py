def load_demo_awards(*, now) -> None:
    """Demo rows for awards (see the feature's package)."""
    from tools.demo_award_winners import load_demo_award_winners

    load_demo_award_winners(now=now)
