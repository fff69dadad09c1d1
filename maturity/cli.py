"""Command line: ``python -m maturity validate|score|report|db`` (DESIGN §3b)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from .advice import roadmap
from .assessment import Assessment, AssessmentInvalid, read_json
from .explain import cap_notes
from .i18n import LANGUAGES, normalise, t
from .loader import LoadedModel, ModelLoadError, load_folder, load_model
from .scoring import Result, score

__all__ = [
    "FRAMEWORKS",
    "main",
    "report_lang",
    "result_to_json",
]

FRAMEWORKS = Path(os.environ.get("MATURITY_FRAMEWORKS", Path(__file__).resolve().parent.parent / "frameworks"))


def _default_lang() -> str:
    """MATURITY_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG); Chinese or English, English otherwise."""
    env = os.environ
    code = env.get("MATURITY_LANG") or env.get("LC_ALL") or env.get("LC_MESSAGES") or env.get("LANG") or "en"
    return "zh" if code.lower().startswith("zh") else normalise(code) if code[:2] == "en" else "en"


def report_lang(option: str | None, assessment: Assessment) -> str:
    """The report's language: ``--lang``, else the file's ``language``, else MATURITY_LANG, else the locale."""
    if option:
        return option
    if assessment.language.replace("_", "-").split("-")[0].lower() in LANGUAGES:
        return normalise(assessment.language)
    return _default_lang()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m maturity", description="Maturity model tools")
    parser.add_argument("--lang", choices=["zh", "en"], default=None, help="message language")
    sub = parser.add_subparsers(dest="command", required=True)
    p_val = sub.add_parser("validate", help="check model files; exit 1 if any has errors")
    p_val.add_argument("files", nargs="+")
    p_val.add_argument("--strict", action="store_true", help="also report missing translations")
    p_score = sub.add_parser("score", help="score an assessment file, print JSON")
    p_score.add_argument("assessment")
    p_score.add_argument("--model", help="model file (default: found in frameworks/ by id)")
    p_rep = sub.add_parser("report", help="write the diagnosis of an assessment: PDF, or Word when -o ends in .docx")
    p_rep.add_argument("assessment")
    p_rep.add_argument("-o", "--output", required=True, help="x.pdf, or x.docx for the editable Word report")
    p_rep.add_argument("--style", choices=["default", "gongwen"], default="default",
                       help="the Word report's layout: gongwen follows GB/T 9704-2012 (公文格式)")
    p_rep.add_argument("--model")
    p_db = sub.add_parser("db", help="the database of DATABASE_URL: upgrade its schema, or show its revision")
    p_db.add_argument("action", choices=["upgrade", "current"])
    p_sam = sub.add_parser("sample", help="make a sample group of units answering rounds a year apart, in DATABASE_URL")
    p_sam.add_argument("--units", type=int, default=40, help="units per round (default 40)")
    p_sam.add_argument("--rounds", type=int, default=2, help="rounds, a year apart (default 2)")
    p_sam.add_argument("--model", default="brand-union", help="model id in frameworks/ (default brand-union)")
    p_sam.add_argument("--seed", type=int, default=2026, help="the same seed makes the same group")
    p_sam.add_argument("--site", default="http://localhost:8501", help="address the printed links start with")
    for p in (p_val, p_score, p_rep, p_sam):
        p.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    lang = args.lang or _default_lang()
    if args.command == "validate":
        return _validate(args.files, args.strict, lang)
    if args.command == "db":
        return _db(args.action)
    if args.command == "sample":
        return _sample(args.units, args.rounds, args.model, args.seed, args.site, lang)
    loaded, assessment, code = _load_assessment(args.assessment, args.model, lang)
    if loaded is None or assessment is None:
        return code
    if args.command == "score":
        result = score(loaded.model, assessment.answers, assessment.targets)
        print(json.dumps(result_to_json(loaded, result, lang), ensure_ascii=False, indent=2))
        return 0
    from .report import build_docx_report, build_report  # imported late: fpdf2, python-docx and charts are heavy

    lang = report_lang(args.lang, assessment)
    if Path(args.output).suffix.lower() == ".docx":
        data = build_docx_report(loaded, assessment, lang=lang, style=args.style)
    else:
        data = build_report(loaded, assessment, lang=lang)
    Path(args.output).write_bytes(data)
    return 0


def _db(action: str) -> int:
    """``db upgrade`` / ``db current`` on DATABASE_URL (else data/maturity.db); the password is never printed."""
    from . import migrations
    from .db import Database
    from .errors import STORAGE_ERRORS, SchemaTooNew
    from .store import Store

    try:
        db = Database()
    except ValueError as exc:  # an unsupported database
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        if action == "upgrade":
            before, after = migrations.upgrade(db)
            Store(db).create_schema()  # as the app does at start (records the schema version too)
            print(f"{db.url}: {before or 'empty'} -> {after}" if before != after else f"{db.url}: at {after}, nothing to do")
        else:
            print(f"{db.url}: {migrations.current(db) or 'none (empty, or made before migrations)'} (this code: {migrations.head()})")
    except SchemaTooNew as exc:
        print(f"error: {exc}; upgrade this app first", file=sys.stderr)
        return 1
    except STORAGE_ERRORS as exc:  # only the error's kind: a driver's message may quote the connection string
        print(f"error: cannot use the database {db.url} ({type(exc).__name__})", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    return 0


def _validate(files: list[str], strict: bool, lang: str) -> int:
    failed = False
    for file in files:
        try:
            loaded = load_model(file)
        except ModelLoadError as exc:
            failed = True
            for err in exc.errors:
                print(err.format(lang))
            continue
        if strict and loaded.warnings:
            failed = True
            for warn in loaded.warnings:
                print(warn.format(lang))
        else:
            print(f"{file}: ok ({loaded.model.id} {loaded.model.version}, {len(loaded.model.indicators)} indicators)",
                  file=sys.stderr)
    return 1 if failed else 0


def _load_assessment(
    path: str, model_file: str | None, lang: str
) -> tuple[LoadedModel | None, Assessment | None, int]:
    try:
        raw = read_json(path)
    except AssessmentInvalid as exc:
        for err in exc.errors:
            print(f"{path}: {err.message(lang)}", file=sys.stderr)
        return None, None, 1
    except OSError as exc:
        print(f"{path}: {exc.strerror}", file=sys.stderr)
        return None, None, 1
    loaded: LoadedModel | None
    try:
        if model_file:
            loaded = load_model(model_file)
        else:
            loaded = load_folder(FRAMEWORKS).models.get(raw.model_id)
            if loaded is None:
                print(f"{path}: model '{raw.model_id}' not found in {FRAMEWORKS}; use --model", file=sys.stderr)
                return None, None, 1
    except ModelLoadError as exc:
        for problem in exc.errors:
            print(problem.format(lang), file=sys.stderr)
        return None, None, 1
    try:
        assessment = read_json(path, loaded.model)
    except AssessmentInvalid as exc:
        for err in exc.errors:
            print(f"{path}: {err.message(lang)}", file=sys.stderr)
        return None, None, 1
    if assessment.model_version != loaded.model.version:
        print(f"{path}: answered against version {assessment.model_version}, "
              f"scored with {loaded.model.version}", file=sys.stderr)
    return loaded, assessment, 0


def result_to_json(loaded: LoadedModel, result: Result, lang: str) -> dict[str, Any]:
    """The scores as a JSON-ready mapping."""
    model = loaded.model

    def num(x: float | None, digits: int = 6) -> float | None:
        return None if x is None else round(x, digits)

    def score_json(s: Any) -> dict[str, Any]:
        return {"score": num(s.value), "index": num(s.index, 1), "level": num(s.level, 1)}

    return {
        "model": {"id": model.id, "version": model.version, "sha256": loaded.sha256},
        "overall": {
            **score_json(result.overall),
            "stage": result.stage,
            "stage_name": model.t(model.levels[result.stage].name, lang) if result.stage is not None else None,
            "coverage": num(result.coverage, 4),
            "answered": result.answered,
            "total": result.total,
        },
        "groups": {gid: score_json(s) for gid, s in result.groups.items()},
        "criteria": {
            cid: {
                **score_json(c.score),
                "name": model.t(model.criterion_by_id[cid].name, lang),
                "achieved": c.achieved,
                "target": c.target,
                "gap": num(c.gap, 4),
                "priority": num(c.priority, 4),
                "uncapped": c.uncapped,
                "caps": [
                    {"indicator": cap.indicator_id, "answer": cap.answer, "level": cap.level,
                     "message": note}
                    for cap, note in zip(c.caps, cap_notes(model, result, cid, lang), strict=False)
                ],
                "essential_missing": list(c.essential_missing),
                "low_confidence": c.low_confidence,
                "answered": c.answered,
                "na": c.na,
                "total": c.total,
            }
            for cid, c in result.criteria.items()
        },
        "tags": {tid: score_json(s) for tid, s in result.tags.items()},
        "priorities": list(result.priorities),
        "roadmap": {
            h: [
                {"criterion": it.criterion_id, "from_level": it.from_level, "title": model.t(it.action.title, lang),
                 "effort": it.action.effort}
                for it in items
            ]
            for h, items in roadmap(model, result).by_horizon.items()
        },
    }


def _sample(units: int, rounds: int, model_id: str, seed: int, site: str, lang: str) -> int:
    """Make the sample group in the configured database and print the round links (they hold the round keys)."""
    from .round_types import MAX_UNITS, round_link
    from .rounds import RoundService
    from .sample import make_sample
    from .store import Store

    if not 1 <= units <= MAX_UNITS or not 1 <= rounds <= 10:
        print(t("cli.sample_range", lang, max=MAX_UNITS), file=sys.stderr)
        return 2
    catalog = load_folder(FRAMEWORKS)
    loaded = catalog.models.get(model_id)
    if loaded is None:
        print(t("cli.sample_no_model", lang, id=model_id, known=", ".join(sorted(catalog.models))), file=sys.stderr)
        return 2
    store = Store()
    store.create_schema()
    made = make_sample(RoundService(store), loaded, units=units, n_rounds=rounds, seed=seed)
    print(t("cli.sample_made", lang, units=units, rounds=rounds, url=store.url))
    for m in made:
        print(f"  {m.round.title}")
        print(f"    {round_link(site, m.round.code, m.key, lang)}")
    print(t("cli.sample_keep", lang))
    store.dispose()
    return 0
