"""kafka-python (Debian's python3-kafka) as a separate process against a Kafka cluster.

Run by the xunit tests (through ../ScriptClient.cs) under /usr/bin/python3. Every command prints one
JSON object on stdout; diagnostics go to stderr, which the tests put in their failure messages. A Kafka
error the client reports ends the run with {"error": {"name": ..., "code": ...}} and exit code 3.
--sasl-username, --sasl-password and --sasl-mechanism (PLAIN by default, or SCRAM-SHA-256/512) log in with SASL over plaintext.
--api-version X.Y[.Z] pins the broker version kafka-python assumes (no ApiVersions probe), so it speaks
that release's request versions: 0.10.1 uses JoinGroup v1, Fetch v3, ListOffsets v1; 0.9 uses JoinGroup v0,
Fetch v1, ListOffsets v0.

  admin   --topic T --partitions N      create T, then list every topic with its partition count
  list                                  list every topic with its partition count, leaders and the brokers
  produce --topic T --count N           produce N records (key k<i%20>, value <prefix>-<i>), acks=all
  consume --topic T --count N --group G consume N records in group G, commit, print them
"""

import argparse
import json
import logging
import sys
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError


def log(message):
    print(message, file=sys.stderr, flush=True)


def connection(args):
    """Settings every kafka-python client takes: where to connect and, when asked, the SASL PLAIN login."""
    settings = {"bootstrap_servers": args.bootstrap.split(",")}
    if args.api_version:
        settings["api_version"] = tuple(int(part) for part in args.api_version.split("."))
    if args.sasl_username:
        settings.update(security_protocol="SASL_PLAINTEXT", sasl_mechanism=args.sasl_mechanism,
                        sasl_plain_username=args.sasl_username, sasl_plain_password=args.sasl_password)
    return settings


def admin(args):
    client = KafkaAdminClient(**connection(args), client_id="pz-kafka-python-admin",
                              request_timeout_ms=int(args.timeout * 1000))
    try:
        response = client.create_topics([NewTopic(args.topic, num_partitions=args.partitions, replication_factor=1)],
                                        timeout_ms=int(args.timeout * 1000))
        for topic, code, *rest in response.topic_errors:
            if code != 0:
                raise RuntimeError(f"CreateTopics {topic}: error {code} {rest}")
            log(f"created {topic}")
        names = client.list_topics()
        described = client.describe_topics(names)
        topics = {t["topic"]: len(t["partitions"]) for t in described if t["error_code"] == 0}
        leaders = {t["topic"]: sorted({p["leader"] for p in t["partitions"]}) for t in described}
        brokers = len(client.describe_cluster()["brokers"])
    finally:
        client.close()
    return {"topics": topics, "leaders": leaders, "brokers": brokers}


def list_topics(args):
    client = KafkaAdminClient(**connection(args), client_id="pz-kafka-python-admin",
                              request_timeout_ms=int(args.timeout * 1000))
    try:
        described = client.describe_topics(client.list_topics())
        for t in described:
            if t["error_code"] != 0:
                raise RuntimeError(f"Metadata {t['topic']}: error {t['error_code']}")
        topics = {t["topic"]: len(t["partitions"]) for t in described}
        leaders = {t["topic"]: sorted({p["leader"] for p in t["partitions"]}) for t in described}
        brokers = sorted(f"{b['host']}:{b['port']}" for b in client.describe_cluster()["brokers"])
    finally:
        client.close()
    return {"topics": topics, "leaders": leaders, "brokers": brokers}


def produce(args):
    producer = KafkaProducer(**connection(args), acks="all", linger_ms=5,
                             key_serializer=str.encode, value_serializer=str.encode)
    # --header key=value: one header on every record.
    headers = [(args.header.split("=", 1)[0], args.header.split("=", 1)[1].encode())] if args.header else None
    futures = [producer.send(args.topic, key=f"k{i % 20}", value=f"{args.prefix}-{i}", headers=headers) for i in range(args.count)]
    producer.flush(timeout=args.timeout)
    metadata = [f.get(timeout=args.timeout) for f in futures]  # raises on a failed send
    producer.close(timeout=args.timeout)
    return {"delivered": len(metadata), "partitions": sorted({m.partition for m in metadata})}


def consume(args):
    consumer = KafkaConsumer(args.topic, **connection(args), group_id=args.group,
                             auto_offset_reset="earliest", enable_auto_commit=False,
                             session_timeout_ms=10000, heartbeat_interval_ms=1000)
    records = []
    deadline = time.monotonic() + args.timeout
    while len(records) < args.count and time.monotonic() < deadline:
        for batch in consumer.poll(timeout_ms=500).values():
            for msg in batch:
                records.append({"topic": msg.topic, "partition": msg.partition, "offset": msg.offset,
                                "key": msg.key.decode(), "value": msg.value.decode(),
                                "headers": [[k, None if v is None else v.decode()] for k, v in (msg.headers or [])]})
    if records:
        consumer.commit()
    consumer.close()
    return {"records": records}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["admin", "list", "produce", "consume"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--sasl-username", default="")
    parser.add_argument("--sasl-password", default="")
    parser.add_argument("--sasl-mechanism", default="PLAIN")
    parser.add_argument("--api-version", default="", help="broker version to assume, e.g. 0.10.1 (default: probe)")
    parser.add_argument("--topic", default="")
    parser.add_argument("--partitions", type=int, default=1)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--group", default="python-readers")
    parser.add_argument("--prefix", default="kafka-python")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--header", default="", help="key=value: a header on every produced record")
    parser.add_argument("--debug", default="", help="any value turns on kafka-python's DEBUG log on stderr")
    args = parser.parse_args()
    if args.command != "list" and not args.topic:
        parser.error(f"{args.command} needs --topic")
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if args.debug else logging.WARNING)
    commands = {"admin": admin, "list": list_topics, "produce": produce, "consume": consume}
    try:
        result = commands[args.command](args)
    except KafkaError as e:
        # kafka-python's broker errors carry the protocol's name (message) and code (errno).
        log(f"{args.command} failed: {e!r}")
        print(json.dumps({"error": {"name": getattr(e, "message", type(e).__name__), "code": getattr(e, "errno", None),
                                    "message": str(e)}}), flush=True)
        sys.exit(3)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
