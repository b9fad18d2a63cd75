def load_demo_award_winners(*, now) -> None:
    """Last year's announced awards: categories, nominations, the jury, winners (the hall of fame)."""
