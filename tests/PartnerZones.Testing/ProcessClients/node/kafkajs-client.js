// kafkajs (npm, pinned by package-lock.json) as a separate process against a Kafka cluster.
//
// Run by the xunit tests (through ../ScriptClient.cs) with node. Every command prints one JSON object
// on stdout; diagnostics go to stderr, which the tests put in their failure messages. A Kafka error the
// client reports ends the run with {"error": {"name": ..., "code": ...}} and exit code 3.
// --sasl-username, --sasl-password and --sasl-mechanism (PLAIN by default, or SCRAM-SHA-256/512) log in with SASL over plaintext.
//
//   admin   --topic T --partitions N      create T, then list every topic with its partition count
//   list                                  list every topic with its partition count, leaders and the brokers
//   produce --topic T --count N           produce N records (key k<i%20>, value <prefix>-<i>), acks=all;
//                                         T may be several topics, T1,T2, sent together in one batch
//   consume --topic T --count N --group G consume N records in group G, commit, print them
'use strict';

const { Kafka, Partitioners, logLevel } = require('kafkajs');

function parseArgs(argv) {
  const args = {
    command: argv[0], partitions: 1, count: 0, group: 'kafkajs-readers', prefix: 'kafkajs', timeout: 60, debug: '', header: '',
    'sasl-username': '', 'sasl-password': '', 'sasl-mechanism': 'PLAIN',
  };
  for (let i = 1; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in args) && name !== 'bootstrap' && name !== 'topic') {
      throw new Error(`unknown option ${argv[i]}`);
    }
    args[name] = argv[i + 1];
  }
  for (const name of ['partitions', 'count', 'timeout']) {
    args[name] = Number(args[name]);
  }
  if (!['admin', 'list', 'produce', 'consume'].includes(args.command) || !args.bootstrap || (!args.topic && args.command !== 'list')) {
    throw new Error('usage: kafkajs-client.js admin|list|produce|consume --bootstrap B [--topic T] [--partitions N] [--count N] [--group G] '
      + '[--sasl-username U --sasl-password P]');
  }
  return args;
}

// kafkajs logs JSON lines; send them all to stderr so stdout carries only the result.
function stderrLogCreator() {
  return ({ namespace, level, label, log }) => {
    const { message, ...extra } = log;
    process.stderr.write(`${label} [${namespace}] ${message} ${JSON.stringify(extra)}\n`);
  };
}

function client(args) {
  return new Kafka({
    clientId: 'pz-kafkajs',
    brokers: args.bootstrap.split(','),
    connectionTimeout: 10000,
    requestTimeout: args.timeout * 1000,
    logLevel: args.debug ? logLevel.DEBUG : logLevel.WARN,
    logCreator: stderrLogCreator,
    retry: { retries: 8 },
    sasl: args['sasl-username'] ? { mechanism: args['sasl-mechanism'].toLowerCase(), username: args['sasl-username'], password: args['sasl-password'] } : undefined,
  });
}

// The broker error behind a kafkajs failure: protocol errors carry the Kafka name (type) and code,
// but retries and the producer wrap them, so look through causes and aggregated errors.
function kafkaError(e, depth = 0) {
  if (!e || depth > 5) {
    return null;
  }
  if (e.name === 'KafkaJSProtocolError' || (e.type && typeof e.code === 'number')) {
    return { name: e.type, code: e.code, message: e.message };
  }
  for (const inner of [e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = kafkaError(inner, depth + 1);
    if (found) {
      return found;
    }
  }
  return null;
}

async function admin(args) {
  const kafkaAdmin = client(args).admin();
  await kafkaAdmin.connect();
  try {
    const created = await kafkaAdmin.createTopics({
      topics: [{ topic: args.topic, numPartitions: args.partitions, replicationFactor: 1 }],
      waitForLeaders: true,
      timeout: args.timeout * 1000,
    });
    if (!created) {
      throw new Error(`createTopics reported that ${args.topic} already exists`);
    }
    process.stderr.write(`created ${args.topic}\n`);
    const names = await kafkaAdmin.listTopics();
    const metadata = await kafkaAdmin.fetchTopicMetadata({ topics: names });
    const cluster = await kafkaAdmin.describeCluster();
    const topics = {};
    const leaders = {};
    for (const t of metadata.topics) {
      topics[t.name] = t.partitions.length;
      leaders[t.name] = [...new Set(t.partitions.map(p => p.leader))].sort((a, b) => a - b);
    }
    return { topics, leaders, brokers: cluster.brokers.length };
  } finally {
    await kafkaAdmin.disconnect();
  }
}

async function list(args) {
  const kafkaAdmin = client(args).admin();
  await kafkaAdmin.connect();
  try {
    const metadata = await kafkaAdmin.fetchTopicMetadata();
    const cluster = await kafkaAdmin.describeCluster();
    const topics = {};
    const leaders = {};
    for (const t of metadata.topics) {
      topics[t.name] = t.partitions.length;
      leaders[t.name] = [...new Set(t.partitions.map(p => p.leader))].sort((a, b) => a - b);
    }
    return { topics, leaders, brokers: cluster.brokers.map(b => `${b.host}:${b.port}`).sort() };
  } finally {
    await kafkaAdmin.disconnect();
  }
}

// Several comma-separated topics go out in one sendBatch: kafkajs then sends one Produce request per
// broker holding every topic's batches (values are <topic>-<i> then, so each record names its topic).
async function produce(args) {
  const producer = client(args).producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const topics = args.topic.split(',');
    const topicMessages = topics.map(topic => {
      const messages = [];
      for (let i = 0; i < args.count; i++) {
        const message = { key: `k${i % 20}`, value: topics.length === 1 ? `${args.prefix}-${i}` : `${topic}-${i}` };
        if (args.header) {
          // --header key=value: one header on every record.
          const at = args.header.indexOf('=');
          message.headers = { [args.header.slice(0, at)]: args.header.slice(at + 1) };
        }
        messages.push(message);
      }
      return { topic, messages };
    });
    const results = await producer.sendBatch({ topicMessages, acks: -1, timeout: args.timeout * 1000 });
    for (const r of results) {
      if (r.errorCode !== 0) {
        throw new Error(`produce to ${r.topicName} partition ${r.partition} failed with error ${r.errorCode}`);
      }
    }
    return {
      delivered: args.count * topics.length,
      partitions: [...new Set(results.map(r => r.partition))].sort((a, b) => a - b),
      batches: results.map(r => ({ topic: r.topicName, partition: r.partition, baseOffset: Number(r.baseOffset) })),
    };
  } finally {
    await producer.disconnect();
  }
}

async function consume(args) {
  const consumer = client(args).consumer({
    groupId: args.group,
    sessionTimeout: 10000,
    heartbeatInterval: 1000,
    // A short long-poll: disconnect waits for fetches in flight, 5 s by default.
    maxWaitTimeInMs: 500,
    allowAutoTopicCreation: false,
  });
  await consumer.connect();
  const records = [];
  try {
    await consumer.subscribe({ topics: [args.topic], fromBeginning: true });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, args.timeout * 1000);
      consumer.on(consumer.events.CRASH, e => { clearTimeout(timer); reject(e.payload.error); });
      consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          // Headers as [key, value] pairs: kafkajs folds repeated keys into arrays, which are unfolded here.
          const headers = Object.entries(message.headers || {}).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map(x => [k, x === null || x === undefined ? null : x.toString()]));
          records.push({ topic, partition, offset: Number(message.offset), key: message.key.toString(), value: message.value.toString(), headers });
          await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
          if (records.length >= args.count) {
            clearTimeout(timer);
            resolve();
          }
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return { records };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const result = await { admin, list, produce, consume }[args.command](args);
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch(e => {
  process.stderr.write(`kafkajs-client failed: ${e && e.stack ? e.stack : e}\n`);
  const error = kafkaError(e);
  if (error) {
    process.stdout.write(JSON.stringify({ error }) + '\n');
    process.exit(3);
  }
  process.exit(1);
});
