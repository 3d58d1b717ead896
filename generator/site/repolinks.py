"""Links from the site into the records repository at the commit the site was built from."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

# forge -> (file at a line, folder); each with {base}, {commit}, {path} and (files) {line}
_FORMS = {
    "github": ("{base}/blob/{commit}/{path}#L{line}", "{base}/tree/{commit}/{path}"),
    "gitea": ("{base}/src/commit/{commit}/{path}#L{line}", "{base}/src/commit/{commit}/{path}"),  # and Forgejo
    "gitlab": ("{base}/-/blob/{commit}/{path}#L{line}", "{base}/-/tree/{commit}/{path}"),
}


@dataclass(frozen=True)
class RepositoryLinks:
    """The organization's repository_url and repository_forge, and the commit of this build."""

    base: str = ""
    forge: str = "github"
    commit: str = ""

    @property
    def enabled(self) -> bool:
        """Links only with a repository address and a commit: a link to a moving branch could show other rows."""
        return bool(self.base and self.commit)

    def file(self, path: str, line: int) -> str | None:
        if not self.enabled:
            return None
        return _FORMS.get(self.forge, _FORMS["github"])[0].format(
            base=self.base.rstrip("/"), commit=self.commit, path=quote(path), line=line)

    def folder(self, path: str) -> str | None:
        if not self.enabled:
            return None
        return _FORMS.get(self.forge, _FORMS["github"])[1].format(
            base=self.base.rstrip("/"), commit=self.commit, path=quote(path))
