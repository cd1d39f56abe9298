namespace PartnerZones.Gateway.Routing.Zone;

/// <summary>How the offset handlers classify upstream error codes.</summary>
internal static class GroupErrors
{
    /// <summary>Errors about the group, the member or (for transactional commits) the producer rather
    /// than one partition.</summary>
    public static bool IsGroupError(short code) => code is ErrorCodes.CoordinatorLoadInProgress or ErrorCodes.CoordinatorNotAvailable
        or ErrorCodes.NotCoordinator or ErrorCodes.IllegalGeneration or ErrorCodes.InvalidGroupId or ErrorCodes.UnknownMemberId or ErrorCodes.RebalanceInProgress
        or ErrorCodes.GroupAuthorizationFailed or ErrorCodes.GroupIdNotFound or ErrorCodes.FencedInstanceId or ErrorCodes.FencedMemberEpoch or ErrorCodes.StaleMemberEpoch
        or ErrorCodes.InvalidProducerEpoch or ErrorCodes.InvalidProducerIdMapping or ErrorCodes.TransactionalIdAuthorizationFailed or ErrorCodes.ProducerFenced;

    /// <summary>Errors of a coordinator that moved or is loading: the client retries the request.</summary>
    public static bool IsRetriableCoordinatorError(short code) =>
        code is ErrorCodes.CoordinatorNotAvailable or ErrorCodes.NotCoordinator or ErrorCodes.CoordinatorLoadInProgress;

    /// <summary>What a coordinator link should read as "look the coordinator up again".</summary>
    public static bool IsMovedCoordinator(short code) => code is ErrorCodes.NotCoordinator or ErrorCodes.CoordinatorNotAvailable;
}
