"""How each number was computed: the answers, weights and formula behind a score (DESIGN §4, explain)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# fmt_index, fmt_level and stars are re-exported: maturity.display is their home
from .display import fmt_index, fmt_level, join_names, stars
from .i18n import t
from .model import MaturityModel
from .scoring import NA, Answer, Result, Score

__all__ = [
    "Explanation",
    "cap_notes",
    "explain_criterion",
    "explain_mean_of_criteria",
    "explain_tag",
    "fmt_index",
    "fmt_level",
    "item_name",
    "stage_cap_note",
    "stars",
]


@dataclass(frozen=True)
class Explanation:
    """Rows of the weighted mean (indices 0–100, as the page speaks) and the formula, its result first."""

    rows: list[dict[str, object]]
    formula: str


def _formula(s: Score, lang: str) -> str:
    # Written on the page's 0–100 scale, one line per result: "指数 = 62.5 = (2 × 50.0 + …) ÷ (2 + …)".
    if s.value is None:
        return t("explain.undefined", lang)
    num = " + ".join(f"{term.weight:g} × {fmt_index(100 * term.value)}" for term in s.terms)
    den = " + ".join(f"{term.weight:g}" for term in s.terms)
    return t(
        "explain.formula", lang, num=num, den=den, index=fmt_index(s.index),
        lmin=s.lmin, lmax=s.lmax, level=fmt_level(s.level),
    )


def explain_criterion(model: MaturityModel, result: Result, crit_id: str, answers: dict[str, Answer], lang: str,
                      ) -> Explanation:
    """Each indicator of a criterion: answer, its index 100·(a − Lmin)/(Lmax − Lmin), weight, counted or not."""
    crit = model.criterion_by_id[crit_id]
    rows: list[dict[str, object]] = []
    for ind in crit.indicators:
        label = model.t(ind.question, lang)
        if ind.essential:
            label = t("essential.mark", lang) + label
        a = answers.get(ind.id)
        if a is None:
            shown, s = t("explain.missing", lang), None
        elif a == NA:
            shown, s = t("explain.na", lang), None
        else:
            shown, s = f"{float(a):g}", result.indicator_values.get(ind.id)
        rows.append({
            t("explain.col.item", lang): label,
            t("explain.col.answer", lang): shown,
            t("explain.col.s", lang): fmt_index(None if s is None else 100 * s),
            t("explain.col.weight", lang): f"{ind.weight:g}",
            t("explain.col.counted", lang): "✓" if s is not None else "—",
        })
    cr = result.criteria[crit_id]
    formula = _formula(cr.score, lang)
    essentials = model.essentials.get(crit_id, [])
    answered = [i for i in essentials if i.id not in cr.essential_missing]
    if cr.score.level is not None and answered:
        terms = ", ".join(
            t("essential.term", lang, answer=f"{float(answers[i.id]):g}", name=item_name(model, i.id, lang))
            for i in answered
        )
        formula += "\n" + t("essential.formula", lang, level=fmt_level(cr.score.level), terms=terms,
                             achieved=cr.achieved)
    return Explanation(rows, "\n".join([formula, *cap_notes(model, result, crit_id, lang)]))


def cap_notes(model: MaturityModel, result: Result, crit_id: str, lang: str) -> list[str]:
    """One sentence per 必备项 that caps the criterion, then one per 必备项 left unanswered."""
    cr = result.criteria[crit_id]
    notes = [t("essential.caps", lang, name=item_name(model, c.indicator_id, lang), level=c.level)
             for c in cr.caps]
    notes += [t("essential.missing", lang, name=item_name(model, i, lang)) for i in cr.essential_missing]
    return notes


def stage_cap_note(model: MaturityModel, result: Result, lang: str) -> str | None:
    """The sentence naming the 必备项 that hold the overall stage below the lowest uncapped level; None if none do."""
    defined = [c for c in result.criteria.values() if c.uncapped is not None]
    if result.stage is None or not defined:
        return None
    uncapped = min(c.uncapped for c in defined if c.uncapped is not None)
    if result.stage >= uncapped:
        return None
    # Every cap below the uncapped stage: all of them met, the stage would be ``uncapped``.
    items = [
        t("essential_ui.stage_item", lang, name=item_name(model, cap.indicator_id, lang),
          criterion=model.t(model.criterion_by_id[c.id].name, lang), level=cap.level)
        for crit in model.criteria if (c := result.criteria[crit.id]).capped
        for cap in c.caps if cap.level < uncapped
    ]
    return t("essential_ui.stage_capped", lang, stage=result.stage, uncapped=uncapped, items=join_names(items, lang))


def item_name(model: MaturityModel, indicator_id: str, lang: str) -> str:
    """An indicator as a name in a sentence: its ``name`` if the model gives one, else its question without the
    closing question mark."""
    ind = model.indicator_by_id[indicator_id]
    if ind.name:
        return model.t(ind.name, lang)
    return model.t(ind.question, lang).rstrip("？?").strip()


def _weighted_terms(s: Score, name_of: Callable[[str], str], lang: str) -> Explanation:
    rows: list[dict[str, object]] = [
        {
            t("explain.col.item", lang): name_of(term.id),
            t("explain.col.s", lang): fmt_index(100 * term.value),
            t("explain.col.weight", lang): f"{term.weight:g}",
        }
        for term in s.terms
    ]
    return Explanation(rows, _formula(s, lang))


def explain_mean_of_criteria(model: MaturityModel, s: Score, lang: str) -> Explanation:
    """A group's or the overall score: its criteria's S and weights."""
    return _weighted_terms(s, lambda cid: model.t(model.criterion_by_id[cid].name, lang), lang)


def explain_tag(model: MaturityModel, s: Score, lang: str) -> Explanation:
    """A tag's score: the tagged indicators' s and weights."""
    return _weighted_terms(s, lambda iid: model.t(model.indicator_by_id[iid].question, lang), lang)
