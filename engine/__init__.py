"""The KEA 1-нт norm engine: normative staff headcount of an electricity supply
(sales) organization («энергоснабжающая организация», ЭСО), clause by clause.

    from engine import compute
    compute({"households_city": {"multi_storey": 30000}})["total"]
"""

from .compute import compute
from .norm import load_norm
from .scenario import ScenarioError

__all__ = ["compute", "load_norm", "ScenarioError"]
