"""Management apparatus («аппарат управления»): functions 3.1.11–3.1.18, looked up by P —
the normative production headcount without management RSS (R12) — and, for 3.1.11–3.1.16,
by the number of sales sites («участки по продаже») in separate towns and rural areas (R13).
"""

from .tables import find_row, pick_row, step_value
from .trace import fmt


def site_column(ctx, log):
    """R13: the sales-site column; an organization selling only in cities takes the first."""
    columns = ctx.tables["sales_site_columns"]["columns"]
    if ctx.s["city_only"]:
        log.step(f"продажа только в городах → графа «{columns[0]['label']}» (примечание)", "R13")
        return 0
    sites = ctx.s["sales_sites"]
    col, _ = find_row(columns, sites)
    log.step(f"участков по продаже {fmt(sites)} → графа «{columns[col]['label']}»", "R13")
    return col


def by_production(ctx, log, clause):
    """3.1.11–3.1.16: the range grid at (P, sales-site column); P = 0 → 0 (R4)."""
    p = ctx.production
    if p == 0:
        return log.zero("P = 0")
    t = ctx.tables[clause]
    col = site_column(ctx, log)
    r, row = pick_row(t, p, log, "P =")
    value = t["cells"][r][col]
    log.step(f"таблица {clause}: P = {fmt(p)} → строка «{row['label']}» → {fmt(value)}", "R1", "R12")
    return value


def general_management(ctx, log):
    """3.1.11 «Общее руководство»."""
    return by_production(ctx, log, "3.1.11")


def economics(ctx, log):
    """3.1.12 «Экономическая работа, труд и заработная плата»."""
    return by_production(ctx, log, "3.1.12")


def accounting(ctx, log):
    """3.1.13 «Бухгалтерский учет, отчетность, финансовая деятельность»."""
    return by_production(ctx, log, "3.1.13")


def personnel(ctx, log):
    """3.1.14 «Комплектование и подготовка кадров, специальная и мобилизационная работа,
    работа ГО и ЧС»."""
    return by_production(ctx, log, "3.1.14")


def labour_safety(ctx, log):
    """3.1.15 «Обеспечение охраны труда и техники безопасности»."""
    return by_production(ctx, log, "3.1.15")


def procurement(ctx, log):
    """3.1.16 «Материально-техническое снабжение»."""
    return by_production(ctx, log, "3.1.16")


# Consumer counts of every group of 3.1.1–3.1.7 (R14): rural households counted once.
CONSUMER_FIELDS = ("households_city.multi_storey", "households_city.individual",
                   "households_rural.households", "non_industrial_city.consumers",
                   "non_industrial_rural.consumers", "industrial_over_750.consumers",
                   "industrial_upto_750.consumers", "agricultural.consumers")


def legal(ctx, log):
    """3.1.17 «Юридическая работа»: by all consumers of all groups, in thousands (R14)."""
    t = ctx.tables["3.1.17"]
    consumers = sum(ctx.s[f] for f in CONSUMER_FIELDS)
    if consumers == 0:
        return log.zero("потребителей 0")
    thousands = consumers / t["per"]
    log.step(f"потребителей всех групп {fmt(consumers)} = {fmt(thousands)} тыс.", "R14")
    return step_value(t, thousands, log, "тыс. потребителей")


def office(ctx, log):
    """3.1.18 «Общее делопроизводство, хозяйственное обслуживание»: by P (R1, R12)."""
    if ctx.production == 0:
        return log.zero("P = 0")
    return step_value(ctx.tables["3.1.18"], ctx.production, log, "P =")


FUNCTIONS = (
    ("3.1.11", general_management),
    ("3.1.12", economics),
    ("3.1.13", accounting),
    ("3.1.14", personnel),
    ("3.1.15", labour_safety),
    ("3.1.16", procurement),
    ("3.1.17", legal),
    ("3.1.18", office),
)
