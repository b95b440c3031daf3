"""The console script: Ctrl-C at any moment ends it quietly with 130; the package imports lazily."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

import diymasters
from diymasters.entry import extract_request
from tests.conftest import unmeasured

#: Seconds after the start to press Ctrl-C: before Python runs, during the imports (most of
#: the first second), and while the command waits for its input.
DELAYS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.2, 2.0)
#: Where the console script lives once `pip install -e .` has made it.
CONSOLE_SCRIPT = Path(sys.executable).with_name("diymasters")
_FRAME = re.compile(r'File "([^"]+)", line \d+, in (\S+)')
_STDLIB = sysconfig.get_paths()["stdlib"]
#: What runs before the entry point's `main`: the console script and its first import.
_FIRST_IMPORT = ("diymasters/__init__.py", "diymasters/__main__.py", "diymasters/entry.py")


def as_a_terminal_starts_it() -> None:
    """Ctrl-C at its default and not blocked in the child, as a terminal starts a command.

    A child inherits an ignored signal and the signal mask from the process that starts it;
    the test process's own (an xdist worker, after other tests) is no terminal's.
    """
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupted(command: list[str], delay: float) -> subprocess.CompletedProcess[str]:
    """Run a command that waits on standard input, and press Ctrl-C after `delay` seconds."""
    with subprocess.Popen(
        [*command, "skills", "extract", "-"],
        stdin=subprocess.PIPE,  # never written: the command waits for its posting
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=unmeasured(os.environ),
        preexec_fn=as_a_terminal_starts_it,  # noqa: PLW1509 (two signal calls, no lock taken)
    ) as process:
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def before_the_handler(result: subprocess.CompletedProcess[str]) -> bool:
    """Whether Ctrl-C came while Python was starting, before the program could handle it.

    Python's own start-up (site, .pth files, runpy) and the console script's first import
    take some milliseconds in which no program can handle a signal yet: a delay that lands
    there is tried again a little later. A traceback through any other code fails the test.
    """
    frames = _FRAME.findall(result.stderr)
    return bool(frames) and all(starting(file, function) for file, function in frames)


def starting(file: str, function: str) -> bool:
    """Whether a traceback frame is Python's start-up or the import of the entry point."""
    if file.startswith(("<frozen ", "<string>", _STDLIB)) or "/_distutils_hack/" in file:
        return True
    return file == str(CONSOLE_SCRIPT) or (file.endswith(_FIRST_IMPORT) and function != "main")


@pytest.mark.parametrize(
    "command",
    [[str(CONSOLE_SCRIPT)], [sys.executable, "-m", "diymasters"]],
    ids=["console-script", "python-m"],
)
def test_ctrl_c_at_any_moment_exits_130_without_a_traceback(command: list[str]) -> None:
    assert Path(command[0]).is_file(), "run: pip install -e ."
    for delay in DELAYS:
        result = interrupted(command, delay)
        later = delay
        while before_the_handler(result) and later < delay + 1:
            later += 0.01
            result = interrupted(command, later)
        # Killed by the signal before Python installed any handler, a process also ends
        # quietly, and a shell reports it as 130 all the same.
        assert result.returncode in {130, -signal.SIGINT}, (delay, result.stderr)
        assert result.stderr == "", (delay, result.stderr)
        assert result.stdout == ""


def test_a_command_started_with_ctrl_c_ignored_keeps_ignoring_it() -> None:
    script = f"trap '' INT; exec {CONSOLE_SCRIPT} skills extract -"
    with subprocess.Popen(
        ["/bin/sh", "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate("Python developer.\n", timeout=60)
    assert (process.returncode, err) == (0, "")
    assert "Python" in out


def test_importing_the_package_imports_none_of_the_library() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, diymasters; print(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [name for name in loaded if name.startswith("diymasters")] == ["diymasters"]
    assert not {"sqlalchemy", "typer"} & set(loaded)


def test_status_loads_neither_the_other_commands_nor_their_libraries(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from diymasters.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "finally:\n"
        "    print(*sorted(sys.modules), file=sys.stderr)\n"
    )
    db = f"sqlite:///{tmp_path / 'masters.db'}"
    for command in (["init"], ["status", "--json"]):
        done = subprocess.run(
            [sys.executable, "-c", script, "--db", db, *command],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    loaded = set(done.stderr.split())
    assert "diymasters.cli.tracking" in loaded
    commands = ("study", "readme", "progress_import", "demand", "plans", "serve")
    others = {f"diymasters.cli.{name}" for name in commands}
    assert not (others | {"highspy", "starlette", "uvicorn", "pycrfsuite", "markdown_it"}) & loaded


def test_the_version_loads_no_command_nor_the_store() -> None:
    """It loaded every command's module to print one line, and took longer than `status`."""
    script = (
        "import sys\n"
        "from diymasters.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "finally:\n"
        "    print(*sorted(sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("diymasters ")
    loaded = set(done.stderr.split())
    assert not {m for m in loaded if m.startswith("diymasters.cli.") and m.count(".") == 2} - {
        "diymasters.cli.root",
        "diymasters.cli.output",
        "diymasters.cli.options",
        "diymasters.cli.errors",
    }
    assert not {"sqlalchemy", "diymasters.store"} & loaded


def test_every_public_name_resolves_to_its_module() -> None:
    for name in diymasters.__all__:
        value = getattr(diymasters, name)
        assert value.__module__.startswith("diymasters."), name
    assert set(diymasters.__all__) <= set(dir(diymasters))
    with pytest.raises(AttributeError, match="has no attribute 'Nothing'"):
        _ = diymasters.Nothing


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["skills", "extract", "posting.txt"], ("posting.txt", False)),
        (["skills", "extract"], ("-", False)),
        (["skills", "extract", "-", "--json"], ("-", True)),
        (["skills", "extract", "--json", "posting.md", "--json"], ("posting.md", True)),
        (["skills", "extract", "posting.txt", "--no-tagger"], None),
        (["skills", "extract", "posting.txt", "--column=text"], None),
        (["skills", "extract", "a.txt", "b.txt"], None),
        (["skills", "extract", "--help"], None),
        (["skills", "extract", "--", "posting.txt"], None),
        (["--db", "masters.db", "skills", "extract", "posting.txt"], None),
        (["skills", "corpus", "postings.csv"], None),
        (["skills"], None),
    ],
)
def test_only_a_path_and_json_after_skills_extract_are_run_before_the_cli(
    argv: list[str], expected: tuple[str, bool] | None
) -> None:
    assert extract_request(argv) == expected


#: The CLI as it ran before `entry` answered `skills extract` itself: through Typer.
THROUGH_TYPER = [sys.executable, "-c", "from diymasters.cli import main; main()"]


def test_skills_extract_prints_what_the_cli_prints_without_loading_typer(tmp_path: Path) -> None:
    paragraph = tmp_path / "posting.txt"
    paragraph.write_text(  # the tagger's phrases too: it is on by default on both routes
        "Responsibilities:\n- Communicate results to stakeholders\n- Python, SQL and ML.\n",
        encoding="utf-8",
    )
    many = tmp_path / "postings.jsonl"
    many.write_text('{"text": "Python and Docker"}\n{"text": "Kafka"}\n', encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    none = tmp_path / "none.txt"
    none.write_text("We are a friendly company.\n", encoding="utf-8")
    lines: list[tuple[list[str], str]] = [
        ([str(paragraph)], ""),
        ([str(paragraph), "--json"], ""),
        (["-", "--json"], paragraph.read_text(encoding="utf-8")),
        ([], "Nice to have: Kubernetes."),
        ([str(many)], ""),
        ([str(empty)], ""),
        ([str(none)], ""),
        ([str(tmp_path / "missing.txt")], ""),
    ]
    for words, stdin in lines:
        argv = ["skills", "extract", *words]
        runs = [
            subprocess.run(
                [*command, *argv], input=stdin, capture_output=True, text=True, check=False
            )
            for command in ([sys.executable, "-m", "diymasters"], THROUGH_TYPER)
        ]
        before, now = ((r.returncode, r.stdout, r.stderr) for r in runs)
        assert before == now, argv
    script = (
        "import sys\n"
        "from diymasters.entry import main\n"
        "main()\n"
        "print(*sorted(sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "skills", "extract", str(paragraph)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Python" in done.stdout
    assert not {"typer", "pydantic", "sqlalchemy", "diymasters.store"} & set(done.stderr.split())
