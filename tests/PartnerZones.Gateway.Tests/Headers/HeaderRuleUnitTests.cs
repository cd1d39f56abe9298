using System.Text;
using PartnerZones.Gateway.Headers;
using PartnerZones.Protocol.Records;
using PartnerZones.Resources;

namespace PartnerZones.Gateway.Tests.Headers;

/// <summary>The pieces of header rules without a cluster: templates, whole-key regexes, rule equality
/// and what removal does to a cut-off record set.</summary>
public sealed class HeaderRuleUnitTests
{
    private static readonly TemplateValues Values = new("app-1", "10.0.0.7", 0, 9, "johndoe", "gw.example.com", 1700000000123);

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("{{user}}@{{userIp}}", "johndoe@10.0.0.7")]
    [InlineData("{{clientId}} {{apiKey}}/{{apiKeyVersion}} {{gatewayHost}} {{timestampMillis}}", "app-1 0/9 gw.example.com 1700000000123")]
    [InlineData("a { single } brace", "a { single } brace")]
    [InlineData("{{unknown}} and {{user", "{{unknown}} and {{user")]
    public void Templates_fill_known_names_and_keep_a_value_validation_would_refuse_as_written(string template, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(HeaderTemplate.Parse(template).Fill(Values)));

    [Theory]
    [InlineData("secret-.*", "secret-a", true)]
    [InlineData("secret-.*", "not-secret-a", false)]
    [InlineData("internal", "internal-2", false)]
    [InlineData("a|b", "b", true)]
    [InlineData("a|b", "ab", false)]
    [InlineData("secret", "secret\n", false)]
    public void Remove_rules_match_whole_keys(string regex, string key, bool removed) =>
        Assert.Equal(removed, HeaderPolicy.Compile(regex).IsMatch(key));

    [Fact]
    public void Zones_without_rules_have_no_header_policy_and_equal_rules_compare_equal()
    {
        Assert.Null(HeaderPolicy.From(null));
        Assert.Null(HeaderPolicy.From(new HeaderRules { AddOnProduce = [], RemoveOnConsume = [] }));
        var rules = new HeaderRules { RemoveOnConsume = [new HeaderToRemove { KeyRegex = "x" }] };
        var policy = HeaderPolicy.From(rules);
        Assert.True(HeaderPolicy.Same(policy, new HeaderRules { RemoveOnConsume = [new HeaderToRemove { KeyRegex = "x" }] }));
        Assert.False(HeaderPolicy.Same(policy, new HeaderRules { RemoveOnConsume = [new HeaderToRemove { KeyRegex = "y" }] }));
        Assert.False(HeaderPolicy.Same(policy, null));
        Assert.True(HeaderPolicy.Same(null, new HeaderRules()));
    }

    [Theory]
    [InlineData(RecordCompression.None)]
    [InlineData(RecordCompression.Zstd)]
    public void Removal_keeps_batch_fields_and_drops_a_cut_off_last_batch(RecordCompression compression)
    {
        var policy = HeaderPolicy.From(new HeaderRules { RemoveOnConsume = [new HeaderToRemove { KeyRegex = "secret" }] })!;
        var first = Batch(100, compression, withSecret: true);
        var second = Batch(103, compression, withSecret: true);
        var records = first.Concat(second[..(second.Length - 5)]).ToArray();

        var stripped = FetchHeaders.Strip(records, policy);

        var batch = Assert.Single(RecordSet.DecodeAll(stripped));
        var original = RecordBatch.Decode(first);
        Assert.Equal((original.BaseOffset, original.LastOffsetDelta, original.ProducerId, original.BaseSequence, original.Attributes, original.MaxTimestamp),
            (batch.BaseOffset, batch.LastOffsetDelta, batch.ProducerId, batch.BaseSequence, batch.Attributes, batch.MaxTimestamp));
        Assert.All(batch.Records, r => Assert.Equal(["app"], r.Headers.Select(h => h.Key)));
    }

    [Fact]
    public void Removal_returns_untouched_bytes_when_no_header_matches()
    {
        var policy = HeaderPolicy.From(new HeaderRules { RemoveOnConsume = [new HeaderToRemove { KeyRegex = "secret" }] })!;
        var records = Batch(0, RecordCompression.None, withSecret: false);
        Assert.True(FetchHeaders.Strip(records, policy).Span.SequenceEqual(records));
    }

    [Theory]
    [InlineData(RecordCompression.None)]
    [InlineData(RecordCompression.Gzip)]
    [InlineData(RecordCompression.Snappy)]
    [InlineData(RecordCompression.Lz4)]
    [InlineData(RecordCompression.Zstd)]
    public void Adding_keeps_the_codec_and_every_batch_field_and_leaves_control_batches_alone(RecordCompression compression)
    {
        var policy = HeaderPolicy.From(new HeaderRules
        {
            AddOnProduce =
            [
                new HeaderToAdd { Key = "secret", Value = "replaced", OverrideIfExists = true },
                new HeaderToAdd { Key = "app", Value = "not added", OverrideIfExists = false },
                new HeaderToAdd { Key = "who", Value = "{{user}}" },
            ],
        })!;
        var additions = policy.Additions.Select(a => new RecordHeader(a.Key, a.Value.Fill(Values))).ToArray();
        var data = RecordBatch.Decode(Batch(0, compression, withSecret: true));
        data.IsTransactional = true;
        var dataBytes = data.ToArray();
        var marker = new RecordBatch { BaseOffset = 7, ProducerId = 42, ProducerEpoch = 1, IsTransactional = true, IsControl = true, BaseTimestamp = 5, MaxTimestamp = 5 };
        marker.Records.Add(new PartnerZones.Protocol.Records.Record { Key = new byte[] { 0, 0, 0, 1 }, Value = new byte[] { 0, 0, 0, 0, 0, 0 } });
        var markerBytes = marker.ToArray();

        var added = ProduceHeaders.AddTo(dataBytes.Concat(markerBytes).ToArray(), additions, policy);

        var batches = RecordSet.DecodeAll(added);
        Assert.Equal(2, batches.Count);
        var batch = batches[0];
        Assert.Equal((data.BaseOffset, data.Attributes, data.LastOffsetDelta, data.BaseTimestamp, data.MaxTimestamp, data.ProducerId, data.ProducerEpoch, data.BaseSequence, data.Records.Count),
            (batch.BaseOffset, batch.Attributes, batch.LastOffsetDelta, batch.BaseTimestamp, batch.MaxTimestamp, batch.ProducerId, batch.ProducerEpoch, batch.BaseSequence, batch.Records.Count));
        Assert.Equal(compression, batch.Compression);
        Assert.All(batch.Records, r => Assert.Equal(
            ["secret=replaced", "app=\u0002", "who=johndoe"],
            r.Headers.Select(h => $"{h.Key}={Encoding.UTF8.GetString(h.Value!.Value.Span)}")));
        Assert.True(added.AsSpan(added.Length - markerBytes.Length).SequenceEqual(markerBytes));
    }

    private static byte[] Batch(long baseOffset, RecordCompression compression, bool withSecret)
    {
        var batch = new RecordBatch
        {
            BaseOffset = baseOffset,
            BaseTimestamp = 1000,
            ProducerId = 42,
            ProducerEpoch = 1,
            BaseSequence = 7,
            Compression = compression,
            // Compaction may leave gaps: the last offset delta must survive as stored, not be recomputed.
            Records = [.. Enumerable.Range(0, 3).Select(i => new PartnerZones.Protocol.Records.Record
            {
                OffsetDelta = i * 2,
                TimestampDelta = i,
                Value = Encoding.UTF8.GetBytes($"v{i}"),
                Headers = withSecret ? [new RecordHeader("secret", new byte[] { 1 }), new RecordHeader("app", new byte[] { 2 })] : [new RecordHeader("app", new byte[] { 2 })],
            })],
        };
        batch.UpdateSummaryFields();
        batch.LastOffsetDelta = 6;
        return batch.ToArray();
    }
}
