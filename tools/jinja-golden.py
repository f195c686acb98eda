"""Renders test/fixtures/jinja/*.j2 with real Jinja2, as vk-test-set's runner does
(Environment(loader=FileSystemLoader(dir)), defaults otherwise), into golden/*.out.

Run: python3 tools/jinja-golden.py   (needs `pip install jinja2`)
The outputs are committed; test/source/jinja.test.ts renders the same templates with kubeproof's
renderer and compares. Cases named *.error.j2 must fail in Jinja2: golden/<name>.out then holds
"ERROR <line>" with the line Jinja2 reports.
"""
import glob
import json
import os

import jinja2

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "jinja")


def main():
    with open(os.path.join(HERE, "context.json"), encoding="utf-8") as f:
        context = json.load(f)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE))
    os.makedirs(os.path.join(HERE, "golden"), exist_ok=True)
    for path in sorted(glob.glob(os.path.join(HERE, "*.j2"))):
        name = os.path.basename(path)
        try:
            out = env.get_template(name).render(**context)
        except jinja2.TemplateSyntaxError as error:
            out = f"ERROR {error.lineno}"
        except jinja2.UndefinedError:
            out = "ERROR undefined"
        except TypeError:
            out = "ERROR type"
        with open(os.path.join(HERE, "golden", name[: -len(".j2")] + ".out"), "w", encoding="utf-8", newline="") as f:
            f.write(out)
    print(f"jinja2 {jinja2.__version__}: wrote {len(glob.glob(os.path.join(HERE, 'golden', '*.out')))} golden files")


if __name__ == "__main__":
    main()
