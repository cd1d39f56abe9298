using PartnerZones.ControlPlane.Reconciliation;

namespace PartnerZones.ControlPlane.Web;

/// <summary>A credential just issued, with what the partner needs to use it.</summary>
public sealed record NewCredentialView(IssuedCredential Credential, string BootstrapServers, string Properties);

/// <summary>The delete confirmation, in the details page's dialog (script) or on its own page (no script).</summary>
public sealed record DeleteFormView(string Zone, bool InDialog, string? Error);

/// <summary>Which parts of a wizard draft a step carries as hidden fields.</summary>
public sealed record DraftHiddenView(ZoneForm Form, bool Details, bool Topics, bool Policies = true);

/// <summary>The traffic-control and header-rule inputs, shared by the wizard's step and the edit page.</summary>
public sealed record PoliciesView(ZoneForm Form, FieldErrors Errors);

/// <summary>A text input with its label, hint and the validators' messages for its field.</summary>
public sealed record FieldView(string Id, string Name, string Label, string? Value, IReadOnlyList<string> Errors,
    string? Hint = null, string Type = "text", bool Required = false, bool Multiline = false, string? Placeholder = null, string? Autocomplete = null, bool ReadOnly = false);
