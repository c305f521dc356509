"""What a Lithuanian page must not contain: English UI words left unmarked or untranslated."""
from __future__ import annotations

import re
from html.parser import HTMLParser

# UI words that are never Lithuanian words (so user data in Lithuanian cannot trip them); tech names such as
# CSV, SMTP, DKIM, LinkedIn, webhook and A/B are not here: they are the same in both languages
ENGLISH_WORDS = frozenset(["#", "noqa:", "SIM905", "(a", "paragraph", "reads", "better", "than", "200", "quoted", "words)", "the", "and", "with", "from", "your", "you", "this", "that", "not", "for", "are", "was", "has", "have", "will", "been", "of", "is", "into", "when", "what", "which", "who", "there", "here", "than", "then", "yet", "all", "any", "none", "each", "every", "save", "cancel", "delete", "remove", "edit", "add", "new", "create", "search", "filter", "filters", "settings", "tasks", "task", "prospects", "prospect", "sequences", "sequence", "reports", "report", "outbox", "inbox", "status", "name", "owner", "due", "today", "overdue", "previous", "next", "page", "sign", "log", "logout", "created", "updated", "send", "sent", "reply", "replies", "replied", "bounced", "opened", "clicked", "step", "steps", "call", "calls", "note", "notes", "meeting", "meetings", "deal", "deals", "pipeline", "stage", "company", "companies", "users", "user", "role", "password", "language", "date", "days", "day", "week", "weeks", "month", "months", "hours", "minutes", "mailbox", "mailboxes", "template", "templates", "variant", "variants", "winner", "preview", "import", "export", "upload", "download", "back", "continue", "confirm", "close", "open", "show", "hide", "more", "less", "active", "paused", "finished", "exited", "skipped", "done", "complete", "completed", "pending", "scheduled", "waiting", "failed", "error", "errors", "warning", "total", "rate", "score", "hot", "leads", "lead", "goal", "goals", "plan", "forms", "form", "submit", "required", "optional", "unsubscribe", "help", "home", "team", "rep", "reps", "manager", "admin", "enrol", "enroll", "enrolled", "enrolment", "enrolments", "nobody", "nothing", "never", "always", "apply", "reset", "clear", "select", "choose", "view", "details", "history", "timeline", "activity", "about", "only", "also", "must", "should", "can", "cannot", "could", "won", "lost", "yes"])

_SKIP_TAGS = {"script", "style", "code", "pre", "kbd", "textarea", "samp"}
_VISIBLE_ATTRS = {"title", "placeholder", "aria-label", "alt"}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


class _Visible(HTMLParser):
    """Collects the text a reader sees or hears: element text and the attributes screen readers say."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = values.get("translate") == "no" or (tag == "input" and values.get("type") == "hidden")
        if tag in _SKIP_TAGS or values.get("translate") == "no":
            self._skip.append(tag)
        if hidden:
            return
        self.parts.extend(v for k, v in attrs if k in _VISIBLE_ATTRS and v)
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


_TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def visible_text(html: str) -> str:
    """What a reader sees; `{{ prospect.first_name }}` shown as an example of template code is code, not words."""
    parser = _Visible()
    parser.feed(html)
    return _TEMPLATE_CODE.sub(" ", " ".join(" ".join(parser.parts).split()))


def english_words_in(html: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The English UI words a page still shows, with a little context each, for a readable failure."""
    text = visible_text(html)
    found: dict[str, str] = {}
    for match in _WORD.finditer(text):
        word = match.group(0).lower()
        if word in ENGLISH_WORDS and word not in allowed and word not in found:
            found[word] = f"{match.group(0)!r} in …{text[max(0, match.start() - 30):match.end() + 30]}…"
    return list(found.values())
