"""Kill a store writer at a chosen step of its write, on a signal from the writer itself.

The ``kill -9`` tests run a writer in a child process. Instead of polling the folder for the
store's temporary file and guessing when to kill, the child reports that it has reached a step:

* the parent (:func:`kill_at`) starts the child with :data:`ENV_STEP` (the step),
  :data:`ENV_STORE` (the store's file name) and :data:`ENV_FD` (the write end of a pipe) in its
  environment, waits on the pipe with a timeout and sends ``SIGKILL`` when a byte arrives;
* the child calls :func:`install` first; it wraps the library calls a store write is made of,
  and when the write of that store's temporary file (``.<store>.tmp-…``) reaches the step, writes
  one byte to the pipe and blocks (until it is killed, or its stdin closes because the parent
  died).

Steps, in the order a store write passes them (:data:`STEPS`):

``copied``
    The store has been copied to its temporary file (:func:`shutil.copyfile` returned).
``written``
    A first layer has been written into the temporary file (``pyogrio.write_dataframe``
    returned): the copy is half changed.
``replacing``
    The complete, fsynced temporary file is about to replace the store (:func:`os.replace`).

If the child finishes without reaching the step, the pipe closes and :func:`kill_at` returns
``False``: a writer that stops going through these calls is noticed, not silently untested.
This module is test-only; the library has no hook for it.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

ENV_STEP: Final = "APK_GEO_TEST_KILL_AT"
ENV_FD: Final = "APK_GEO_TEST_KILL_FD"
ENV_STORE: Final = "APK_GEO_TEST_KILL_STORE"
STEPS: Final = ("copied", "written", "replacing")

#: What follows ``.<store name>`` in the name of a store write's temporary file.
TMP_MARK: Final = ".tmp-"
_HERE: Final = str(Path(__file__).resolve().parent)


def install() -> None:
    """In the child: stop at the step named by :data:`ENV_STEP`, if any (see the module doc)."""
    step = os.environ.get(ENV_STEP)
    if not step:
        return
    if step not in STEPS:
        raise SystemExit(f"{ENV_STEP}={step!r}: expected one of {STEPS}")
    fd = int(os.environ[ENV_FD])
    prefix = f".{os.environ[ENV_STORE]}{TMP_MARK}"

    def reached() -> None:
        os.write(fd, b"!")
        sys.stdin.buffer.read(1)  # blocks: the parent never writes; EOF means it died
        os._exit(3)

    if step == "copied":
        _wrap(shutil, "copyfile", prefix=prefix, after=reached, path_arg=1)
    elif step == "written":
        import pyogrio

        _wrap(pyogrio, "write_dataframe", prefix=prefix, after=reached, path_arg=1)
    else:
        _wrap(os, "replace", prefix=prefix, before=reached, path_arg=0)


def child_command(code: str) -> list[str]:
    """Return a ``python -c`` command that calls :func:`install`, then runs ``code``."""
    return [
        sys.executable,
        "-c",
        f"import sys; sys.path.insert(0, {_HERE!r}); import killpoints; killpoints.install()\n"
        + code,
    ]


def module_command(module: str, args: Sequence[str]) -> list[str]:
    """Return a command that calls :func:`install`, then runs ``python -m module *args``."""
    code = (
        "import runpy\n"
        f"sys.argv = [{module!r}, *sys.argv[1:]]\n"
        f"runpy.run_module({module!r}, run_name='__main__', alter_sys=True)\n"
    )
    return [*child_command(code), *args]


def kill_at(
    cmd: Sequence[str],
    *,
    step: str,
    store: Path,
    timeout_s: float = 120.0,
    env: Mapping[str, str] | None = None,
    **popen: Any,
) -> bool:
    """Run ``cmd`` and SIGKILL it when it reports ``step``; return whether it was killed.

    Parameters
    ----------
    cmd
        A command made by :func:`child_command` or :func:`module_command`.
    step
        One of :data:`STEPS`.
    store
        The store the child writes; only its temporary file triggers the step.
    timeout_s
        How long to wait for the report (or the end of the child) before giving up.
    env
        The child's environment (default: this process's), to which the step is added.
    **popen
        Passed to :class:`subprocess.Popen` (e.g. ``stdout=subprocess.DEVNULL``).

    Returns
    -------
    bool
        ``True`` if the child reached ``step`` and was killed there, ``False`` if it ended
        without reaching it.

    Raises
    ------
    TimeoutError
        If neither happened within ``timeout_s`` (the child is killed).
    """
    if step not in STEPS:
        raise ValueError(f"step {step!r}: expected one of {STEPS}")
    read_end, write_end = os.pipe()
    child_env = {
        **(os.environ if env is None else env),
        ENV_STEP: step,
        ENV_STORE: store.name,
        ENV_FD: str(write_end),
    }
    proc = subprocess.Popen(
        list(cmd), env=child_env, pass_fds=(write_end,), stdin=subprocess.PIPE, **popen
    )
    os.close(write_end)  # only the child holds it now: EOF when the child ends
    try:
        ready, _, _ = select.select([read_end], [], [], timeout_s)
        if not ready:
            proc.kill()
            raise TimeoutError(f"{cmd}: neither reached {step!r} nor ended in {timeout_s} s")
        if os.read(read_end, 1):
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        proc.wait()
        return False
    finally:
        os.close(read_end)
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait()


def _wrap(
    owner: Any,
    name: str,
    *,
    prefix: str,
    path_arg: int,
    before: Callable[[], None] | None = None,
    after: Callable[[], None] | None = None,
) -> None:
    """Replace ``owner.name`` by one calling ``before``/``after`` for paths named ``prefix…``."""
    real = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        target = str(args[path_arg]) if len(args) > path_arg else ""
        ours = Path(target).name.startswith(prefix)
        if ours and before is not None:
            before()
        result = real(*args, **kwargs)
        if ours and after is not None:
            after()
        return result

    setattr(owner, name, wrapper)
