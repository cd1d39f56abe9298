using PartnerZones.Gateway.Network;
using PartnerZones.Protocol.Framing;
using PartnerZones.Protocol.Messages;

namespace PartnerZones.Gateway.Routing;

internal sealed partial class ZoneRouter
{
    /// <summary>Administrative APIs are answered here, never forwarded: creating, deleting or reshaping
    /// topics, changing configs and anything about ACLs is refused with the matching authorization error.
    /// Names outside the zone are not echoed as existing.</summary>
    private OutgoingFrame Refuse(RequestHeader header, ReadOnlyMemory<byte> body)
    {
        var v = header.ApiVersion;
        IKafkaResponse response = header.ApiKey switch
        {
            CreateTopicsRequest.Key => new CreateTopicsResponse
            {
                Topics = [.. MessageCodec.Decode<CreateTopicsRequest>(body, v).Topics.Select(t => new CreateTopicsResponse.CreatableTopicResult
                {
                    Name = t.Name,
                    ErrorCode = TopicAuthorizationFailed,
                    ErrorMessage = "Partner zones cannot create topics; ask the platform team to share one.",
                    Configs = null,
                })],
            },
            DeleteTopicsRequest.Key => DeleteTopics(MessageCodec.Decode<DeleteTopicsRequest>(body, v), v),
            CreatePartitionsRequest.Key => new CreatePartitionsResponse
            {
                Results = [.. MessageCodec.Decode<CreatePartitionsRequest>(body, v).Topics.Select(t => new CreatePartitionsResponse.CreatePartitionsTopicResult
                {
                    Name = t.Name,
                    ErrorCode = TopicAuthorizationFailed,
                    ErrorMessage = "Partner zones cannot add partitions.",
                })],
            },
            DeleteRecordsRequest.Key => new DeleteRecordsResponse
            {
                Topics = [.. MessageCodec.Decode<DeleteRecordsRequest>(body, v).Topics.Select(t => new DeleteRecordsResponse.DeleteRecordsTopicResult
                {
                    Name = t.Name,
                    Partitions = [.. t.Partitions.Select(p => new DeleteRecordsResponse.DeleteRecordsPartitionResult
                    {
                        PartitionIndex = p.PartitionIndex,
                        LowWatermark = -1,
                        ErrorCode = Alias(t.Name) is null ? UnknownTopicOrPartition : TopicAuthorizationFailed,
                    })],
                })],
            },
            AlterConfigsRequest.Key => new AlterConfigsResponse
            {
                Responses = [.. MessageCodec.Decode<AlterConfigsRequest>(body, v).Resources.Select(r => new AlterConfigsResponse.AlterConfigsResourceResponse
                {
                    ResourceType = r.ResourceType,
                    ResourceName = r.ResourceName,
                    ErrorCode = ConfigRefusal(r.ResourceType),
                    ErrorMessage = "Partner zones cannot change configuration.",
                })],
            },
            IncrementalAlterConfigsRequest.Key => new IncrementalAlterConfigsResponse
            {
                Responses = [.. MessageCodec.Decode<IncrementalAlterConfigsRequest>(body, v).Resources.Select(r => new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse
                {
                    ResourceType = r.ResourceType,
                    ResourceName = r.ResourceName,
                    ErrorCode = ConfigRefusal(r.ResourceType),
                    ErrorMessage = "Partner zones cannot change configuration.",
                })],
            },
            DescribeAclsRequest.Key => new DescribeAclsResponse { ErrorCode = ClusterAuthorizationFailed, ErrorMessage = "Partner zones cannot read ACLs." },
            CreateAclsRequest.Key => new CreateAclsResponse
            {
                Results = [.. MessageCodec.Decode<CreateAclsRequest>(body, v).Creations.Select(_ => new CreateAclsResponse.AclCreationResult
                {
                    ErrorCode = ClusterAuthorizationFailed,
                    ErrorMessage = "Partner zones cannot change ACLs.",
                })],
            },
            DeleteAclsRequest.Key => new DeleteAclsResponse
            {
                FilterResults = [.. MessageCodec.Decode<DeleteAclsRequest>(body, v).Filters.Select(_ => new DeleteAclsResponse.DeleteAclsFilterResult
                {
                    ErrorCode = ClusterAuthorizationFailed,
                    ErrorMessage = "Partner zones cannot change ACLs.",
                })],
            },
            _ => throw new Network.ClientProtocolException($"API key {header.ApiKey} is not available to partner zones."),
        };
        return Local(header, response);
    }

    private static DeleteTopicsResponse DeleteTopics(DeleteTopicsRequest request, short version)
    {
        var response = new DeleteTopicsResponse();
        var targets = version >= 6 ? request.Topics.Select(t => (t.Name, t.TopicId)) : request.TopicNames.Select(n => ((string?)n, Guid.Empty));
        foreach (var (name, id) in targets)
        {
            response.Responses.Add(new DeleteTopicsResponse.DeletableTopicResult
            {
                Name = name,
                TopicId = id,
                ErrorCode = TopicAuthorizationFailed,
                ErrorMessage = "Partner zones cannot delete topics.",
            });
        }

        return response;
    }

    private static short ConfigRefusal(sbyte resourceType) => resourceType == 2 ? TopicAuthorizationFailed : ClusterAuthorizationFailed;
}
