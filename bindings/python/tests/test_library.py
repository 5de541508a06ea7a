"""Finding libchatbot.so: CHATBOT_LIBRARY, then the package folder, then the system."""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

import chatbot
from chatbot import _library

PACKAGE_PARENT = str(Path(chatbot.__file__).resolve().parent.parent)


def real_library() -> str:
    return _library.library_path()


def test_environment_variable_wins_alone(tmp_path: Path):
    places = _library.candidates({"CHATBOT_LIBRARY": "/opt/x/libchatbot.so"}, tmp_path)
    assert places == [("$CHATBOT_LIBRARY", "/opt/x/libchatbot.so")]


def test_order_without_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: "libchatbot.so.0.1.0" if name == "chatbot" else None)
    places = _library.candidates({}, tmp_path)
    assert [target for _, target in places] == [str(tmp_path / "libchatbot.so"), "libchatbot.so.0.1.0",
                                                "libchatbot.so.0"]
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    assert [target for _, target in _library.candidates({}, tmp_path)] == [str(tmp_path / "libchatbot.so"),
                                                                          "libchatbot.so.0"]


def test_bad_environment_path_is_an_error_naming_it(tmp_path: Path):
    missing = str(tmp_path / "nowhere" / "libchatbot.so")
    with pytest.raises(chatbot.LibraryNotFoundError) as caught:
        _library.load({"CHATBOT_LIBRARY": missing}, tmp_path)
    assert missing in str(caught.value) and "CHATBOT_LIBRARY" in str(caught.value)
    # No silent fallback to the package folder, even when a library sits there.
    (tmp_path / "libchatbot.so").symlink_to(real_library())
    with pytest.raises(chatbot.LibraryNotFoundError):
        _library.load({"CHATBOT_LIBRARY": missing}, tmp_path)


def test_file_that_is_not_a_library(tmp_path: Path):
    fake = tmp_path / "libchatbot.so"
    fake.write_text("not an ELF file")
    with pytest.raises(chatbot.LibraryNotFoundError) as caught:
        _library.load({"CHATBOT_LIBRARY": str(fake)}, tmp_path)
    assert str(fake) in str(caught.value)


def test_library_without_the_cb_functions(tmp_path: Path):
    libm = ctypes.util.find_library("m")
    assert libm
    with pytest.raises(chatbot.LibraryNotFoundError, match="no symbol cb_"):
        _library.load({"CHATBOT_LIBRARY": libm}, tmp_path)


def test_package_folder_is_used(tmp_path: Path):
    (tmp_path / "libchatbot.so").symlink_to(real_library())
    lib, loaded_from = _library.load({}, tmp_path)
    assert loaded_from == str(tmp_path / "libchatbot.so")
    assert lib.cb_version() == b"0.1.0"


def test_nothing_found_lists_every_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    try:
        _, loaded_from = _library.load({}, tmp_path)
    except chatbot.LibraryNotFoundError as error:
        message = str(error)
        assert str(tmp_path / "libchatbot.so") in message
        assert "libchatbot.so.0" in message and "make lib" in message
    else:  # a copy installed on this machine (make install) answers the last place
        assert loaded_from == "libchatbot.so.0"


def run_python(code: str, env_library: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CHATBOT_LIBRARY=env_library, PYTHONPATH=PACKAGE_PARENT)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_import_works_without_a_library_and_use_reports_it(tmp_path: Path):
    bad = str(tmp_path / "absent.so")
    done = run_python("import chatbot\n"
                      "try:\n    chatbot.version()\n"
                      "except chatbot.LibraryNotFoundError as e:\n    print('ERROR', e)\n", bad)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ERROR") and bad in done.stdout


def test_environment_variable_is_honoured_in_a_fresh_process():
    done = run_python("import chatbot; print(chatbot.library_path(), chatbot.version())", real_library())
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [real_library(), "0.1.0"]


def test_constants_match_the_header():
    header = Path(__file__).resolve().parents[3] / "Include" / "chatbot.h"
    if not header.is_file():
        pytest.skip(f"{header} is not there (tests run outside the repository)")
    text = header.read_text(encoding="utf-8")
    import re
    defines = dict(re.findall(r'^#define\s+(CB_\w+)\s+("?[\w.]+"?)\s*$', text, re.M))
    assert int(defines["CB_MAX_TOP_K"]) == chatbot.MAX_TOP_K
    assert int(defines["CB_ABI_VERSION"]) == chatbot.ABI_VERSION
    assert defines["CB_VERSION"].strip('"') == chatbot.version()
    # Every function of the header has a prototype in the binding.
    functions = set(re.findall(r"\b(cb_\w+)\s*\(", text))
    assert functions == set(_library._PROTOTYPES)


def test_option_structs_match_the_header():
    header = Path(__file__).resolve().parents[3] / "Include" / "chatbot.h"
    if not header.is_file():
        pytest.skip(f"{header} is not there (tests run outside the repository)")
    import re
    text = re.sub(r"/\*.*?\*/", "", header.read_text(encoding="utf-8"), flags=re.S)
    for name, struct in (("cb_build_params", _library.BuildParams), ("cb_match_params", _library.MatchParams)):
        body = re.search(r"typedef struct %s \{(.*?)\} %s;" % (name, name), text, re.S)
        assert body, name
        fields = [f for line in body.group(1).split(";") if line.strip()
                  for f in [re.split(r"[\s*]+", line.strip())[-1]]]
        assert fields == [f for f, _ in struct._fields_ if f != "_reserved"], name
