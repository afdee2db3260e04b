"""The law as data: the norm's tables, titles and groups, read from norm_json/ (package data)."""

import functools
import json
from importlib import resources

EDITION_FILE = "kea_1nt_2018.json"


@functools.cache
def load_norm():
    """The norm document as data (norm_json/kea_1nt_2018.json), read once."""
    return json.loads(resources.files("norm_json").joinpath(EDITION_FILE).read_text("utf-8"))
