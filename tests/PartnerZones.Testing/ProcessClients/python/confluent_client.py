"""confluent-kafka-python (Debian's python3-confluent-kafka) as a separate process against a Kafka cluster.

Run by the xunit tests (through ../ScriptClient.cs) under /usr/bin/python3. Every command prints one
JSON object on stdout; diagnostics go to stderr, which the tests put in their failure messages. A Kafka
error the client reports ends the run with {"error": {"name": ..., "code": ...}} and exit code 3.
--sasl-username, --sasl-password and --sasl-mechanism (PLAIN by default, or SCRAM-SHA-256/512) log in with SASL over plaintext.
--api-version X.Y.Z sets api.version.request=false and broker.version.fallback=X.Y.Z, as a client configured for
an old cluster does (librdkafka still asks ApiVersions when the fallback is 0.10.0 or later).

  admin   --topic T --partitions N      create T, then list every topic with its partition count
  list                                  list every topic with its partition count, leaders and the brokers
  produce --topic T --count N           produce N records (key k<i%20>, value <prefix>-<i>), acks=all
  consume --topic T --count N --group G consume N records in group G, commit, print them
"""

import argparse
import json
import sys
import time

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic


def log(message):
    print(message, file=sys.stderr, flush=True)


class ClientKafkaError(Exception):
    """A Kafka error the client library reported, as the tests expect to read it."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def common(args):
    config = {"bootstrap.servers": args.bootstrap}
    if args.sasl_username:
        config.update({"security.protocol": "SASL_PLAINTEXT", "sasl.mechanisms": args.sasl_mechanism,
                       "sasl.username": args.sasl_username, "sasl.password": args.sasl_password})
    if args.api_version:
        config.update({"api.version.request": False, "broker.version.fallback": args.api_version})
    if args.debug:
        config["debug"] = args.debug
    return config


def admin(args):
    client = AdminClient(common(args))
    futures = client.create_topics([NewTopic(args.topic, num_partitions=args.partitions, replication_factor=1)],
                                   operation_timeout=args.timeout)
    for name, future in futures.items():
        future.result(timeout=args.timeout)  # raises KafkaException on a topic error
        log(f"created {name}")
    metadata = client.list_topics(timeout=args.timeout)
    topics = {name: len(t.partitions) for name, t in metadata.topics.items() if t.error is None}
    leaders = {name: sorted({p.leader for p in t.partitions.values()}) for name, t in metadata.topics.items()}
    return {"topics": topics, "leaders": leaders, "brokers": len(metadata.brokers)}


def list_topics(args):
    metadata = AdminClient(common(args)).list_topics(timeout=args.timeout)
    for name, t in metadata.topics.items():
        if t.error is not None:
            raise ClientKafkaError(t.error)
    topics = {name: len(t.partitions) for name, t in metadata.topics.items()}
    leaders = {name: sorted({p.leader for p in t.partitions.values()}) for name, t in metadata.topics.items()}
    brokers = sorted(f"{b.host}:{b.port}" for b in metadata.brokers.values())
    return {"topics": topics, "leaders": leaders, "brokers": brokers}


def produce(args):
    config = common(args)
    config.update({"acks": "all", "linger.ms": 5})
    producer = Producer(config)
    delivered = []
    errors = []

    def on_delivery(err, msg):
        if err is not None:
            errors.append(err)
        else:
            delivered.append({"partition": msg.partition(), "offset": msg.offset()})

    for i in range(args.count):
        producer.produce(args.topic, key=f"k{i % 20}", value=f"{args.prefix}-{i}", on_delivery=on_delivery)
        producer.poll(0)
    remaining = producer.flush(args.timeout)
    if errors:
        log(f"{len(errors)} records failed; first errors: {[str(e) for e in errors[:5]]}")
        raise ClientKafkaError(errors[0])
    if remaining:
        raise RuntimeError(f"{remaining} records not delivered in {args.timeout} s")
    return {"delivered": len(delivered), "partitions": sorted({d["partition"] for d in delivered})}


def consume(args):
    config = common(args)
    config.update({
        "group.id": args.group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "session.timeout.ms": 10000,
        "heartbeat.interval.ms": 1000,
    })
    consumer = Consumer(config)
    consumer.subscribe([args.topic])
    records = []
    deadline = time.monotonic() + args.timeout
    while len(records) < args.count and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                continue
            raise ClientKafkaError(msg.error())
        records.append({"topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset(),
                        "key": msg.key().decode(), "value": msg.value().decode()})
    if records:
        consumer.commit(asynchronous=False)
    consumer.close()
    return {"records": records}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["admin", "list", "produce", "consume"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--sasl-username", default="")
    parser.add_argument("--sasl-password", default="")
    parser.add_argument("--sasl-mechanism", default="PLAIN")
    parser.add_argument("--topic", default="")
    parser.add_argument("--partitions", type=int, default=1)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--group", default="python-readers")
    parser.add_argument("--prefix", default="confluent-python")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--debug", default="", help="librdkafka debug contexts, e.g. protocol,broker")
    parser.add_argument("--api-version", default="", help="no ApiVersions; assume a broker of this version, e.g. 0.10.0.0")
    args = parser.parse_args()
    if args.command != "list" and not args.topic:
        parser.error(f"{args.command} needs --topic")
    commands = {"admin": admin, "list": list_topics, "produce": produce, "consume": consume}
    try:
        result = commands[args.command](args)
    except (ClientKafkaError, KafkaException) as e:
        error = e.error if isinstance(e, ClientKafkaError) else e.args[0]
        log(f"{args.command} failed: {error}")
        print(json.dumps({"error": {"name": error.name(), "code": error.code(), "message": error.str()}}), flush=True)
        sys.exit(3)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
