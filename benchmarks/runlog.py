"""``streamlit run`` with a line per script run: its server time, CPU time and kind (for the benchmarks).

Run: python benchmarks/runlog.py LOGFILE [--switch-interval SECONDS] [--freeze] -- run app.py [streamlit options]

Each line of LOGFILE is JSON: ``start`` and ``end`` (time.time()), ``cpu`` (the run thread's own CPU
seconds, time.thread_time), ``fragment`` (true for a fragment's rerun), ``auto`` (an auto-rerun),
``query`` (the query string the browser sent) and ``threads`` (threads alive when the run began).
A run here is one ScriptRunner._run_script call: what the browser waits for between sending a rerun
and receiving script_finished, less the websocket and the queue in front of the script thread.
``--switch-interval`` sets sys.setswitchinterval (the GIL hand-over interval) for experiments.
``--freeze`` calls gc.freeze() after the first run (experiment: what the first run imported is left out of
every later collection).
"""

from __future__ import annotations

import json
import sys
import threading
import time


def install(path: str, freeze: bool = False) -> None:
    """Wrap ScriptRunner._run_script so that every run appends its line to ``path``."""
    from streamlit.runtime.scriptrunner import script_runner

    out = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - open for the server's lifetime
    lock = threading.Lock()
    original = script_runner.ScriptRunner._run_script
    frozen: list[bool] = []

    def timed(self: object, rerun_data: object) -> None:
        start, cpu = time.time(), time.thread_time()
        threads = threading.active_count()
        try:
            original(self, rerun_data)  # type: ignore[arg-type]
        finally:
            line = json.dumps({
                "start": start, "end": time.time(), "cpu": time.thread_time() - cpu,
                "fragment": bool(getattr(rerun_data, "fragment_id_queue", None)),
                "auto": bool(getattr(rerun_data, "is_auto_rerun", False)),
                "query": getattr(rerun_data, "query_string", ""), "threads": threads,
            })
            with lock:
                out.write(line + "\n")
                if freeze and not frozen:
                    import gc

                    gc.freeze()  # experiment: what the first run imported is never scanned again
                    frozen.append(True)

    script_runner.ScriptRunner._run_script = timed  # type: ignore[method-assign]


def main() -> None:
    args = sys.argv[1:]
    if "--" not in args or not args:
        sys.exit(__doc__)
    split = args.index("--")
    own, streamlit_args = args[:split], args[split + 1:]
    path = own.pop(0)
    freeze = False
    while own:
        flag = own.pop(0)
        if flag == "--switch-interval":
            sys.setswitchinterval(float(own.pop(0)))
        elif flag == "--freeze":
            freeze = True
        else:
            sys.exit(f"unknown option {flag}")
    install(path, freeze)
    from streamlit.web import cli

    sys.argv = ["streamlit", *streamlit_args]
    cli.main()


if __name__ == "__main__":
    main()
