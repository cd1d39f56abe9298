using PartnerZones.Protocol.Messages;

namespace PartnerZones.Testing.KafkaWire;

/// <summary>One request and its answer as they crossed the wire (size prefix included) and decoded, so a
/// test can both check the answer and scan the exact bytes for names that must not be there.</summary>
public sealed record KafkaExchange(byte[] Request, byte[] Response, IKafkaResponse Decoded);
