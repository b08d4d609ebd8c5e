#!/usr/bin/env node
'use strict';
// Subscribes to the pipeline's predictions, dead letters and heartbeats from JavaScript, for some device types, with
// Confluent's JavaScript client and its schema registry client. read_committed hides records of aborted
// transactions; each value is decoded with the writer's schema, fetched from the registry by the id in its header.
// Every record of the chosen device types is printed as one JSON line, and its offset committed after that.
//
//   node docs/examples/js/consume-predictions.js --bootstrap-servers localhost:9092 \
//     --schema-registry-url http://localhost:8081/apis/ccompat/v7 --device-type rpi5-openvino-cpu-int8 \
//     [--config client.properties] [--topic T]... [--group-id ID] [--max-records N] [--timeout SECONDS]
const { KafkaJS } = require('@confluentinc/kafka-javascript');
const { SchemaRegistryClient, SerdeType, AvroDeserializer } = require('@confluentinc/schemaregistry');
const clientConfig = require('./client-config');

const TOPICS = ['edge.predictions.v1', 'edge.dead-letters.v1', 'edge.heartbeats.v1'];

/** A decoded Avro value as JSON: timestamps as epoch milliseconds, bytes as hex. */
function plain(value) {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

async function main() {
  const options = clientConfig.parseArgs(process.argv.slice(2), ['topic', 'device-type']);
  const { kafka, registry } = clientConfig.load(options.config, options['bootstrap-servers'], options['schema-registry-url']);
  const wanted = new Set(options['device-type'] || []);
  const maxRecords = Number(options['max-records'] || 0);
  const timeoutMs = Number(options.timeout || 0) * 1000;

  const deserializer = new AvroDeserializer(new SchemaRegistryClient(registry), SerdeType.VALUE, {});
  const consumer = new KafkaJS.Kafka({}).consumer({
    log_level: 4, // warnings and errors, on stderr: the client logs info to stdout, which carries the records
    ...kafka,
    'group.id': options['group-id'] || 'predictions-reader-js',
    'isolation.level': 'read_committed', // never show records of aborted transactions
    'auto.offset.reset': 'earliest', // a new group starts at the oldest record kept
    'enable.auto.commit': false, // offsets are committed after the records are printed
  });
  await consumer.connect();
  await consumer.subscribe({ topics: options.topic || TOPICS });

  let printed = 0;
  let failure = null;
  const finished = new Promise((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (timeoutMs) setTimeout(stop, timeoutMs).unref();
    consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        if (maxRecords && printed >= maxRecords) return;
        const where = `${topic}-${partition}@${message.offset}`;
        let record;
        try {
          record = await deserializer.deserialize(topic, message.value);
        } catch (error) {
          failure = new Error(`cannot decode the record at ${where}: ${error.message}`);
          resolve();
          return;
        }
        // Predictions and heartbeats always name their device type; dead letters only when a device failed.
        if (wanted.size === 0 || wanted.has(record.deviceType)) {
          console.log(JSON.stringify({ topic, partition, offset: Number(message.offset),
            key: message.key ? message.key.toString('utf8') : '', value: plain(record) }));
          printed += 1;
        }
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        if (maxRecords && printed >= maxRecords) resolve();
      },
    }).catch((error) => { failure = error; resolve(); });
  });
  await finished;
  await consumer.disconnect();
  if (failure) throw failure;
  if (maxRecords && printed < maxRecords) {
    throw new Error(`only ${printed} of ${maxRecords} records within ${options.timeout} s`);
  }
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
