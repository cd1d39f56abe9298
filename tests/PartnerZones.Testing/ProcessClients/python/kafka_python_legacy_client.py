"""kafka-python (Debian's python3-kafka) pinned to an old protocol, as a client of brokers before 0.11.

With --api-version 0.8.2 it produces magic-0 message sets with Produce v0 and fetches with Fetch v0;
with 0.9 Produce v1 and Fetch v1 (still magic 0); with 0.10.1 magic 1 (Produce v2) and Fetch v3. The consumer takes partition 0 without a group and starts
at offset 0, so no group or offset API is needed. Prints one JSON object on stdout; a Kafka error
the client reports ends the run with {"error": ...} and exit code 3.

  produce --topic T --count N [--compression gzip]   keys k<i>, values <prefix>-<i>, acks=all
  consume --topic T --count N                         prints offset, key, value, timestamp of each
"""

import argparse
import json
import logging
import sys
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError


def version(text):
    return tuple(int(part) for part in text.split("."))


def produce(args):
    producer = KafkaProducer(bootstrap_servers=args.bootstrap.split(","), api_version=version(args.api_version),
                             acks="all", linger_ms=20, compression_type=args.compression,
                             key_serializer=str.encode, value_serializer=str.encode)
    futures = [producer.send(args.topic, partition=0, key=f"k{i}", value=f"{args.prefix}-{i}") for i in range(args.count)]
    producer.flush(timeout=args.timeout)
    metadata = [f.get(timeout=args.timeout) for f in futures]  # raises on a failed send
    producer.close(timeout=args.timeout)
    return {"offsets": [m.offset for m in metadata]}


def consume(args):
    consumer = KafkaConsumer(bootstrap_servers=args.bootstrap.split(","), api_version=version(args.api_version),
                             group_id=None, enable_auto_commit=False)
    partition = TopicPartition(args.topic, 0)
    consumer.assign([partition])
    consumer.seek(partition, 0)
    records = []
    deadline = time.monotonic() + args.timeout
    while len(records) < args.count and time.monotonic() < deadline:
        for batch in consumer.poll(timeout_ms=500).values():
            for msg in batch:
                records.append({"offset": msg.offset, "key": None if msg.key is None else msg.key.decode(),
                                "value": None if msg.value is None else msg.value.decode(),
                                "timestamp": msg.timestamp, "timestamp_type": msg.timestamp_type})
    consumer.close()
    return {"records": records}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["produce", "consume"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--api-version", required=True, help="0.8.2 or 0.9 (magic 0), 0.10.1 (magic 1)")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--compression", default=None)
    parser.add_argument("--prefix", default="legacy")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--debug", default="", help="any value turns on kafka-python's DEBUG log on stderr")
    args = parser.parse_args()
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if args.debug else logging.WARNING)
    try:
        result = {"produce": produce, "consume": consume}[args.command](args)
    except KafkaError as e:
        print(f"{args.command} failed: {e!r}", file=sys.stderr, flush=True)
        print(json.dumps({"error": {"name": getattr(e, "message", type(e).__name__), "code": getattr(e, "errno", None),
                                    "message": str(e)}}), flush=True)
        sys.exit(3)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
