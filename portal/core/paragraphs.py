"""Plain text as paragraphs: what a story's body (typed in a textarea) looks like on its page,
without letting anyone write HTML."""


def paragraphs(text: str | None) -> list[list[str]]:
    """Paragraphs split at blank lines, each a list of its lines (shown with line breaks)."""
    normalised = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    current: list[str] = []
    for line in normalised.split("\n"):
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks
