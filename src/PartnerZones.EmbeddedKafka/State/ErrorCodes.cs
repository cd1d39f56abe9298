namespace PartnerZones.EmbeddedKafka.State;

/// <summary>Kafka error codes the embedded cluster returns (values from the protocol specification).</summary>
internal static class ErrorCodes
{
    public const short None = 0;
    public const short OffsetOutOfRange = 1;
    public const short CorruptMessage = 2;
    public const short UnknownTopicOrPartition = 3;
    public const short InvalidFetchSize = 4;
    public const short NotLeaderOrFollower = 6;
    public const short RequestTimedOut = 7;
    public const short MessageTooLarge = 10;
    public const short CoordinatorLoadInProgress = 14;
    public const short CoordinatorNotAvailable = 15;
    public const short NotCoordinator = 16;
    public const short InvalidTopicException = 17;
    public const short RecordListTooLarge = 18;
    public const short IllegalGeneration = 22;
    public const short InconsistentGroupProtocol = 23;
    public const short InvalidGroupId = 24;
    public const short UnknownMemberId = 25;
    public const short InvalidSessionTimeout = 26;
    public const short RebalanceInProgress = 27;
    public const short InvalidCommitOffsetSize = 28;
    public const short TopicAuthorizationFailed = 29;
    public const short GroupAuthorizationFailed = 30;
    public const short ClusterAuthorizationFailed = 31;
    public const short UnsupportedSaslMechanism = 33;
    public const short IllegalSaslState = 34;
    public const short UnsupportedVersion = 35;
    public const short TopicAlreadyExists = 36;
    public const short InvalidPartitions = 37;
    public const short InvalidReplicationFactor = 38;
    public const short InvalidRequest = 42;
    public const short OutOfOrderSequenceNumber = 45;
    public const short DuplicateSequenceNumber = 46;
    public const short InvalidProducerEpoch = 47;
    public const short InvalidTxnState = 48;
    public const short InvalidProducerIdMapping = 49;
    public const short InvalidTransactionTimeout = 50;
    public const short ConcurrentTransactions = 51;
    public const short SaslAuthenticationFailed = 58;
    public const short UnknownProducerId = 59;
    public const short InvalidConfig = 40;
    public const short GroupIdNotFound = 69;
    public const short NonEmptyGroup = 68;
    public const short FencedLeaderEpoch = 74;
    public const short UnknownLeaderEpoch = 75;
    public const short MemberIdRequired = 79;
    public const short FencedInstanceId = 82;
    public const short GroupSubscribedToTopic = 86;
    public const short InvalidRecord = 87;
    public const short UnknownTopicId = 100;
    public const short ProducerFenced = 90;
}
