"""Speed benchmark: build and serve this engine and the naive design-card build side by side, print ratios.

Usage:
    python bench/speed.py [--documents ../shared/corpus] [--scale N] [--skip-naive] [--rounds 3]
                          [--workdir DIR [--serve-only]]

Steps (all on this machine, loopback only):
1. copy the documents into a scratch folder (with --scale N: N lightly varied copies, distinct ids);
2. full build of this engine (``python -m indexer build``) and of the naive build (bench/naive.py):
   seconds, MB/s, documents/s, passages, index size, peak RSS;
3. incremental builds: nothing changed; one document changed;
4. serve both (waitress for ours, Flask's development server for the naive one) and time ``/api/search``
   for a fixed list of 50+ queries (ours with facets and highlighting), sequentially and with 8 concurrent
   clients; plus our HTML search page, ``/api/figures`` and ``/api/places`` (its p95 against ``/api/search``'s); web worker RSS and open time. Each of our
   phases starts a fresh server; sequential phases report each query's first request ("first", scored
   from the index) apart from repeats ("repeat", which our match cache answers); the concurrent phase
   runs with the match cache off, so every request is scored;
5. print the table and the ratios (ours / naive), and write bench/out/speed.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf"}

QUERIES: list[tuple[str, dict]] = [
    ("工资集体协商", {}),
    ("户外劳动者驿站", {}),
    ("送温暖", {"province": "山东"}),
    ("农民工", {}),
    ("职工代表大会", {}),
    ("厂务公开", {"province": "山东"}),
    ("劳动合同 试用期", {}),
    ("女职工 特殊保护", {}),
    ("就业创业", {}),
    ("安全生产", {"year": "2023"}),
    ("工会经费", {}),
    ("劳模 工匠", {}),
    ("职工之家", {}),
    ("集体合同", {"type": "条例"}),
    ("困难职工 帮扶", {}),
    ("法律援助", {}),
    ("技能培训", {}),
    ("新就业形态劳动者", {}),
    ("最低工资标准", {}),
    ("欠薪", {}),
    ("工伤保险", {}),
    ("职工疗休养", {}),
    ("建会率", {}),
    ("乡村振兴", {}),
    ("营商环境", {}),
    ("养老服务", {}),
    ('"职工书屋"', {}),
    ("两公里", {}),
    ("工会主席 任期", {}),
    ("劳动争议 调解", {}),
    ("社会保险", {"year": "2022"}),
    ("职业技能大赛", {}),
    ("工会会员 会费", {}),
    ("劳动保护", {}),
    ("带薪年休假", {}),
    ("加班费", {}),
    ("劳务派遣", {}),
    ("民主管理", {"type": "条例"}),
    ("稳就业", {}),
    ("高校毕业生 就业", {}),
    ("城镇新增就业", {}),
    ("保障农民工工资支付", {}),
    ("工会法", {}),
    ("女职工劳动保护", {}),
    ("职工医疗互助", {}),
    ("困难群众 救助", {"province": "河南"}),
    ("政府工作报告 就业", {}),
    ("安全生产 事故", {}),
    ("产业工人队伍建设", {}),
    ("劳动关系和谐", {}),
    ("十四五 规划", {}),
    ("经济增长 目标", {}),
]


def machine() -> str:
    """Describe this machine."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    except OSError:
        memory = 0
    return (
        f"{model or platform.processor()} · {os.cpu_count()} cores · {memory} GiB · Python {platform.python_version()}"
    )


def copy_documents(source: Path, target: Path, scale: int) -> tuple[int, int]:
    """Copy supported files (scale copies, lightly varied so they are not duplicates); return (files, bytes)."""
    files = total = 0
    for copy in range(scale):
        for path in sorted(source.rglob("*")):
            if not path.is_file() or path.suffix.lower() not in SUFFIXES:
                continue
            relative = path.relative_to(source)
            destination = target / (f"copy-{copy:03d}" if scale > 1 else "") / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            data = path.read_bytes()
            if copy:
                # Lightly varied: each sentence end gets the copy number, so no copy is a near-duplicate.
                with contextlib.suppress(UnicodeDecodeError):
                    data = data.decode("utf-8").replace("。", f"（{copy}）。").encode("utf-8")
            destination.write_bytes(data)
            files += 1
            total += len(data)
    return files, total


def timed(command: list[str]) -> dict:
    """Run a command under GNU time; return seconds, peak RSS (MB) and its standard output."""
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed: {result.stderr[-2000:]}")
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak_kb / 1024, 1), "stdout": result.stdout}


def folder_size(path: Path) -> float:
    """Return the size of a folder in MB."""
    return round(sum(file.stat().st_size for file in path.rglob("*") if file.is_file()) / 1e6, 1)


def percentile(values: list[float], share: float) -> float:
    """Return the share-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


def summarise(values: list[float]) -> dict:
    """Return p50, p95 and max of milliseconds."""
    if not values:
        return {"n": 0}
    return {
        "p50": round(statistics.median(values), 1),
        "p95": round(percentile(values, 0.95), 1),
        "max": round(max(values), 1),
        "n": len(values),
    }


class Server:
    """A web server started by this benchmark on loopback."""

    def __init__(self, command: list[str], url: str, log: Path | None = None):
        self.url = url
        self._log = log.open("ab") if log else subprocess.DEVNULL
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self._log, stderr=self._log)
        started = time.perf_counter()
        deadline = started + 120
        while True:
            try:
                with urllib.request.urlopen(url + "/api/search?q=%E5%B7%A5%E4%BC%9A", timeout=30):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.perf_counter() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"server {command} did not start") from None
                time.sleep(0.2)
        self.ready_seconds = round(time.perf_counter() - started, 2)

    def rss_mb(self) -> float:
        """Return the resident memory of the server process."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
        return 0.0

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        if self._log is not subprocess.DEVNULL:
            self._log.close()


def fetch(url: str) -> tuple[float, int]:
    """Return (milliseconds, status) of one GET."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:  # refused, reset or timed out: counted as an error, not a crash of the benchmark
        print(f"request failed: {url[:120]}: {error!r}", file=sys.stderr, flush=True)
        status = 599
    return (time.perf_counter() - started) * 1000, status


def query_urls(base: str, path: str, *, filters: bool) -> list[str]:
    """Return the URLs of the fixed query list (with or without their filters)."""
    return [
        base + path + "?" + urllib.parse.urlencode({"q": query, **(extra if filters else {})})
        for query, extra in QUERIES
    ]


def sequential(urls: list[str], rounds: int) -> dict:
    """Time each URL once on a freshly started server ("first": nothing cached), then ``rounds`` more times
    ("repeat": the same queries again, which our match cache answers); return both summaries and errors."""
    first, repeat, errors = [], [], 0
    for times, passes in ((first, 1), (repeat, rounds)):
        for _ in range(passes):
            for url in urls:
                milliseconds, status = fetch(url)
                if status >= 500:
                    errors += 1
                else:  # a failed request is counted, not timed
                    times.append(milliseconds)
    return {"first": summarise(first), "repeat": summarise(repeat), "errors": errors}


def concurrent(urls: list[str], clients: int, rounds: int) -> dict:
    """Have ``clients`` threads request the URLs ``rounds`` times each; return the summary and errors."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(offset: int) -> None:
        for round_number in range(rounds):
            for index in range(len(urls)):
                url = urls[(index + offset + round_number) % len(urls)]
                milliseconds, status = fetch(url)
                with lock:
                    if status >= 500:
                        errors[0] += 1
                    else:
                        times.append(milliseconds)

    threads = [threading.Thread(target=worker, args=(number * 7,)) for number in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {**summarise(times), "errors": errors[0], "requests_per_second": round(len(times) / wall, 1)}


def build_report(args, report: dict, scratch: Path, documents: Path, size: int) -> None:
    """Build ours (full, then nothing changed, then one document changed) and the naive index; add to report."""
    build_ours = [
        PYTHON,
        "-m",
        "indexer",
        "build",
        "--documents",
        str(documents),
        "--index",
        str(scratch / "index"),
        "--json",
    ]
    # A full build from nothing, also when --workdir holds the index of an earlier run.
    shutil.rmtree(scratch / "index", ignore_errors=True)
    ours = timed(build_ours)
    summary = json.loads(ours.pop("stdout"))
    ours.update(
        passages=summary["passages"],
        documents=summary["documents"],
        mb_per_s=round(size / 1e6 / ours["seconds"], 2),
        documents_per_s=round(summary["documents"] / ours["seconds"], 1),
        index_mb=folder_size(Path(summary["index_path"])),
    )
    report["build"] = ours
    print(f"build (ours): {ours}", flush=True)

    unchanged = timed(build_ours)
    one = next(path for path in sorted(documents.rglob("*")) if path.suffix in (".md", ".txt"))
    one.write_text(one.read_text(encoding="utf-8") + "\n新增一段：职工服务中心开展普惠服务。\n", encoding="utf-8")
    changed = timed(build_ours)
    report["incremental"] = {"nothing_changed_s": unchanged["seconds"], "one_changed_s": changed["seconds"]}
    print(f"incremental: {report['incremental']}", flush=True)

    if not args.skip_naive:
        shutil.rmtree(scratch / "naive-index", ignore_errors=True)
        naive = timed([PYTHON, str(ROOT / "bench" / "naive.py"), "build", str(documents), str(scratch / "naive-index")])
        lines = int(naive.pop("stdout").strip())
        naive.update(
            passages=lines,
            mb_per_s=round(size / 1e6 / naive["seconds"], 2),
            index_mb=folder_size(scratch / "naive-index"),
        )
        report["naive_build"] = naive
        print(f"build (naive): {naive}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--scale", type=int, default=1, help="copies of the corpus (about 49 000 passages each)")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=5201)
    parser.add_argument("--workdir", type=Path, help="scratch folder to use and keep (default: a temporary one)")
    parser.add_argument(
        "--serve-only", action="store_true", help="measure serving only, over the index already built in --workdir"
    )
    args = parser.parse_args(argv)
    if args.serve_only and not (args.workdir and (args.workdir / "index" / "current").exists()):
        parser.error("--serve-only needs --workdir holding a built index")
    if not args.serve_only and not args.documents.is_dir():
        parser.error(f"no documents folder {args.documents}")
    report: dict = {"machine": machine(), "scale": args.scale}
    print(f"machine: {report['machine']}", flush=True)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    scratch_folder = (
        contextlib.nullcontext(str(args.workdir)) if args.workdir else tempfile.TemporaryDirectory(prefix="speed-")
    )
    with scratch_folder as scratch_name:
        scratch = Path(scratch_name)
        documents = scratch / "documents"
        if not args.serve_only:
            files, size = copy_documents(args.documents, documents, args.scale)
            report["corpus"] = {"files": files, "mb": round(size / 1e6, 1)}
            print(f"corpus: {files} files, {size / 1e6:.1f} MB", flush=True)
            build_report(args, report, scratch, documents, size)
        manifest = json.loads((scratch / "index" / "current" / "manifest.json").read_text(encoding="utf-8"))
        report["index"] = {
            "passages": sum(entry.get("passages", 0) for entry in manifest["files"].values()),
            "figures": sum(entry.get("figures", 0) for entry in manifest["files"].values()),
        }
        print(f"index: {report['index']}", flush=True)

        base = f"http://127.0.0.1:{args.port}"
        serve = [PYTHON, "-m", "webapp", "--index", str(scratch / "index"), "--port", str(args.port)]
        api = query_urls(base, "/api/search", filters=True)
        report["serve"] = {}
        # Each phase on a freshly started server, so a phase's first requests find nothing cached.
        phases = [
            ("api_sequential", [], lambda: sequential(api, args.rounds)),
            # Every request scored from the index: the match cache is off.
            ("api_concurrent_8", ["--cache-items", "0"], lambda: concurrent(api, 8, 1)),
            ("html_sequential", [], lambda: sequential(query_urls(base, "/", filters=True), 1)),
            ("figures_sequential", [], lambda: sequential(query_urls(base, "/api/figures", filters=False), 1)),
            ("places_sequential", [], lambda: sequential(query_urls(base, "/api/places", filters=True), 1)),
        ]
        for name, options, measure in phases:
            server = Server(serve + options, base, log=scratch / "server.log")
            try:
                report["serve"][name] = measure()
                report["serve"].setdefault("ready_s", server.ready_seconds)
                report["serve"]["worker_rss_mb"] = max(report["serve"].get("worker_rss_mb", 0), server.rss_mb())
            finally:
                server.stop()
            print(f"serve (ours) {name}: {report['serve'][name]}", flush=True)
        search_p95, places_p95 = (
            report["serve"][name]["first"]["p95"] for name in ("api_sequential", "places_sequential")
        )
        report["places_vs_search_p95_first"] = round(places_p95 / search_p95, 2)
        print(f"/api/places p95 / /api/search p95 (first requests): {report['places_vs_search_p95_first']}", flush=True)

        if not args.skip_naive and (scratch / "naive-index").exists():
            naive_url = f"http://127.0.0.1:{args.port + 1}"
            naive_server = Server(
                [PYTHON, str(ROOT / "bench" / "naive.py"), "serve", str(scratch / "naive-index"), str(args.port + 1)],
                naive_url,
            )
            try:
                naive_api = query_urls(naive_url, "/api/search", filters=False)
                report["naive_serve"] = {
                    "api_sequential": sequential(naive_api, args.rounds),
                    "api_concurrent_8": concurrent(naive_api, 8, 1),
                }
            finally:
                naive_server.stop()
            print(f"serve (naive): {report['naive_serve']}", flush=True)
            ours_api, naive_api_times = report["serve"]["api_sequential"], report["naive_serve"]["api_sequential"]
            report["ratios"] = {
                # First requests (ours scores from the index) against the naive build's repeated requests.
                "api_p50_first": round(ours_api["first"]["p50"] / naive_api_times["repeat"]["p50"], 2),
                "api_p95_first": round(ours_api["first"]["p95"] / naive_api_times["repeat"]["p95"], 2),
                # Repeated requests on both sides (ours from the match cache).
                "api_p50_repeat": round(ours_api["repeat"]["p50"] / naive_api_times["repeat"]["p50"], 2),
                "api_p95_repeat": round(ours_api["repeat"]["p95"] / naive_api_times["repeat"]["p95"], 2),
            }
            if "build" in report and "naive_build" in report:
                report["ratios"]["build_time"] = round(report["build"]["seconds"] / report["naive_build"]["seconds"], 2)
            print(f"ratios (ours / naive): {report['ratios']}", flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    name = f"speed-x{args.scale}{'-serve' if args.serve_only else ''}.json"
    (out / name).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
