"""Client settings for the Python examples: a .properties file split between Kafka and the schema registry.

The file holds librdkafka's settings (security.protocol, sasl.mechanism, sasl.username, sasl.password,
ssl.ca.location, ...) and the registry's, named as the project's Java apps name them: schema.registry.url,
schema.registry.ssl.* and basic.auth.user.info. Command-line addresses win over the file's.
"""
import pathlib
import re

# Registry settings as the Java apps name them -> the name confluent-kafka's SchemaRegistryClient takes.
REGISTRY_PREFIX = "schema.registry."
REGISTRY_PLAIN = ("basic.auth.user.info", "basic.auth.credentials.source")


# key, then '=', ':' or whitespace, then the value; a backslash escapes the next character (Java's .properties).
LINE = re.compile(r"((?:\\.|[^\\=:\s])+)\s*[=:\s]\s*(.*)")
ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def unescape(text):
    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) == 5
                  else ESCAPES.get(m.group(1), m.group(1)), text)


def read_properties(path):
    """A .properties file as Java writes it: key=value (or key: value) lines, # and ! comments, backslash escapes."""
    settings = {}
    for number, line in enumerate(pathlib.Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line[0] in "#!":
            continue
        match = LINE.fullmatch(line)
        if not match:
            raise ValueError(f"{path}:{number}: expected key=value, got {line!r}")
        settings[unescape(match.group(1))] = unescape(match.group(2))
    return settings


def load(config_file, bootstrap_servers, schema_registry_url):
    """(kafka settings, registry settings) from the optional file and the command line."""
    settings = read_properties(config_file) if config_file else {}
    if bootstrap_servers:
        settings["bootstrap.servers"] = bootstrap_servers
    if schema_registry_url:
        settings[REGISTRY_PREFIX + "url"] = schema_registry_url
    kafka, registry = {}, {}
    for key, value in settings.items():
        if key.startswith(REGISTRY_PREFIX):
            registry[key[len(REGISTRY_PREFIX):]] = value
        elif key in REGISTRY_PLAIN:
            registry[key] = value
        else:
            kafka[key] = value
    if "bootstrap.servers" not in kafka:
        raise ValueError("no bootstrap servers: pass --bootstrap-servers or set bootstrap.servers in --config")
    if "url" not in registry:
        raise ValueError("no schema registry: pass --schema-registry-url or set schema.registry.url in --config")
    return kafka, registry
