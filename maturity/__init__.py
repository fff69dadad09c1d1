"""Streamlit-free core of the brand-union maturity tool: models, scoring, advice, storage, reports."""

from __future__ import annotations

from .advice import Roadmap, RoadmapItem, roadmap
from .aggregate import IndicatorAggregate, aggregate, aggregate_values, group_answers
from .assessment import Assessment, AssessmentError, AssessmentInvalid
from .loader import Catalog, LoadedModel, ModelError, ModelLoadError, load_folder, load_model, load_model_text
from .model import MaturityModel
from .scoring import NA, Cap, CriterionResult, Result, Score, score

__all__ = [
    "NA",
    "Assessment",
    "AssessmentError",
    "AssessmentInvalid",
    "Cap",
    "Catalog",
    "CriterionResult",
    "IndicatorAggregate",
    "LoadedModel",
    "MaturityModel",
    "ModelError",
    "ModelLoadError",
    "Result",
    "Roadmap",
    "RoadmapItem",
    "Score",
    "aggregate",
    "aggregate_values",
    "group_answers",
    "load_folder",
    "load_model",
    "load_model_text",
    "roadmap",
    "score",
]
