"""Clauses 3.2–3.6: metering staff, transport, cleaning, guards, copying, supply workers."""

from .tables import step_value
from .trace import msg


def metering(ctx, log):
    """3.2 metering and disconnection staff: set by another document — entered by hand (R15).
    Edition 2 adds it to P too and names it apart, since cl. 3.1's list does not name 3.2."""
    staff = ctx.s[ctx.tables["3.2"]["factor"]]
    log.step("3.2.manual" if ctx.edition == 1 else "3.2.manual_apart", {"value": staff}, "R15")
    return float(staff)


def _per_vehicles(ctx, log, staff):
    """3.3: `add` people per `vehicles` vehicles, proportional (R16)."""
    vehicles = ctx.s[ctx.tables["3.3"]["factor"]]
    note = ctx.tables["3.3"][staff]
    value = vehicles / note["vehicles"] * note["add"]
    log.step("3.3.per_vehicles", {"vehicles": vehicles, "per": note["vehicles"], "add": note["add"],
                                  "value": value}, "R16")
    return value


def drivers(ctx, log):
    """3.3 drivers: 1 per serviceable vehicle on the balance sheet (R16)."""
    return _per_vehicles(ctx, log, "drivers")


def repair(ctx, log):
    """3.3 repair staff: 1 per 7 vehicles, proportional (R16)."""
    return _per_vehicles(ctx, log, "repair")


def transport_specialist(ctx, log):
    """3.3 specialist organizing transport: ≤25 vehicles → 1, 26–32 → 2 (R16)."""
    vehicles = ctx.s[ctx.tables["3.3"]["factor"]]
    if vehicles == 0:
        return log.zero("zero.no_vehicles", "R16")
    return step_value(ctx.tables["3.3"]["specialist"], vehicles, log, msg("what.vehicles"),
                      beyond_ruling="R16")


def cleaning(ctx, log):
    """3.4 cleaners and yard keepers: set by another document — entered by hand (R17)."""
    cleaners = ctx.s[ctx.tables["3.4"]["factor"]]
    log.step("3.4.manual", {"value": cleaners}, "R17")
    return float(cleaners)


def guards_total(ctx, log):
    """Σ posts × headcount per post by shift length (3.5, R18)."""
    total = 0.0
    for post in ctx.tables["3.5"]["posts"]:
        count = ctx.s[post["factor"]]
        if count:
            log.step("3.5.posts", {"label": post["label"], "count": count, "rate": post["value"],
                                   "value": count * post["value"]}, "R18")
            total += count * post["value"]
    return total


def guards(ctx, log):
    """3.5 guards by posts and their shifts (R18)."""
    total = guards_total(ctx, log)
    return total if total else log.zero("zero.no_guard_posts", "R18")


def guard_leaders(ctx, log):
    """3.5 guard leaders: 1 per 30 guards, proportional (R18)."""
    per = ctx.tables["3.5"]["guards_per_leader"]
    total = guards_total(ctx, log)
    log.step("3.5.leaders", {"guards": total, "per": per, "value": total / per}, "R18")
    return total / per


def copier_operator(ctx, log):
    """3.6 one copier operator where there is copying equipment or fax (R19)."""
    if not ctx.s[ctx.tables["3.6"]["factor"]]:
        return log.zero("zero.no_copiers", "R19")
    value = float(ctx.tables["3.6"]["operators"])
    log.step("3.6.copiers", {"value": value}, "R19")
    return value


def supply_workers(ctx, log):
    """The second 3.6 (3.6a): materials-supply workers, 0.5 % of 3.1.1–3.1.10 (R19) — its own
    base, which is P only in edition 1 (R12)."""
    pct = ctx.tables["3.6a"]["percent_of_production"]
    value = ctx.tables_sum * pct / 100
    log.step("3.6a.percent_of_p" if ctx.edition == 1 else "3.6a.percent",
             {"pct": pct, "base": ctx.tables_sum, "value": value}, "R19", "R12")
    return value


FUNCTIONS = (
    ("3.2", metering),
    ("3.3.drivers", drivers),
    ("3.3.repair", repair),
    ("3.3.specialist", transport_specialist),
    ("3.4", cleaning),
    ("3.5.guards", guards),
    ("3.5.leaders", guard_leaders),
    ("3.6", copier_operator),
    ("3.6a", supply_workers),
)
