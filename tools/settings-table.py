#!/usr/bin/env python3
"""Rewrites the settings table in docs/configuration.md from the picocli option declarations.

Run from anywhere: python3 tools/settings-table.py. MonitMlCliTest fails when that page misses
an option or its environment variable, so run this after adding one.
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
CLI = ROOT / "streams-app/src/main/java/io/monitml/cli"
SOURCES = [CLI / "ConfigOptions.java", CLI / "DemoCommand.java"]
MAIN = ROOT / "streams-app/src/main/java/io/monitml"
# The classes whose constants the options' defaults name, as "Class.NAME".
CONSTANT_SOURCES = [MAIN / "config/Defaults.java", MAIN / "config/Topics.java", MAIN / "ingest/Limits.java",
                    MAIN / "demo/TrafficConfig.java", MAIN / "demo/GroundTruth.java"]
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"


def literal(expression):
    """A constant's value as the command line shows it: a string without quotes, a number as Java prints it."""
    expression = expression.strip()
    if not expression.startswith('"'):
        expression = expression.replace("_", "")
    if expression.startswith('"'):
        return expression.strip('"')
    if re.fullmatch(r"[0-9 <>+*().]+", expression):
        value = eval(expression)  # integer arithmetic only, checked by the pattern
        return str(value)
    if re.fullmatch(r"-?[0-9.]+[dDfFlL]?", expression):
        number = float(expression.rstrip("dDfFlL"))
        return str(int(number)) + (".0" if "." in expression else "") if number == int(number) else str(number)
    return expression


def constants():
    found = {}
    for source in CONSTANT_SOURCES:
        for name, value in re.findall(r"public static final \w+ ([A-Z0-9_]+) = ([^;]+);", source.read_text()):
            found[f"{source.stem}.{name}"] = literal(value)
    return found


CONSTANTS = constants()


def resolve(text):
    """Replaces the constants a Java string expression names ("... " + Class.NAME + " ...") by their values."""
    return re.sub(r'"\s*\+\s*(\w+\.[A-Z0-9_]+)\s*\+\s*"', lambda m: CONSTANTS.get(m.group(1), m.group(0)), text)


def rows():
    for source in SOURCES:
        text = source.read_text()
        for match in re.finditer(r'@Option\(names = "([^"]+)"(.*?)description = "(.*?)"\)', text, re.S):
            name, middle, description = match.groups()
            default = re.search(r'defaultValue = "\$\{env:[A-Z0-9_]+(?::-(.*?))?\}"', middle)
            value = default.group(1) if default and default.group(1) else ""
            value, description = resolve(value), resolve(description)
            description = re.sub(r'"\s*\+\s*"', "", description)
            env = re.search(r"\(env (MONITML_[A-Z0-9_]+)\)", description)
            meaning = re.sub(r"\s*\(env MONITML_[A-Z0-9_]+\)", "", description)
            meaning = re.sub(r"\s*Default: \$\{DEFAULT-VALUE\}\.", "", meaning)
            window = re.search(r"\s*Default: (.*)\.$", meaning)
            if window:
                value = window.group(1)
                if "; the demo: " in value:
                    value = value.replace("; the demo: ", " (demo: ") + ")"
                meaning = meaning[: window.start()]
            variable = f"`{env.group(1)}`" if env else ("`KAFKA_*`" if name == "--kafka" else "")
            yield f"| `{name}` | {variable} | {f'`{value}`' if value else ''} | {meaning.strip()} |"


def main():
    readme = ROOT / "docs" / "configuration.md"
    text = readme.read_text()
    table = "\n".join(["| flag | environment variable | default | meaning |", "|---|---|---|---|", *rows()])
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    readme.write_text(text[:start] + "\n" + table + "\n" + text[end:])


if __name__ == "__main__":
    main()
