namespace PartnerZones.ControlPlane.Api;

/// <summary>Paths of the public API. They follow the Conduktor-style paths platform teams already script against.</summary>
public static class ApiRoutes
{
    public const string Base = "/api/public/console/v2";

    public const string Tokens = Base + "/token";

    public const string OpenApi = "/openapi/v1.json";

    public static string Resources(string pathSegment) => $"{Base}/{pathSegment}";
}
