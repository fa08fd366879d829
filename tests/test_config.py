"""tact.toml: detector parameters, template overrides, and one-line errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.errors import BadInput
from console.signals_service import build_engine
from console.tact_config import load_config, shipped_templates


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tact.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_shipped_defaults(tmp_path: Path) -> None:
    cfg = load_config(tmp_path / "absent.toml")
    assert cfg.detectors == {}
    assert cfg.templates == shipped_templates()
    assert "semaine" in cfg.templates.render("quiet_group", "fr")
    assert "week" in cfg.templates.render("quiet_group", "en")


def test_overrides_merge_over_the_shipped_templates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[detectors.quiet_group]
ratio = 0.5
weeks = 8

[templates.fr.quiet_group]
default = "Coucou {community} !"
cosy = "Un thé ?"
""",
    )
    cfg = load_config(path)
    assert cfg.detectors == {"quiet_group": {"ratio": 0.5, "weeks": 8}}
    assert cfg.templates.render("quiet_group", "fr", community="Chats") == "Coucou Chats !"
    assert cfg.templates.render("quiet_group", "fr", "cosy") == "Un thé ?"
    # The other variants and the other language are still the shipped ones.
    assert cfg.templates.render("quiet_group", "fr", "question") == shipped_templates().render(
        "quiet_group", "fr", "question"
    )
    assert cfg.templates.render("quiet_group", "en") == shipped_templates().render("quiet_group", "en")
    engine = build_engine(cfg, ["quiet_group"])
    detector = engine.detectors["quiet_group"]
    assert (detector.ratio, detector.weeks) == (0.5, 8)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[detectors.quiet_group]\nratio = = 2\n", ":2: "),
        ("\n\n[detectors.quiet_grop]\nratio = 0.5\n", ":3: detectors.quiet_grop: unknown signal kind"),
        ("detectors = 3\n", ":1: detectors: must be a table"),
        ("[templates.de.quiet_group]\ndefault = 'Hallo'\n", ":1: templates.de: unknown language"),
        (
            "[templates.en.quiet_group]\nshort = 'x'\ndefault = 12\n",
            ":3: templates.en.quiet_group.default: must be a string",
        ),
        ("[templates.en.nope]\ndefault = 'x'\n", ":1: templates.en.nope: unknown signal kind"),
    ],
)
def test_bad_files_give_one_line_with_file_line_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(BadInput) as err:
        load_config(path)
    message = str(err.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


def test_unknown_detector_parameter_names_file_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "[detectors.quiet_group]\nweeks = 8\nratoi = 0.5\n")
    with pytest.raises(BadInput) as err:
        build_engine(load_config(path), ["quiet_group"])
    assert str(err.value).startswith(f"{path}:3: detectors.quiet_group.ratoi: unknown parameter")


def test_a_value_the_detector_refuses_is_bad_input(tmp_path: Path) -> None:
    path = write(tmp_path, "[detectors.quiet_group]\nratio = 7\n")
    with pytest.raises(BadInput) as err:
        build_engine(load_config(path), ["quiet_group"])
    assert str(err.value).startswith(f"{path}:1: detectors.quiet_group: ")


def test_not_utf8_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "tact.toml"
    path.write_bytes(b"[detectors]\nx = '\xff'\n")
    with pytest.raises(BadInput, match="not UTF-8"):
        load_config(path)
