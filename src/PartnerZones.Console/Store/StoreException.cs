namespace PartnerZones.ControlPlane.Store;

/// <summary>The store cannot be opened or used; the message says which store and what to do.</summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);
