"""kafka-python's own magic 0/1 message code (kafka.record), as an implementation of the legacy
message format independent of ours.

Run by the protocol tests under /usr/bin/python3 (Debian's python3-kafka). Input is one JSON object on
stdin, output one JSON object on stdout; bytes travel as hex, null as null.

  build  {"magic": 0|1, "codec": 0-3, "messages": [{"offset", "timestamp", "key", "value"}]}
         -> {"bytes": ...}: the message set kafka-python's LegacyRecordBatchBuilder writes (one
            wrapper message when codec is not 0, as kafka-python's producer sends it)
  read   {"bytes": ...}
         -> {"batches": [{"magic", "compression", "timestamp_type", "crc_ok", "records": [...]}]}:
            what kafka-python's consumer reads from it (MemoryRecords, as in a fetch response)
"""

import json
import sys

from kafka.record.legacy_records import LegacyRecordBatchBuilder
from kafka.record.memory_records import MemoryRecords


def unhex(value):
    return None if value is None else bytes.fromhex(value)


def tohex(value):
    return None if value is None else bytes(value).hex()


def build(request):
    builder = LegacyRecordBatchBuilder(magic=request["magic"], compression_type=request["codec"], batch_size=1 << 30)
    for message in request["messages"]:
        metadata = builder.append(message["offset"], timestamp=message["timestamp"],
                                  key=unhex(message["key"]), value=unhex(message["value"]))
        if metadata is None:
            raise RuntimeError("the builder refused a message")
    return {"bytes": tohex(builder.build())}


def read(request):
    records = MemoryRecords(unhex(request["bytes"]))
    batches = []
    while records.has_next():
        batch = records.next_batch()
        if batch is None:
            break
        batches.append({
            "magic": batch._magic,
            "compression": batch.compression_type,
            "timestamp_type": batch.timestamp_type,
            "crc_ok": batch.validate_crc(),
            "records": [{"offset": r.offset, "timestamp": r.timestamp, "key": tohex(r.key), "value": tohex(r.value)}
                        for r in batch],
        })
    return {"batches": batches}


def main():
    command = sys.argv[1]
    request = json.load(sys.stdin)
    result = {"build": build, "read": read}[command](request)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
