using Confluent.Kafka;

namespace PartnerZones.LoadTest.Workload;

/// <summary>librdkafka's own log, warnings and worse only: its informational lines would bury the figures.</summary>
internal static class ClientLog
{
    public static void Write(string client, LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning)
        {
            Console.Error.WriteLine($"  [{client} {message.Level}] {message.Facility}: {message.Message}");
        }
    }
}
