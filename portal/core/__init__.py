"""Pure logic: no Flask, no database session; the clock is passed in."""
