#!/usr/bin/env node
'use strict';
// Publishes a stream of frames to the pipeline's frames topic from JavaScript, with Confluent's JavaScript client and
// its schema registry client: a folder of images (--images DIR, labelled by the CIFAR-10 class their parent folder
// names) or a camera-like loop of 32x32 raw RGB frames (--camera). The frame schema is the latest version of subject
// <topic>-value in the registry. The id of every acknowledged frame is printed on stdout.
//
//   node docs/examples/js/produce-frames.js --config client.properties --images photos/ [--loop] [--fps 10] [--count N]
//   node docs/examples/js/produce-frames.js --bootstrap-servers localhost:9092 \
//     --schema-registry-url http://localhost:8081/apis/ccompat/v7 --camera [--label cat] --count 100
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { KafkaJS } = require('@confluentinc/kafka-javascript');
const { SchemaRegistryClient, SerdeType, AvroSerializer } = require('@confluentinc/schemaregistry');
const clientConfig = require('./client-config');

const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Encoding, width and height of a PNG or JPEG file from its header; throws for anything else. */
function imageSize(data) {
  if (data.length >= 24 && data.subarray(0, 8).equals(PNG_MAGIC)) {
    return { encoding: 'PNG', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data[0] === 0xff && data[1] === 0xd8) {
    for (let offset = 2; offset + 9 < data.length && data[offset] === 0xff; offset += 2 + data.readUInt16BE(offset + 2)) {
      if (SOF_MARKERS.has(data[offset + 1])) {
        return { encoding: 'JPEG', width: data.readUInt16BE(offset + 7), height: data.readUInt16BE(offset + 5) };
      }
    }
    throw new Error('a JPEG file without a frame header (truncated?)');
  }
  throw new Error('neither a PNG nor a JPEG file');
}

function labelIndex(name) {
  const index = name ? CIFAR10_CLASSES.indexOf(name.toLowerCase()) : -1;
  return index >= 0 ? index : null;
}

function* folderImages(folder, loop) {
  const files = fs.readdirSync(folder, { recursive: true }).map((f) => path.join(folder, f))
    .filter((f) => /\.(png|jpe?g)$/i.test(f) && fs.statSync(f).isFile()).sort();
  if (files.length === 0) throw new Error(`no .png, .jpg or .jpeg file below ${folder}`);
  do {
    for (const file of files) {
      const pixels = fs.readFileSync(file);
      try {
        yield { fileName: path.basename(file), pixels, ...imageSize(pixels), label: labelIndex(path.basename(path.dirname(file))) };
      } catch (error) {
        console.error(`skipped ${file}: ${error.message}`);
      }
    }
  } while (loop);
}

function* cameraImages(label) {
  for (let n = 0; ; n += 1) {
    const pixels = Buffer.alloc(32 * 32 * 3);
    for (let y = 0; y < 32; y += 1) {
      for (let x = 0; x < 32; x += 1) {
        pixels.set([((x + n) % 32) * 8, y * 8, 64], (y * 32 + x) * 3);
      }
    }
    yield { fileName: null, pixels, encoding: 'RAW_RGB8_HWC', width: 32, height: 32, label: labelIndex(label) };
  }
}

async function main() {
  const options = clientConfig.parseArgs(process.argv.slice(2));
  const { kafka, registry } = clientConfig.load(options.config, options['bootstrap-servers'], options['schema-registry-url']);
  const topic = options.topic || 'edge.frames.v1';
  const producerId = options['producer-id'] || 'js-camera';
  const count = Number(options.count || 0);
  const fps = Number(options.fps || 0);
  if (!options.images === !options.camera) throw new Error('choose one source: --images DIR or --camera');

  const registryClient = new SchemaRegistryClient(registry);
  const subject = `${topic}-value`; // TopicNameStrategy, as the Java producer registers it
  const latest = await registryClient.getLatestSchemaMetadata(subject).catch((error) => {
    throw new Error(`no frame schema under subject ${subject} in the registry (${error.message}); run the pipeline's `
      + 'producer once, or register schemas/src/main/avro/ImageFrame.avsc there');
  });
  const serializer = new AvroSerializer(registryClient, SerdeType.VALUE, { useLatestVersion: true, autoRegisterSchemas: false });
  const producer = new KafkaJS.Kafka({}).producer({
    log_level: 4, // warnings and errors, on stderr: the client logs info to stdout, which carries the frame ids
    ...kafka,
    'enable.idempotence': true, // no duplicates on retries; implies acks=all, as the Java producer
  });
  await producer.connect();
  console.error(`sending to ${topic} with schema id ${latest.id} of ${subject}`);

  const runId = crypto.randomBytes(6).toString('hex');
  const images = options.images ? folderImages(options.images, options.loop === 'true') : cameraImages(options.label);
  const start = Date.now();
  let sent = 0;
  let stopped = false;
  process.once('SIGINT', () => { stopped = true; });
  for (const image of images) {
    if (stopped || (count && sent >= count)) break;
    if (fps) await new Promise((resolve) => { setTimeout(resolve, Math.max(0, start + (sent * 1000) / fps - Date.now())); });
    const frame = {
      frameId: `${producerId}-${runId}-${sent}`, // unique across producers and runs
      producerId,
      source: { dataset: null, index: null, fileName: image.fileName },
      captureTime: Date.now(), // timestamp-millis: epoch milliseconds as a number
      width: image.width,
      height: image.height,
      channels: 3,
      encoding: image.encoding,
      pixels: image.pixels,
      groundTruth: image.label,
      labelSet: image.label === null ? null : 'cifar-10',
    };
    const value = await serializer.serialize(topic, frame);
    // Resolves once the broker acknowledged the frame (acks=all).
    await producer.send({ topic, messages: [{ key: frame.frameId, value }] });
    console.log(frame.frameId);
    sent += 1;
  }
  await producer.disconnect();
  console.error(`sent and delivered ${sent} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
