# Sphinx configuration for the SecretSync documentation.
# Build: sphinx-build -W --keep-going -b html docs docs/_build/html
# Sphinx reads only the reStructuredText files in this folder; there is no Python project here.
import json
from pathlib import Path

_package = json.loads((Path(__file__).parent.parent / "package.json").read_text(encoding="utf-8"))

project = "SecretSync"
author = "SecretSync contributors"
copyright = "2026, SecretSync contributors"
release = _package["version"]
version = ".".join(release.split(".")[:2])

root_doc = "index"
source_suffix = {".rst": "restructuredtext"}
exclude_patterns = ["_build"]
extensions = []

html_theme = "alabaster"
html_title = f"SecretSync {release}"
html_static_path = []
