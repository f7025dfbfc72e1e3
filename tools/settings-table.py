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
CONSTANTS = {
    "Topics.DEFAULT_RAW": "monitml.raw", "Topics.DEFAULT_DEAD_LETTER": "monitml.dead-letters",
    "Topics.DEFAULT_PREDICTION_STATS": "monitml.prediction-stats", "Topics.DEFAULT_DRIFT": "monitml.drift",
    "Topics.DEFAULT_BASELINES": "monitml.baselines", "Topics.DEFAULT_INFERENCES": "monitml.inferences",
    "TrafficConfig.DEFAULT_REQUESTS_PER_SECOND": "200", "TrafficConfig.DEFAULT_CANARY_SHARE": "0.25",
}
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"


def rows():
    for source in SOURCES:
        text = source.read_text()
        for match in re.finditer(r'@Option\(names = "([^"]+)"(.*?)description = "(.*?)"\)', text, re.S):
            name, middle, description = match.groups()
            description = re.sub(r'"\s*\+\s*"', "", description)
            default = re.search(r'defaultValue = "\$\{env:[A-Z0-9_]+(?::-(.*?))?\}"', middle)
            value = default.group(1) if default and default.group(1) else ""
            for constant, literal in CONSTANTS.items():
                value = value.replace('" + ' + constant + ' + "', literal)
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
