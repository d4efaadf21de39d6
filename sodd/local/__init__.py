"""The kommun's own data: templates, upload checks (incl. GDPR), storage, indicators.

Typical use::

    table = check_upload(data, "kartlaggning.csv", "kartlaggning", regions)
    save_local(store, table, disclosure_min=settings.disclosure_min)
    catalog = with_local_indicators(load_catalog(), store)
    delete_local(store, "kartlaggning", "1780", "2024", disclosure_min=5)
"""

from sodd.local.delete import DeleteResult, NothingToDeleteError, delete_local
from sodd.local.indicators import THEME, local_indicators, with_local_indicators
from sodd.local.problems import LocalDataError, PersonalDataError, Problem
from sodd.local.store import SaveResult, load_local, save_local, stored_summary
from sodd.local.templates import KINDS, headers, template_csv, template_xlsx
from sodd.local.validate import LocalTable, check_frame, check_size, check_upload

__all__ = [
    "KINDS",
    "THEME",
    "DeleteResult",
    "LocalDataError",
    "LocalTable",
    "NothingToDeleteError",
    "PersonalDataError",
    "Problem",
    "SaveResult",
    "check_frame",
    "check_size",
    "check_upload",
    "delete_local",
    "headers",
    "load_local",
    "local_indicators",
    "save_local",
    "stored_summary",
    "template_csv",
    "template_xlsx",
    "with_local_indicators",
]
