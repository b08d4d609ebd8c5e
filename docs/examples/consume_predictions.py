#!/usr/bin/env python3
"""Subscribe to the pipeline's predictions, dead letters and heartbeats from Python, for some device types.

Reads with isolation.level=read_committed: edge devices write predictions and dead letters in transactions, and a
record of an aborted transaction (a device that crashed mid-batch) is never shown. Each value is decoded with the
writer's schema, fetched from the registry by the id in the record's header; nothing is read from this repository.
Every record of the chosen device types is printed as one JSON line; its offset is committed after it is printed
(at least once).

    python docs/examples/consume_predictions.py --bootstrap-servers localhost:9092 \
        --schema-registry-url http://localhost:8081/apis/ccompat/v7 --device-type rpi5-openvino-cpu-int8
"""
import argparse
import datetime
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

import client_config

TOPICS = ["edge.predictions.v1", "edge.dead-letters.v1", "edge.heartbeats.v1"]


def plain(value):
    """A decoded Avro value as JSON: timestamps as epoch milliseconds, bytes as hex."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    return value


def main():
    parser = argparse.ArgumentParser(description="Print predictions, dead letters and heartbeats as JSON lines.")
    parser.add_argument("--bootstrap-servers")
    parser.add_argument("--schema-registry-url")
    parser.add_argument("--config", help="client .properties file (librdkafka names; schema.registry.* for the registry)")
    parser.add_argument("--topic", action="append", help=f"repeatable; default: {', '.join(TOPICS)}")
    parser.add_argument("--device-type", action="append", help="repeatable; default: every device type")
    parser.add_argument("--group-id", default="predictions-reader-python")
    parser.add_argument("--max-records", type=int, default=0, help="stop after printing N records; 0: run until Ctrl-C")
    parser.add_argument("--timeout", type=float, default=0, help="stop after this many seconds; 0: no limit")
    args = parser.parse_args()

    kafka, registry_conf = client_config.load(args.config, args.bootstrap_servers, args.schema_registry_url)
    consumer = Consumer({
        **kafka,
        "group.id": args.group_id,
        "isolation.level": "read_committed",  # never show records of aborted transactions
        "auto.offset.reset": "earliest",      # a new group starts at the oldest record kept
        "enable.auto.offset.store": False,    # commit only offsets of records already printed
    })
    # No schema given: the writer's schema of every record is fetched from the registry by id (and cached).
    deserializer = AvroDeserializer(SchemaRegistryClient(registry_conf))
    wanted = set(args.device_type or [])
    consumer.subscribe(args.topic or TOPICS)
    printed = 0
    deadline = time.monotonic() + args.timeout if args.timeout else None
    try:
        while (not args.max_records or printed < args.max_records) and (deadline is None or time.monotonic() < deadline):
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error():
                raise KafkaException(message.error())
            where = f"{message.topic()}-{message.partition()}@{message.offset()}"
            try:
                record = deserializer(message.value(), SerializationContext(message.topic(), MessageField.VALUE))
            except Exception as error:  # the record stays where it is; say which one it was
                raise RuntimeError(f"cannot decode the record at {where}: {error}") from error
            # Predictions and heartbeats always name their device type; dead letters only when a device failed.
            if not wanted or record.get("deviceType") in wanted:
                print(json.dumps({"topic": message.topic(), "partition": message.partition(),
                                  "offset": message.offset(), "key": (message.key() or b"").decode("utf-8", "replace"),
                                  "value": plain(record)}), flush=True)
                printed += 1
            consumer.store_offsets(message)
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()  # commits the stored offsets
    if args.max_records and printed < args.max_records:
        print(f"only {printed} of {args.max_records} records within {args.timeout} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
