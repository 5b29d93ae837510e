"""What the CI recipes in examples/ install is enough to build decks and handouts, and they
install slidegen from where it is (not from PyPI, where it is not published).

- The system packages each recipe installs with apt-get cover the shared libraries slidegen's
  dependencies load at run time (cairocffi for cairosvg: SVG figures on slides; WeasyPrint:
  the PDFs), as dpkg on this machine maps them to packages; so do those of `.ci/setup`'s
  default, light set-up. Without libcairo a deck silently loses every SVG figure (a warning,
  exit code 0).
- pip installs whatever SLIDEGEN_SPEC names, as one argument; unset, empty or still naming
  the placeholder OWNER, the recipe stops at once with a message that says what to set.
- (render, slow) The recipe's install script, run for real with apt-get stubbed out, installs
  slidegen into a brand-new virtual environment from a git URL of this checkout, and that
  slidegen builds a lesson with an SVG figure into a deck that shows it, without a warning.
"""
from __future__ import annotations

import ast
import functools
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap

import pytest
from conftest import REPO, copy_sources
from recipekit import EXAMPLES, load, shell_scripts

RECIPES = ("github-actions.yml", "bitbucket-pipelines.yml")
SETUP = os.path.join(REPO, ".ci", "setup")
# The shell each service runs a script in: GitHub's `run:` is `bash -e {0}` on Linux; a
# Bitbucket script line runs in the image's shell, held here to plain POSIX sh.
SHELL = {"github-actions.yml": ["bash", "-e", "-c"], "bitbucket-pipelines.yml": ["sh", "-c"]}
SPEC = "SLIDEGEN_SPEC"

# WeasyPrint loads HarfBuzz's subsetter only if it is there, and warns without it that future
# versions will need it; the recipes install it.
ALSO_NEEDED = {"libharfbuzz-subset.so.0"}
# Whatever the dependencies' sources say, these at least: the libraries the issue was about.
AT_LEAST = {"libcairo.so.2", "libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz-subset.so.0"}

SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">'
       b'<rect x="5" y="5" width="110" height="50" fill="#e8710a"/>'
       b'<text x="60" y="36" font-size="14" text-anchor="middle">A to B</text></svg>')


# -- reading the recipes -------------------------------------------------------------------------

def install_script(name: str) -> str:
    """The one script of a recipe that installs slidegen (Bitbucket repeats it by an alias)."""
    found = {s for s in shell_scripts(load(name)) if "pip install" in s}
    assert len(found) == 1, found
    return found.pop()


def commands(script: str) -> list[list[str]]:
    """The simple commands of a script, as argument lists: backslash continuations joined, split
    at newlines and at the shell's operators (`&&`, `||`, `;`, `;;`, `|`, parentheses)."""
    out = []
    for line in re.sub(r"\\\n", " ", script).splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        current: list[str] = []
        for word in [*lexer, ";"]:
            if word and set(word) <= set("&|;()<>"):
                if current:
                    out.append(current)
                current = []
            else:
                current.append(word)
    return out


def apt_packages(script: str) -> list[str]:
    """The packages of every `apt-get install` (with or without sudo) in a script."""
    packages = []
    for cmd in commands(script):
        if cmd[:1] == ["sudo"]:
            cmd = cmd[1:]
        if cmd[:1] == ["apt-get"] and "install" in cmd:
            packages += [w for w in cmd[cmd.index("install") + 1:] if not w.startswith("-")]
    return packages


def pip_installs(script: str) -> list[list[str]]:
    """The `pip install …` commands of a script, however pip is named."""
    return [cmd for cmd in commands(script)
            if (cmd[:1] in (["pip"], ["pip3"]) and cmd[1:2] == ["install"])
            or (cmd[1:4] == ["-m", "pip", "install"] and cmd[0].startswith("python"))]


def setup_packages(*options: str) -> list[str]:
    result = subprocess.run(["bash", SETUP, *options, "--list"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_commands_are_split_at_the_shells_operators():
    script = ('case "$X" in ""|*/OWNER/*) echo "a && b" >&2; exit 1;; esac; apt-get update &&\n'
              'sudo apt-get install -y -q \\\n  libcairo2 fonts-x && pip install -q "$X"\n')
    assert commands(script) == [["case", "$X", "in", ""], ["*/OWNER/*"], ["echo", "a && b"],
                                ["2"], ["exit", "1"], ["esac"], ["apt-get", "update"],
                                ["sudo", "apt-get", "install", "-y", "-q", "libcairo2", "fonts-x"],
                                ["pip", "install", "-q", "$X"]]
    assert apt_packages(script) == ["libcairo2", "fonts-x"]
    assert pip_installs(script) == [["pip", "install", "-q", "$X"]]


# -- the shared libraries and the packages that hold them ----------------------------------------

def dlopened(module: str) -> set[str]:
    """The Linux sonames (lib….so.N) a module's source passes to dlopen, without importing it
    (importing needs the libraries), leaving out those it lets fail (`allow_fail=True`)."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin, module
    with open(spec.origin, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    names = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", "").endswith("dlopen")):
            continue
        if any(k.arg == "allow_fail" and getattr(k.value, "value", False) for k in node.keywords):
            continue
        for arg in ast.walk(node):
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                    and re.fullmatch(r"lib[\w.+-]+\.so\.\d+", arg.value):
                names.add(arg.value)
    return names


def needed_libraries() -> set[str]:
    """What building a deck and a handout loads: cairocffi's libcairo (cairosvg draws SVG with
    it), WeasyPrint's Pango, HarfBuzz, fontconfig and GObject, and HarfBuzz's subsetter."""
    return dlopened("cairocffi") | dlopened("weasyprint.text.ffi") | ALSO_NEEDED


def test_the_libraries_are_read_from_the_dependencies_own_sources():
    found = needed_libraries()
    assert found >= AT_LEAST, AT_LEAST - found
    assert {"libgobject-2.0.so.0", "libfontconfig.so.1"} <= found


@functools.cache
def dpkg_owner(path_glob: str) -> str | None:
    """The Debian package that holds a file (`*/libcairo.so.2`), or None."""
    result = subprocess.run(["dpkg", "-S", path_glob], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return None
    return result.stdout.splitlines()[0].split(":")[0].split(",")[0].strip()


@functools.cache
def installed_depends() -> dict[str, str]:
    """Each installed package's Pre-Depends and Depends, as dpkg records them."""
    table = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${Pre-Depends}, ${Depends}\n"],
                           capture_output=True, text=True, timeout=60).stdout
    return dict(line.partition("\t")[::2] for line in table.splitlines())


def depends_closure(packages) -> set[str]:
    """The packages and every installed package they depend on (any alternative, through
    installed packages), from dpkg's records; apt's for a listed package not installed here."""
    installed = installed_depends()
    depends = {name: installed[name] for name in packages if name in installed}
    others = [name for name in packages if name not in installed]
    if others and shutil.which("apt-cache"):
        shown = subprocess.run(["apt-cache", "show", "--no-all-versions", *others],
                               capture_output=True, text=True, timeout=120).stdout
        for record in shown.split("\n\n"):
            name = re.search(r"^Package: (\S+)", record, re.M)
            if name:
                depends[name.group(1)] = ", ".join(
                    re.findall(r"^(?:Pre-)?Depends: (.*)$", record, re.M))
    seen, todo = set(), list(packages)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for alternative in re.split(r"[,|]", depends.get(name, installed.get(name, ""))):
            dep = alternative.strip().split(" ")[0].split(":")[0]
            if dep in installed:
                todo.append(dep)
    return seen


def needs_dpkg():
    if shutil.which("dpkg") is None or shutil.which("dpkg-query") is None:
        pytest.skip("dpkg is not on this machine: no way to map libraries to Debian packages")


SOURCES = [*RECIPES, ".ci/setup"]


def packages_of(source: str) -> list[str]:
    return setup_packages() if source == ".ci/setup" else apt_packages(install_script(source))


@pytest.mark.parametrize("source", SOURCES)
def test_the_packages_installed_cover_every_library_the_build_loads(source):
    needs_dpkg()
    listed = packages_of(source)
    closure = depends_closure(listed)
    uncovered, unknown = {}, []
    for soname in sorted(needed_libraries()):
        package = dpkg_owner(f"*/{soname}")
        if package is None:
            unknown.append(soname)
        elif package not in closure:
            uncovered[soname] = package
    if len(unknown) == len(needed_libraries()):
        pytest.skip("none of the libraries is installed here")
    assert uncovered == {}, f"{source} installs none of {uncovered} (nor a package needing it)"
    # The ones slidegen's own dependencies name: listed by name, not left to chance.
    for soname in AT_LEAST - set(unknown):
        assert dpkg_owner(f"*/{soname}") in listed, f"{source}: {soname}"


@pytest.mark.parametrize("source", SOURCES)
def test_the_packages_installed_give_fontconfig_fonts_for_text_in_svg_figures(source):
    """cairosvg sets an SVG's text in what fontconfig finds: a slim image has no font at all.
    sans-serif and monospace come from a listed package here, and Arial and Courier New (what
    SVGs often name) from Liberation, their metric-compatible stand-ins."""
    listed = packages_of(source)
    assert {"fonts-liberation", "fonts-liberation2"} & set(listed), listed
    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig's fc-match is not on this machine")
    needs_dpkg()
    closure = depends_closure(listed)
    for family in ("sans-serif", "monospace"):
        path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True,
                              text=True, timeout=60).stdout
        package = dpkg_owner(path)
        if package is None:
            continue            # a font installed by hand: nothing to compare with
        assert package in closure, f"{source}: {family} is {path}, from {package}"


# -- SLIDEGEN_SPEC -------------------------------------------------------------------------------

def stub(folder, name: str, body: str) -> None:
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\n" + body)
    os.chmod(path, 0o755)


def run_install(name: str, tmp_path, spec: str | None, bin_dir: str | None = None,
                timeout: int = 60) -> subprocess.CompletedProcess:
    """The recipe's install script, with apt-get (and sudo) replaced by stubs that only log, and
    `bin_dir` (a virtual environment's, or stubs of pip and python) ahead on PATH."""
    stubs = tmp_path / "stubs"
    stubs.mkdir(exist_ok=True)
    log = tmp_path / "calls.log"
    stub(stubs, "apt-get", 'echo "apt-get $*" >> "$CALLS"\n')
    stub(stubs, "sudo", 'exec "$@"\n')
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", SPEC)}
    env["PATH"] = os.pathsep.join([str(stubs), *([bin_dir] if bin_dir else []), "/usr/bin", "/bin"])
    env["CALLS"] = str(log)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    if spec is not None:
        env[SPEC] = spec
    return subprocess.run([*SHELL[name], install_script(name)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=timeout)


def calls(tmp_path) -> list[str]:
    log = tmp_path / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


def fake_pip(tmp_path) -> str:
    """pip and `python -m pip` that log their arguments, one a line."""
    fake = tmp_path / "fake-bin"
    fake.mkdir()
    for name in ("pip", "python"):
        stub(fake, name, f'echo "{name}" >> "$CALLS"; printf "  %s\\n" "$@" >> "$CALLS"\n')
    return str(fake)


@pytest.mark.parametrize("name", RECIPES)
def test_the_recipe_installs_what_slidegen_spec_names_not_a_pypi_name(name):
    """No default: pip is given SLIDEGEN_SPEC, and the file names no PyPI release of slidegen."""
    (pip,) = pip_installs(install_script(name))
    positional = [w for w in pip[pip.index("install") + 1:] if not w.startswith("-")]
    assert positional == [f"${SPEC}"], pip
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
        text = f.read()
    assert not re.search(rf'^\s*{SPEC}:\s*["\']?carpentries-slidegen["\']?\s*$', text, re.M)


@pytest.mark.parametrize("value", [None, "", "carpentries-slidegen @ git+https://github.com/OWNER/slidegen@main"],
                         ids=["unset", "empty", "placeholder"])
@pytest.mark.parametrize("name", RECIPES)
def test_without_slidegen_spec_the_recipe_stops_and_says_what_to_set(name, value, tmp_path):
    result = run_install(name, tmp_path, value, fake_pip(tmp_path))
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert f"{SPEC} is not set" in said and "git+https://github.com/OWNER/slidegen@main" in said
    assert "not on PyPI" in said
    assert calls(tmp_path) == []            # neither apt-get nor pip ran


@pytest.mark.parametrize("name", RECIPES)
def test_slidegen_spec_reaches_pip_as_one_argument(name, tmp_path):
    spec = "carpentries-slidegen @ git+https://example.org/someone/slidegen@v0.1.0"
    result = run_install(name, tmp_path, spec, fake_pip(tmp_path))
    assert result.returncode == 0, result.stderr
    log = calls(tmp_path)
    assert any(line.startswith("apt-get install") for line in log)
    assert f"  {spec}" in log and "  install" in log


# -- the recipe's install, for real --------------------------------------------------------------



@pytest.fixture(scope="module")
def checkout_url(tmp_path_factory) -> str:
    """A git URL of this checkout's sources as they are now (committed or not), in the form the
    recipes document: `carpentries-slidegen @ git+…@main`."""
    if shutil.which("git") is None:
        pytest.skip("git is not on this machine")
    src = tmp_path_factory.mktemp("slidegen-repo") / "slidegen"
    src.mkdir()
    copy_sources(src)
    git = ["git", "-c", "user.name=slidegen tests", "-c", "user.email=tests@example.org",
           "-c", "commit.gpgsign=false", "-C", str(src)]
    for cmd in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "sources"]):
        subprocess.run([*git, *cmd], check=True, capture_output=True, timeout=120)
    # file://localhost/…: pip before 23.3 refuses a git+file URL without a host (file:///…)
    return f"carpentries-slidegen @ git+file://localhost{src}@main"


def svg_lesson(root) -> str:
    lesson = root / "lesson"
    (lesson / "_episodes").mkdir(parents=True)
    (lesson / "fig").mkdir()
    (lesson / "_config.yml").write_text('title: "A Lesson with a Drawing"\n')
    (lesson / "fig" / "flow.svg").write_bytes(SVG)
    (lesson / "_episodes" / "01-flow.md").write_text(textwrap.dedent("""\
        ---
        title: "A Flow"
        teaching: 5
        exercises: 0
        questions:
        - "Where does A go?"
        objectives:
        - "Follow A to B."
        keypoints:
        - "A goes to B."
        ---

        ## The flow

        Everything starts at A and ends at B:

        ![A box with the words A to B](../fig/flow.svg)
        """))
    return str(lesson)


@pytest.mark.render
@pytest.mark.parametrize("name", RECIPES)
def test_the_recipe_installs_a_slidegen_that_shows_svg_figures(name, checkout_url, tmp_path):
    from pptx import Presentation

    venv = tmp_path / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True,
                          text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    bin_dir = str(venv / "bin")
    installed = run_install(name, tmp_path, checkout_url, bin_dir, timeout=1800)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    assert any(line.startswith("apt-get install") for line in calls(tmp_path))

    lesson = svg_lesson(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    built = subprocess.run([os.path.join(bin_dir, "slidegen"), "build", lesson, "-o",
                            str(tmp_path / "out")], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=600)
    said = built.stdout + built.stderr
    assert built.returncode == 0, said
    assert "not shown" not in said and "flow.svg" not in said, said
    assert " 0 warnings" in said, said
    deck = Presentation(str(tmp_path / "out" / "slides" / "01-flow.pptx"))
    pictures = [shape for slide in deck.slides for shape in slide.shapes
                if shape.shape_type == 13]                                    # PICTURE
    assert pictures, "the deck shows no picture"
    assert (tmp_path / "out" / "handouts" / "01-flow.pdf").read_bytes()[:5] == b"%PDF-"


def test_no_document_says_to_pip_install_the_unpublished_name():
    """`pip install carpentries-slidegen` finds nothing until slidegen is published: the README,
    examples/README.md and the recipes install from the repository or a wheel instead."""
    bare = re.compile(r"pip3? install(?:\s+-\S+)*\s+[\"']?carpentries-slidegen(?:\[[^\]]*\])?"
                      r"[\"']?(?!\s*@)(?=[\s`\"']|$)")
    wrong = []
    for rel in ("README.md", "examples/README.md", *(f"examples/{r}" for r in RECIPES)):
        with open(os.path.join(REPO, rel), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if bare.search(line):
                    wrong.append(f"{rel}:{n}: {line.strip()}")
    assert wrong == []
    assert bare.search("run `pip install carpentries-slidegen` to")
    assert not bare.search('pip install "carpentries-slidegen @ git+https://x/slidegen@main"')
