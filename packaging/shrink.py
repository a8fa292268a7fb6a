"""Linux bundle diet, run by build.py after PyInstaller: stub OpenCV's FFmpeg, OpenBLAS and libavif, trim
Qt's ICU data, drop system libraries only the GTK theme links, link duplicate libraries, strip symbols. Each
step keeps every feature Hearth has; packaging/README.md has the figures and the reasons.

    python packaging/shrink.py dist/hearth     # rerun the steps on a built bundle (idempotent)
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ELF_MAGIC = b"\x7fELF"

# OpenCV's wheel links libraries for features Hearth never calls: FFmpeg for cv2.VideoCapture and
# VideoWriter (Hearth reads and writes still images; cv2.imwrite of PNG/JPEG does not touch FFmpeg), and
# OpenBLAS for linear algebra (cv2.solve, invert, SVD, gemm, findHomography, ...), and libavif for AVIF
# images in cv2.imread/imwrite (Hearth reads images with Pillow, which has no AVIF in the bundle either, and
# writes PNG). These are linked by cv2.abi3.so itself and are replaced by stubs; what only they pulled in
# (libvpx, libswresample, OpenSSL 1.1, libdrm, libgfortran, libquadmath, libaom) goes with them. OPENCV_CALLS lists the cv2 functions Hearth
# uses; tests/packaging/test_opencv_calls.py fails when the code calls one not on it, and the frozen
# self-test and `hearth detect --save-annotated` run them all in the bundle.
OPENCV_LIBS = "opencv_python_headless.libs"
OPENCV_STUBS = {
    "libavcodec-": "video support of OpenCV",
    "libavformat-": "video support of OpenCV",
    "libavutil-": "video support of OpenCV",
    "libswscale-": "video support of OpenCV",
    "libopenblas": "linear algebra of OpenCV (BLAS/LAPACK)",
    "libavif-": "AVIF images of OpenCV",
}
# Stubbed functions that answer NULL instead of aborting: OpenCV builds every codec once, at the first
# cv2.imwrite of any format, and its AVIF encoder's constructor calls avifEncoderCreate (the pointer is used
# only when writing .avif); checking a file's signature calls avifDecoderCreate and treats NULL as "not
# AVIF". NULL is libavif's own answer when it cannot allocate, so PNG and JPEG work as before.
STUB_ANSWERS_NULL = {"avifEncoderCreate", "avifDecoderCreate"}
OPENCV_CALLS = {
    "resize", "copyMakeBorder", "dnn.NMSBoxesBatched", "rectangle", "putText", "getTextSize", "cvtColor",
    "imwrite",
}
STUB_MARK = b"is not in this bundle"
# Top-level libraries the Qt GTK theme plugin alone links (cairo, pango, gdk-pixbuf, ...). The plugin
# works only where the system has GTK 3 (libgtk-3 itself was never bundled), and there it must use the
# system's cairo and pango that GTK was built with, not copies from the build machine.
SYSTEM_STACK_USERS = ("PySide6/Qt/plugins/platformthemes/libqgtk3.so",)

# Qt 6 calls ICU for case mapping, collation (ucol_*), converters (ucnv_*) and time-zone names (ucal_*)
# only (the ICU symbols libQt6Core imports). Break iteration, transliteration, number spelling, IDNA,
# stringprep, spoof checks, character names and the display names of units, currencies, languages and
# regions are never reached. Converters serve QStringDecoder/QStringEncoder for named legacy encodings,
# which Hearth never creates (documents are decoded in Python). Time-zone names (QTimeZone::displayName,
# unused) and per-locale formatting bundles stay for English and Chinese only (ICU falls back to root).
# Collation stays whole: Qt's file dialog sorts names with it in the user's language.
ICU_UNUSED_TREES = ("brkitr", "translit", "rbnf", "unit", "curr", "lang", "region")
ICU_UNUSED_SUFFIXES = (".cnv", ".spp", ".cfu")
ICU_UNUSED_ITEMS = ("unames.icu", "uts46.nrm", "ulayout.icu", "uemoji.icu")
ICU_LOCALE_TREES = ("", "zone")  # the top level and zone/: only ICU_KEPT_LOCALES
ICU_KEPT_LOCALES = ("root", "en", "zh")
LOCALE_BUNDLE = re.compile(r"[a-z]{2,3}(_\w+)?\.res")


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with open(path, "rb") as handle:
        return handle.read(4) == ELF_MAGIC


def loadable(path: Path) -> bool:
    """The check ld.so makes first: every PT_LOAD segment's file offset and address agree modulo its
    alignment. strip breaks that in some libraries patchelf rewrote (auditwheel's), e.g. numpy's OpenBLAS."""
    headers = subprocess.run(["readelf", "-lW", str(path)], capture_output=True, text=True)
    if headers.returncode != 0:
        return False
    for line in headers.stdout.splitlines():
        fields = line.split()
        if fields[:1] == ["LOAD"]:
            offset, address, align = int(fields[1], 16), int(fields[2], 16), int(fields[-1], 16)
            if align > 1 and offset % align != address % align:
                return False
    return True


def strip_binaries(bundle: Path) -> tuple[int, list[str]]:
    """Drops symbol tables and debug info (`strip --strip-unneeded`) from every ELF file; the dynamic
    symbols the loader needs stay. A file that would no longer load keeps its symbols.
    Returns the bytes saved and the files left as they were."""
    strip = shutil.which("strip")
    if strip is None:
        print("strip not found: the bundle keeps its debug symbols", file=sys.stderr)
        return 0, []
    saved, kept = 0, []
    with tempfile.TemporaryDirectory() as work:
        stripped = Path(work) / "stripped"
        for path in sorted(bundle.rglob("*")):
            if not is_elf(path):
                continue
            done = subprocess.run([strip, "--strip-unneeded", "-o", str(stripped), str(path)], capture_output=True)
            if done.returncode != 0 or not loadable(stripped):
                kept.append(str(path.relative_to(bundle)))
                continue
            if stripped.stat().st_size < path.stat().st_size:
                saved += path.stat().st_size - stripped.stat().st_size
                mode = path.stat().st_mode
                shutil.copyfile(stripped, path)
                path.chmod(mode)
    return saved, kept


# --- ICU -------------------------------------------------------------------------------------------


def icu_items(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """ICU common data (the icudtNN_dat symbol): a header, a table of contents, then the items."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD":
        raise ValueError("not ICU common data")
    toc = header_size
    count = struct.unpack_from("<I", blob, toc)[0]
    entries = [struct.unpack_from("<II", blob, toc + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(entries):
        name_start = toc + name_at
        name = blob[name_start : blob.index(b"\0", name_start)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(blob) - toc
        items.append((name, blob[toc + data_at : toc + end]))
    return blob[:header_size], items


def icu_pack(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The inverse of icu_items: names after the table, each item 16-byte aligned and padded with 0xaa,
    as ICU's own pkgdata writes it (so unpacking and packing the real data gives it back byte for byte)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table_size = 4 + 8 * len(items)
    data_start = -(-(table_size + len(names)) // 16) * 16
    table, blobs, name_at, data_at = [struct.pack("<I", len(items))], [], table_size, data_start
    for name, data in items:
        table.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        padded = data + b"\xaa" * (-len(data) % 16)
        blobs.append(padded)
        data_at += len(padded)
    body = b"".join(table) + names
    return header + body + b"\xaa" * (data_start - len(body)) + b"".join(blobs)


def icu_keep(name: str) -> bool:
    parts = name.split("/")[1:]  # drop the "icudt73l" package prefix
    tree, leaf = "/".join(parts[:-1]), parts[-1]
    if tree in ICU_UNUSED_TREES or (tree == "" and (leaf.endswith(ICU_UNUSED_SUFFIXES) or leaf in ICU_UNUSED_ITEMS)):
        return False
    if tree in ICU_LOCALE_TREES and LOCALE_BUNDLE.fullmatch(leaf) and leaf != "res_index.res":
        return leaf.split(".")[0].split("_")[0] in ICU_KEPT_LOCALES
    return True


def elf_symbol(library: Path, symbol: str) -> tuple[int, int, int]:
    """(file offset, size, address) of a data symbol, from readelf."""
    symbols = subprocess.run(["readelf", "-W", "--dyn-syms", str(library)], check=True, capture_output=True, text=True).stdout
    match = re.search(rf"^\s*\d+:\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+DEFAULT\s+\d+\s+{symbol}$", symbols, re.M)
    if not match:
        raise ValueError(f"{symbol} not found in {library}")
    address, size = int(match.group(1), 16), int(match.group(2), 0)
    sections = subprocess.run(["readelf", "-W", "-S", str(library)], check=True, capture_output=True, text=True).stdout
    for line in sections.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] == ".rodata":
            section_address, section_offset = int(fields[3], 16), int(fields[4], 16)
            return address - section_address + section_offset, size, address
    raise ValueError(f"no .rodata in {library}")


def trim_icu_data(library: Path, compiler: str) -> int:
    """Rebuilds libicudataNN.so with the items Qt can reach; same soname, same one symbol."""
    symbol = re.sub(r"libicudata\.so\.(\d+).*", r"icudt\1_dat", library.name)
    offset, size, _ = elf_symbol(library, symbol)
    blob = library.read_bytes()[offset : offset + size]
    header, items = icu_items(blob)
    kept = [(name, data) for name, data in items if icu_keep(name)]
    if len(kept) == len(items):
        return 0  # already trimmed
    with tempfile.TemporaryDirectory() as work:
        data, source, output = Path(work) / "icu.dat", Path(work) / "icu.S", Path(work) / library.name
        data.write_bytes(icu_pack(header, kept))
        source.write_text(
            f'.section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign 16\n{symbol}:\n'
            f'.incbin "{data}"\n.size {symbol}, . - {symbol}\n.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run([compiler, "-shared", "-nostdlib", "-s", f"-Wl,-soname,{library.name}", "-o", str(output), str(source)], check=True)
        before = library.stat().st_size
        shutil.copyfile(output, library)
    return before - library.stat().st_size


# --- OpenCV's video libraries ---------------------------------------------------------------------


def dynamic_symbols(library: Path) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """({defined name: (kind DF/DO, version)}, {imported names}) from objdump -T."""
    table = subprocess.run(["objdump", "-T", str(library)], check=True, capture_output=True, text=True).stdout
    defined, imported = {}, set()
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 6 or not re.fullmatch(r"[0-9a-f]{16}", fields[0]):
            continue
        if "*UND*" in fields:
            imported.add(fields[-1])
        elif fields[-2] != "*ABS*" and ("DF" in fields or "DO" in fields):
            defined[fields[-1]] = ("DF" if "DF" in fields else "DO", fields[-2].strip("()"))
    return defined, imported


def dynamic_section(library: Path) -> str:
    return subprocess.run(["readelf", "-d", str(library)], check=True, capture_output=True, text=True).stdout


def soname(library: Path) -> str:
    match = re.search(r"\(SONAME\).*\[(.+)\]", dynamic_section(library))
    return match.group(1) if match else library.name


def needed(library: Path) -> set[str]:
    return set(re.findall(r"\(NEEDED\).*\[(.+)\]", dynamic_section(library)))


def write_stub(library: Path, wanted: set[str], reason: str, compiler: str) -> None:
    """A library with the same soname and the versioned functions the bundle imports from it; each says
    what is missing and aborts (those in STUB_ANSWERS_NULL return NULL). cv2.abi3.so loads (its dependencies
    resolve) but Hearth never calls them."""
    defined, _ = dynamic_symbols(library)
    functions: dict[str, list[str]] = {}
    for name in sorted(wanted & defined.keys()):
        kind, version = defined[name]
        if kind != "DF":
            raise SystemExit(f"{library.name}: the bundle imports the data symbol {name}; it cannot be stubbed")
        functions.setdefault(version, []).append(name)
    with tempfile.TemporaryDirectory() as work:
        source, script, output = Path(work) / "stub.c", Path(work) / "stub.map", Path(work) / library.name
        message = f"Hearth: %s ({reason}, {library.name}) {STUB_MARK.decode()}.\\n"
        lines = [
            "#include <stdio.h>\n#include <stdlib.h>\n",
            f'static void missing(const char *name) {{ fprintf(stderr, "{message}", name); abort(); }}\n',
        ]
        nodes = []
        for version, names in sorted(functions.items()):
            lines += [
                f"void *{name}(void) {{ return 0; }}\n" if name in STUB_ANSWERS_NULL else f'void {name}(void) {{ missing("{name}"); }}\n'
                for name in names
            ]
            if version != "Base":
                nodes.append(f"{version} {{ global: {'; '.join(names)}; }};\n")
        source.write_text("".join(lines))
        command = [compiler, "-shared", "-fPIC", "-O1", "-s", f"-Wl,-soname,{soname(library)}", "-o", str(output), str(source)]
        if nodes:
            script.write_text("".join(nodes))
            command.insert(-1, f"-Wl,--version-script={script}")
        subprocess.run(command, check=True)
        shutil.copyfile(output, library)


def is_stub(library: Path) -> bool:
    return STUB_MARK in library.read_bytes()


def elf_files(internal: Path) -> list[Path]:
    return [p for p in internal.rglob("*") if is_elf(p)]


def prune(candidates, internal: Path, ignore_users=()) -> list[Path]:
    """Deletes candidate libraries no remaining ELF file links (ignoring ignore_users), until none is left."""
    removed = []
    while True:
        users = [p for p in elf_files(internal) if str(p.relative_to(internal)) not in ignore_users]
        wanted = set().union(*(needed(p) for p in users))
        unused = [p for p in candidates() if p.exists() and p.name not in wanted and soname(p) not in wanted]
        if not unused:
            return removed
        for library in unused:
            library.unlink()
        removed += unused


def stub_opencv_libraries(internal: Path, compiler: str) -> int:
    folder = internal / OPENCV_LIBS
    if not folder.is_dir():
        return 0
    before = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    imported = set().union(*(dynamic_symbols(p)[1] for p in elf_files(internal) if p.parent != folder or not is_stub(p)))
    for library in sorted(folder.iterdir()):
        reason = next((why for prefix, why in OPENCV_STUBS.items() if library.name.startswith(prefix)), None)
        if reason and not is_stub(library):
            write_stub(library, imported, reason, compiler)
    prune(lambda: [p for p in folder.iterdir() if p.is_file()], internal)
    return before - sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def prune_system_stack(internal: Path) -> int:
    def candidates():
        return [p for p in internal.glob("lib*.so*") if is_elf(p) and not p.name.startswith("libpython")]

    before = sum(p.stat().st_size for p in candidates())
    prune(candidates, internal, SYSTEM_STACK_USERS)
    return before - sum(p.stat().st_size for p in candidates())


def link_duplicates(internal: Path) -> int:
    """Byte-identical copies of one library become one file and relative links to it: llama_cpp opens
    lib/libllama.so by name and llama-server links its soname, libllama.so.0 (the wheel has copies, not links),
    and PyInstaller copies a library llama-server links to the top level as well. The file named as its soname,
    deepest in a package folder, stays real (PyInstaller's own top-level links point the same way).
    Returns the bytes saved."""
    groups: dict[tuple, list[Path]] = {}
    for path in elf_files(internal):
        groups.setdefault((path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest()), []).append(path)
    saved = 0
    for copies in groups.values():
        if len(copies) < 2:
            continue
        real = min(copies, key=lambda p: (soname(p) != p.name, -len(p.relative_to(internal).parts), str(p)))
        for copy in copies:
            if copy != real:
                saved += copy.stat().st_size
                copy.unlink()
                copy.symlink_to(os.path.relpath(real, copy.parent))
    return saved


def shrink(bundle: Path) -> dict[str, int]:
    """Every step, in an order where each measures its own saving; returns bytes saved per step."""
    internal = bundle / "_internal"
    compiler = shutil.which("cc") or shutil.which("gcc")
    saved = {}
    if compiler:
        saved["opencv stubs"] = stub_opencv_libraries(internal, compiler)
        for library in (internal / "PySide6" / "Qt" / "lib").glob("libicudata.so.*"):
            saved["icu data"] = trim_icu_data(library, compiler)
    else:
        print("no C compiler: OpenCV's video libraries and Qt's full ICU data stay in the bundle", file=sys.stderr)
    saved["system libraries only the GTK theme links"] = prune_system_stack(internal)
    saved["duplicate libraries linked"] = link_duplicates(internal)
    for link in internal.glob("*"):  # PyInstaller's top-level links to libraries removed above
        if link.is_symlink() and not link.exists():
            link.unlink()
    saved["strip"], unstripped = strip_binaries(bundle)
    for name in unstripped:
        print(f"not stripped (it would not load): {name}", file=sys.stderr)
    return saved


def main(argv: list[str]) -> int:
    bundle = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "dist" / "hearth"
    for step, size in shrink(bundle).items():
        print(f"{step}: {size / 1e6:.1f} MB saved")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
