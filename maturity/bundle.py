"""The evidence bundle: one assessment and its 佐证材料 in one ``.zip`` (layout in docs/bundle.md).

- ``assessment.json``: the ``maturity-assessment/1`` JSON, byte for byte what the JSON export writes;
- ``evidence/<n>-<safe name>``: each evidence file, oldest first, ``n`` counting from 001;
- ``manifest.json``: the format and its version, the assessment file's size and sha256, and per
  evidence file its path, question id, original file name, kind, size, sha256 and created_at.

:func:`export_bundle` writes it (the same bytes for the same stored assessment). :func:`read_bundle`
checks an upload without touching the database: the zip itself bounded before anything is expanded,
the manifest held to the members (no file missing, none extra, sizes and sha256 equal), every file
accepted by its content as :func:`maturity.evidence.check_file` accepts an upload, and the JSON
refused where the JSON import refuses it. :func:`import_bundle` stores the result as a new
assessment in one transaction: all of it or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from . import schema as S
from .assessment import Assessment, parse
from .errors import MaturityError, UnknownAssessment
from .evidence import KINDS, EvidenceFile, EvidenceRefused, Limits, check_file, clean_filename
from .limits import MAX_ASSESSMENT_BYTES, MIB
from .loader import LoadedModel
from .records import AssessmentRecord, kept_notes

if TYPE_CHECKING:
    from .store import Store

__all__ = [
    "ASSESSMENT_PATH",
    "EVIDENCE_DIR",
    "FORMAT",
    "MANIFEST_PATH",
    "MAX_FILES",
    "MAX_MANIFEST_BYTES",
    "MAX_SAFE_NAME",
    "VERSION",
    "Bundle",
    "BundleRefused",
    "BundledFile",
    "evidence_of",
    "export_bundle",
    "file_size",
    "import_bundle",
    "max_bundle_bytes",
    "read_bundle",
    "safe_name",
]

FORMAT = "maturity-bundle"
VERSION = 1
MANIFEST_PATH = "manifest.json"
ASSESSMENT_PATH = "assessment.json"
EVIDENCE_DIR = "evidence/"
MAX_MANIFEST_BYTES = 2 * MIB  # room for MAX_FILES entries
MAX_FILES = 10_000  # evidence files in one bundle
MAX_SAFE_NAME = 80  # characters of the original name kept in a member's path
_UNSAFE = set('<>:"/\\|?*')  # what Windows' unzip refuses in a file name
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every member's date: the same assessment gives the same bytes


class BundleRefused(MaturityError, ValueError):
    """A bundle that is not imported, with the reason in the user's words (``code`` and its params)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params

    def describe(self, lang: str) -> list[str]:
        from .i18n import t

        return [t(f"bundle.refused.{self.code}", lang, **self.params)]


@dataclass(frozen=True)
class BundledFile:
    """One evidence file read from a bundle, checked, with its bytes."""

    indicator_id: str
    filename: str
    kind: str
    created_at: dt.datetime
    data: bytes


@dataclass(frozen=True)
class Bundle:
    """A checked bundle, ready for :func:`import_bundle`: the assessment, its model and its files."""

    assessment: Assessment
    loaded: LoadedModel
    files: tuple[BundledFile, ...]

    @property
    def size(self) -> int:
        """All evidence bytes."""
        return sum(len(f.data) for f in self.files)


def max_bundle_bytes(limits: Limits | None = None) -> int:
    """The largest bundle taken: every evidence file an assessment may hold, its JSON and the manifest."""
    limits = limits or Limits.from_env()
    return limits.total_bytes + MAX_ASSESSMENT_BYTES + MAX_MANIFEST_BYTES


def file_size(n: int) -> str:
    """A file size as a reader says it: 820 B, 12.5 KB, 3.2 MB."""
    if n < 1024:
        return f"{n} B"
    if n < MIB:
        return f"{n / 1024:.1f} KB"
    return f"{n / MIB:.1f} MB"


def safe_name(n: int, filename: str) -> str:
    """The member path of the ``n``-th file: ``evidence/001-会议纪要.pdf`` (the name kept readable, its extension too)."""
    base = "".join("_" if ch in _UNSAFE else ch for ch in clean_filename(filename)).strip(" .") or "file"
    if len(base) > MAX_SAFE_NAME:
        _, dot, ext = base.rpartition(".")
        keep = f"{dot}{ext}" if dot and len(ext) <= 10 else ""
        base = base[: MAX_SAFE_NAME - len(keep)] + keep
    return f"{EVIDENCE_DIR}{n:03d}-{base}"


# ---------------------------------------------------------------- export


def export_bundle(store: Store, token: str) -> bytes:
    """The bundle of the assessment behind ``token`` (edit or view link): same stored assessment, same bytes."""
    record = store.get_assessment(token)
    if record is None:
        raise UnknownAssessment(token)
    text = record.to_assessment().to_json().encode("utf-8")  # exactly what the JSON export writes
    with store.db.read() as conn:
        aid = store._readable_id(conn, token)
        rows = conn.execute(select(S.evidence).where(S.evidence.c.assessment_id == aid)
                            .order_by(S.evidence.c.created_at, S.evidence.c.id)).all()
    entries: list[dict[str, Any]] = []
    members: list[tuple[str, bytes]] = [(ASSESSMENT_PATH, text)]
    for n, row in enumerate(rows, 1):
        data = bytes(row.data)
        path = safe_name(n, row.filename)
        entries.append({"path": path, "indicator_id": row.indicator_id, "filename": row.filename, "kind": row.kind,
                        "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                        "created_at": _utc(row.created_at).isoformat()})
        members.append((path, data))
    manifest = {
        "format": FORMAT, "version": VERSION,
        "assessment": {"path": ASSESSMENT_PATH, "size": len(text), "sha256": hashlib.sha256(text).hexdigest()},
        "files": entries,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        _write(zf, MANIFEST_PATH, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"), True)
        for path, data in members:
            # JSON packs well; PDF, images and Office files are packed already: stored as they are
            _write(zf, path, data, path == ASSESSMENT_PATH)
    return buf.getvalue()


def _write(zf: zipfile.ZipFile, path: str, data: bytes, deflate: bool) -> None:
    info = zipfile.ZipInfo(path, _ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# ---------------------------------------------------------------- import


def read_bundle(raw: bytes, candidates: Sequence[LoadedModel], limits: Limits | None = None) -> Bundle:
    """Check a bundle upload against its model among ``candidates``; nothing is stored here.

    Raises :class:`BundleRefused` (the zip, its manifest or a file), :class:`EvidenceRefused` (a file's
    content or size) or :class:`maturity.assessment.AssessmentInvalid` (the JSON, as the JSON import).
    """
    from .tables import read_upload

    limits = limits or Limits.from_env()
    if len(raw) > max_bundle_bytes(limits):
        raise BundleRefused("too_big", limit=max_bundle_bytes(limits) // MIB)
    if not raw.startswith(b"PK\x03\x04"):
        raise BundleRefused("not_zip")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = _bounded(zf, limits)
            manifest = _manifest(_read(zf, infos[MANIFEST_PATH]))
            entries = manifest["files"]
            expected = {MANIFEST_PATH, ASSESSMENT_PATH, *(e["path"] for e in entries)}
            missing = sorted(expected - infos.keys())
            if missing:
                raise BundleRefused("missing", path=missing[0])
            extra = sorted(infos.keys() - expected)
            if extra:
                raise BundleRefused("extra", path=extra[0])
            text = _checked(zf, infos[ASSESSMENT_PATH], manifest["assessment"])
            assessment, loaded = read_upload(text, ASSESSMENT_PATH, candidates)
            questions = loaded.model.indicator_by_id
            files: list[BundledFile] = []
            used = 0
            for entry in entries:
                data = _checked(zf, infos[entry["path"]], entry)
                if entry["indicator_id"] not in questions:
                    raise EvidenceRefused("no_question", id=entry["indicator_id"])
                kind = check_file(entry["filename"], data, limits, used)
                if kind != entry["kind"]:
                    raise BundleRefused("kind", path=entry["path"])
                used += len(data)
                files.append(BundledFile(entry["indicator_id"], clean_filename(entry["filename"]), kind,
                                         entry["created_at"], data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, OSError, RuntimeError):
        raise BundleRefused("not_zip") from None  # RuntimeError: what zipfile raises for an encrypted member
    return Bundle(assessment, loaded, tuple(files))


def _bounded(zf: zipfile.ZipFile, limits: Limits) -> dict[str, zipfile.ZipInfo]:
    """The members by name, after bounding what they claim to expand to (before any is read)."""
    infos = zf.infolist()
    if len(infos) > MAX_FILES + 2:  # the evidence, the JSON and the manifest
        raise BundleRefused("bomb")
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:  # encrypted: this app never writes one, and reading it needs a password
            raise BundleRefused("not_zip")
        if info.filename in by_name:
            raise BundleRefused("duplicate", path=info.filename)
        by_name[info.filename] = info
        cap = (MAX_MANIFEST_BYTES if info.filename == MANIFEST_PATH else MAX_ASSESSMENT_BYTES
               if info.filename == ASSESSMENT_PATH else limits.file_bytes)
        total += info.file_size
        if info.file_size > cap or total > max_bundle_bytes(limits):
            raise BundleRefused("bomb")
    if MANIFEST_PATH not in by_name:
        raise BundleRefused("no_manifest")
    return by_name


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than its declared size (a zip that lies about it is a bomb)."""
    with zf.open(info) as member:
        data = member.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise BundleRefused("bomb")
    return data


def _checked(zf: zipfile.ZipFile, info: zipfile.ZipInfo, entry: dict[str, Any]) -> bytes:
    """A member's bytes, held to its manifest entry's size and sha256."""
    if info.file_size != entry["size"]:
        raise BundleRefused("size", path=info.filename)
    data = _read(zf, info)
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise BundleRefused("sha256", path=info.filename)
    return data


def _manifest(raw: bytes) -> dict[str, Any]:
    """The manifest, every field typed as docs/bundle.md says; ``created_at`` parsed to aware datetimes."""
    m: dict[str, Any] = {}
    try:
        m = json.loads(raw.decode("utf-8"))
        ok = (isinstance(m, dict) and m.get("format") == FORMAT and isinstance(m.get("files"), list)
              and isinstance(m.get("assessment"), dict))
    except (UnicodeDecodeError, ValueError, RecursionError):
        ok = False
    if not ok:
        raise BundleRefused("bad_manifest")
    if m.get("version") != VERSION:
        raise BundleRefused("version", version=str(m.get("version")))
    a = m["assessment"]
    if a.get("path") != ASSESSMENT_PATH or not _is_size(a.get("size")) or not _is_sha(a.get("sha256")):
        raise BundleRefused("bad_manifest")
    paths: set[str] = set()
    for e in m["files"]:
        if not (isinstance(e, dict) and isinstance(e.get("path"), str) and e["path"].startswith(EVIDENCE_DIR)
                and isinstance(e.get("indicator_id"), str) and isinstance(e.get("filename"), str)
                and e.get("kind") in KINDS and _is_size(e.get("size")) and _is_sha(e.get("sha256"))
                and isinstance(e.get("created_at"), str)) or e["path"] in paths:
            raise BundleRefused("bad_manifest")
        paths.add(e["path"])
        try:
            e["created_at"] = _utc(dt.datetime.fromisoformat(e["created_at"]))
        except ValueError:
            raise BundleRefused("bad_manifest") from None
    return m


def _is_size(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _is_sha(v: Any) -> bool:
    return isinstance(v, str) and len(v) == 64 and all(c in "0123456789abcdef" for c in v)


def import_bundle(store: Store, bundle: Bundle) -> AssessmentRecord:
    """Store a checked bundle as a new assessment with its answers, notes, targets and files: one transaction."""
    checked = parse(bundle.assessment.to_dict(), bundle.loaded.model)
    with store.db.write() as conn:
        record, aid = store._insert_assessment(conn, bundle.loaded, checked)
        store._insert_contents(conn, aid, checked, record.created_at)
        for f in bundle.files:  # as EvidenceStore.add stores one, with the file's own date
            conn.execute(S.evidence.insert().values(
                assessment_id=aid, indicator_id=f.indicator_id, filename=f.filename, kind=f.kind, size=len(f.data),
                sha256=hashlib.sha256(f.data).hexdigest(), data=f.data, created_at=f.created_at,
            ))
    record.answers, record.targets = dict(checked.answers), dict(checked.targets)
    record.notes = kept_notes(checked.notes)
    return record


def evidence_of(bundle: Bundle) -> list[EvidenceFile]:
    """The bundle's files as the store lists them (id 0: not stored yet), for a preview."""
    return [EvidenceFile(0, f.indicator_id, f.filename, f.kind, len(f.data), hashlib.sha256(f.data).hexdigest(),
                         f.created_at) for f in bundle.files]
