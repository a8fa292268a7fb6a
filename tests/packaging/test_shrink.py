"""packaging/shrink.py, the Linux bundle diet, on real and on tiny compiled libraries (no bundle build)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the bundle diet is Linux only")


def load_shrink():
    spec = importlib.util.spec_from_file_location("shrink", ROOT / "packaging" / "shrink.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shrink = load_shrink()


def qt_lib() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt" / "lib"


def icu_data_library() -> Path:
    found = sorted(qt_lib().glob("libicudata.so.*"))
    assert found, "PySide6 ships no ICU here; this test describes the Linux wheels"
    return found[0]


def compiler() -> str:
    found = shutil.which("cc") or shutil.which("gcc")
    assert found, "a C compiler is needed to build the Linux bundle (packaging/shrink.py)"
    return found


def test_icu_data_unpacks_and_packs_back_byte_for_byte():
    library = icu_data_library()
    symbol = "icudt" + library.name.split(".so.")[1].split(".")[0] + "_dat"
    offset, size, _ = shrink.elf_symbol(library, symbol)
    blob = library.read_bytes()[offset : offset + size]
    header, items = shrink.icu_items(blob)
    assert len(items) > 1000 and any(name.endswith("/ucadata.icu") for name, _ in items)
    assert shrink.icu_pack(header, items) == blob


def test_icu_keeps_what_qt_calls_and_drops_the_rest():
    keep = shrink.icu_keep
    for name in ("coll/ucadata.icu", "coll/de.res", "coll/zh.res", "cnvalias.icu", "zoneinfo64.res", "metaZones.res",
                 "root.res", "en_GB.res", "zh_Hans_SG.res", "pool.res", "res_index.res", "zone/root.res", "zone/zh.res",
                 "zone/res_index.res", "supplementalData.res", "likelySubtags.res", "pnames.icu", "nfkc.nrm"):
        assert keep(f"icudt73l/{name}"), name
    for name in ("brkitr/cjdict.dict", "translit/root.res", "unit/de.res", "curr/fr.res", "lang/ja.res",
                 "region/es.res", "rbnf/en.res", "ibm-943_P15A-2003.cnv", "gb18030.cnv", "rfc3491.spp",
                 "confusables.cfu", "unames.icu", "de.res", "fr_CA.res", "zone/de.res"):
        assert not keep(f"icudt73l/{name}"), name


def test_qt_collates_cases_and_names_zones_with_the_trimmed_icu_data(tmp_path):
    """libQt6Core's RUNPATH is $ORIGIN, so LD_LIBRARY_PATH puts the trimmed copy in front of the real one."""
    trimmed = tmp_path / icu_data_library().name
    shutil.copyfile(icu_data_library(), trimmed)
    assert shrink.trim_icu_data(trimmed, compiler()) > 10e6
    assert shrink.trim_icu_data(trimmed, compiler()) == 0  # a second run finds nothing to drop
    probe = textwrap.dedent(
        """
        from PySide6.QtCore import QCollator, QLocale, QTimeZone
        print(sorted(["Zebra", "apple", "Äpfel", "zoo"], key=QCollator(QLocale("de_DE")).sortKey))
        print(sorted(["中", "阿", "波"], key=QCollator(QLocale("zh_CN")).sortKey))
        print(QLocale("tr_TR").toUpper("i"), QLocale("en_US").toUpper("straße"))
        print(QTimeZone(b"Europe/Berlin").displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("en_US")))
        """
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=extra | env, timeout=120)
            for extra in ({}, {"LD_LIBRARY_PATH": str(tmp_path)})]
    assert [run.returncode for run in runs] == [0, 0], runs[1].stderr
    assert runs[1].stdout == runs[0].stdout  # the same answers as with the whole ICU data
    lines = runs[1].stdout.splitlines()
    assert lines[0] == "['Äpfel', 'apple', 'Zebra', 'zoo']"  # German order, not code points
    assert lines[1] != str(sorted(["中", "阿", "波"]))  # pinyin, not code points
    assert lines[2] == "İ STRASSE"
    assert "Central European" in lines[3]


def test_the_probe_really_loads_the_trimmed_copy(tmp_path):
    trimmed = tmp_path / icu_data_library().name
    shutil.copyfile(icu_data_library(), trimmed)
    shrink.trim_icu_data(trimmed, compiler())
    probe = "import PySide6.QtCore; print(open('/proc/self/maps').read())"
    env = {"LD_LIBRARY_PATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert str(trimmed) in done.stdout


@pytest.fixture
def video_library(tmp_path):
    """libvideo.so.1 with a versioned function, and libapp.so that links it and calls it when asked."""
    cc = compiler()
    (tmp_path / "video.c").write_text("int decode_frame(int x) { return x * 2; }\nint unused_extra(void) { return 7; }\n")
    (tmp_path / "video.map").write_text("VIDEO_1 { global: decode_frame; unused_extra; local: *; };\n")
    subprocess.run([cc, "-shared", "-fPIC", "-o", tmp_path / "libvideo.so.1", "-Wl,-soname,libvideo.so.1",
                    f"-Wl,--version-script={tmp_path / 'video.map'}", tmp_path / "video.c"], check=True)
    (tmp_path / "app.c").write_text("int decode_frame(int);\nint app_ok(void) { return 42; }\nint app_video(void) { return decode_frame(21); }\n")
    subprocess.run([cc, "-shared", "-fPIC", "-o", tmp_path / "libapp.so", tmp_path / "app.c", f"-L{tmp_path}",
                    "-l:libvideo.so.1", "-Wl,-rpath,$ORIGIN"], check=True)
    return tmp_path


def call(folder: Path, function: str) -> subprocess.CompletedProcess:
    code = f"import ctypes; print(getattr(ctypes.CDLL({str(folder / 'libapp.so')!r}, mode=ctypes.RTLD_GLOBAL), {function!r})())"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_a_stub_loads_in_place_of_the_library_and_aborts_with_a_sentence_when_called(video_library):
    assert call(video_library, "app_video").stdout.strip() == "42"
    wanted = shrink.dynamic_symbols(video_library / "libapp.so")[1]
    shrink.write_stub(video_library / "libvideo.so.1", wanted, "video support", compiler())
    assert shrink.is_stub(video_library / "libvideo.so.1")
    assert shrink.soname(video_library / "libvideo.so.1") == "libvideo.so.1"
    defined = shrink.dynamic_symbols(video_library / "libvideo.so.1")[0]
    assert defined["decode_frame"] == ("DF", "VIDEO_1") and "unused_extra" not in defined
    assert call(video_library, "app_ok").stdout.strip() == "42"  # loads: every symbol resolves
    done = call(video_library, "app_video")
    assert done.returncode != 0
    assert "decode_frame (video support, libvideo.so.1) is not in this bundle" in done.stderr


def test_a_stubbed_constructor_in_stub_answers_null_returns_null_and_the_rest_still_aborts(tmp_path):
    """OpenCV creates its AVIF encoder whenever it writes any image: avifEncoderCreate must answer NULL."""
    cc = compiler()
    (tmp_path / "codec.c").write_text("static int x;\nvoid *avifEncoderCreate(void) { return &x; }\nint avifEncoderFinish(void) { return 1; }\n")
    (tmp_path / "codec.map").write_text("AVIF_1 { global: avifEncoderCreate; avifEncoderFinish; local: *; };\n")
    subprocess.run([cc, "-shared", "-fPIC", "-o", tmp_path / "libcodec.so.1", "-Wl,-soname,libcodec.so.1",
                    f"-Wl,--version-script={tmp_path / 'codec.map'}", tmp_path / "codec.c"], check=True)
    (tmp_path / "app.c").write_text(
        "void *avifEncoderCreate(void);\nint avifEncoderFinish(void);\n"
        "int app_ok(void) { return avifEncoderCreate() == 0 ? 42 : 7; }\nint app_video(void) { return avifEncoderFinish(); }\n"
    )
    subprocess.run([cc, "-shared", "-fPIC", "-o", tmp_path / "libapp.so", tmp_path / "app.c", f"-L{tmp_path}",
                    "-l:libcodec.so.1", "-Wl,-rpath,$ORIGIN"], check=True)
    assert call(tmp_path, "app_ok").stdout.strip() == "7"  # the real library answers a pointer
    wanted = shrink.dynamic_symbols(tmp_path / "libapp.so")[1]
    shrink.write_stub(tmp_path / "libcodec.so.1", wanted, "AVIF images", cc)
    assert "avifEncoderCreate" in shrink.STUB_ANSWERS_NULL
    assert call(tmp_path, "app_ok").stdout.strip() == "42"  # NULL, and no abort
    done = call(tmp_path, "app_video")
    assert done.returncode != 0 and "avifEncoderFinish (AVIF images, libcodec.so.1) is not in this bundle" in done.stderr


def test_prune_removes_libraries_nothing_links_any_more(video_library):
    subprocess.run([compiler(), "-shared", "-fPIC", "-o", video_library / "liborphan.so.1", "-Wl,-soname,liborphan.so.1",
                    video_library / "video.c"], check=True)
    candidates = lambda: [p for p in video_library.glob("lib*.so*") if p.name != "libapp.so"]  # noqa: E731
    removed = shrink.prune(candidates, video_library)
    assert [p.name for p in removed] == ["liborphan.so.1"]
    assert (video_library / "libvideo.so.1").exists()  # libapp.so links it
    removed = shrink.prune(candidates, video_library, ignore_users=("libapp.so",))
    assert [p.name for p in removed] == ["libvideo.so.1"]


def test_duplicate_copies_of_a_library_become_links_to_the_file_named_as_its_soname(video_library):
    library = video_library / "libvideo.so.1"
    shutil.copyfile(library, video_library / "libvideo.so")  # as llama-cpp-python's wheel ships libllama.so
    size = library.stat().st_size
    assert shrink.link_duplicates(video_library) == size
    assert (video_library / "libvideo.so").is_symlink() and not library.is_symlink()
    assert (video_library / "libvideo.so").readlink() == Path("libvideo.so.1")  # relative: the bundle moves
    assert call(video_library, "app_video").stdout.strip() == "42"
    assert shrink.link_duplicates(video_library) == 0  # idempotent
    (video_library / "sub").mkdir()  # PyInstaller's top-level copy of a library that lives in a package folder
    shutil.copyfile(library, video_library / "sub" / "libvideo.so.1")
    assert shrink.link_duplicates(video_library) == size
    assert library.is_symlink() and library.readlink() == Path("sub/libvideo.so.1")
    assert call(video_library, "app_video").stdout.strip() == "42"


def test_strip_keeps_a_library_working_and_loadable(video_library):
    before = (video_library / "libvideo.so.1").stat().st_size
    saved, kept = shrink.strip_binaries(video_library)
    assert kept == [] and saved > 0 and (video_library / "libvideo.so.1").stat().st_size < before
    assert shrink.loadable(video_library / "libvideo.so.1")
    assert call(video_library, "app_video").stdout.strip() == "42"


def test_loadable_rejects_what_strip_makes_of_numpys_openblas(tmp_path):
    """numpy's OpenBLAS (rewritten by auditwheel's patchelf) no longer loads once stripped: ld.so says
    'ELF load command address/offset not page-aligned'. strip_binaries keeps such files as they were."""
    import numpy

    library = next((Path(numpy.__file__).parent.parent / "numpy.libs").glob("libscipy_openblas*.so"))
    assert shrink.loadable(library)
    stripped = tmp_path / library.name
    subprocess.run(["strip", "--strip-unneeded", "-o", stripped, library], check=True)
    assert not shrink.loadable(stripped)
    code = f"import ctypes; ctypes.CDLL({str(stripped)!r})"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "not page-aligned" in done.stderr  # what loadable() predicts, said by the real loader
