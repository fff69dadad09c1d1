"""Every size and length limit on what a user gives, in one place: the readers, the forms and the uploaders read it.

- files, in bytes: a model's YAML, an assessment's JSON, an Excel workbook (and what its zip expands to)
- uploaders, in MB as Streamlit counts them (MiB): the transfer page's, the models page's and the evidence uploader's; the
  largest must not exceed ``server.maxUploadSize`` of ``.streamlit/config.toml`` (a test checks)
- texts in characters (and the members count): the forms' ``max_chars``, the import and the store read the same numbers, so
  nothing is cut
"""

from __future__ import annotations

__all__ = [
    "MAX_ASSESSMENT_BYTES",
    "MAX_CONSENSUS_NOTE",
    "MAX_IMPORT_BYTES",
    "MAX_KEY",
    "MAX_LANGUAGE",
    "MAX_MEMBERS",
    "MAX_MODEL_BYTES",
    "MAX_MODEL_ID",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_PARTICIPANT_NAME",
    "MAX_REGION",
    "MAX_SPREADSHEET_BYTES",
    "MAX_SPREADSHEET_UNPACKED",
    "MAX_WORKSHOP_TITLE",
    "MIB",
    "ORGANISATION_LIMITS",
    "UPLOAD_MB_BUNDLE",
    "UPLOAD_MB_EVIDENCE",
    "UPLOAD_MB_IMPORT",
    "UPLOAD_MB_MODEL",
]

MIB = 1024 * 1024

# ---------------------------------------------------------------- files (bytes)

MAX_MODEL_BYTES = 1 * MIB  # a model's YAML: the models page, the frameworks/ folder, the CLI
MAX_ASSESSMENT_BYTES = 2 * MIB  # a maturity-assessment/1 JSON file
MAX_SPREADSHEET_BYTES = 5 * MIB  # an assessment as .xlsx
MAX_SPREADSHEET_UNPACKED = 50 * MIB  # an .xlsx is a zip: bound what it expands to, not only its size
MAX_IMPORT_BYTES = max(MAX_ASSESSMENT_BYTES, MAX_SPREADSHEET_BYTES)  # the transfer page's upload, JSON or .xlsx

# ---------------------------------------------------------------- uploaders (MB as Streamlit counts: MiB)

UPLOAD_MB_IMPORT = MAX_IMPORT_BYTES // MIB  # pages/transfer.py
UPLOAD_MB_MODEL = MAX_MODEL_BYTES // MIB  # pages/models.py
# pages/_evidence.py: one evidence file, as maturity.evidence.Limits allows by default (10 MB; the store
# checks each file against the settings' limit, MATURITY_EVIDENCE_FILE_MB, whatever the browser let through)
UPLOAD_MB_EVIDENCE = 10
# pages/transfer.py, whose uploader also takes a bundle (.zip, maturity/bundle.py): as large as the server takes.
# A bundle holds up to 200 MB of evidence; importing one that large needs server.maxUploadSize raised (docs/bundle.md).
# JSON and Excel keep UPLOAD_MB_IMPORT: their readers check it whatever the uploader let through.
UPLOAD_MB_BUNDLE = UPLOAD_MB_EVIDENCE

# ---------------------------------------------------------------- texts (characters)

MAX_NAME = 120  # union name, enterprise, assessor (pages/start.py)
MAX_REGION = 60
MAX_NOTE = 2000  # a note per question (pages/questionnaire.py)
MAX_MEMBERS = 10_000_000
MAX_WORKSHOP_TITLE = 200  # workshops.title VARCHAR(200)
MAX_PARTICIPANT_NAME = 60  # participants.name VARCHAR(60)
MAX_CONSENSUS_NOTE = 500  # the facilitator's note beside a consensus level (consensus.note)
MAX_MODEL_ID = 64  # VARCHAR(64); the model format's id pattern allows 63
MAX_KEY = 128  # indicator / criterion ids, organisation field names
MAX_LANGUAGE = 16
ORGANISATION_LIMITS = {"name": MAX_NAME, "enterprise": MAX_NAME, "region": MAX_REGION, "assessor": MAX_NAME}
