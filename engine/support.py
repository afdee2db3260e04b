"""Clauses 3.2–3.6: metering staff, transport, cleaning, guards, copying, supply workers."""

from .tables import step_value
from .trace import fmt


def metering(ctx, log):
    """3.2 metering and disconnection staff: set by another document — entered by hand (R15)."""
    staff = ctx.s["metering_staff"]
    log.step(f"задается вручную по другому нормативному документу: {fmt(staff)}", "R15")
    return float(staff)


def _per_vehicles(ctx, log, staff):
    """3.3: `add` people per `vehicles` vehicles, proportional (R16)."""
    vehicles = ctx.s["vehicles"]
    note = ctx.tables["3.3"][staff]
    value = vehicles / note["vehicles"] * note["add"]
    log.step(f"{fmt(vehicles)} автомобилей / {fmt(note['vehicles'])} × {fmt(note['add'])} = "
             f"{fmt(value)}", "R16")
    return value


def drivers(ctx, log):
    """3.3 drivers: 1 per serviceable vehicle on the balance sheet (R16)."""
    return _per_vehicles(ctx, log, "drivers")


def repair(ctx, log):
    """3.3 repair staff: 1 per 7 vehicles, proportional (R16)."""
    return _per_vehicles(ctx, log, "repair")


def transport_specialist(ctx, log):
    """3.3 specialist organizing transport: ≤25 vehicles → 1, 26–32 → 2 (R16)."""
    vehicles = ctx.s["vehicles"]
    if vehicles == 0:
        return log.zero("автомобилей 0", "R16")
    return step_value(ctx.tables["3.3"]["specialist"], vehicles, log, "автомобилей",
                      beyond_ruling="R16")


def cleaning(ctx, log):
    """3.4 cleaners and yard keepers: set by another document — entered by hand (R17)."""
    cleaners = ctx.s["cleaners"]
    log.step(f"задается вручную по действующему нормативному документу: {fmt(cleaners)}", "R17")
    return float(cleaners)


def guards_total(ctx, log):
    """Σ posts × headcount per post by shift length (3.5, R18)."""
    total = 0.0
    for post in ctx.tables["3.5"]["posts"]:
        count = ctx.s[f"guard_posts.{post['shift']}"]
        if count:
            log.step(f"{post['label']}: {fmt(count)} × {fmt(post['value'])} = "
                     f"{fmt(count * post['value'])}", "R18")
            total += count * post["value"]
    return total


def guards(ctx, log):
    """3.5 guards by posts and their shifts (R18)."""
    total = guards_total(ctx, log)
    return total if total else log.zero("постов охраны нет", "R18")


def guard_leaders(ctx, log):
    """3.5 guard leaders: 1 per 30 guards, proportional (R18)."""
    per = ctx.tables["3.5"]["guards_per_leader"]
    total = guards_total(ctx, log)
    log.step(f"{fmt(total)} / {fmt(per)} = {fmt(total / per)}", "R18")
    return total / per


def copier_operator(ctx, log):
    """3.6 one copier operator where there is copying equipment or fax (R19)."""
    if not ctx.s["has_copiers"]:
        return log.zero("множительной техники нет", "R19")
    value = float(ctx.tables["3.6"]["operators"])
    log.step(f"есть множительная техника → {fmt(value)}", "R19")
    return value


def supply_workers(ctx, log):
    """The second 3.6 (3.6a): materials-supply workers, 0.5 % of 3.1.1–3.1.10 (R19)."""
    pct = ctx.tables["3.6a"]["percent_of_production"]
    value = ctx.production * pct / 100
    log.step(f"{fmt(pct)} % × P {fmt(ctx.production)} = {fmt(value)}", "R19", "R12")
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
