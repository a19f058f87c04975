"""The one way the tool reads a YAML file (rubric profiles, word lists, ``projects.yaml``).

A YAML file is user input and can be hostile or careless. :func:`load_yaml`:

- refuses what is not a regular file (a folder given as ``--rules``, a FIFO that would block the
  read forever, a device) and a file over ``max_bytes``, before reading it;
- decodes UTF-8 (a BOM is allowed) and otherwise says, in Chinese and at ``file › 第N行``, whether
  the file looks binary or is in another encoding (GBK, as Chinese Windows editors save);
- refuses aliases (``*name``): an alias bomb ("billion laughs") is a few hundred bytes that expand
  to gigabytes when the loaded value is walked; no file of this tool needs them;
- refuses nesting deeper than :data:`MAX_DEPTH` (the parser recurses);
- turns every YAML error into a :class:`~scoring.findings.ScoreError` with the line.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.yaml"
>>> _ = p.write_text("a: &x [1, 2]\\nb: *x\\n", encoding="utf-8")
>>> try:
...     load_yaml(p, what="评分规则文件")
... except ScoreError as exc:
...     print(exc.where.endswith("a.yaml › 第2行"), "别名" in exc.message)
True True
"""

from __future__ import annotations

import os
import re
import stat

import yaml

from scoring.findings import ScoreError, place

SMALL_YAML_BYTES = 4 * 1024**2  # a rubric profile or a word list is a few KB
TARGETS_YAML_BYTES = 512 * 1024**2  # projects.yaml of a million indicators is about 40 MB
MAX_DEPTH = 64

_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TEXT = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
# a cheap filter: text that could hold an alias token (a * after a space, a flow bracket, a dash or a colon)
_MAYBE_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s\]},]")
_MAYBE_DEEP = re.compile(rf"(?:[\[{{]\s*){{{MAX_DEPTH}}}|(?:-[ \t]+){{{MAX_DEPTH}}}")


def regular_file(path: str | os.PathLike, what: str, *, max_bytes: int | None = None,
                 hint: str | None = None) -> os.stat_result:
    """``stat`` of ``path``, or a :class:`ScoreError` when it is missing, not a regular file, or too big.
    Never opens the file (opening a FIFO blocks)."""
    where = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ScoreError(f"找不到{what}", where=where, hint=hint) from None
    except OSError as exc:
        raise ScoreError(f"无法读取{what}：{exc.strerror or exc}", where=where) from None
    if stat.S_ISDIR(st.st_mode):
        raise ScoreError(f"这是一个文件夹，不是{what}", where=where, hint=hint or "请给出文件的路径")
    if not stat.S_ISREG(st.st_mode):
        raise ScoreError(f"这不是普通文件（是管道、设备或套接字），不能作为{what}读取", where=where,
                         hint="请给出磁盘上的普通文件")
    if max_bytes is not None and st.st_size > max_bytes:
        raise ScoreError(f"{what}有 {st.st_size / 1024**2:,.1f} MB，超出安全限度 {max_bytes / 1024**2:,.0f} MB",
                         where=where, hint="请确认文件来源，或把内容拆分")
    return st


def read_text(path: str | os.PathLike, what: str, *, max_bytes: int = SMALL_YAML_BYTES,
              hint: str | None = None) -> str:
    """The text of a UTF-8 file, refused (Chinese message at file › 第N行) when binary or in another encoding."""
    regular_file(path, what, max_bytes=max_bytes, hint=hint)
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise ScoreError(f"无法读取{what}：{exc.strerror or exc}", where=str(path)) from None
    if len(data) > max_bytes:
        raise ScoreError(f"{what}超出安全限度 {max_bytes / 1024**2:,.0f} MB", where=str(path))
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise ScoreError(f"{what}不是文本文件（含有二进制内容）", where=place(path, f"第{line}行"),
                         hint="请确认选对了文件；YAML 文件应当是 UTF-8 编码的文本")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            found = "像是 GBK/GB18030 编码"
        except UnicodeDecodeError:
            found = "编码无法识别，可能是二进制文件"
        raise ScoreError(f"{what}不是 UTF-8 编码（{found}）", where=place(path, f"第{line}行"),
                         hint="请用文本编辑器（如记事本“另存为”）选择 UTF-8 编码保存") from None
    return text


def load_yaml(path: str | os.PathLike, *, what: str = "YAML 文件", max_bytes: int = SMALL_YAML_BYTES,
              text_only: bool = False, hint: str | None = None) -> object:
    """Load one YAML document safely (see the module's notes). ``text_only``: every scalar stays a string
    (the base loader: ``2023`` and ``1e3`` are not guessed into numbers)."""
    return parse_yaml(read_text(path, what, max_bytes=max_bytes, hint=hint), path, what=what, text_only=text_only)


def parse_yaml(text: str, path: str | os.PathLike, *, what: str = "YAML 文件", text_only: bool = False) -> object:
    """:func:`load_yaml` for text already read with :func:`read_text` (``path`` names it in messages)."""
    loader = _TEXT if text_only else _SAFE
    if _MAYBE_ALIAS.search(text) or _MAYBE_DEEP.search(text):
        _refuse_aliases(text, path, what, loader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = place(path, f"第{mark.line + 1}行") if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScoreError(f"{what}不是有效的 YAML：{problem}", where=where,
                         hint="检查缩进和引号；文本里的冒号、井号需要加引号") from None
    except RecursionError:
        raise ScoreError(f"{what}嵌套层数过多", where=str(path), hint=f"嵌套不应超过 {MAX_DEPTH} 层") from None


def _refuse_aliases(text: str, path, what: str, loader) -> None:
    """Walk the parser's events (no values built): an alias or too deep a nesting is refused at its line."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                raise ScoreError(f"{what}中使用了 YAML 别名（*{event.anchor}），本工具不接受",
                                 where=place(path, f"第{event.start_mark.line + 1}行"),
                                 hint="别名可能被用来制造“别名炸弹”耗尽内存；请把内容直接写出来")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ScoreError(f"{what}嵌套超过 {MAX_DEPTH} 层", where=place(path, f"第{event.start_mark.line + 1}行"),
                                     hint="正常的文件不会这样，请确认文件来源")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # the load that follows reports it, with its line
