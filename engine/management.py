"""Management apparatus («аппарат управления»): functions 3.1.11–3.1.18, looked up by P —
the normative production headcount without management RSS (R12) — and, for 3.1.11–3.1.16,
by the number of sales sites («участки по продаже») in separate towns and rural areas (R13).
"""

from .norm import consumer_fields
from .tables import below_first, find_row, pick_row, step_value
from .trace import msg


def site_column(ctx, log):
    """R13: the sales-site column; an organization selling only in cities takes the first."""
    table = ctx.tables["sales_site_columns"]
    columns = table["columns"]
    if ctx.s[table["factors"]["city_only"]]:
        log.step("sites.city_only", {"column": columns[0]["label"]}, "R13")
        return 0
    sites = ctx.factors["sales_sites"]
    col, _ = find_row(columns, sites)
    log.step("sites.column", {"sites": sites, "column": columns[col]["label"]}, "R13")
    return col


def below_first_row(ctx, log, table):
    """R1 `none_below_first_row` (R25): 3.1.12 and 3.1.18, whose tables start at P = 100,
    give 0 while 0 < P < 100; by default (`first_row`) they take the first row."""
    p = ctx.factors["production_base"]
    if ctx.reading("R1") == "none_below_first_row" and below_first(table, p):
        log.step("zero.below_first_row", {"p": p, "start": table["from"]}, "R1")
        return True
    return False


def by_production(ctx, log, clause):
    """3.1.11–3.1.16: the range grid at (P, sales-site column); P = 0 → 0 (R4)."""
    p = ctx.factors["production_base"]
    if p == 0:
        return log.zero("zero.no_production")
    t = ctx.tables[clause]
    if below_first_row(ctx, log, t):
        return 0.0
    col = site_column(ctx, log)
    r, row = pick_row(t, p, log, msg("what.production_base"))
    value = t["cells"][r][col]
    log.step("management.cell", {"clause": clause, "p": p, "row": row["label"], "value": value},
             "R1", "R12")
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


def consumers(s):
    """R14: the consumers of all groups of 3.1.1–3.1.7 (rural households once, district-centre
    ones included), the fields bound in norm_json."""
    return sum(s[field] for field in consumer_fields())


def legal(ctx, log):
    """3.1.17 «Юридическая работа»: by all consumers of all groups, in thousands (R14)."""
    t = ctx.tables["3.1.17"]
    thousands = ctx.factors["consumers_thousand"]
    if thousands == 0:
        return log.zero("zero.no_consumers")
    log.step("3.1.17.consumers", {"consumers": ctx.factors["consumers"], "thousands": thousands},
             "R14")
    return step_value(t, thousands, log, msg("what.consumers_thousand"))


def office(ctx, log):
    """3.1.18 «Общее делопроизводство, хозяйственное обслуживание»: by P (R1, R12)."""
    p = ctx.factors["production_base"]
    if p == 0:
        return log.zero("zero.no_production")
    t = ctx.tables["3.1.18"]
    if below_first_row(ctx, log, t):
        return 0.0
    return step_value(t, p, log, msg("what.production_base"))


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
