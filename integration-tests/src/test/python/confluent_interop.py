"""Reads and writes the pipeline's records with Confluent's own Python client and Avro serializer.

Used by ConfluentInteropIT to prove that the project's Java serde and Confluent's clients understand each
other's records through a running schema registry: frames, predictions, dead letters and heartbeats (--type).
One JSON object per record is printed on stdout.

  consume: read COUNT records from TOPIC with Confluent's AvroDeserializer; print the decoded record, the raw
           record bytes, and the bytes Confluent's AvroSerializer produces for the decoded record.
  produce: write COUNT records of TYPE to TOPIC with Confluent's AvroSerializer and the schema in SCHEMA_FILE;
           print each record and the bytes written.
"""
import argparse
import datetime
import json
import sys

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext


def to_json(value):
    """A decoded record as JSON: timestamps as epoch milliseconds, bytes as hex."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, datetime.datetime):
        return round(value.timestamp() * 1000)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    return value


def millis(value):
    return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.timezone.utc)


MODEL = {"name": "cifar10-resnet9q", "version": "1.0.0", "artifactId": "onnx-fp16", "precision": "FP16",
         "sha256": "cd" * 32}
ACCELERATOR = {"device": "GPU", "fullName": "Example GPU"}


def frame(i):
    return {
        "frameId": f"python-{i}",
        "producerId": "confluent-python",
        "source": {"dataset": None, "index": None, "fileName": f"camera/{i}.png"},
        "captureTime": millis(1_700_000_000_000 + i),
        "width": 2,
        "height": 2,
        "channels": 3,
        "encoding": "RAW_RGB8_HWC",
        "pixels": bytes((i * 7 + k) % 256 for k in range(12)),
        "groundTruth": i % 10 if i % 2 == 0 else None,
        "labelSet": "cifar-10" if i % 2 == 0 else None,
    }


def prediction(i):
    return {
        "frameId": f"python-{i}", "frameCaptureTime": millis(1_700_000_000_000 + i),
        "frameTimestamp": millis(1_700_000_000_100 + i), "deviceId": f"py-device-{i}",
        "deviceType": "jetson-onnxruntime-gpu-fp16", "engine": "onnxruntime", "accelerator": ACCELERATOR,
        "model": MODEL, "topK": [{"classIndex": i % 10, "label": f"class-{i % 10}", "score": 0.75},
                                 {"classIndex": 9, "label": "truck", "score": 0.125}],
        "predictedClass": i % 10, "predictedLabel": f"class-{i % 10}", "groundTruth": i % 10 if i % 2 == 0 else None,
        "timings": {"queueWaitMicros": 10 + i, "preprocessMicros": 20, "inferenceMicros": 300 + i,
                    "totalOnDeviceMicros": 400 + i},
        "batchSize": 8, "receivedTime": millis(1_700_000_000_110 + i), "publishTime": millis(1_700_000_000_120 + i),
        "frameLabelSet": "imagenet-1k" if i % 3 == 1 else None, "producerId": "confluent-python" if i % 2 == 0 else None,
    }


def dead_letter(i):
    return {
        "originalTopic": "edge.frames.v1", "originalPartition": i % 3, "originalOffset": 1000 + i,
        "originalTimestamp": millis(1_700_000_000_000 + i) if i % 2 == 0 else None,
        "originalKey": f"python-{i}".encode(), "originalValue": bytes(range(i, i + 8)) if i % 2 == 0 else None,
        "frameId": f"python-{i}" if i % 2 == 0 else None, "stage": ["DECODE", "INFERENCE", "UNKNOWN"][i % 3],
        "errorClass": "java.lang.IllegalArgumentException", "reason": f"simulated failure {i}",
        "deviceId": f"py-device-{i}" if i % 2 == 0 else None, "deviceType": "rpi5-openvino-cpu-int8" if i % 2 == 0 else None,
        "time": millis(1_700_000_001_000 + i),
    }


def heartbeat(i):
    return {
        "deviceId": f"py-device-{i}", "deviceType": "jetson-onnxruntime-gpu-fp16", "engine": "onnxruntime",
        "accelerator": ACCELERATOR, "model": MODEL,
        "host": {"hostName": f"jetson-{i}", "os": "Linux 5.15", "arch": "aarch64", "cpuCores": 6,
                 "maxHeapBytes": 1 << 30, "runtimeVersion": "17.0.15"},
        "uptimeMillis": 60_000 + i, "framesProcessed": 5000 + i, "framesFailed": i, "consumerLag": -1 if i == 0 else i,
        "sentTime": millis(1_700_000_060_000 + i),
        "modelUpdate": {"target": "jetson-onnxruntime-gpu-fp16#canary", "version": "1.1.0", "sha256": "ef" * 32,
                        "state": ["ACTIVE", "FAILED", "LOADING"][i % 3],
                        "reason": "no chunk 3" if i % 3 == 1 else None, "swapPauseMillis": 12 if i % 3 == 0 else None,
                        "time": millis(1_700_000_059_000 + i)} if i % 2 == 0 else None,
        "heartbeatIntervalMillis": 5000 if i % 2 == 0 else None,
    }


RECORDS = {"frame": (frame, "frameId"), "prediction": (prediction, "frameId"),
           "dead-letter": (dead_letter, "originalKey"), "heartbeat": (heartbeat, "deviceId")}


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
        record = deserializer(message.value(), context)
        schema_id = int.from_bytes(message.value()[1:5], "big")
        writer_schema = registry.get_schema(schema_id).schema_str
        reserializer = AvroSerializer(registry, writer_schema, conf={"auto.register.schemas": False})
        print(json.dumps({
            "partition": message.partition(),
            "offset": message.offset(),
            "schemaId": schema_id,
            "record": to_json(record),
            "valueHex": message.value().hex(),
            "reserializedHex": reserializer(record, context).hex(),
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
    build, key_field = RECORDS[args.type]
    for i in range(args.count):
        record = build(i)
        value = serializer(record, SerializationContext(args.topic, MessageField.VALUE))
        key = record[key_field]
        producer.produce(args.topic, key=key if isinstance(key, bytes) else key.encode(), value=value)
        print(json.dumps({"record": to_json(record), "valueHex": value.hex()}), flush=True)
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
    parser.add_argument("--type", choices=sorted(RECORDS), default="frame", help="record type written by produce")
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    registry = SchemaRegistryClient({"url": args.registry})
    if args.mode == "consume":
        consume(args, registry)
    else:
        produce(args, registry)


if __name__ == "__main__":
    main()
