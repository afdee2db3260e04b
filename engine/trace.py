"""The trace: every step of a function's computation, in Russian, naming clause and ruling."""


def fmt(x):
    """A number as a Russian reader writes it: decimal comma, a narrow no-break space
    between thousands (a number never wraps), at most six decimals, no trailing zeros
    (30000 → «30 000», 0.611111 → «0,611111»)."""
    text = f"{x:,.6f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


class Log:
    """Trace lines and warnings of one function (id as in SCENARIO.md)."""

    def __init__(self, fid):
        self.fid = fid
        self.lines = []
        self.warnings = []

    def step(self, text, *rulings):
        cited = f" ({', '.join(rulings)})" if rulings else ""
        self.lines.append(f"{self.fid}: {text}{cited}")

    def warn(self, ruling, text):
        self.warnings.append({"id": self.fid, "ruling": ruling, "message": text})
        self.step(f"внимание: {text}", ruling)

    def zero(self, why, ruling="R4"):
        """A function whose factor is 0 contributes 0, silently (R4)."""
        self.step(f"{why} → 0", ruling)
        return 0.0
