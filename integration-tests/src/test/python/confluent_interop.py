"""Reads and writes frames with Confluent's own Python client and Avro serializer.

Used by ConfluentInteropIT to prove that the project's Java serde and Confluent's clients understand each
other's records through a running schema registry. One JSON object per record is printed on stdout.

  consume: read COUNT records from TOPIC with Confluent's AvroDeserializer; print the decoded frame, the raw
           record bytes, and the bytes Confluent's AvroSerializer produces for the decoded record.
  produce: write COUNT frames to TOPIC with Confluent's AvroSerializer and the schema in SCHEMA_FILE; print
           each frame and the bytes written.
"""
import argparse
import datetime
import json
import sys

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext


def frame_to_json(frame):
    out = dict(frame)
    capture = out["captureTime"]
    out["captureTime"] = int(capture.timestamp() * 1000) if isinstance(capture, datetime.datetime) else capture
    out["pixels"] = bytes(out["pixels"]).hex()
    return out


def consume(args, registry):
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": "confluent-interop-" + args.topic,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    consumer.subscribe([args.topic])
    deserializer = AvroDeserializer(registry)
    seen = 0
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=args.timeout)
    while seen < args.count and datetime.datetime.now() < deadline:
        message = consumer.poll(1.0)
        if message is None:
            continue
        if message.error():
            raise RuntimeError(f"consume error on {args.topic}: {message.error()}")
        context = SerializationContext(message.topic(), MessageField.VALUE)
        frame = deserializer(message.value(), context)
        schema_id = int.from_bytes(message.value()[1:5], "big")
        writer_schema = registry.get_schema(schema_id).schema_str
        reserializer = AvroSerializer(registry, writer_schema, conf={"auto.register.schemas": False})
        print(json.dumps({
            "partition": message.partition(),
            "offset": message.offset(),
            "schemaId": schema_id,
            "frame": frame_to_json(frame),
            "valueHex": message.value().hex(),
            "reserializedHex": reserializer(frame, context).hex(),
        }), flush=True)
        seen += 1
    consumer.close()
    if seen < args.count:
        sys.exit(f"only {seen} of {args.count} records arrived on {args.topic} within {args.timeout} s")


def produce(args, registry):
    with open(args.schema_file, encoding="utf-8") as f:
        schema_str = f.read()
    serializer = AvroSerializer(registry, schema_str)
    producer = Producer({"bootstrap.servers": args.bootstrap, "acks": "all", "enable.idempotence": True})
    for i in range(args.count):
        frame = {
            "frameId": f"python-{i}",
            "producerId": "confluent-python",
            "source": {"dataset": None, "index": None, "fileName": f"camera/{i}.png"},
            "captureTime": datetime.datetime.fromtimestamp((1_700_000_000_000 + i) / 1000, tz=datetime.timezone.utc),
            "width": 2,
            "height": 2,
            "channels": 3,
            "encoding": "RAW_RGB8_HWC",
            "pixels": bytes((i * 7 + k) % 256 for k in range(12)),
            "groundTruth": i % 10 if i % 2 == 0 else None,
            "labelSet": "cifar-10" if i % 2 == 0 else None,
        }
        value = serializer(frame, SerializationContext(args.topic, MessageField.VALUE))
        producer.produce(args.topic, key=frame["frameId"].encode(), value=value)
        print(json.dumps({"frame": frame_to_json(frame), "valueHex": value.hex()}), flush=True)
    remaining = producer.flush(30)
    if remaining:
        sys.exit(f"{remaining} records to {args.topic} were not acknowledged")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["consume", "produce"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--schema-file")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    registry = SchemaRegistryClient({"url": args.registry})
    if args.mode == "consume":
        consume(args, registry)
    else:
        produce(args, registry)


if __name__ == "__main__":
    main()
