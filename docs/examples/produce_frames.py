#!/usr/bin/env python3
"""Publish a stream of frames to the pipeline's frames topic from Python: a folder of images, or a camera-like loop.

Uses confluent-kafka with its Avro serializer. The frame schema is read from the registry (the latest version of
subject <topic>-value, registered by the pipeline's producer or its operator), so records are in the Confluent wire
format the edge consumers read: magic byte 0, the schema id (4 bytes, big-endian), the Avro body.

    python docs/examples/produce_frames.py --config client.properties --images photos/ --fps 10
    python docs/examples/produce_frames.py --bootstrap-servers localhost:9092 \
        --schema-registry-url http://localhost:8081/apis/ccompat/v7 --camera --fps 30 --count 300

--images sends every .png, .jpg and .jpeg below a folder in name order (with --loop, again and again), labelled by
the CIFAR-10 class its parent folder names (photos/cat/1.png is a cat). --camera sends 32x32 raw RGB frames of a
moving test pattern until --count or Ctrl-C. The id of every acknowledged frame is printed on stdout, the summary on
stderr. Exit codes: 0 every frame delivered, 1 failure, 2 bad arguments or no schema, 3 some frames not delivered.
"""
import argparse
import datetime
import itertools
import pathlib
import struct
import sys
import time
import uuid

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext

import client_config

FRAMES_TOPIC = "edge.frames.v1"
CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


def test_pattern(shift, width=32, height=32):
    """Raw RGB pixels, rows top to bottom, channels interleaved (HWC), moving right by `shift` pixels."""
    return bytes(value for y in range(height) for x in range(width) for value in (((x + shift) % width) * 8, y * 8, 64))


def image_size(data):
    """(encoding, width, height) of a PNG or JPEG file, read from its header; ValueError for anything else."""
    if data.startswith(PNG_MAGIC) and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
        return "PNG", width, height
    if data.startswith(b"\xff\xd8"):
        offset = 2
        while offset + 9 < len(data) and data[offset] == 0xFF:
            marker = data[offset + 1]
            length = struct.unpack(">H", data[offset + 2:offset + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                height, width = struct.unpack(">HH", data[offset + 5:offset + 9])
                return "JPEG", width, height
            offset += 2 + length
        raise ValueError("a JPEG file without a frame header (truncated?)")
    raise ValueError("neither a PNG nor a JPEG file")


def label_index(name):
    return CIFAR10_CLASSES.index(name.lower()) if name and name.lower() in CIFAR10_CLASSES else None


def folder_images(folder, loop):
    """(file name, pixels, encoding, width, height, label) of every image below the folder; bad files are skipped."""
    files = sorted(p for p in pathlib.Path(folder).rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
    if not files:
        raise ValueError(f"no .png, .jpg or .jpeg file below {folder}")
    for path in itertools.cycle(files) if loop else files:
        data = path.read_bytes()
        try:
            encoding, width, height = image_size(data)
        except ValueError as error:
            print(f"skipped {path}: {error}", file=sys.stderr)
            continue
        yield path.name, data, encoding, width, height, label_index(path.parent.name)


def camera_images(label):
    for n in itertools.count():
        yield None, test_pattern(n), "RAW_RGB8_HWC", 32, 32, label_index(label)


def main():
    parser = argparse.ArgumentParser(description="Publish a stream of frames to the frames topic.")
    parser.add_argument("--bootstrap-servers")
    parser.add_argument("--schema-registry-url")
    parser.add_argument("--config", help="client .properties file (librdkafka names; schema.registry.* for the registry)")
    parser.add_argument("--topic", default=FRAMES_TOPIC)
    parser.add_argument("--producer-id", default="python-camera")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--images", type=pathlib.Path, help="a folder of PNG and JPEG files")
    source.add_argument("--camera", action="store_true", help="a moving 32x32 raw RGB test pattern")
    parser.add_argument("--label", help="--camera: the CIFAR-10 class of every frame")
    parser.add_argument("--loop", action="store_true", help="--images: start over when all were sent")
    parser.add_argument("--count", type=int, default=0, help="stop after N frames; 0: when the source ends or on Ctrl-C")
    parser.add_argument("--fps", type=float, default=0, help="frames per second; 0: as fast as the producer goes")
    args = parser.parse_args()
    if args.label is not None and label_index(args.label) is None:
        parser.error(f"--label {args.label!r} is not a CIFAR-10 class: {', '.join(CIFAR10_CLASSES)}")
    try:
        kafka, registry_conf = client_config.load(args.config, args.bootstrap_servers, args.schema_registry_url)
    except (OSError, ValueError) as error:
        parser.error(str(error))

    registry = SchemaRegistryClient(registry_conf)
    subject = f"{args.topic}-value"  # TopicNameStrategy, as the Java producer registers it
    try:
        schema_id = registry.get_latest_version(subject).schema_id
    except SchemaRegistryError as error:
        print(f"no frame schema under subject {subject} in the registry: {error}; run the pipeline's producer once, "
              "or register schemas/src/main/avro/ImageFrame.avsc there", file=sys.stderr)
        return 2
    serializer = AvroSerializer(registry, None, conf={"auto.register.schemas": False, "use.latest.version": True})
    producer = Producer({
        **kafka,
        "enable.idempotence": True,  # no duplicates on retries; implies acks=all, as the Java producer
        "linger.ms": kafka.get("linger.ms", 5),  # a few ms of batching when sending as fast as possible
    })
    print(f"sending to {args.topic} with schema id {schema_id} of {subject}", file=sys.stderr)

    run_id = uuid.uuid4().hex[:12]
    delivered, failed = [], []

    def on_delivery(error, message):
        if error is not None:
            failed.append(f"{message.key().decode()}: {error}")
        else:
            delivered.append(message.key().decode())
            print(message.key().decode(), flush=True)

    images = folder_images(args.images, args.loop) if args.images else camera_images(args.label)
    start = time.monotonic()
    sent = 0
    try:
        for file_name, pixels, encoding, width, height, label in images:
            if args.count and sent >= args.count:
                break
            if args.fps:  # open loop: frame n is due at start + n/fps, whatever earlier sends cost
                time.sleep(max(0.0, start + sent / args.fps - time.monotonic()))
            frame = {
                "frameId": f"{args.producer_id}-{run_id}-{sent}",  # unique across producers and runs
                "producerId": args.producer_id,
                "source": {"dataset": None, "index": None, "fileName": file_name},
                "captureTime": datetime.datetime.now(datetime.timezone.utc),
                "width": width, "height": height, "channels": 3, "encoding": encoding, "pixels": pixels,
                "groundTruth": label, "labelSet": "cifar-10" if label is not None else None,
            }
            value = serializer(frame, SerializationContext(args.topic, MessageField.VALUE))
            while True:
                try:
                    producer.produce(args.topic, key=frame["frameId"].encode(), value=value, on_delivery=on_delivery)
                    break
                except BufferError:  # the local queue is full: let deliveries drain it
                    producer.poll(0.1)
            producer.poll(0)
            sent += 1
    except KeyboardInterrupt:
        pass
    remaining = producer.flush(120)
    print(f"sent {sent}, delivered {len(delivered)}, failed {len(failed) + remaining} in {time.monotonic() - start:.1f} s",
          file=sys.stderr)
    for failure in failed:
        print(f"not delivered: {failure}", file=sys.stderr)
    return 0 if not failed and not remaining else 3


if __name__ == "__main__":
    sys.exit(main())
