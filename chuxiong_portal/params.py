"""Reading what a reader typed into an address: a query parameter or a form's hidden reference."""


def whole_number(raw: str | None, *, digits: int = 18) -> int | None:
    """`raw` as a whole number when it is one written in ASCII digits, at most `digits` of them (18: any of them is a
    database key's size); None otherwise.

    `str.isdigit` alone also takes the other digits Unicode knows (², ３, ٣), which `int` refuses or reads as another
    number, and any length: a page asked for ``?year=²`` answered 500."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > digits:
        return None
    return int(raw)


def year_number(raw: str | None) -> int | None:
    """`raw` as a year the portal knows (2000–2100, as the periods' years), else None."""
    year = whole_number(raw, digits=4)
    return year if year is not None and 2000 <= year <= 2100 else None
