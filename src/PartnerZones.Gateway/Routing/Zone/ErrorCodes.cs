namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>The Kafka error codes the zone handlers answer with or look for in upstream answers, by
/// their protocol names. Kept in one place so a refusal reads as the error Kafka would give.</summary>
internal static class ErrorCodes
{
    public const short UnknownTopicOrPartition = 3;
    public const short CoordinatorLoadInProgress = 14;
    public const short CoordinatorNotAvailable = 15;
    public const short NotCoordinator = 16;
    public const short IllegalGeneration = 22;
    public const short InvalidGroupId = 24;
    public const short UnknownMemberId = 25;
    public const short RebalanceInProgress = 27;
    public const short TopicAuthorizationFailed = 29;
    public const short GroupAuthorizationFailed = 30;
    public const short ClusterAuthorizationFailed = 31;
    public const short InvalidRequest = 42;
    public const short InvalidProducerEpoch = 47;
    public const short InvalidProducerIdMapping = 49;
    public const short TransactionalIdAuthorizationFailed = 53;
    public const short OperationNotAttempted = 55;
    public const short NonEmptyGroup = 68;
    public const short GroupIdNotFound = 69;
    public const short FencedInstanceId = 82;
    public const short GroupSubscribedToTopic = 86;
    public const short InvalidRecord = 87;
    public const short ProducerFenced = 90;
    public const short UnknownTopicId = 100;
    public const short FencedMemberEpoch = 110;
    public const short StaleMemberEpoch = 113;
}
