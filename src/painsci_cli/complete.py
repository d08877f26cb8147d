"""Placeholder: answered by the full CLI until the fast path lands."""


def answer() -> bool:
    return False
