"""Folders of mixed files, walked recursively in a stable order with include/exclude globs.

The walk is a generator over `os.scandir`, so a folder of a million files is never listed in
memory at once beyond one directory's entries. Hidden files and folders (".git", ".DS_Store")
are skipped, and symbolic links to folders are not followed (no loops).
"""
from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator, Sequence
from pathlib import Path


def _matches(relative: str, patterns: Sequence[str]) -> bool:
    """A glob matches the path relative to the folder ("2025/*.html") or the file name
    ("*.html"); "**/" prefixes are accepted and mean any depth."""
    name = relative.rsplit("/", 1)[-1]
    for pattern in patterns:
        bare = pattern[3:] if pattern.startswith("**/") else pattern
        if fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(relative, bare) \
                or fnmatch.fnmatchcase(name, bare):
            return True
    return False


def walk_folder(root: Path, include: Sequence[str] = (), exclude: Sequence[str] = ()
                ) -> Iterator[Path]:
    """Files under `root`, filtered by the globs (an empty `include` takes every file;
    `exclude` wins over `include`). Each folder's files come in name order, then its
    sub-folders in name order, so two runs over the same tree read the same sequence."""
    stack: list[tuple[Path, str]] = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue  # an unreadable sub-folder: the caller sees the files it can read
        subfolders: list[tuple[Path, str]] = []
        for entry in listed:
            if entry.name.startswith("."):
                continue
            relative = f"{prefix}{entry.name}"
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not _matches(relative, exclude):
                        subfolders.append((Path(entry.path), relative + "/"))
                    continue
                if not entry.is_file():
                    continue
            except OSError:
                continue
            if include and not _matches(relative, include):
                continue
            if _matches(relative, exclude):
                continue
            yield Path(entry.path)
        stack.extend(reversed(subfolders))
