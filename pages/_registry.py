"""Every page of the app, named once: app.py's navigation, the links between pages and the smoke test read it.

To add a page: write ``pages/<key>.py``, add a :class:`PageSpec` to :data:`REGISTRY` (its title is an
i18n key, zh and en) and the page is in the sidebar, reachable at ``/<url_path>`` and smoke-tested.
Streamlit-free, so tests and the core can import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

__all__ = ["PAGES", "REGISTRY", "PageSpec", "page_url"]


@dataclass(frozen=True)
class PageSpec:
    """One page: its key, script path, sidebar title (an i18n key), icon, URL path and sidebar section."""

    key: str
    path: str
    title_key: str
    icon: str
    url_path: str
    default: bool = False
    section: str = "nav.section_self"  # the sidebar's group (an i18n key): 自评, 研讨会, 上级工会


REGISTRY: tuple[PageSpec, ...] = (
    PageSpec("home", "pages/home.py", "nav.home", ":material/home:", "home", default=True),
    PageSpec("start", "pages/start.py", "nav.start", ":material/edit_note:", "start"),
    PageSpec("questionnaire", "pages/questionnaire.py", "nav.questionnaire", ":material/checklist:", "questionnaire"),
    PageSpec("results", "pages/results.py", "nav.results", ":material/analytics:", "results"),
    PageSpec("roadmap", "pages/roadmap.py", "nav.roadmap", ":material/route:", "roadmap"),
    PageSpec("history", "pages/history.py", "nav.history", ":material/history:", "history"),
    PageSpec("transfer", "pages/transfer.py", "nav.transfer", ":material/swap_vert:", "transfer"),
    PageSpec("models", "pages/models.py", "nav.models", ":material/menu_book:", "models"),
    PageSpec("workshop_host", "pages/workshop_host.py", "wsnav.host", ":material/co_present:", "workshop_host",
             section="nav.section_workshop"),
    PageSpec("workshop", "pages/workshop.py", "wsnav.join", ":material/groups:", "workshop", section="nav.section_workshop"),
    PageSpec("rounds", "pages/rounds.py", "roundnav.rounds", ":material/account_tree:", "rounds", section="nav.section_rounds"),
    PageSpec("portfolio", "pages/portfolio.py", "roundnav.portfolio", ":material/grid_view:", "portfolio",
             section="nav.section_rounds"),
    PageSpec("review", "pages/review.py", "roundnav.review", ":material/fact_check:", "review", section="nav.section_rounds"),
)

# The script path by key, for st.page_link and st.switch_page.
PAGES: dict[str, str] = {p.key: p.path for p in REGISTRY}
_BY_KEY: dict[str, PageSpec] = {p.key: p for p in REGISTRY}


def page_url(key: str, site: str = "", **query: str) -> str:
    """The address of page ``key`` ('https://host/workshop?w=ABC'; relative when ``site`` is '')."""
    url = f"{site}/{_BY_KEY[key].url_path}"
    return f"{url}?{urlencode(query)}" if query else url
