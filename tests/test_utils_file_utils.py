"""jnet.utils.get_file and jnet.utils.archives: Keras's cache layout and return values,
checksums, atomic downloads, and archive extraction that refuses what would leave its folder.
No internet: origins are ``file://`` URLs and a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import os
import tarfile
import threading
import zipfile
from pathlib import Path

import pytest

from jnet import errors
from jnet.utils import archives, file_utils, get_file

PAYLOAD = b"jnet get_file payload\n" * 10
UNREACHABLE = "http://127.0.0.1:9/nothing/data.bin"  # port 9 (discard): nothing answers


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def _left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]], mode="w:gz") -> Path:
    with tarfile.open(path, mode) as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _file(name: str, data: bytes = b"x") -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), data


def _special(name: str, kind: bytes, linkname: str = "") -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    return info, None


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh KERAS_HOME, and a source file to download from."""
    cache = tmp_path / "keras_home"
    monkeypatch.setenv("KERAS_HOME", str(cache))
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "data.bin").write_bytes(PAYLOAD)
    return cache


def _origin(home: Path, name: str = "data.bin") -> str:
    return (home.parent / "src" / name).as_uri()


# --- downloads and the cache ---------------------------------------------------------------


@pytest.mark.parametrize("hashes", [
    {},
    {"file_hash": _sha256(PAYLOAD)},
    {"file_hash": _md5(PAYLOAD)},  # 'auto': md5 for a 32-character hash
    {"file_hash": _md5(PAYLOAD), "hash_algorithm": "md5"},
    {"md5_hash": _md5(PAYLOAD)},  # deprecated spelling
], ids=["no-hash", "sha256", "md5-auto", "md5", "md5_hash"])
def test_download_lands_in_keras_home_datasets(home, hashes, capsys):
    path = get_file(origin=_origin(home), **hashes)
    assert path == str(home / "datasets" / "data.bin")
    assert Path(path).read_bytes() == PAYLOAD
    assert _left_in(home / "datasets") == ["data.bin"]  # no temporary left over
    assert f"Downloading data from {_origin(home)}" in capsys.readouterr().out


@pytest.mark.parametrize("bad", [
    {"file_hash": "0" * 64},
    {"file_hash": "0" * 32},
    {"file_hash": _md5(PAYLOAD), "hash_algorithm": "sha256"},
], ids=["sha256", "md5", "wrong-algorithm"])
def test_checksum_mismatch_raises_and_leaves_nothing(home, bad):
    with pytest.raises(errors.JnetValueError, match="Incomplete or corrupted file detected.*"
                                                    "nothing was written"):
        get_file("data.bin", origin=_origin(home), **bad)
    assert _left_in(home / "datasets") == []


def test_cache_hit_needs_no_download(home, capsys):
    cached = home / "datasets" / "data.bin"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(PAYLOAD)
    assert get_file("data.bin", origin=UNREACHABLE) == str(cached)
    assert get_file("data.bin", origin=UNREACHABLE, file_hash=_sha256(PAYLOAD)) == str(cached)
    assert "Downloading" not in capsys.readouterr().out


def test_stale_cache_is_downloaded_again(home, capsys):
    cached = home / "datasets" / "data.bin"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"truncated")
    path = get_file("data.bin", origin=_origin(home), file_hash=_sha256(PAYLOAD))
    assert Path(path).read_bytes() == PAYLOAD
    out = capsys.readouterr().out
    assert "A local file was found, but it seems to be incomplete or outdated" in out
    assert "Downloading data from" in out


def test_force_download_replaces_the_cached_file(home):
    cached = home / "datasets" / "data.bin"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"old")
    get_file("data.bin", origin=_origin(home), force_download=True)
    assert cached.read_bytes() == PAYLOAD


def test_cache_dir_and_absolute_cache_subdir(home, tmp_path):
    path = get_file(origin=_origin(home), cache_dir=str(tmp_path / "c"), cache_subdir="models")
    assert path == str(tmp_path / "c" / "models" / "data.bin")
    absolute = tmp_path / "elsewhere"
    assert get_file(origin=_origin(home), cache_subdir=str(absolute)) == str(
        absolute / "data.bin")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(home):
    handler = functools.partial(_Quiet, directory=str(home.parent / "src"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_http_download_and_http_error(home, server):
    path = get_file(origin=f"{server}/data.bin", file_hash=_sha256(PAYLOAD))
    assert Path(path).read_bytes() == PAYLOAD
    with pytest.raises(errors.JnetError, match=r"URL fetch failure on .*/missing.bin: 404"):
        get_file(origin=f"{server}/missing.bin")
    assert _left_in(home / "datasets") == ["data.bin"]


@pytest.mark.parametrize("kwargs, error, match", [
    ({}, errors.JnetValueError, 'specify the "origin" argument'),
    ({"origin": 3}, errors.JnetTypeError, "origin must be a URL string, received 3"),
    ({"origin": "https://x.org/"}, errors.JnetValueError, "can't parse the file name"),
    ({"fname": "a/b.npz", "origin": UNREACHABLE}, errors.JnetValueError,
     "paths are no longer accepted as the `fname` argument.*fname=a/b.npz"),
    ({"origin": UNREACHABLE, "hash_algorithm": "sha1"}, errors.JnetValueError,
     r"hash_algorithm must be one of \('auto', 'sha256', 'md5'\), received 'sha1'"),
    ({"origin": UNREACHABLE, "archive_format": "rar"}, errors.JnetValueError,
     "archive_format must be 'auto', 'tar', 'zip'.*received 'rar'"),
])
def test_bad_arguments(home, kwargs, error, match):
    with pytest.raises(error, match=match):
        get_file(**kwargs)


# --- Keras's names for archives and folders ------------------------------------------------


def _archives(src: Path) -> dict[str, Path]:
    tgz = _tar(src / "bundle.tar.gz", [_file("bundle/a.txt", b"A"), _file("bundle/b/c.txt", b"C")])
    zipped = _zip(src / "bundle.zip", {"bundle/a.txt": b"A", "bundle/b/c.txt": b"C"})
    return {"tar.gz": tgz, "zip": zipped}


@pytest.mark.parametrize("kind, fname, untar", [
    (kind, fname, False) for kind in ("tar.gz", "zip") for fname in (None, "bundle", "bundle.a")
] + [("tar.gz", "bundle", True)])
def test_extraction_matches_keras_paths(keras, home, tmp_path, kind, fname, untar):
    origin = _archives(home.parent / "src")[kind].as_uri()
    flag = {"untar": True} if untar else {"extract": True}
    for side in ("jnet", "keras"):  # Keras falls back to /tmp/.keras for a missing cache_dir
        (tmp_path / side).mkdir()
    ours = get_file(fname, origin=origin, cache_dir=str(tmp_path / "jnet"), **flag)
    theirs = keras.utils.get_file(fname, origin=origin, cache_dir=str(tmp_path / "keras"), **flag)
    assert os.path.relpath(ours, tmp_path / "jnet") == os.path.relpath(theirs, tmp_path / "keras")
    listing = sorted(str(p.relative_to(ours)) for p in Path(ours).rglob("*"))
    assert listing == sorted(str(p.relative_to(theirs)) for p in Path(theirs).rglob("*"))
    assert (Path(ours) / "bundle" / "b" / "c.txt").read_bytes() == b"C"
    # A second call uses the cache: the source may be gone.
    os.remove(origin.removeprefix("file://"))
    assert get_file(fname, origin=origin, cache_dir=str(tmp_path / "jnet"), **flag) == ours


def test_not_an_archive_warns_and_returns_the_folder(home):
    with pytest.warns(UserWarning, match="Could not extract archive"):
        path = get_file("plain", origin=_origin(home), extract=True)
    assert path == str(home / "datasets" / "plain")
    assert (home / "datasets" / "plain_archive").read_bytes() == PAYLOAD


def test_links_inside_the_folder_are_kept(tmp_path):
    archive = _tar(tmp_path / "a.tar", [
        _file("d/real.txt", b"R"), _special("d/link.txt", tarfile.SYMTYPE, "real.txt"),
        _special("d/hard.txt", tarfile.LNKTYPE, "d/real.txt"),
    ], mode="w")
    assert file_utils.extract_archive(archive, tmp_path / "out")
    assert (tmp_path / "out" / "d" / "link.txt").is_symlink()
    assert (tmp_path / "out" / "d" / "link.txt").read_bytes() == b"R"
    assert (tmp_path / "out" / "d" / "hard.txt").read_bytes() == b"R"


# --- unsafe archives -------------------------------------------------------------------------


UNSAFE_TAR = {
    "parent-path": ([_file("../evil.txt")], "../evil.txt from .*: its path leaves"),
    "absolute-path": ([_file("/tmp/jnet-evil.txt")], "/tmp/jnet-evil.txt from .*: its path"),
    "nested-parent": ([_file("a/../../evil.txt")], "a/../../evil.txt .*: its path leaves"),
    "symlink-out": ([_special("up", tarfile.SYMTYPE, "../..")], "up .*: its link to ../.. leaves"),
    "symlink-absolute": ([_special("etc", tarfile.SYMTYPE, "/etc")], "its link to /etc leaves"),
    "write-through-symlink": (
        [_special("inner", tarfile.SYMTYPE, "."), _file("inner/../../evil.txt")],
        "inner/../../evil.txt .*: its path leaves"),
    "hardlink-out": ([_special("h", tarfile.LNKTYPE, "../../etc/passwd")],
                     "its link to ../../etc/passwd leaves"),
    "device": ([_special("null", tarfile.CHRTYPE)], "null from .*: it is a device file or pipe"),
    "fifo": ([_file("ok.txt"), _special("pipe", tarfile.FIFOTYPE)], "pipe .*device file or pipe"),
}


@pytest.mark.parametrize("name", sorted(UNSAFE_TAR))
def test_unsafe_tar_is_refused_and_nothing_is_left(home, name):
    members, match = UNSAFE_TAR[name]
    src = home.parent / "src"
    archive = _tar(src / "evil.tar.gz", [_file("fine.txt")] + members)
    with pytest.raises(errors.JnetValueError, match=match):
        get_file("evil", origin=archive.as_uri(), extract=True)
    assert _left_in(home / "datasets") == ["evil_archive"]  # the download, not the folder
    assert not (home.parent / "evil.txt").exists() and not (home / "evil.txt").exists()


def test_unsafe_zip_is_refused(tmp_path):
    archive = _zip(tmp_path / "a.zip", {"ok.txt": b"x", "../evil.txt": b"x"})
    with pytest.raises(errors.JnetValueError, match=r"\.\./evil.txt from a.zip: its path leaves"):
        file_utils.extract_archive(archive, tmp_path / "out")
    assert _left_in(tmp_path) == ["a.zip"]


@pytest.mark.parametrize("cap, value, match", [
    ("MAX_EXTRACTED_BYTES", 1000, "more than MAX_EXTRACTED_BYTES=1000 bytes"),
    ("MAX_ARCHIVE_MEMBERS", 2, "more than MAX_ARCHIVE_MEMBERS=2 members"),
])
@pytest.mark.parametrize("kind", ["tar", "zip"])
def test_archive_bombs_stop_at_the_caps(tmp_path, monkeypatch, cap, value, match, kind):
    monkeypatch.setattr(archives, cap, value)
    members = {f"m{i}.bin": bytes(600) for i in range(3)}
    if kind == "tar":
        archive = _tar(tmp_path / "bomb.tar.gz", [_file(k, v) for k, v in members.items()])
    else:
        archive = _zip(tmp_path / "bomb.zip", members)
    with pytest.raises(errors.JnetValueError, match=match):
        file_utils.extract_archive(archive, tmp_path / "out")
    assert _left_in(tmp_path) == [archive.name]


def test_extraction_replaces_the_previous_folder(tmp_path):
    archive = _zip(tmp_path / "a.zip", {"new.txt": b"n"})
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("o")
    assert file_utils.extract_archive(archive, tmp_path / "out", archive_format="zip")
    assert _left_in(tmp_path / "out") == ["new.txt"]
    assert not file_utils.extract_archive(archive, tmp_path / "t", archive_format="tar")
    assert not file_utils.extract_archive(archive, tmp_path / "t", archive_format=None)


def test_hash_and_validate_file(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(PAYLOAD)
    assert file_utils.hash_file(path) == _sha256(PAYLOAD)
    assert file_utils.hash_file(path, "md5") == _md5(PAYLOAD)
    assert file_utils.validate_file(path, _sha256(PAYLOAD))
    assert file_utils.validate_file(path, _md5(PAYLOAD))
    assert not file_utils.validate_file(path, _md5(PAYLOAD), algorithm="sha256")


def test_keras_home_reads_the_environment_now(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    assert file_utils.keras_home() == str(tmp_path / "kh")
    monkeypatch.delenv("KERAS_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert file_utils.keras_home() == str(tmp_path / ".keras")


def test_leftovers_of_killed_downloads_are_removed(home):
    datasets = home / "datasets"
    datasets.mkdir(parents=True)
    dead = 2**22 + 1  # above Linux's largest pid: no such process
    (datasets / f".data.bin.jnet-{dead}-x1.part").write_bytes(b"half")
    (datasets / f".data.bin.jnet-{os.getpid()}-x2.part").write_bytes(b"being written")
    (datasets / f".other.bin.jnet-{dead}-x3.part").write_bytes(b"another file's")
    (datasets / f".bundle.jnet-{dead}-x4.part").mkdir()  # a killed extraction
    get_file(origin=_origin(home))
    archive = _archives(home.parent / "src")["zip"]
    get_file("bundle", origin=archive.as_uri(), extract=True)
    assert _left_in(datasets) == [f".data.bin.jnet-{os.getpid()}-x2.part",
                                  f".other.bin.jnet-{dead}-x3.part", "bundle", "bundle_archive",
                                  "data.bin"]


class _Truncating(_Quiet):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"only ten b")
        self.close_connection = True


def test_truncated_download_raises_and_leaves_nothing(home):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Truncating)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        with pytest.raises(errors.JnetError, match="closed after 10 of 1000 bytes"):
            get_file(origin=f"http://127.0.0.1:{httpd.server_address[1]}/data.bin")
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
    assert _left_in(home / "datasets") == []
    downloaded = get_file(origin=_origin(home))
    (home / "plain").write_bytes(b"")
    assert os.stat(downloaded).st_mode == os.stat(home / "plain").st_mode  # open()'s mode
