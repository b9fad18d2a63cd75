"""The before/after of an audit event as rows a person can read: one (key, before, after) per key,
instead of two blobs of JSON. Pure: JSON text in, tuples out."""

import json


def _load(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {"value": text}
    return value if isinstance(value, dict) else {"value": value}


def diff(before: str | None, after: str | None) -> list[tuple[str, object, object]]:
    """Every key in either side, sorted; a key on one side only has None on the other. Values that
    are themselves lists or dicts come back as compact JSON text."""
    old, new = _load(before), _load(after)

    def flat(value):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, (dict, list)) else value

    return [(key, flat(old.get(key)), flat(new.get(key))) for key in sorted(set(old) | set(new))]


def changed(row: tuple[str, object, object]) -> bool:
    return row[1] != row[2]
