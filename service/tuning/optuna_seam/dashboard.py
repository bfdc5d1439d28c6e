"""optuna-dashboard's app files, re-rooted under a prefix."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

#: Where optuna-dashboard's index page loads its bundle from.
DASHBOARD_BUNDLE = "/static/bundle.js"
DASHBOARD_REQUIRES = "optuna-dashboard==0.21.0 a2wsgi"


class OptunaBundleError(RuntimeError):
    """The installed optuna-dashboard's app no longer looks like the one these edits fit."""


@dataclass(frozen=True)
class Edit:
    old: str
    new: str


def _dashboard_edits(prefix: str) -> dict[str, tuple[Edit, ...]]:
    # Strings inside optuna-dashboard 0.21.0's index page and minified bundle: it assumes it
    # owns the site root. Replacement: an url_prefix option of its own (none as of 0.21.0).
    return {
        "index.html": (Edit(f'src="{DASHBOARD_BUNDLE}"', f'src="{prefix}{DASHBOARD_BUNDLE}"'),),
        DASHBOARD_BUNDLE: (
            # The router's base and every link it builds.
            Edit('url_prefix:"/dashboard"', f'url_prefix:"{prefix}/dashboard"'),
            # The API client's base URL ("" -> the prefix); the client strips trailing slashes.
            Edit("this.baseURL=(", f'this.baseURL="{prefix}"||('),
        ),
    }


def patched(text: str, edits: tuple[Edit, ...], what: str) -> str:
    """``text`` with each edit made; OptunaBundleError unless each old string is there once."""
    for edit in edits:
        if text.count(edit.old) != 1:
            version = metadata.version("optuna-dashboard")
            raise OptunaBundleError(
                f"optuna-dashboard {version}: {what} no longer contains {edit.old!r} exactly "
                "once, so it cannot be served under /optuna; install optuna-dashboard==0.21.0"
            )
        text = text.replace(edit.old, edit.new)
    return text


def dashboard_asset(package_root: Path, name: str, prefix: str) -> str:
    """optuna-dashboard's ``index.html`` or bundle (``DASHBOARD_BUNDLE``), from the package
    at ``package_root``, with its root-relative links moved under ``prefix``."""
    # The files' places inside the optuna_dashboard package (0.21.0). Replacement: none.
    source = package_root / ("index.html" if name == "index.html" else "public/bundle.js")
    return patched(source.read_text(encoding="utf-8"), _dashboard_edits(prefix)[name], name)
