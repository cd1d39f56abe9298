using System.Text.Json;
using PartnerZones.Resources;

namespace PartnerZones.ControlPlane.Api;

/// <summary>The API writes JSON exactly as resources are (de)serialised everywhere else: camelCase, nulls left out.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options => ResourceJson.Options;

    /// <summary>Largest request body the API reads; a resource is a few kilobytes. Public so that
    /// <c>pz apply</c> can refuse a larger file before sending it.</summary>
    public const int MaxBodyBytes = 1024 * 1024;
}
