"""Production personnel: functions 3.1.1–3.1.10 (their sum is P, R12).

Domain terms: «бытовые потребители» — households; «непромышленные» — non-industrial
consumers; «приборы учета» — meters; «курьер» — courier delivering payment documents
when the organization does not use Kazpost («Казпочта»); «договоры» — contracts.
"""

import math

from .tables import grid_cell, interpolate, pick_row, point_grid, printed_from, settle, step_value
from .trace import msg


def two_tariff(ctx, log):
    """3.1.1 note: coefficient by the share of two-tariff meters (R5); 1 when there are none."""
    table = ctx.tables["3.1.1"]["two_tariff"]
    share = ctx.s[table["factor"]]
    if share == 0:
        return 1.0
    return step_value(table, share, log, msg("what.two_tariff_share"), beyond_ruling="R5")


def households_city(ctx, log):
    """3.1.1 «Расчет и сбор платежей … бытовыми потребителями, расположенными в городе»:
    rates per 1000 households, proportional (R5)."""
    t = ctx.tables["3.1.1"]
    terms = [(ctx.s[rate["factor"]], rate["value"]) for rate in t["rates"]]
    if all(households == 0 for households, _ in terms):
        return log.zero("zero.no_city_households")
    base = math.fsum(households * rate for households, rate in terms) / t["per"]
    params = {}  # by the fields' names: {multi_storey: 30000, multi_storey_rate: 0.6, …}
    for rate in t["rates"]:
        name = rate["factor"].rpartition(".")[2]
        params.update({name: ctx.s[rate["factor"]], f"{name}_rate": rate["value"]})
    log.step("3.1.1.rates", {**params, "per": t["per"], "value": base}, "R5")
    k = two_tariff(ctx, log)
    if k != 1.0:
        log.step("3.1.1.two_tariff", {"base": base, "k": k, "value": base * k}, "R5")
    return base * k


def rate_of(rates, field):
    """The rate of a rate table that applies to a scenario field (binding by name)."""
    return next(rate["value"] for rate in rates if rate["factor"] == field)


def households_rural(ctx, log):
    """3.1.2 «… бытовыми потребителями, расположенными в сельской местности»: rate per 1000
    households by density per 1000 km²; district-centre multi-storey households at the
    3.1.1 rate (note, R6)."""
    t = ctx.tables["3.1.2"]
    households, area, centre = rural_factors(ctx)
    if households == 0:
        return log.zero("zero.no_rural_households")
    centre_part = 0.0
    if centre:
        rate = rate_of(ctx.tables["3.1.1"]["rates"], "households_city.multi_storey")
        centre_part = centre * rate / t["per"] * two_tariff(ctx, log)
        log.step("3.1.2.centre", {"centre": centre, "rate": rate, "per": t["per"],
                                  "value": centre_part}, "R6")
    rest = households - centre
    rate, band = _density_rate(ctx, log)
    value = centre_part + rest * rate / t["per"]
    log.step("3.1.2.sum", {"centre_part": centre_part, "rest": rest, "rate": rate, "per": t["per"],
                           "value": value}, "R6")
    if band > 0 and area > 0:
        _warn_if_fewer_pay_more(ctx, log, band, centre_part, value)
    return value


def rural_factors(ctx):
    """3.1.2's factors: all rural households, served area (km²), district-centre multi-storey."""
    f = ctx.tables["3.1.2"]["factors"]
    return (ctx.s[f["households"]], ctx.s[f["area_km2"]], ctx.s[f["district_centre_multi_storey"]])


def _density_rate(ctx, log):
    """3.1.2 rate and its row index by households per 1000 km² (R1, R6)."""
    t = ctx.tables["3.1.2"]
    households, area, _ = rural_factors(ctx)
    rows = t["rates"]["rows"]
    if area == 0:
        log.warn("R6", "3.1.2.no_area", {"row": rows[-1]["label"], "value": rows[-1]["value"]})
        return rows[-1]["value"], len(rows) - 1
    per = t["density_per_km2"]
    density = households * per / area
    # `per` as text: written as the document writes it («на 1000 км²», no thousands space)
    log.step("3.1.2.density", {"households": households, "area": area, "density": density,
                               "per": str(per)}, "R6")
    band, row = pick_row(t["rates"], density, log, msg("what.density"))
    log.step("3.1.2.band", {"density": density, "row": row["label"], "value": row["value"]}, "R1")
    if ctx.edition >= 2:
        _warn_if_bands_overlap(log, rows, band, density)
    return row["value"], band


def _warn_if_bands_overlap(log, rows, band, density):
    """R6 (edition 2): the printed bands overlap («201–1100» then «1001–1300»); a density in
    the overlap takes the lower band by R1, and the result says the document is open there."""
    if band + 1 < len(rows):
        after = rows[band + 1]
        start = printed_from(after["label"])
        if start is not None and settle(density) > start - 1:
            log.warn("R6", "3.1.2.overlap", {"density": density, "row": rows[band]["label"],
                                             "other": after["label"], "value": rows[band]["value"]})


def _warn_if_fewer_pay_more(ctx, log, band, centre_part, value):
    """The density bands lower the rate as density rises, so the document itself gives
    fewer staff for more households just above a band boundary: say so (R6)."""
    t = ctx.tables["3.1.2"]
    _, area, centre = rural_factors(ctx)
    prev = t["rates"]["rows"][band - 1]
    at_bound = prev["upto"] * area / t["density_per_km2"]
    rest = max(at_bound - centre, 0)
    value_at_bound = centre_part + rest * prev["value"] / t["per"]
    if value_at_bound > value:
        log.warn("R6", "3.1.2.not_monotone", {"households": at_bound, "density": prev["upto"],
                                              "at_bound": value_at_bound, "value": value})


def courier(ctx, log, clause, consumers):
    """Note 2 of 3.1.3–3.1.7: couriers when documents are delivered by own staff (R8)."""
    note = ctx.tables[clause]["courier"]
    if not ctx.s[note["factor"]]:
        return 0.0
    add = note["add"] * consumers / note["consumers"]
    log.step("courier", {"note": note["note"], "add": note["add"], "consumers": consumers,
                         "per": note["consumers"], "value": add}, "R8")
    return add


def extrapolation(ctx, log, clause, consumers, meters):
    """Note 3 of 3.1.3, 3.1.4, 3.1.7: +0.2 per step beyond the thresholds, proportional,
    both excesses add (R7)."""
    note = ctx.tables[clause].get("extrapolation")
    if not note:
        return 0.0
    start_c, start_m = extrapolation_start(ctx, clause)
    over_c = max(consumers - start_c, 0)
    over_m = max(meters - start_m, 0)
    add = note["add"] * (over_c / note["consumers_step"] + over_m / note["meters_step"])
    if add:
        log.step("extrapolation", {"note": note["note"], "add": note["add"], "over_c": over_c,
                                   "step_c": note["consumers_step"], "over_m": over_m,
                                   "step_m": note["meters_step"], "value": add}, "R7")
    return add


def extrapolation_start(ctx, clause):
    """Where note 3 starts counting: its own thresholds (R7 `literal`), or the table's last
    row and column (R25 `from_table_edge`; the same for 3.1.3 and 3.1.4, whose thresholds
    are their edges)."""
    t = ctx.tables[clause]
    if ctx.reading("R7") == "from_table_edge":
        return table_edge(t)
    return t["extrapolation"]["consumers_over"], t["extrapolation"]["meters_over"]


def table_edge(t):
    """The last consumer row and the last meter column of a grid or point table."""
    if "grid" in t:
        return t["grid"]["rows"][-1]["upto"], t["grid"]["columns"][-1]["upto"]
    return t["points"]["rows"][-1], t["points"]["columns"][-1]


def range_table(ctx, log, clause, consumers, meters):
    """3.1.3, 3.1.4: range grid; inputs beyond it are handled by note 3 (R7)."""
    top_c, top_m = table_edge(ctx.tables[clause])
    return grid_cell(ctx.tables[clause]["grid"], min(consumers, top_c), min(meters, top_m), log,
                     clause)


def point_table(ctx, log, clause, consumers, meters):
    """3.1.5–3.1.7: point grid (R2); beyond its last row or column it is clamped with a
    warning — R7 where a note 3 extends the table (3.1.7 read literally), else R2. Where note
    3 starts at the table's own edge (R25 `from_table_edge`) nothing is clamped: silent."""
    t = ctx.tables[clause]
    ruling = "R7" if "extrapolation" in t else "R2"
    top_c, top_m = table_edge(t)
    if "extrapolation" not in t or extrapolation_start(ctx, clause) != (top_c, top_m):
        if consumers > top_c:
            log.warn(ruling, "points.beyond_rows", {"consumers": consumers, "clause": clause,
                                                    "top": top_c})
        if meters > top_m:
            log.warn(ruling, "points.beyond_columns", {"meters": meters, "clause": clause,
                                                       "top": top_m})
    return point_grid(t["points"], min(consumers, top_c), min(meters, top_m), log, clause)


def consumer_group(ctx, log, clause, table):
    """3.1.3–3.1.7: table value + note 3 extrapolation + note 2 couriers; 0 consumers → 0."""
    factors = ctx.tables[clause]["factors"]
    consumers, meters = ctx.s[factors["consumers"]], ctx.s[factors["meters"]]
    if consumers == 0:
        return log.zero("zero.no_group_consumers")
    value = table(ctx, log, clause, consumers, meters)
    extra = extrapolation(ctx, log, clause, consumers, meters)
    couriers = courier(ctx, log, clause, consumers)
    if extra or couriers:
        log.step("consumer_group.sum", {"value": value, "extra": extra, "couriers": couriers,
                                        "total": value + extra + couriers},
                 *(ruling for ruling, part in (("R7", extra), ("R8", couriers)) if part))
    return value + extra + couriers


def non_industrial_city(ctx, log):
    """3.1.3 «… непромышленным потребителями, расположенными в городе»."""
    return consumer_group(ctx, log, "3.1.3", range_table)


def non_industrial_rural(ctx, log):
    """3.1.4 «… непромышленным потребителями, расположенными в сельской местности»."""
    return consumer_group(ctx, log, "3.1.4", range_table)


def industrial_over_750(ctx, log):
    """3.1.5 «… промышленным … потребителями с присоединенной мощностью свыше 750 кВА»."""
    return consumer_group(ctx, log, "3.1.5", point_table)


def industrial_upto_750(ctx, log):
    """3.1.6 «… промышленным … потребителями с присоединенной мощностью до 750 кВА»."""
    return consumer_group(ctx, log, "3.1.6", point_table)


def agricultural(ctx, log):
    """3.1.7 «… производственными сельскохозяйственными потребителями»."""
    return consumer_group(ctx, log, "3.1.7", point_table)


def purchase_and_sale(ctx, log):
    """3.1.8 «Организация покупки и продажи электрической энергии»: interpolated contracts
    table (thousands), guaranteed-supplier coefficient on the table value, then notes 2–4 (R9)."""
    s, t = ctx.s, ctx.tables["3.1.8"]
    contracts, points = s[t["factor"]], t["points"]
    table = 0.0
    if contracts > 0:
        if contracts > points[-1][0]:
            log.warn("R9", "3.1.8.beyond", {"contracts": contracts, "top": points[-1][0]})
        table, how = interpolate(points, contracts)
        log.step("3.1.8.table", {"contracts": contracts, "how": how}, "R9", clause="1.4")
    else:
        log.step("3.1.8.no_contracts", {}, "R4")
    note = t["guaranteed_supplier"]
    if s[note["factor"]] and table:
        k = note["coefficient"]
        log.step("3.1.8.guaranteed", {"note": note["note"], "table": table, "k": k,
                                      "value": table * k}, "R9")
        table *= k
    additions = _contract_additions(ctx, log)
    if additions:
        log.step("3.1.8.sum", {"table": table, "additions": additions,
                               "value": table + additions}, "R9")
    return table + additions


def _contract_additions(ctx, log):
    """3.1.8 notes 2–4: sales-site heads for rural network districts and per 25 000 urban
    consumers, and 0.5 for importers (R9)."""
    s, t = ctx.s, ctx.tables["3.1.8"]
    district, urban, imports = t["rural_network_district"], t["urban_consumers"], t["imports"]
    districts = s[district["factor"]]
    parts = (
        (districts * district["add"], "3.1.8.districts",
         {"note": district["note"], "districts": districts, "add": district["add"]}),
        _urban_addition(s[urban["factor"]], urban, ctx.reading("R9")),
        (imports["add"] if s[imports["factor"]] else 0.0, "3.1.8.imports", {"note": imports["note"]}),
    )
    for amount, key, params in parts:
        if amount:
            log.step(key, {**params, "value": amount}, "R9")
    return math.fsum(amount for amount, _, _ in parts)


def _urban_addition(urban, note, reading):
    """Note 3: 1 per 25 000 urban consumers — proportional (R9), or per full 25 000 (R25
    `per_full_25000`). Returns (amount, message key, its parameters)."""
    params = {"note": note["note"], "urban": urban, "per": note["consumers"]}
    if reading == "per_full_25000":
        return (urban // note["consumers"] * note["add"], "3.1.8.urban_full", params)
    return (urban / note["consumers"] * note["add"], "3.1.8.urban", params)


def dispatch_communications(ctx, log):
    """3.1.9 «Техническое обслуживание и ремонт средств диспетчерского и технологического
    управления»: by the number of ATS numbers, switchboards, radio stations (R10)."""
    table = ctx.tables["3.1.9"]
    numbers = ctx.s[table["factor"]]
    if numbers == 0:
        return log.zero("zero.no_ats_numbers")
    return step_value(table, numbers, log, msg("what.ats_numbers"), beyond_ruling="R10")


def it_support(ctx, log):
    """3.1.10 «Программное обеспечение и техническое обслуживание комплектов ЛВС …»:
    items 1.x, 4–6 proportional, 2–3 steps by tasks, 7 leadership on the sum of 1–6 (R11).
    Each rate and item names the scenario field it reads (norm_json `factor`)."""
    s, t = ctx.s, ctx.tables["3.1.10"]
    total = 0.0
    for rate in t["rates"]:
        units = s[rate["factor"]]
        if units:
            part = units / rate["per"] * rate["value"]
            log.step("3.1.10.rate", {"item": rate["item"], "label": rate["label"], "units": units,
                                     "per": rate["per"], "rate": rate["value"], "value": part},
                     "R11")
            total += part
    for item in t["steps"]:
        tasks = s[item["factor"]]
        if tasks:
            total += step_value(item, tasks, log,
                                msg("what.it_tasks", item=item["item"], label=item["label"]))
    if total == 0:
        return log.zero("zero.no_it")
    lead = t["leadership"]
    log.step("3.1.10.items", {"total": total}, "R11")
    head = 0.0 if settle(total) < lead["from"] else step_value(
        lead, total, log, msg("what.it_leadership"))
    value = total + head
    log.step("3.1.10.sum", {"total": total, "head": head, "value": value}, "R11")
    return value


FUNCTIONS = (
    ("3.1.1", households_city),
    ("3.1.2", households_rural),
    ("3.1.3", non_industrial_city),
    ("3.1.4", non_industrial_rural),
    ("3.1.5", industrial_over_750),
    ("3.1.6", industrial_upto_750),
    ("3.1.7", agricultural),
    ("3.1.8", purchase_and_sale),
    ("3.1.9", dispatch_communications),
    ("3.1.10", it_support),
)
