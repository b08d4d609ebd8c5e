'use strict';
// Client settings for the JavaScript examples: a .properties file split between Kafka and the schema registry.
// The file holds librdkafka's settings (security.protocol, sasl.mechanism, sasl.username, sasl.password,
// ssl.ca.location, ...) and the registry's, named as the project's Java apps name them: schema.registry.url and
// basic.auth.user.info (user:password). Command-line addresses win over the file's.
const fs = require('node:fs');

// key, then '=', ':' or whitespace, then the value; a backslash escapes the next character (Java's .properties).
const LINE = /^((?:\\.|[^\\=:\s])+)\s*[=:\s]\s*(.*)$/;
const ESCAPES = { t: '\t', n: '\n', r: '\r', f: '\f' };
const unescape = (text) => text.replace(/\\(u[0-9a-fA-F]{4}|.)/g,
  (_, c) => (c.length === 5 ? String.fromCharCode(parseInt(c.slice(1), 16)) : ESCAPES[c] ?? c));

/** A .properties file as Java writes it: key=value (or key: value) lines, # and ! comments, backslash escapes. */
function readProperties(path) {
  const settings = {};
  fs.readFileSync(path, 'utf8').split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) return;
    const match = LINE.exec(line);
    if (!match) throw new Error(`${path}:${index + 1}: expected key=value, got '${line}'`);
    settings[unescape(match[1])] = unescape(match[2]);
  });
  return settings;
}

/** { kafka: librdkafka settings, registry: the schema registry client's config } */
function load(configFile, bootstrapServers, schemaRegistryUrl) {
  const settings = configFile ? readProperties(configFile) : {};
  if (bootstrapServers) settings['bootstrap.servers'] = bootstrapServers;
  if (schemaRegistryUrl) settings['schema.registry.url'] = schemaRegistryUrl;
  const kafka = {};
  const registry = {};
  for (const [key, value] of Object.entries(settings)) {
    if (key === 'schema.registry.url') registry.baseURLs = value.split(',');
    else if (key === 'basic.auth.user.info') registry.basicAuthCredentials = { credentialsSource: 'USER_INFO', userInfo: value };
    else if (!key.startsWith('schema.registry.') && !key.startsWith('basic.auth.')) kafka[key] = value;
  }
  if (!kafka['bootstrap.servers']) throw new Error('no bootstrap servers: pass --bootstrap-servers or set bootstrap.servers in --config');
  if (!registry.baseURLs) throw new Error('no schema registry: pass --schema-registry-url or set schema.registry.url in --config');
  return { kafka, registry };
}

/** --name value pairs into an object; repeatable options collect into arrays. */
function parseArgs(argv, repeatable = []) {
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i];
    if (!name.startsWith('--')) throw new Error(`unexpected argument '${name}'`);
    const key = name.slice(2);
    const value = i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
    if (repeatable.includes(key)) (options[key] = options[key] || []).push(value);
    else options[key] = value;
  }
  return options;
}

module.exports = { load, parseArgs, readProperties };
