"""A batch on a Dask cluster: a real scheduler and two workers on 127.0.0.1, started here.

The workers run this worktree's code (PYTHONPATH) and see the same files (one machine: shared
storage at the same path). Each PDF costs about 2.5 s, so most batches here are HTML-only.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="Dask's distributed is not installed (pip install 'handbook[cluster]')")

import clustertasks  # noqa: E402 - after the skip: the workers import it too
from click.testing import CliRunner  # noqa: E402
from helpers import MINIMAL_PROFILE, REPO, TODAY, write_profile  # noqa: E402

import generator.workers.cluster as cluster  # noqa: E402
from generator.build import BuildOptions, build  # noqa: E402
from generator.cli.main import main  # noqa: E402
from generator.errors import BuildError  # noqa: E402
from generator.output.cache import ProjectFiles  # noqa: E402
from generator.project import Project, find_project  # noqa: E402

WORKERS_TMPDIR: dict[str, Path] = {}  # a scheduler's address: its workers' temporary folder
START_SECONDS = 60  # a loaded machine (2 cores, other builds) may start a Dask process slowly


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a Dask process we started, with the processes it started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def _cluster(folder: Path, workers: int, *options: str) -> Iterator[str]:
    """Start a scheduler and `workers` one-thread workers (a nanny each, so a dead one comes back), with
    `options` (TLS files) for each; yield the scheduler's address; stop them all, whatever happens."""
    (folder / "tmp").mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")]),
           "TMPDIR": str(folder / "tmp"),  # the workers' temporary files (WeasyPrint's fonts) stay in here
           # as docs/scale.md advises: a task whose worker dies is tried once more elsewhere (a worker that dies
           # may take with it a neighbour's result it had not yet reported), and a worker holds few tasks
           "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
           "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0"}
    scheduler_file = folder / "scheduler.json"
    processes: list[subprocess.Popen[bytes]] = []

    def start(*args: str, log: str) -> None:
        with open(folder / log, "wb") as out:
            processes.append(subprocess.Popen([sys.executable, "-m", *args, *options], env=env, cwd=folder,
                                              stdout=out, stderr=subprocess.STDOUT, start_new_session=True))

    try:
        start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
              "--scheduler-file", str(scheduler_file), log="scheduler.log")
        deadline = time.monotonic() + START_SECONDS
        while not scheduler_file.is_file() or not scheduler_file.read_text():
            assert time.monotonic() < deadline, (folder / "scheduler.log").read_text()
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        for number in range(1, workers + 1):
            start("distributed.cli.dask_worker", address, "--nthreads", "1", "--host", "127.0.0.1",
                  "--no-dashboard", "--local-directory", str(folder / f"worker-{number}"), log=f"worker-{number}.log")
        if workers:
            _wait_for_workers(address, workers)
        WORKERS_TMPDIR[address] = folder / "tmp"
        yield address
    finally:
        for process in reversed(processes):
            _stop(process)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a scheduler (tcp://127.0.0.1) with two workers."""
    with _cluster(tmp_path_factory.mktemp("dask"), 2) as address:
        yield address


def _wait_for_workers(address: str, count: int) -> None:
    import distributed

    with distributed.Client(address, timeout=START_SECONDS, set_as_default=False) as client:
        client.wait_for_workers(count, timeout=START_SECONDS)


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def test_a_batch_on_the_cluster_has_the_bytes_of_a_local_build(scheduler: str, tmp_path: Path) -> None:
    project = find_project(REPO)
    html = frozenset({"html"})
    heard: list[tuple[str | None, int]] = []
    remote = build(project, [REPO / "profiles"], BuildOptions(tmp_path / "remote", html, TODAY, scheduler=scheduler),
                   progress=lambda outcome, count: heard.append((outcome.profile_id, count)))
    local = build(project, [REPO / "profiles"], BuildOptions(tmp_path / "local", html, TODAY))
    assert remote.exit_code == 0 and local.exit_code == 0, [o.error for o in remote.failed + local.failed]
    assert len(remote.built) == 5 and sorted(heard) == sorted((o.profile_id, 5) for o in local.outcomes)
    assert [(o.profile_id, o.files) for o in remote.outcomes] == [(o.profile_id, o.files) for o in local.outcomes]
    assert _files(tmp_path / "remote") == _files(tmp_path / "local")  # pages, assets, digests and manifests
    # and a PDF, laid out on a worker: the same bytes too
    ana = [REPO / "profiles" / "ana-lopez.yaml"]
    remote_pdf = build(project, ana, BuildOptions(tmp_path / "remote-pdf", today=TODAY, scheduler=scheduler))
    build(project, ana, BuildOptions(tmp_path / "local-pdf", today=TODAY))
    assert remote_pdf.exit_code == 0 and "handbook.pdf" in remote_pdf.outcomes[0].files
    assert _files(tmp_path / "remote-pdf") == _files(tmp_path / "local-pdf")
    # an unchanged batch is left alone, as a local build leaves it
    again = build(project, [REPO / "profiles"], BuildOptions(tmp_path / "remote", html, TODAY, scheduler=scheduler))
    assert [o.up_to_date for o in again.outcomes] == [True] * 5


def test_a_handbook_that_fails_on_a_worker_fails_alone(scheduler: str, tmp_path: Path) -> None:
    root = tmp_path / "clinic"
    cover = (REPO / "templates" / "_cover.html").read_text()
    trap = '{% if hb.profile.preferred_name == "Zed" %}{{ 1 // 0 }}{% endif %}'  # passes every check, fails laid out
    write_profile(root / "templates", "_cover.html", trap + cover)
    for pid, name in (("a-kim", "Kim"), ("b-zed", "Zed"), ("c-ana", "Ana")):
        write_profile(root / "profiles", f"{pid}.yaml", MINIMAL_PROFILE.format(id=pid, name=name))
    out = tmp_path / "out"
    report = build(find_project(root), [], BuildOptions(out, frozenset({"html"}), TODAY, scheduler=scheduler))
    assert [Path(o.source).name for o in report.failed] == ["b-zed.yaml"] and report.exit_code == 2
    assert "templates/_cover.html:1" in (report.failed[0].error or "")  # the template's mistake, where it is
    assert "ZeroDivisionError" in (report.failed[0].error or "")
    assert {o.profile_id for o in report.built} == {"a-kim", "c-ana"}
    assert all((out / pid / "index.html").is_file() for pid in ("a-kim", "c-ana")) and not (out / "b-zed").exists()


def test_a_task_that_raises_or_kills_its_worker_fails_alone(scheduler: str) -> None:
    results = dict(cluster.run_on_cluster(scheduler, clustertasks.dies_on_three, range(6), find_project(REPO),
                                          clustertasks.crashed, with_pdf=False))
    assert {task: results[task] for task in (0, 1, 2, 5)} == {task: (task * 10, str(REPO)) for task in (0, 1, 2, 5)}
    assert results[4] == (-4, "ValueError: bad task")
    assert results[3][0] == -3 and "the Dask worker that ran it died" in results[3][1]
    _wait_for_workers(scheduler, 2)  # the nanny restarts the worker, for the tests after this one


def test_a_task_is_judged_by_what_came_back_not_by_its_status_later(scheduler: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # A worker that dies just after a result was fetched makes Dask compute that task again: its future's
    # status turns "lost", then "pending", while the result is already here (the CI once met this race).
    # Here every done future reads as lost once its result came back.
    import distributed

    real = distributed.Future.status
    monkeypatch.setattr(distributed.Future, "status", property(
        lambda future: "lost" if real.fget(future) == "finished" else real.fget(future)))
    results = dict(cluster.run_on_cluster(scheduler, clustertasks.dies_on_three, [0, 1, 4], find_project(REPO),
                                          clustertasks.crashed, with_pdf=False))
    assert results == {0: (0, str(REPO)), 1: (10, str(REPO)), 4: (-4, "ValueError: bad task")}


def test_a_worker_that_cannot_see_the_project_refuses_naming_itself_and_the_path(scheduler: str,
                                                                                 tmp_path: Path) -> None:
    real = find_project(REPO)
    elsewhere = Project(tmp_path / "not-on-the-workers", real.content_dir, real.templates_dir,
                        real.profiles_dir, real.output_dir)
    results = dict(cluster.run_on_cluster(scheduler, clustertasks.times_ten, range(2), elsewhere,
                                          clustertasks.crashed, with_pdf=False))
    for reason in (results[0][1], results[1][1]):
        assert "the Dask worker tcp://127.0.0.1:" in reason and f"project folder {elsewhere.root}" in reason
        assert "does not exist" in reason and "shared storage" in reason


def test_a_worker_that_sees_other_files_builds_nothing(scheduler: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the client sees differs from the worker's view by one template: the worker names it."""
    real = cluster.project_files

    def with_one_more(project: Project, with_pdf: bool) -> ProjectFiles:
        seen = real(project, with_pdf)
        return ProjectFiles(tuple(sorted((*seen.entries, ("templates/clinic-logo.html", "0" * 64)))))

    monkeypatch.setattr(cluster, "project_files", with_one_more)
    results = dict(cluster.run_on_cluster(scheduler, clustertasks.times_ten, range(2), find_project(REPO),
                                          clustertasks.crashed, with_pdf=False))
    for task in (0, 1):
        assert results[task][0] == -task
        assert "sees other files in the project folder" in results[task][1]
        assert "templates/clinic-logo.html is missing" in results[task][1]


def test_shipped_project_needs_no_shared_storage(scheduler: str, tmp_path: Path) -> None:
    """--ship-project: the workers get the project's own content and templates from the client, so a
    project at a path no worker can read builds, with the bytes of a local build; nothing is left behind."""
    clinic = tmp_path / "clinic"
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, clinic / name)
    (clinic / "templates" / "_cover.html").write_text(  # the project's own cover: it must reach the workers
        "<!-- Riverside clinic -->\n" + (REPO / "templates" / "_cover.html").read_text(encoding="utf-8"),
        encoding="utf-8")
    here = find_project(clinic)
    hidden = Project(tmp_path / "not-on-the-workers", here.content_dir, here.templates_dir, here.profiles_dir,
                     here.output_dir)  # content and templates are read here; the workers get them shipped
    profiles = [REPO / "profiles" / "ana-lopez.yaml", REPO / "profiles" / "layla-haddad.yaml"]
    html = frozenset({"html"})
    report = build(hidden, profiles, BuildOptions(tmp_path / "remote", html, TODAY, scheduler=scheduler,
                                                  ship_project=True))
    assert report.exit_code == 0, [o.error for o in report.failed]
    build(here, profiles, BuildOptions(tmp_path / "local", html, TODAY))
    remote, local = _files(tmp_path / "remote"), _files(tmp_path / "local")
    assert remote == local and b"Riverside clinic" in remote["ana-lopez/index.html"]
    assert not list(WORKERS_TMPDIR[scheduler].glob("handbook-project-*"))  # removed when the batch ended
    refused = build(hidden, profiles, BuildOptions(tmp_path / "refused", html, TODAY, scheduler=scheduler))
    assert "cannot use the project folder" in (refused.failed[0].error or "")  # without it: shared storage


def test_a_shipped_pack_holds_only_files_inside_the_project(tmp_path: Path) -> None:
    pack = cluster.pack_project(find_project(REPO))  # the repository's folders are the bundled ones: not shipped
    cluster.unpack_project(pack, tmp_path / "empty")
    assert not (tmp_path / "empty").exists()
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo("templates/../../escape.html")
        tar.addfile(info, io.BytesIO(b""))
    import gzip

    with pytest.raises(ValueError, match="unexpected entry"):
        cluster.unpack_project(gzip.compress(buffer.getvalue()), tmp_path / "unpacked")
    assert not (tmp_path / "escape.html").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_scheduler_stops_the_build_soon_with_a_message(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 2.0)
    address = f"tcp://127.0.0.1:{_free_port()}"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["--project", str(REPO), "build", "profiles/ana-lopez.yaml", "--format", "html",
                                       "--scheduler", address, "-o", str(tmp_path / "out")])
    assert result.exit_code == BuildError.exit_code, result.output
    assert isinstance(result.exception, SystemExit)  # a message, never a traceback
    assert f"error: cannot reach the Dask scheduler at {address} within 2 s" in result.output
    assert time.monotonic() - started < 15
    assert not (tmp_path / "out" / "ana-lopez").exists()


def test_without_distributed_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    with pytest.raises(BuildError, match=r"pip install 'handbook\[cluster\]'"):
        next(cluster.run_on_cluster("tcp://127.0.0.1:1", clustertasks.times_ten, [1], find_project(REPO),
                                    clustertasks.crashed, with_pdf=False))


def test_plain_tcp_to_another_machine_is_warned_about() -> None:
    assert cluster.unencrypted("tcp://127.0.0.1:8786") is None and cluster.unencrypted("localhost:8786") is None
    assert cluster.unencrypted("tls://scheduler.clinic.example:8786") is None
    warning = cluster.unencrypted("tcp://10.1.2.3:8786") or ""
    assert "not encrypted" in warning and "tls://" in warning
    assert cluster.unencrypted("10.1.2.3:8786") is not None  # Dask's default scheme is tcp


def test_the_help_documents_the_option() -> None:
    result = CliRunner().invoke(main, ["build", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "--scheduler ADDRESS" in text and "tls://HOST:PORT" in text and "handbook[cluster]" in text
    assert "--jobs is how many handbooks are sent at once" in text and "docs/scale.md" in text


def test_ship_project_without_a_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--project", str(REPO), "build", "profiles/ana-lopez.yaml", "--ship-project",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "--ship-project sends the project to a Dask cluster" in result.output
    assert not (tmp_path / "out").exists()


def test_validate_and_plain_builds_never_import_dask(tmp_path: Path) -> None:
    script = f"""
import sys
from pathlib import Path
from click.testing import CliRunner
from generator.cli.main import main
root = {str(REPO)!r}
for args in (["validate", "profiles/ana-lopez.yaml"],
             ["build", "profiles/", "--format", "html", "--jobs", "2", "-o", {str(tmp_path / "out")!r}]):
    result = CliRunner().invoke(main, ["--project", root, *args])
    assert result.exit_code == 0, result.output
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("dask", "distributed"))
print(",".join(loaded) or "none")
"""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"
    assert (tmp_path / "out" / "ana-lopez" / "index.html").is_file()



def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate authority for 127.0.0.1, whose certificate every party also presents."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "handbook test cluster")])
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                               x509.DNSName("localhost")]), critical=False)
                   .sign(key, hashes.SHA256()))
    cert, key_file = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_file.chmod(0o600)
    return cert, key_file


def test_a_tls_cluster_is_reached_with_dasks_own_tls_settings(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("cryptography", reason="the test makes its certificates with cryptography")
    import dask

    cert, key = _certificate(tmp_path)
    settings = {"distributed.comm.require-encryption": True, "distributed.comm.tls.ca-file": str(cert),
                "distributed.comm.tls.client.cert": str(cert), "distributed.comm.tls.client.key": str(key)}
    ana = [REPO / "profiles" / "ana-lopez.yaml"]
    html = frozenset({"html"})
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 3.0)
    with dask.config.set(settings), _cluster(tmp_path / "dask", 1, "--protocol", "tls", "--tls-ca-file", str(cert),
                                             "--tls-cert", str(cert), "--tls-key", str(key)) as address:
        assert address.startswith("tls://127.0.0.1:")
        report = build(find_project(REPO), ana, BuildOptions(tmp_path / "remote", html, TODAY, scheduler=address))
        assert report.exit_code == 0, [o.error for o in report.failed]
        with dask.config.set({"distributed.comm.tls.client.cert": None, "distributed.comm.tls.client.key": None,
                              "distributed.comm.tls.ca-file": None}):  # no certificate: refused, with the hint
            with pytest.raises(BuildError, match=r"cannot reach the Dask scheduler at tls://.*distributed\.comm\.tls"):
                build(find_project(REPO), ana, BuildOptions(tmp_path / "refused", html, TODAY, scheduler=address))
    build(find_project(REPO), ana, BuildOptions(tmp_path / "local", html, TODAY))
    assert _files(tmp_path / "remote") == _files(tmp_path / "local")
    assert not (tmp_path / "refused" / "ana-lopez").exists()


def test_a_cluster_without_workers_stops_the_batch_after_a_while(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """As when every worker stopped itself (one with another version of handbook cannot load the tasks)."""
    monkeypatch.setattr(cluster, "NO_WORKERS_SECONDS", 2.0)
    with _cluster(tmp_path / "dask", 0) as address:
        started = time.monotonic()
        with pytest.raises(BuildError, match=r"has had no workers for 2 s, so 1 handbook waited unbuilt"):
            build(find_project(REPO), [REPO / "profiles" / "ana-lopez.yaml"],
                  BuildOptions(tmp_path / "out", frozenset({"html"}), TODAY, scheduler=address))
        assert time.monotonic() - started < 20
    assert not (tmp_path / "out" / "ana-lopez").exists()


@pytest.mark.parametrize(("address", "said"), [
    ("foo://x:1", "unknown address scheme 'foo'"),
    ("tpc://10.0.0.5:8786", "did you mean 'tcp'?"),
    ("tcp://", "no host"),
])
def test_a_scheduler_address_dask_cannot_use_is_refused_at_once(tmp_path: Path, address: str, said: str) -> None:
    """An unknown scheme reached Dask, whose half-built client hung 20 s and printed a traceback."""
    import time

    started = time.monotonic()
    result = CliRunner().invoke(main, ["--project", str(REPO), "build", "profiles/jo-hand-injury.yaml",
                                       "--scheduler", address, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and said in result.output and "Traceback" not in result.output, result.output
    assert time.monotonic() - started < 5 and not (tmp_path / "out").exists()


def test_two_batches_shipping_one_project_keep_their_own_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """From an adversarial review: two --ship-project batches of one project at once shared one
    plugin name and one copy per worker; the second batch's end removed the files the first still
    rendered from, whose handbooks then silently came out with the bundled templates."""
    pytest.importorskip("distributed")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(cluster.tempfile, "tempdir", str(tmp_path))
    pack = cluster.pack_project(find_project(REPO))
    plugin = cluster._plugin_class()
    first, second = plugin("d" * 64, pack, "batch-one"), plugin("d" * 64, pack, "batch-two")
    first.setup(None)
    second.setup(None)
    second.teardown(None)  # the short batch ends first
    assert cluster._shipped.get("batch-one") == first.folder and first.folder.is_dir()
    assert "batch-two" not in cluster._shipped and not second.folder.exists()
    first.teardown(None)
    assert not first.folder.exists()
