"""Sample data for a new user: a realistic group of unions answering two rounds a year apart (``python -m maturity sample``).

A 集团公司工会 at the top, subsidiaries (二级单位) under it and base unions (基层工会) under those, of
different sizes and strengths; each round a year after the one before, most units a little better,
some worse; in the newest round some units have not started and some are part-way, and a few are
reviewed (上级复评) below their own rating. Everything is written in a few transactions, so 500 units
× 2 rounds take seconds. Random but repeatable: the same ``seed`` makes the same group.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import select, update

from . import schema as S
from .db import now as _now
from .loader import LoadedModel
from .records import validate
from .round_types import Round, UnitSpec
from .rounds import RoundService
from .scoring import NA, Answer

__all__ = ["SampleRound", "make_sample", "sample_units"]

_REGIONS = ("华东", "华北", "华南", "西南", "西北", "东北", "华中", "海外")
_KINDS = ("分公司", "工程局", "研究院", "制造厂", "物流公司", "销售公司", "设计院", "运营中心")
_BASE = ("第一项目部", "第二项目部", "机关", "一车间", "二车间", "维修中心", "质检中心", "仓储中心", "客服中心",
         "信息中心", "安装队", "运输队")


@dataclass(frozen=True)
class SampleRound:
    """A round made by :func:`make_sample`, with its key (print it: the organiser's link needs it)."""

    round: Round
    key: str


def sample_units(n: int, rng: random.Random) -> list[UnitSpec]:
    """``n`` units: the group union, about one subsidiary per eight units, the rest base unions under them."""
    top = "示例集团公司工会"
    units = [UnitSpec(top, None, 12_000 + rng.randrange(20_000), "集团工会办公室 010-00000000")]
    n_sub = max(1, min(n - 1, round((n - 1) / 8)))
    subs = []
    for k in range(n_sub):
        name = f"{_REGIONS[k % len(_REGIONS)]}{_KINDS[(k // len(_REGIONS)) % len(_KINDS)]}工会"
        if k >= len(_REGIONS) * len(_KINDS):
            name = f"第{k + 1}二级单位工会"
        subs.append(name)
        units.append(UnitSpec(name, top, 600 + rng.randrange(3000), None))
    for k in range(n - 1 - n_sub):
        parent = subs[k % n_sub]
        base = _BASE[(k // n_sub) % len(_BASE)]
        name = f"{parent.removesuffix('工会')}{base}分会"
        if (k // n_sub) >= len(_BASE):
            name = f"{parent.removesuffix('工会')}第{k // n_sub + 1}基层分会"
        units.append(UnitSpec(name, parent, 30 + int(rng.paretovariate(1.5) * 40) % 1500, None))
    return units[:n]


def make_sample(rounds: RoundService, loaded: LoadedModel, *, units: int = 40, n_rounds: int = 2, seed: int = 2026,
                today: dt.date | None = None) -> list[SampleRound]:
    """Make ``n_rounds`` rounds of ``units`` units, a year apart, the newest one running; oldest first."""
    if units < 1 or n_rounds < 1:
        raise ValueError("at least one unit and one round")
    rng = random.Random(seed)
    model = loaded.model
    specs = sample_units(units, rng)
    sub_effect = {s.name: rng.gauss(0, 0.5) for s in specs}
    strength = {s.name: rng.gauss(2.6, 0.7) + sub_effect.get(s.parent or "", 0.0) for s in specs}
    crit_effect = {c.id: rng.gauss(0, 0.4) for c in model.criteria}
    today = today or dt.date.today()
    made: list[SampleRound] = []
    for r in range(n_rounds):
        year = today.year - (n_rounds - 1 - r)
        newest = r == n_rounds - 1
        follows = (made[-1].round.code, made[-1].key) if made else None
        rnd, key = rounds.create(loaded, f"{year} 年度品牌工会建设自评（示例）", specs, language="zh", follows=follows,
                                 deadline=(today + dt.timedelta(days=30) if newest else
                                           dt.date(year, min(today.month, 12), 1)).isoformat())
        when = today.replace(year=year) if not (today.month == 2 and today.day == 29) else today.replace(year=year, day=28)
        stamp = dt.datetime.combine(when, dt.time(9), tzinfo=dt.UTC)
        listed = rounds.units(rnd.code, key)
        rows: list[tuple[str, dict[str, Answer]]] = []
        for u in listed:
            roll = rng.random()
            share = 1.0
            if newest and roll < 0.12:
                continue  # not started
            if newest and roll < 0.27:
                share = rng.uniform(0.2, 0.8)  # part-way
            base = strength[u.name] + 0.35 * r + rng.gauss(0, 0.3)
            answers: dict[str, Answer] = {}
            for n_ind, ind in enumerate(model.indicators):
                if n_ind >= round(share * len(model.indicators)):
                    break
                if ind.allow_na and rng.random() < 0.04:
                    answers[ind.id] = NA
                    continue
                value = base + crit_effect[model.criterion_of[ind.id].id] + rng.gauss(0, 0.6)
                answers[ind.id] = int(min(model.lmax, max(model.lmin, round(value))))
            rows.append((u.token, answers))
            strength[u.name] += rng.gauss(0.1, 0.25)
        _write_answers(rounds, loaded, rows)
        with rounds.db.write() as conn:  # the older round happened a year before: its dates say so
            ids = select(S.round_units.c.assessment_id).where(S.round_units.c.round_id == rnd.id)
            conn.execute(update(S.assessments).where(S.assessments.c.id.in_(ids))
                         .values(assessed_at=when.isoformat(), created_at=stamp,
                                 updated_at=min(stamp + dt.timedelta(days=3), _now())))  # never in the future
            conn.execute(update(S.rounds).where(S.rounds.c.id == rnd.id).values(created_at=stamp - dt.timedelta(days=7)))
        if newest:
            done = [(tok, a) for tok, a in rows if len(a) == len(model.indicators)]
            for tok, answers in rng.sample(done, k=min(len(done), max(1, units // 10))):
                picks = rng.sample(sorted(k for k, v in answers.items() if v != NA), k=min(6, len(answers)))
                reviews = {k: (max(model.lmin, int(answers[k]) - rng.choice((0, 1, 1, 2))), "佐证材料只能支持这一等级（示例）")
                           for k in picks}
                rounds.set_reviews(rnd.code, key, tok, {k: (float(v[0]), v[1]) for k, v in reviews.items()})
        made.append(SampleRound(rounds.check(rnd.code, key), key))
    return made


def _write_answers(rounds: RoundService, loaded: LoadedModel, rows: list[tuple[str, dict[str, Answer]]]) -> None:
    """All units' answers in one transaction, each checked as the store checks an import."""
    store = rounds.store
    with store.db.write() as conn:
        id_of = {t: int(i) for t, i in conn.execute(
            select(S.assessments.c.token, S.assessments.c.id).where(S.assessments.c.token.in_([t for t, _ in rows])))}
        batch: list[dict[str, object]] = []
        for token, answers in rows:
            checked = validate(loaded.model, answers=answers)
            batch.extend({"assessment_id": id_of[token], "indicator_id": k, "level": None if v == NA else float(v),
                          "is_na": v == NA, "updated_at": _now()} for k, v in checked.answers.items())
        for start in range(0, len(batch), 2000):
            conn.execute(S.answers.insert(), batch[start:start + 2000])
