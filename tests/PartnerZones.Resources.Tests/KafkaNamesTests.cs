using PartnerZones.Resources;

namespace PartnerZones.Resources.Tests;

/// <summary>In .NET regexes '$' also matches before a final '\n': names must be checked to the very end.</summary>
public sealed class KafkaNamesTests
{
    [Theory]
    [InlineData("x\n")]
    [InlineData("base\n")]
    [InlineData("x\r\n")]
    [InlineData("\nx")]
    [InlineData("x\ny")]
    public void A_resource_name_with_a_line_break_is_refused_and_shown_escaped(string name)
    {
        var problem = KafkaNames.ResourceProblem(name);
        Assert.NotNull(problem);
        Assert.StartsWith($"{KafkaNames.Quoted(name)} must be lower-case letters", problem);
        Assert.DoesNotContain('\n', problem);
        Assert.Contains("\\n", problem);
    }

    [Theory]
    [InlineData("t\n")]
    [InlineData("orders\n")]
    [InlineData("orders\r\n")]
    public void A_topic_name_with_a_line_break_is_refused(string name)
    {
        var problem = KafkaNames.TopicProblem(name);
        Assert.NotNull(problem);
        Assert.Contains("characters Kafka does not allow", problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("acme-orders")]
    [InlineData("a1")]
    public void A_name_passes_and_the_same_name_with_a_line_break_does_not(string name)
    {
        Assert.Null(KafkaNames.ResourceProblem(name));
        Assert.Null(KafkaNames.TopicProblem(name));
        Assert.NotNull(KafkaNames.ResourceProblem(name + "\n"));
        Assert.NotNull(KafkaNames.TopicProblem(name + "\n"));
    }

    [Fact]
    public void Quoted_escapes_every_control_character_and_leaves_other_text_alone()
    {
        Assert.Equal("'acme'", KafkaNames.Quoted("acme"));
        Assert.Equal(@"'a\nb\r\tc\u0000\u007f'", KafkaNames.Quoted("a\nb\r\tc\0\u007f"));
        Assert.Equal("'café'", KafkaNames.Quoted("café"));
    }
}
