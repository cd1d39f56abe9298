using PartnerZones.Protocol.Primitives;

namespace PartnerZones.Protocol.Records;

/// <summary>Builds the decode exception for record batches, so every message reads "Malformed RecordBatch v2, field ...".</summary>
internal static class RecordErrors
{
    public const string Api = "RecordBatch";

    public static KafkaDecodeException Malformed(string field, string problem) =>
        new(Api, RecordBatchLayout.CurrentMagic, field, problem);

    /// <summary>A reader whose failures are reported as record-batch errors.</summary>
    public static KafkaReader Reader(ReadOnlyMemory<byte> data, string field) =>
        new(data) { Api = Api, Version = RecordBatchLayout.CurrentMagic, Field = field };
}
