namespace PartnerZones.Protocol.Generator;

/// <summary>Checks the rules a schema must follow so that the generated C# compiles and is unambiguous.</summary>
public static class SchemaValidator
{
    private static readonly HashSet<string> ReservedMessageMembers =
        ["ApiKey", "Key", "LowestVersion", "HighestVersion", "LowestFlexibleVersion", "UnknownTaggedFields", "Read", "Write"];

    public static void Validate(string path, ApiDef api)
    {
        var structs = new Dictionary<string, FieldDef?>(StringComparer.Ordinal);
        foreach (var common in api.CommonStructs)
        {
            if (!structs.TryAdd(common.Name, null))
            {
                throw new SchemaException($"{path}: struct '{common.Name}' is declared twice");
            }
        }

        var requestName = api.Name + "Request";
        var responseName = api.Name + "Response";
        var messageFieldNames = new HashSet<string>(StringComparer.Ordinal);
        CollectStructs(path, api.RequestFields, structs, messageFieldNames, requestName);
        CollectStructs(path, api.ResponseFields, structs, messageFieldNames, responseName);
        foreach (var common in api.CommonStructs)
        {
            CollectStructs(path, common.Fields, structs, messageFieldNames, common.Name);
        }

        foreach (var name in structs.Keys)
        {
            if (messageFieldNames.Contains(name))
            {
                throw new SchemaException($"{path}: struct type '{name}' has the same name as a field; rename the type (C# needs distinct names)");
            }
        }

        foreach (var field in api.RequestFields.Concat(api.ResponseFields))
        {
            if (ReservedMessageMembers.Contains(field.Name))
            {
                throw new SchemaException($"{path}:{field.Line}: '{field.Name}' is a member every message already has; rename the field");
            }
        }

        CheckFields(path, api, api.RequestFields, structs);
        CheckFields(path, api, api.ResponseFields, structs);
        foreach (var common in api.CommonStructs)
        {
            CheckFields(path, api, common.Fields, structs);
        }
    }

    private static void CollectStructs(string path, List<FieldDef> fields, Dictionary<string, FieldDef?> structs, HashSet<string> fieldNames, string owner)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tags = new HashSet<int>();
        foreach (var field in fields)
        {
            fieldNames.Add(field.Name);
            if (!seen.Add(field.Name))
            {
                throw new SchemaException($"{path}:{field.Line}: field '{field.Name}' appears twice in {owner}");
            }

            if (field.Name == owner)
            {
                throw new SchemaException($"{path}:{field.Line}: field '{field.Name}' has the name of the struct it is in; rename it");
            }

            if (field.Tag is { } tag && !tags.Add(tag))
            {
                throw new SchemaException($"{path}:{field.Line}: tag {tag} is used twice in {owner}");
            }

            if (field.Children.Count > 0)
            {
                if (structs.ContainsKey(field.Type))
                {
                    throw new SchemaException($"{path}:{field.Line}: struct '{field.Type}' is defined twice; define it once and refer to it by name");
                }

                structs[field.Type] = field;
                CollectStructs(path, field.Children, structs, fieldNames, field.Type);
            }
        }
    }

    private static void CheckFields(string path, ApiDef api, List<FieldDef> fields, Dictionary<string, FieldDef?> structs)
    {
        foreach (var field in fields)
        {
            if (field.IsStruct && !structs.ContainsKey(field.Type))
            {
                throw new SchemaException($"{path}:{field.Line}: type '{field.Type}' is neither a primitive nor a struct defined in this file");
            }

            if (field.Versions.IsNone && field.Tag is null)
            {
                throw new SchemaException($"{path}:{field.Line}: field '{field.Name}' has no versions");
            }

            if (field.Tag is not null)
            {
                var outside = field.Versions.Lowest < api.Flexible.Lowest || api.Flexible.IsNone;
                if (outside)
                {
                    throw new SchemaException($"{path}:{field.Line}: tagged field '{field.Name}' must only exist in flexible versions ({api.Flexible})");
                }
            }

            if (field.IsStruct && !field.IsArray && field.Tag is null && field.CanBeNull && field.Default is not null && field.Default != "null")
            {
                throw new SchemaException($"{path}:{field.Line}: a nullable struct can only default to null");
            }

            if (!field.IsArray && field.Type is "bytes" or "records" && field.Default is not null && field.Default != "null")
            {
                throw new SchemaException($"{path}:{field.Line}: bytes fields can only default to null");
            }

            CheckFields(path, api, field.Children, structs);
        }
    }
}
