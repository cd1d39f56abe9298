namespace PartnerZones.Cli.Tests;

public sealed class RootCommandTests
{
    [Fact]
    public void Version_prints_the_product_version()
    {
        var (exit, output, _) = PzProcess.Run("--version");
        Assert.Equal(0, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public void Help_describes_the_product()
    {
        var (exit, output, _) = PzProcess.Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("Partner Zones", output);
        Assert.Contains("--version", output);
    }

    [Fact]
    public void Unknown_command_is_an_error_that_names_it()
    {
        var (exit, _, error) = PzProcess.Run("frobnicate");
        Assert.NotEqual(0, exit);
        Assert.Contains("frobnicate", error);
    }
}
