"""MkDocs hooks (mkdocs.yml ``hooks:``) that let the site and GitHub share one set of pages.

* README.md is the site's home page and CHANGELOG.md its changelog page, so neither
  is copied into docs/ (a copy would drift); their links are rewritten from
  repository paths (``docs/x.md``) to site paths (``x.md``), and the docs pages'
  links back to them (``../README.md``) likewise.
* A code block's info string may carry what tests/test_docs.py needs after the
  language (```` ```sh exit=1 ````, ```` ```sh illustrative: why ````).  GitHub
  ignores it; Python-Markdown would not recognise the fence, so it is dropped here.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent

#: Site page → repository file it is made from.
GENERATED = {"index.md": "README.md", "changelog.md": "CHANGELOG.md"}

#: An opening fence whose info string has more than the language.
FENCE_EXTRA = re.compile(r"^(?P<head> {0,3}(?:`{3,}|~{3,})[\w+-]+)[ \t]+[^`\n]*$", re.M)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for page, source in GENERATED.items():
        text = (ROOT / source).read_text(encoding="utf-8")
        files.append(File.generated(config, page, content=text))
    return files


def site_links(markdown: str, page: str) -> str:
    """Links written for the repository, rewritten for the site (see the module docstring)."""
    if page in GENERATED:
        markdown = markdown.replace("](docs/examples/)", "](examples/README.md)")
        markdown = markdown.replace("](docs/", "](").replace("](CHANGELOG.md", "](changelog.md")
    elif "/" not in page:
        markdown = markdown.replace("](../README.md", "](index.md")
        markdown = markdown.replace("](../CHANGELOG.md", "](changelog.md")
    return markdown


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    markdown = site_links(markdown, page.file.src_uri)
    return FENCE_EXTRA.sub(r"\g<head>", markdown)
