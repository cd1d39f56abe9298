using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;
using PartnerZones.Protocol.Primitives;
using PartnerZones.Testing;
using PartnerZones.Testing.ProcessClients;

namespace PartnerZones.Cli.Tests;

/// <summary>`pz kafka` run as a process: the node lines, a real client, SIGTERM, and the one-line errors.</summary>
public sealed partial class KafkaCommandTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"^node (\d+) listening on 127\.0\.0\.1:(\d+)$")]
    private static partial Regex NodeLine();

    [Fact]
    public async Task Prints_one_line_per_node_on_consecutive_ports_serves_a_SASL_client_and_exits_0_on_SIGTERM()
    {
        var (pz, port, firstLine) = await StartOnFreePortsAsync(nodes: 2, "--sasl-user", "SCRAM-SHA-256:alice:wonder:land", "--sasl-user", "PLAIN:bob:builder");
        using var _ = pz;

        var ports = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            var line = i == 0 ? firstLine : await pz.ReadLineAsync(StartTimeout);
            var match = NodeLine().Match(line ?? "");
            Assert.True(match.Success, $"unexpected line '{line}'; stderr: {pz.Error}");
            Assert.Equal(i, int.Parse(match.Groups[1].Value));
            ports.Add(int.Parse(match.Groups[2].Value));
        }

        Assert.Equal([port, port + 1], ports);

        var sasl = new ClientConfig
        {
            BootstrapServers = $"127.0.0.1:{port}",
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.ScramSha256,
            SaslUsername = "alice",
            SaslPassword = "wonder:land",
        };
        using (var admin = new AdminClientBuilder(new AdminClientConfig(sasl)).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "cli-events", NumPartitions = 2, ReplicationFactor = 1 }]);
        }

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig(sasl)).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                var delivered = await producer.ProduceAsync("cli-events", new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
                Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
            }
        }

        using (var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig(sasl) { GroupId = "cli", AutoOffsetReset = AutoOffsetReset.Earliest }).Build())
        {
            consumer.Subscribe("cli-events");
            var values = new HashSet<string>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (values.Count < 10 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
                {
                    values.Add(result.Message.Value);
                }
            }

            Assert.Equal(10, values.Count);
            consumer.Close();
        }

        pz.Terminate();
        Assert.Equal(0, await pz.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Null(await pz.ReadLineAsync(TimeSpan.FromSeconds(10)));
        Assert.False(IsListening(port), "the node must stop listening when pz kafka exits");
    }

    [Fact]
    public async Task Without_sasl_users_serves_plaintext_and_port_0_picks_free_ports()
    {
        using var pz = PzProcess.Start("kafka", "--listen", "127.0.0.1:0", "--auto-create-topics", "--default-partitions", "3");
        var match = NodeLine().Match(await pz.ReadLineAsync(StartTimeout) ?? "");
        Assert.True(match.Success, pz.Error);
        var port = int.Parse(match.Groups[2].Value);
        Assert.NotEqual(0, port);

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = $"127.0.0.1:{port}" }).Build())
        {
            // Auto-created on first use, with --default-partitions partitions.
            var delivered = await producer.ProduceAsync("auto", new Message<Null, string> { Value = "hello" });
            Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        }

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = $"127.0.0.1:{port}" }).Build())
        {
            Assert.Equal(3, admin.GetMetadata("auto", TimeSpan.FromSeconds(30)).Topics.Single().Partitions.Count);
        }

        pz.Terminate();
        Assert.Equal(0, await pz.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    [Theory]
    [InlineData(null, 0, 0, false, false)]
    [InlineData("3.9", 0, 0, false, false)]
    [InlineData("3.9", 0, 0, true, true)]
    [InlineData("4.0", 1, 2, false, true)]
    public async Task Api_generation_sets_the_lowest_versions_advertised(string? generation, short listOffsetsMin, short joinGroupMin, bool consumerGroupFlag, bool consumerGroupProtocol)
    {
        using var pz = PzProcess.Start(["kafka", "--listen", "127.0.0.1:0",
            .. generation is null ? Array.Empty<string>() : ["--api-generation", generation],
            .. consumerGroupFlag ? ["--consumer-group-protocol"] : Array.Empty<string>()]);
        var match = NodeLine().Match(await pz.ReadLineAsync(StartTimeout) ?? "");
        Assert.True(match.Success, pz.Error);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, int.Parse(match.Groups[2].Value));
        var stream = client.GetStream();
        using (var writer = new KafkaWriter(256))
        {
            FrameWriter.WriteRequest(writer, new RequestHeader { ApiVersion = 3, CorrelationId = 1, ClientId = "cli-test" }, new ApiVersionsRequest());
            await stream.WriteAsync(writer.WrittenMemory);
        }

        var size = new byte[4];
        await stream.ReadExactlyAsync(size);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(frame);
        var reader = new KafkaReader(frame);
        _ = ResponseHeader.Read(ref reader, HeaderVersions.Response(ApiVersionsRequest.Key, 3));
        var response = new ApiVersionsResponse();
        response.Read(ref reader, 3);

        Assert.Equal(listOffsetsMin, response.ApiKeys.Single(k => k.ApiKey == ListOffsetsRequest.Key).MinVersion);
        Assert.Equal(joinGroupMin, response.ApiKeys.Single(k => k.ApiKey == JoinGroupRequest.Key).MinVersion);
        Assert.Equal(consumerGroupProtocol, response.ApiKeys.Any(k => k.ApiKey == ConsumerGroupHeartbeatRequest.Key));
        pz.Terminate();
        Assert.Equal(0, await pz.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void A_port_in_use_is_one_line_on_stderr_and_exit_code_2()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exit, output, error) = PzProcess.Run("kafka", "--listen", $"127.0.0.1:{port}");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));
        Assert.Contains($"127.0.0.1:{port} is already in use", line, StringComparison.Ordinal);
        Assert.Contains("--listen", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--listen", new[] { "kafka" })]
    [InlineData("--listen", new[] { "kafka", "--listen", "9092" })]
    [InlineData("--listen", new[] { "kafka", "--listen", "127.0.0.1:99999" })]
    [InlineData("--listen", new[] { "kafka", "--listen", "0.0.0.0:9092" })]
    [InlineData("--nodes", new[] { "kafka", "--listen", "127.0.0.1:0", "--nodes", "zero" })]
    [InlineData("--nodes", new[] { "kafka", "--listen", "127.0.0.1:0", "--nodes", "0" })]
    [InlineData("--nodes", new[] { "kafka", "--listen", "127.0.0.1:65535", "--nodes", "2" })]
    [InlineData("--default-partitions", new[] { "kafka", "--listen", "127.0.0.1:0", "--default-partitions", "-3" })]
    [InlineData("--sasl-user", new[] { "kafka", "--listen", "127.0.0.1:0", "--sasl-user", "GSSAPI:alice:secret" })]
    [InlineData("--sasl-user", new[] { "kafka", "--listen", "127.0.0.1:0", "--sasl-user", "alice-without-mechanism" })]
    [InlineData("--sasl-user", new[] { "kafka", "--listen", "127.0.0.1:0", "--sasl-user", "PLAIN:a:x", "--sasl-user", "plain:a:y" })]
    [InlineData("--api-generation", new[] { "kafka", "--listen", "127.0.0.1:0", "--api-generation", "3.8" })]
    [InlineData("--bogus", new[] { "kafka", "--listen", "127.0.0.1:0", "--bogus" })]
    public void A_bad_flag_is_one_line_on_stderr_naming_it_and_exit_code_2(string named, string[] args)
    {
        var (exit, output, error) = PzProcess.Run(args);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("pz kafka: ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_dir_that_is_a_file_is_one_line_on_stderr_and_exit_code_2()
    {
        var file = Path.GetTempFileName();
        try
        {
            var (exit, output, error) = PzProcess.Run("kafka", "--listen", "127.0.0.1:0", "--data-dir", file);

            Assert.Equal(2, exit);
            Assert.Equal("", output);
            var line = Assert.Single(Lines(error));
            Assert.Contains("--data-dir", line, StringComparison.Ordinal);
            Assert.Contains("not a directory", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Help_lists_every_flag()
    {
        var (exit, output, _) = PzProcess.Run("kafka", "--help");

        Assert.Equal(0, exit);
        foreach (var flag in new[] { "--listen", "--nodes", "--data-dir", "--default-partitions", "--auto-create-topics", "--sasl-user", "--api-generation", "--consumer-group-protocol" })
        {
            Assert.Contains(flag, output, StringComparison.Ordinal);
        }
    }

    /// <summary>Starts `pz kafka` on consecutive free ports and returns it with its first stdout line. Another
    /// process may take a probed port before pz binds it; that shows as exit code 2 before any line, and the
    /// start is retried on other ports (three tries in all).</summary>
    private static async Task<(PzBackground Pz, int Port, string? FirstLine)> StartOnFreePortsAsync(int nodes, params string[] extra)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPorts.FreeRange(nodes);
            var pz = PzProcess.Start(["kafka", "--listen", $"127.0.0.1:{port}", "--nodes", $"{nodes}", .. extra]);
            var first = await pz.ReadLineAsync(StartTimeout);
            if (first is not null || attempt == 3 || await pz.WaitForExitAsync(StartTimeout) != 2)
            {
                return (pz, port, first);
            }

            pz.Dispose();
        }
    }


    private static bool CanBind(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
