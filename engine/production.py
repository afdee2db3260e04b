"""Production personnel: functions 3.1.1–3.1.10 (their sum is P, R12).

Domain terms: «бытовые потребители» — households; «непромышленные» — non-industrial
consumers; «приборы учета» — meters; «курьер» — courier delivering payment documents
when the organization does not use Kazpost («Казпочта»); «договоры» — contracts.
"""

import math

from .tables import grid_cell, interpolate, pick_row, point_grid, settle, step_value
from .trace import fmt


def two_tariff(ctx, log):
    """3.1.1 note: coefficient by the share of two-tariff meters (R5); 1 when there are none."""
    share = ctx.s["households_city.two_tariff_share_pct"]
    if share == 0:
        return 1.0
    return step_value(ctx.tables["3.1.1"]["two_tariff"], share, log,
                      "доля двухтарифных приборов учета (%)", beyond_ruling="R5")


def households_city(ctx, log):
    """3.1.1 «Расчет и сбор платежей … бытовыми потребителями, расположенными в городе»:
    rates per 1000 households, proportional (R5)."""
    t = ctx.tables["3.1.1"]
    multi, individual = ctx.s["households_city.multi_storey"], ctx.s["households_city.individual"]
    if multi == individual == 0:
        return log.zero("нет бытовых потребителей в городе")
    (r_multi, r_ind), per = (r["value"] for r in t["rates"]), t["per"]
    base = (multi * r_multi + individual * r_ind) / per
    log.step(f"({fmt(multi)} × {fmt(r_multi)} + {fmt(individual)} × {fmt(r_ind)}) / {fmt(per)} "
             f"= {fmt(base)}", "R5")
    k = two_tariff(ctx, log)
    if k != 1.0:
        log.step(f"{fmt(base)} × {fmt(k)} = {fmt(base * k)}", "R5")
    return base * k


def households_rural(ctx, log):
    """3.1.2 «… бытовыми потребителями, расположенными в сельской местности»: rate per 1000
    households by density per 1000 km²; district-centre multi-storey households at the
    3.1.1 rate (note, R6)."""
    s, t = ctx.s, ctx.tables["3.1.2"]
    households, area = s["households_rural.households"], s["households_rural.area_km2"]
    centre = s["households_rural.district_centre_multi_storey"]
    if households == 0:
        return log.zero("нет сельских бытовых потребителей")
    centre_part = 0.0
    if centre:
        rate = ctx.tables["3.1.1"]["rates"][0]["value"]
        centre_part = centre * rate / t["per"] * two_tariff(ctx, log)
        log.step(f"многоэтажная застройка райцентров по табл. 3.1.1: {fmt(centre)} × {fmt(rate)} "
                 f"/ {fmt(t['per'])} × коэффициент = {fmt(centre_part)}", "R6")
    rest = households - centre
    rate, band = _density_rate(ctx, log)
    value = centre_part + rest * rate / t["per"]
    log.step(f"{fmt(centre_part)} + {fmt(rest)} × {fmt(rate)} / {fmt(t['per'])} = {fmt(value)}", "R6")
    if band > 0 and area > 0:
        _warn_if_fewer_pay_more(ctx, log, band, centre_part, value)
    return value


def _density_rate(ctx, log):
    """3.1.2 rate and its row index by households per 1000 km² (R1, R6)."""
    s, t = ctx.s, ctx.tables["3.1.2"]
    households, area = s["households_rural.households"], s["households_rural.area_km2"]
    rows = t["rates"]["rows"]
    if area == 0:
        log.warn("R6", "площадь обслуживаемой территории 0 км² — взят норматив самой высокой "
                       f"плотности «{rows[-1]['label']}» = {fmt(rows[-1]['value'])}")
        return rows[-1]["value"], len(rows) - 1
    density = households * t["density_per_km2"] / area
    log.step(f"плотность: {fmt(households)} / ({fmt(area)} / 1000) = {fmt(density)} "
             "потребителей на 1000 км²", "R6")
    band, row = pick_row(t["rates"], density, log, "плотность")
    log.step(f"плотность {fmt(density)} → графа «{row['label']}» → {fmt(row['value'])}", "R1")
    return row["value"], band


def _warn_if_fewer_pay_more(ctx, log, band, centre_part, value):
    """The density bands lower the rate as density rises, so the document itself gives
    fewer staff for more households just above a band boundary: say so (R6)."""
    s, t = ctx.s, ctx.tables["3.1.2"]
    prev = t["rates"]["rows"][band - 1]
    at_bound = prev["upto"] * s["households_rural.area_km2"] / t["density_per_km2"]
    rest = max(at_bound - s["households_rural.district_centre_multi_storey"], 0)
    value_at_bound = centre_part + rest * prev["value"] / t["per"]
    if value_at_bound > value:
        log.warn("R6", f"шкала плотности табл. 3.1.2 не монотонна: при {fmt(at_bound)} "
                       f"потребителях (плотность {fmt(prev['upto'])}) норматив был бы "
                       f"{fmt(value_at_bound)}, больше чем {fmt(value)}")


def courier(ctx, log, clause, consumers):
    """Note 2 of 3.1.3–3.1.7: couriers when documents are delivered by own staff (R8)."""
    if not ctx.s["own_delivery"]:
        return 0.0
    note = ctx.tables[clause]["courier"]
    add = note["add"] * consumers / note["consumers"]
    log.step(f"курьеры (прим. {note['note']}): {fmt(note['add'])} × {fmt(consumers)} / "
             f"{fmt(note['consumers'])} = {fmt(add)}", "R8")
    return add


def extrapolation(ctx, log, clause, consumers, meters):
    """Note 3 of 3.1.3, 3.1.4, 3.1.7: +0.2 per step beyond the thresholds, proportional,
    both excesses add (R7)."""
    note = ctx.tables[clause].get("extrapolation")
    if not note:
        return 0.0
    over_c = max(consumers - note["consumers_over"], 0)
    over_m = max(meters - note["meters_over"], 0)
    add = note["add"] * (over_c / note["consumers_step"] + over_m / note["meters_step"])
    if add:
        log.step(f"сверх таблицы (прим. {note['note']}): {fmt(note['add'])} × ({fmt(over_c)} / "
                 f"{fmt(note['consumers_step'])} + {fmt(over_m)} / {fmt(note['meters_step'])}) "
                 f"= {fmt(add)}", "R7")
    return add


def range_table(ctx, log, clause, consumers, meters):
    """3.1.3, 3.1.4: range grid; inputs beyond it are handled by note 3 (R7)."""
    grid = ctx.tables[clause]["grid"]
    top_c, top_m = grid["rows"][-1]["upto"], grid["columns"][-1]["upto"]
    return grid_cell(grid, min(consumers, top_c), min(meters, top_m), log, clause)


def point_table(ctx, log, clause, consumers, meters):
    """3.1.5–3.1.7: point grid (R2); beyond its last row or column it is clamped with a
    warning — R7 where a note 3 extends the table (3.1.7 read literally), else R2."""
    t = ctx.tables[clause]
    grid = t["points"]
    ruling = "R7" if "extrapolation" in t else "R2"
    top_c, top_m = grid["rows"][-1], grid["columns"][-1]
    if consumers > top_c:
        log.warn(ruling, f"потребителей {fmt(consumers)} больше последней строки таблицы "
                         f"{clause} ({fmt(top_c)}) — взята последняя строка")
    if meters > top_m:
        log.warn(ruling, f"приборов учета {fmt(meters)} больше последней графы таблицы "
                         f"{clause} ({fmt(top_m)}) — взята последняя графа")
    return point_grid(grid, min(consumers, top_c), min(meters, top_m), log, clause)


def consumer_group(ctx, log, clause, group, table):
    """3.1.3–3.1.7: table value + note 3 extrapolation + note 2 couriers; 0 consumers → 0."""
    consumers, meters = ctx.s[f"{group}.consumers"], ctx.s[f"{group}.meters"]
    if consumers == 0:
        return log.zero("нет потребителей этой группы")
    value = table(ctx, log, clause, consumers, meters)
    extra = extrapolation(ctx, log, clause, consumers, meters)
    couriers = courier(ctx, log, clause, consumers)
    if extra or couriers:
        log.step(f"итого {fmt(value)} + {fmt(extra)} + {fmt(couriers)} = "
                 f"{fmt(value + extra + couriers)}",
                 *(ruling for ruling, part in (("R7", extra), ("R8", couriers)) if part))
    return value + extra + couriers


def non_industrial_city(ctx, log):
    """3.1.3 «… непромышленным потребителями, расположенными в городе»."""
    return consumer_group(ctx, log, "3.1.3", "non_industrial_city", range_table)


def non_industrial_rural(ctx, log):
    """3.1.4 «… непромышленным потребителями, расположенными в сельской местности»."""
    return consumer_group(ctx, log, "3.1.4", "non_industrial_rural", range_table)


def industrial_over_750(ctx, log):
    """3.1.5 «… промышленным … потребителями с присоединенной мощностью свыше 750 кВА»."""
    return consumer_group(ctx, log, "3.1.5", "industrial_over_750", point_table)


def industrial_upto_750(ctx, log):
    """3.1.6 «… промышленным … потребителями с присоединенной мощностью до 750 кВА»."""
    return consumer_group(ctx, log, "3.1.6", "industrial_upto_750", point_table)


def agricultural(ctx, log):
    """3.1.7 «… производственными сельскохозяйственными потребителями»."""
    return consumer_group(ctx, log, "3.1.7", "agricultural", point_table)


def purchase_and_sale(ctx, log):
    """3.1.8 «Организация покупки и продажи электрической энергии»: interpolated contracts
    table (thousands), guaranteed-supplier coefficient on the table value, then notes 2–4 (R9)."""
    s, t = ctx.s, ctx.tables["3.1.8"]
    contracts, points = s["contracts_thousand"], t["points"]
    table = 0.0
    if contracts > 0:
        if contracts > points[-1][0]:
            log.warn("R9", f"договоров {fmt(contracts)} тыс. больше последней строки таблицы "
                           f"({fmt(points[-1][0])} тыс.) — взята последняя строка")
        table, how = interpolate(points, contracts)
        log.step(f"таблица 3.1.8 при {fmt(contracts)} тыс. договоров: {how}", "п. 1.4", "R9")
    else:
        log.step("договоров 0 → табличная часть 0", "R4")
    if s["guaranteed_supplier"] and table:
        k = t["guaranteed_supplier"]["coefficient"]
        log.step(f"гарантирующий поставщик (прим. 5): {fmt(table)} × {fmt(k)} = {fmt(table * k)}", "R9")
        table *= k
    additions = _contract_additions(ctx, log)
    if additions:
        log.step(f"итого {fmt(table)} + {fmt(additions)} = {fmt(table + additions)}", "R9")
    return table + additions


def _contract_additions(ctx, log):
    """3.1.8 notes 2–4: sales-site heads for rural network districts and per 25 000 urban
    consumers, and 0.5 for importers (R9)."""
    s, t = ctx.s, ctx.tables["3.1.8"]
    districts, urban = s["rural_network_districts"], s["urban_consumers"]
    per_urban = t["urban_consumers"]["consumers"]
    parts = (
        (districts * t["rural_network_district"]["add"],
         f"районы электрических сетей (прим. 2): {fmt(districts)} × {fmt(t['rural_network_district']['add'])}"),
        (urban / per_urban * t["urban_consumers"]["add"],
         f"городские потребители (прим. 3): {fmt(urban)} / {fmt(per_urban)}"),
        (t["imports"]["add"] if s["imports_electricity"] else 0.0, "импорт электроэнергии (прим. 4)"),
    )
    for amount, text in parts:
        if amount:
            log.step(f"+ {text} = {fmt(amount)}", "R9")
    return math.fsum(amount for amount, _ in parts)


def dispatch_communications(ctx, log):
    """3.1.9 «Техническое обслуживание и ремонт средств диспетчерского и технологического
    управления»: by the number of ATS numbers, switchboards, radio stations (R10)."""
    numbers = ctx.s["ats_numbers"]
    if numbers == 0:
        return log.zero("номеров АТС 0")
    return step_value(ctx.tables["3.1.9"], numbers, log, "номеров", beyond_ruling="R10")


# Scenario field of each 3.1.10 rate, in the table's order (SCENARIO.md: items 1.1–1.7, 4, 5, 6).
IT_RATE_FIELDS = ("servers", "network_users", "lan_support_workplaces", "tk_centres", "mail_nodes",
                  "mail_users", "server_apps", "std_sw_workstations", "tech_units",
                  "lan_hw_workplaces", "round_the_clock_workplaces")
IT_STEP_FIELDS = ("purchased_sw_tasks", "developed_sw_tasks")  # items 2 and 3


def it_support(ctx, log):
    """3.1.10 «Программное обеспечение и техническое обслуживание комплектов ЛВС …»:
    items 1.x, 4–6 proportional, 2–3 steps by tasks, 7 leadership on the sum of 1–6 (R11)."""
    s, t = ctx.s, ctx.tables["3.1.10"]
    total = 0.0
    for field, rate in zip(IT_RATE_FIELDS, t["rates"]):
        units = s[f"it.{field}"]
        if units:
            part = units / rate["per"] * rate["value"]
            log.step(f"п. {rate['item']} {rate['label']}: {fmt(units)} / {fmt(rate['per'])} × "
                     f"{fmt(rate['value'])} = {fmt(part)}", "R11")
            total += part
    for field, item in zip(IT_STEP_FIELDS, t["steps"]):
        tasks = s[f"it.{field}"]
        if tasks:
            total += step_value(item, tasks, log, f"п. {item['item']} {item['label']}, задач")
    if total == 0:
        return log.zero("нет оборудования и задач")
    lead = t["leadership"]
    log.step(f"сумма пп. 1–6 = {fmt(total)}", "R11")
    head = 0.0 if settle(total) < lead["from"] else step_value(lead, total, log, "п. 7 руководство при")
    value = total + head
    log.step(f"итого {fmt(total)} + {fmt(head)} = {fmt(value)}", "R11")
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
