"""Alternative readings (RULINGS.md R25): where a reader of the document could defend another
reading, the engine implements it as a named variant, off by default. A version-2 scenario
may switch any of them on (`readings`); edition 1 has none to switch, its readings are fixed.
"""

# ruling → its variants, the default first; in the order of R25's table
VARIANTS = {
    "R12": ("all_but_management", "tables"),   # P: everything but management, or 3.1.1–3.1.10
    "R7": ("literal", "from_table_edge"),      # 3.1.7 note 3 from its thresholds or the edge
    "R9": ("proportional", "per_full_25000"),  # 3.1.8 note 3: proportional or full 25 000s
    "R1": ("first_row", "none_below_first_row"),  # 3.1.12, 3.1.18 below P = 100
}
DEFAULTS = {ruling: variants[0] for ruling, variants in VARIANTS.items()}
# how edition 1 read these places (its P is 3.1.1–3.1.10: edition 2's `tables`)
EDITION1 = {**DEFAULTS, "R12": "tables"}


def in_force(edition, chosen):
    """The variant of every R25 reading that a scenario is computed with."""
    return dict(EDITION1) if edition == 1 else {**DEFAULTS, **chosen}
