namespace PartnerZones.WebUi.Tests;

/// <summary>One stack (cluster, gateway, console, browser) for every UI test; its tests run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class WebUiCollection : ICollectionFixture<WebUiStack>
{
    public const string Name = "Web UI";
}
