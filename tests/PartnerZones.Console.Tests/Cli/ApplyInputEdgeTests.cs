using System.Net;
using System.Net.Sockets;
using System.Text;
using PartnerZones.ControlPlane.Tests.Api;

namespace PartnerZones.ControlPlane.Tests.Cli;

/// <summary>`pz apply` on hostile input (issue 19, items 8 and 9), run as the real process: a name with a
/// trailing line break, YAML nested 100,000 levels deep, a 50 MB file and a console that answers 413.
/// Each ends with one line on standard error naming the problem, a non-zero exit and no stack trace.</summary>
public sealed class ApplyInputEdgeTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pz-apply-edge-tests-").FullName;

    private Dictionary<string, string> Environment => new()
    {
        ["PZ_BASE_URL"] = fixture.Console.Url.ToString(),
        ["PZ_API_KEY"] = fixture.Console.ApiKey,
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_name_with_a_trailing_line_break_is_refused_on_one_line()
    {
        var (cluster, zone) = (Documents.Unique("gw"), Documents.Unique("zone"));
        var yaml = ClientCommandTests.ClusterYaml(cluster) + "---\n"
            + ClientCommandTests.ZoneYaml(zone, cluster).Replace($"name: {zone}\n", $"name: \"{zone}\\n\"\n", StringComparison.Ordinal);
        var file = Write("zone.yaml", yaml);

        var (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", file);
        Assert.Equal(1, exit);
        Assert.Equal([$"KafkaCluster/{cluster}: Created"], Lines(output));
        Assert.Equal(
            [$@"Could not apply PartnerZone/{zone}\n: metadata.name '{zone}\n' must be lower-case letters, digits and '-', starting and ending with a letter or digit; name the zone like 'acme-orders'"],
            Lines(error));
    }

    [Fact]
    public async Task A_cluster_named_with_a_trailing_line_break_is_refused_on_one_line_and_cannot_be_deleted_by_that_name()
    {
        var cluster = Documents.Unique("gw");
        var file = Write("cluster.yaml", ClientCommandTests.ClusterYaml(cluster).Replace($"name: {cluster}\n", $"name: \"{cluster}\\n\"\n", StringComparison.Ordinal));

        var (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", file);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal(
            [$@"Could not apply KafkaCluster/{cluster}\n: metadata.name '{cluster}\n' must be lower-case letters, digits and '-', starting and ending with a letter or digit; name the cluster like 'gateway'"],
            Lines(error));

        (exit, _, error) = await Pz.RunAsync(Environment, null, "delete", "-f", file);
        Assert.Equal(1, exit);
        Assert.Equal([$@"Could not delete KafkaCluster/{cluster}\n: KafkaCluster '{cluster}\n' does not exist."], Lines(error));
    }

    [Fact]
    public async Task Deeply_nested_yaml_is_one_line_not_a_stack_overflow()
    {
        var file = Write("deep.yaml", "apiVersion: v2\nkind: PartnerZone\nspec: " + new string('[', 100_000) + "\n");

        var (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", file);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal([$"pz apply: {file}: nesting deeper than 64 levels at line 3, column 70; a resource needs only a few levels of mappings and lists."], Lines(error));
    }

    [Fact]
    public async Task A_file_larger_than_the_console_accepts_is_refused_before_sending()
    {
        var file = Path.Combine(_directory, "huge.yaml");
        await using (var stream = File.Create(file))
        {
            stream.SetLength(50L * 1024 * 1024);
        }

        var (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", file);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal([$"pz apply: {file}: the file is 50 MB; the console accepts at most 1 MB per request; split the resources over smaller files."], Lines(error));

        // Just over the limit: pz stops reading there, and what it leaves unread fits the pipe's buffer.
        (exit, _, error) = await Pz.RunAsync(Environment, new string('#', (1024 * 1024) + 1000), "apply", "-f", "-");
        Assert.Equal(1, exit);
        Assert.Equal(["pz apply: standard input is more than 1 MB; the console accepts at most 1 MB per request; split the resources over smaller files."], Lines(error));
    }

    [Fact]
    public async Task A_resource_whose_json_is_larger_than_the_console_accepts_is_not_sent()
    {
        // 600,000 quotes are 0.6 MB of YAML but 1.2 MB of JSON, where each one is escaped.
        var zone = Documents.Unique("zone");
        var yaml = ClientCommandTests.ZoneYaml(zone, "gw").Replace("spec:\n", "spec:\n  description: |\n    " + new string('"', 600_000) + "\n", StringComparison.Ordinal);
        var file = Write("quotes.yaml", yaml);
        Assert.True(new FileInfo(file).Length < 1024 * 1024);

        var (exit, output, error) = await Pz.RunAsync(Environment, null, "apply", "-f", file);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Equal([$"Could not apply PartnerZone/{zone}: the resource is 1.2 MB as JSON; the console accepts at most 1 MB per request; shorten its text fields."], Lines(error));
    }

    [Fact]
    public async Task A_413_answer_says_the_request_was_too_large_not_that_the_console_is_unreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var answering = AnswerTooLargeAsync(listener);
        var cluster = Documents.Unique("gw");
        var file = Write("cluster.yaml", ClientCommandTests.ClusterYaml(cluster));
        var environment = new Dictionary<string, string> { ["PZ_BASE_URL"] = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", ["PZ_API_KEY"] = "any" };

        var (exit, _, error) = await Pz.RunAsync(environment, null, "apply", "-f", file);
        await answering;
        Assert.Equal(1, exit);
        var line = Assert.Single(Lines(error));
        Assert.Matches(@"^pz apply: the console refused the request as too large \(0\.\d MB\): the body is larger than 1 KiB; a resource is a few kilobytes; the console accepts at most 1 MB per request\.$", line);
    }

    /// <summary>A console whose limit is smaller than this pz expects: reads one request, answers 413 the way the console does.</summary>
    private static async Task AnswerTooLargeAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var stream = client.GetStream();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        // The whole request, body too: closing with unread bytes would reset the connection before pz reads the answer.
        while (!Complete(received.ToString()))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return;
            }

            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        var body = "{\"title\":\"Payload too large\",\"msg\":\"the body is larger than 1 KiB; a resource is a few kilobytes.\"}";
        var answer = $"HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
    }

    private static bool Complete(string request)
    {
        var end = request.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var length = request[..end].Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is null || Encoding.UTF8.GetByteCount(request[(end + 4)..]) >= int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
