"""The reply composer: the suggested reply, editable, with a quiet tone check beside it.

The moderator edits the draft, switches between the member's language and the other one
(the template is rendered again), between template variants, and between a public and a
private reply. `ctrl+e` edits in $EDITOR (the app suspends), `ctrl+y` copies through OSC 52
(works over SSH). No source can post replies yet, so `ctrl+s` stays disabled and says so;
`ctrl+r` records the reply as sent by hand ("mark as replied") in the audit log.

The tone check (`heuristics.tone`) reads the draft as it is typed, after a short pause, and
lists frontal wording beside it with a gentler version that `ctrl+g` applies.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static, TextArea

from console import triage
from console.context import Tact
from console.safe_text import clean, one_line, plain
from heuristics.model import LANGS, Lang, Signal
from heuristics.replies import Templates
from heuristics.tone import ToneFinding, apply, check_tone
from screens.dialogs import ConfirmDialog
from screens.signal_detail import DetailContext
from screens.signal_queue import kind_label
from screens.widgets.steady_footer import SteadyFooter

#: The tone check waits for this pause in typing, so it never lags the keyboard.
TONE_DELAY = 0.3


@dataclass(frozen=True, slots=True)
class ComposerResult:
    """The reply as the moderator recorded it."""

    text: str
    lang: Lang
    visibility: str
    to: str | None
    variant: str


def other_lang(lang: Lang) -> Lang:
    return next(x for x in LANGS if x != lang)


class ComposerScreen(ModalScreen[ComposerResult | None]):
    """Edit, check the tone of, copy and record a reply to one signal."""

    # Absolute, so subclasses elsewhere (tests, benchmarks) still find it.
    CSS_PATH = Path(__file__).with_name("composer.tcss")
    # Priority bindings: the TextArea would otherwise take ctrl+e (line end) and ctrl+y (redo).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "mark_replied", "Mark replied", priority=True,
                tooltip="Record the reply in the audit log and the signal as handled"),
        Binding("ctrl+y", "copy", "Copy", priority=True, tooltip="Copy the reply (OSC 52, works over SSH)"),
        Binding("ctrl+g", "gentler", "Gentler", priority=True, tooltip="Apply the gentler wording"),
        Binding("ctrl+l", "switch_lang", "Language", priority=True,
                tooltip="The member's language or the other one (the template is rendered again)"),
        Binding("ctrl+t", "next_variant", "Template", priority=True, tooltip="The next template variant"),
        Binding("ctrl+o", "toggle_visibility", "Public/private", priority=True,
                tooltip="Reply in the thread or in a private message"),
        Binding("ctrl+e", "editor", "$EDITOR", priority=True, tooltip="Edit the draft in your $EDITOR"),
        Binding("ctrl+s", "send", "Send", priority=True, tooltip="Send (no source can send replies yet)"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without recording anything"),
    ]  # fmt: skip

    def __init__(
        self,
        tact: Tact,
        signal: Signal,
        context: DetailContext | None = None,
        community: str = "",
        templates: Templates | None = None,
    ) -> None:
        super().__init__()
        self.tact = tact
        self.signal = signal
        self._ctx = context or DetailContext()
        self._templates = templates if templates is not None else triage.reply_templates(tact)
        reply = signal.reply
        self.member_lang: Lang = reply.lang if reply is not None else "en"
        self.lang: Lang = self.member_lang
        self.visibility: str = reply.visibility if reply is not None else "public"
        self.to: str | None = reply.to if reply is not None else None
        self.variant = "default"
        people = set(signal.members) | {p.author for pid in signal.posts if (p := self._ctx.posts.get(pid))}
        names = {m: one_line(self._ctx.names(m), 60) for m in people}
        self._fields = triage.template_fields(signal, names, community, self._ctx.posts)
        # Member names reach the draft through the detector's text: no escape sequences in it.
        self._rendered = clean(reply.text) if reply is not None else ""
        """The text as last rendered from a template: an edit is any difference from it."""
        self.findings: list[ToneFinding] = []
        self._tone_timer: Timer | None = None

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="composer"):
            yield Static(id="composer-head")
            with Horizontal(id="composer-body"):
                yield TextArea(self._rendered, id="draft", soft_wrap=True, show_line_numbers=False)
                with VerticalScroll(id="tone"):
                    yield Static(id="tone-findings")
            yield Static(id="composer-status")
        yield SteadyFooter()

    @property
    def draft(self) -> TextArea:
        return self.query_one("#draft", TextArea)

    def on_mount(self) -> None:
        self._show_head()
        self.query_one("#composer-status", Static).update(
            Text(
                "Sending: no source can post replies yet — ctrl+y copies the reply, "
                "ctrl+r records it as sent by hand.",
                style="dim",
            )
        )
        self.draft.focus()
        self.check_tone_now()

    def _show_head(self) -> None:
        signal = self.signal
        head = Text.assemble(("Reply", "bold"), (f" · {kind_label(signal.kind)}", ""))
        if self.to:
            post = self._ctx.posts.get(self.to)
            who = self._ctx.names(post.author) if post is not None else self._ctx.names(self.to)
            head.append(" · to ")
            head.append(one_line(who, 40), "bold")
        own = self.lang == self.member_lang
        lang_note = "member's language" if own else "not the member's language"
        head.append(f"\n{self.lang.upper()} ({lang_note})", "bold" if own else "yellow")
        head.append(f" · {self.visibility}", "bold")
        variants = self._variants()
        count = f" ({len(variants)} variants)" if variants else ""
        head.append(f" · template {self.variant}{count}", "dim")
        self.query_one("#composer-head", Static).update(head)

    def _variants(self) -> list[str]:
        return self._templates.variants(self.signal.kind, self.lang)

    # -- the tone check ----------------------------------------------------------------------

    @on(TextArea.Changed, "#draft")
    def _draft_changed(self) -> None:
        if self._tone_timer is not None:
            self._tone_timer.stop()
        self._tone_timer = self.set_timer(TONE_DELAY, self.check_tone_now)

    def check_tone_now(self) -> None:
        text = self.draft.text
        self.findings = check_tone(text, self.lang)
        self.query_one("#tone-findings", Static).update(self._tone_text(self.findings))

    @staticmethod
    def _tone_text(findings: list[ToneFinding]) -> Text:
        out = Text("Tone\n", style="bold")
        if not findings:
            out.append("Reads calm and welcoming.", "dim")
            return out
        for f in findings:
            out.append("“")
            out.append_text(plain(one_line(f.matched, 60), style="italic"))
            out.append("” ")
            out.append(f.message, "dim")
            out.append("\n  → ")
            out.append_text(plain(f.suggestion, style="green"))
            out.append("\n")
        out.append("ctrl+g applies the gentler version", "dim")
        return out

    def action_gentler(self) -> None:
        self.check_tone_now()
        if not self.findings:
            self.notify("The draft reads calm already.", timeout=2)
            return
        self._replace_text(apply(self.draft.text, self.findings))
        self.check_tone_now()

    def _replace_text(self, text: str) -> None:
        # Through `replace`, not `load_text`, so ctrl+z in the draft can take it back.
        area = self.draft
        area.replace(text, (0, 0), area.document.end)
        area.move_cursor(area.document.end)

    # -- template, language, visibility -------------------------------------------------------

    def _template_text(self, lang: Lang, variant: str) -> str:
        text = self._templates.render(self.signal.kind, lang, variant, **self._fields)
        if not text and lang == self.member_lang and variant == "default" and self.signal.reply is not None:
            return clean(self.signal.reply.text)
        return clean(text)

    def _switch_to(self, lang: Lang, variant: str, change: str) -> None:
        """Render the template in `lang`/`variant`; ask first when the draft was edited."""
        text = self._template_text(lang, variant)
        if not text:
            self.notify(
                f"No {lang.upper()} template “{variant}” for this kind of signal yet.",
                timeout=3,
                markup=False,
            )
            return

        def proceed(yes: bool | None) -> None:
            if not yes:
                return
            self.lang, self.variant, self._rendered = lang, variant, text
            self._replace_text(text)
            self.check_tone_now()
            self._show_head()

        if self.draft.text.strip() == self._rendered.strip():
            proceed(True)
        else:
            self.app.push_screen(ConfirmDialog(f"Replace your edited draft with {change}?"), proceed)

    def action_switch_lang(self) -> None:
        lang = other_lang(self.lang)
        variants = self._templates.variants(self.signal.kind, lang)
        variant = self.variant if self.variant in variants else "default"
        self._switch_to(lang, variant, f"the {lang.upper()} template")

    def action_next_variant(self) -> None:
        variants = self._variants()
        if len(variants) < 2:
            self.notify("This kind of signal has no other template.", timeout=2)
            return
        index = variants.index(self.variant) if self.variant in variants else -1
        variant = variants[(index + 1) % len(variants)]
        self._switch_to(self.lang, variant, f"the “{variant}” template")

    def action_toggle_visibility(self) -> None:
        self.visibility = "private" if self.visibility == "public" else "public"
        self._show_head()

    # -- out of the composer -----------------------------------------------------------------

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.draft.text)
        self.notify("Reply copied to the clipboard (OSC 52).", timeout=2)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None: the footer shows Send greyed out, present but unavailable.
        return None if action == "send" else True

    def action_send(self) -> None:
        self.notify("No source can post replies yet: copy it (ctrl+y), then ctrl+r.", timeout=3)

    def action_mark_replied(self) -> None:
        text = self.draft.text.strip()
        if not text:
            self.notify("The reply is empty: nothing to record.", severity="warning", timeout=3)
            return
        self.dismiss(ComposerResult(text, self.lang, self.visibility, self.to, self.variant))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_editor(self) -> None:
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        fd, name = tempfile.mkstemp(prefix="tact-reply-", suffix=".txt")
        path = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(self.draft.text)
            try:
                with self.app.suspend():
                    subprocess.run([*shlex.split(command), str(path)], check=False)
            except SuspendNotSupported:
                self.notify("This terminal cannot hand over to $EDITOR.", severity="warning")
                return
            except OSError as err:
                self.notify(f"Cannot run $EDITOR: {one_line(err, 120)}", severity="error", markup=False)
                return
            text = clean(path.read_text(encoding="utf-8", errors="replace")).rstrip("\n")
            if text != self.draft.text:
                self._replace_text(text)
                self.check_tone_now()
        finally:
            path.unlink(missing_ok=True)
