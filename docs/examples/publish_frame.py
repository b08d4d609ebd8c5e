#!/usr/bin/env python3
"""Publish one image as a frame to the pipeline's frames topic, from Python.

Uses confluent-kafka's Avro serializer with the frame schema from this repository
(schemas/src/main/avro/ImageFrame.avsc), so the record is in the Confluent wire format the
pipeline's consumers read: magic byte 0, the schema id (4 bytes, big-endian), the Avro body.

    python docs/examples/publish_frame.py --bootstrap-servers localhost:9092 \
        --schema-registry-url http://localhost:8081/apis/ccompat/v7 --image cat.png --label cat

Without --image a 32x32 test pattern is sent as raw RGB pixels (RAW_RGB8_HWC). The frame id is
printed on stdout once the broker has acknowledged the frame.
"""
import argparse
import datetime
import pathlib
import struct
import sys
import uuid

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

FRAMES_TOPIC = "edge.frames.v1"
CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
DEFAULT_SCHEMA = pathlib.Path(__file__).resolve().parents[2] / "schemas" / "src" / "main" / "avro" / "ImageFrame.avsc"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_pattern(width=32, height=32):
    """Raw RGB pixels, rows top to bottom, channels interleaved (HWC): what RAW_RGB8_HWC means."""
    return bytes(value for y in range(height) for x in range(width) for value in (x * 8, y * 8, 64))


def image_size(data):
    """(encoding, width, height) of a PNG or JPEG file, read from its header."""
    if data.startswith(PNG_MAGIC):
        width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
        return "PNG", width, height
    if data.startswith(b"\xff\xd8"):
        offset = 2
        while offset + 9 < len(data):
            if data[offset] != 0xFF:
                break
            marker = data[offset + 1]
            length = struct.unpack(">H", data[offset + 2:offset + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                height, width = struct.unpack(">HH", data[offset + 5:offset + 9])
                return "JPEG", width, height
            offset += 2 + length
    raise ValueError("not a PNG or JPEG file")


def build_frame(producer_id, image, label):
    """The frame as a dict in the shape of ImageFrame.avsc."""
    if image is None:
        encoding, width, height, pixels, file_name = "RAW_RGB8_HWC", 32, 32, test_pattern(), None
    else:
        pixels = image.read_bytes()
        encoding, width, height = image_size(pixels)
        file_name = image.name
    ground_truth = None
    if label is not None:
        if label not in CIFAR10_CLASSES:
            raise ValueError(f"label {label!r} is not a CIFAR-10 class: {CIFAR10_CLASSES}")
        ground_truth = CIFAR10_CLASSES.index(label)
    return {
        # Unique across producers and runs: producer id, a random run id, a sequence number.
        "frameId": f"{producer_id}-{uuid.uuid4().hex[:12]}-0",
        "producerId": producer_id,
        "source": {"dataset": None, "index": None, "fileName": file_name},
        "captureTime": datetime.datetime.now(datetime.timezone.utc),
        "width": width,
        "height": height,
        "channels": 3,
        "encoding": encoding,
        "pixels": pixels,
        "groundTruth": ground_truth,
        "labelSet": "cifar-10" if ground_truth is not None else None,
    }


def main():
    parser = argparse.ArgumentParser(description="Publish one frame to the frames topic.")
    parser.add_argument("--bootstrap-servers", default="localhost:9092")
    parser.add_argument("--schema-registry-url", default="http://localhost:8081/apis/ccompat/v7")
    parser.add_argument("--topic", default=FRAMES_TOPIC)
    parser.add_argument("--producer-id", default="python-example")
    parser.add_argument("--image", type=pathlib.Path, help="a PNG or JPEG file; default: a 32x32 raw RGB test pattern")
    parser.add_argument("--label", help="the image's CIFAR-10 class, if known")
    parser.add_argument("--schema", type=pathlib.Path, default=DEFAULT_SCHEMA, help="ImageFrame.avsc")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for the acknowledgement")
    args = parser.parse_args()

    registry = SchemaRegistryClient({"url": args.schema_registry_url})
    # Subject <topic>-value (TopicNameStrategy), as the Java producer registers it.
    serializer = AvroSerializer(registry, args.schema.read_text(encoding="utf-8"))
    producer = Producer({
        "bootstrap.servers": args.bootstrap_servers,
        "enable.idempotence": True,  # implies acks=all, as the Java producer
    })

    frame = build_frame(args.producer_id, args.image, args.label)
    value = serializer(frame, SerializationContext(args.topic, MessageField.VALUE))
    failures = []

    def on_delivery(error, message):
        if error is not None:
            failures.append(error)

    producer.produce(args.topic, key=frame["frameId"].encode("utf-8"), value=value, on_delivery=on_delivery)
    remaining = producer.flush(args.timeout)
    if remaining or failures:
        print(f"frame {frame['frameId']} not delivered: {failures or 'timed out'}", file=sys.stderr)
        return 1
    print(frame["frameId"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
