using XapiSim.Model.Database;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model.Methods;

/// <summary>
/// The messages XAPI generates for every class from its field schema: <c>get_all</c>, <c>get_all_records</c>,
/// <c>get_record</c>, <c>get_by_uuid</c>, <c>get_by_name_label</c>, <c>get_&lt;f&gt;</c>, <c>set_&lt;f&gt;</c>,
/// <c>add_to_&lt;map&gt;</c>, <c>remove_from_&lt;map&gt;</c>, <c>add_&lt;set&gt;</c>, <c>remove_&lt;set&gt;</c>,
/// and plain constructors/destructors.
/// </summary>
internal static class GenericMethods
{
    /// <summary>Returns a handler for the message, or null if it is not an accessor.</summary>
    public static MethodHandler? Find(MessageSchema message)
    {
        var schema = PoolDatabase.Model[message.ClassName];
        var name = message.Name;
        switch (name)
        {
            case "get_all":
                return Sync(call => call.Pool.Database.GetAll(call.ClassName).Cast<object>().ToList());
            case "get_all_records":
                return Sync(call => call.Pool.Database.GetAllRecords(call.ClassName));
            case "get_all_where":
                return Sync(call => call.Pool.Database.Where(call.ClassName, WhereExpression.Parse(call.Str(0))).Cast<object>().ToList());
            case "get_all_records_where":
                return Sync(call =>
                {
                    var predicate = WhereExpression.Parse(call.Str(0));
                    var db = call.Pool.Database;
                    var result = new Dictionary<string, object>(StringComparer.Ordinal);
                    lock (db.SyncRoot)
                    {
                        foreach (var reference in db.Where(call.ClassName, predicate))
                        {
                            result[reference] = db.GetRecord(call.ClassName, reference);
                        }
                    }

                    return result;
                });
            case "get_record":
                return Sync(call => call.Pool.Database.GetRecord(call.ClassName, call.Str(0)));
            case "get_by_uuid":
                return Sync(call => call.Pool.Database.FindByUuid(call.ClassName, call.Str(0))
                    ?? throw new XenApiFailure("UUID_INVALID", call.ClassName, call.Str(0)));
            case "get_by_name_label":
                return Sync(call => call.Pool.Database.FindByNameLabel(call.ClassName, call.Str(0)).Cast<object>().ToList());
            case "create" when message.Parameters.Count == 1 && message.Parameters[0].Type.Kind == XapiTypeKind.Record:
                return Sync(call => call.Pool.Database.Create(call.ClassName, RecordArgument.Fields(schema, call.Map(0))));
            case "destroy" when message.IsImplicit:
                return Sync(call =>
                {
                    call.Pool.Database.Require(call.ClassName, call.Str(0));
                    call.Pool.Database.Destroy(call.Str(0));
                    return RpcVoid.Instance;
                });
        }

        if (name.StartsWith("get_", StringComparison.Ordinal) && schema.FindField(name[4..]) is { } getField)
        {
            return Sync(call => call.Pool.Database.Get(call.ClassName, call.Str(0), getField.Name));
        }

        if (name.StartsWith("set_", StringComparison.Ordinal) && schema.FindField(name[4..]) is { } setField && message.Parameters.Count == 2)
        {
            return Sync(call =>
            {
                call.Pool.Database.Set(call.ClassName, call.Str(0), setField.Name, call.Args[1]);
                return RpcVoid.Instance;
            });
        }

        if (name.StartsWith("add_to_", StringComparison.Ordinal) && schema.FindField(name[7..]) is { Type.Kind: XapiTypeKind.Map } addMap)
        {
            return Sync(call =>
            {
                var key = call.Str(1);
                call.Pool.Database.Update<Dictionary<string, object>>(call.ClassName, call.Str(0), addMap.Name, map =>
                {
                    if (!map.TryAdd(key, call.Args[2]))
                    {
                        throw new XenApiFailure("MAP_DUPLICATE_KEY", call.ClassName, addMap.Name, call.Str(0), key);
                    }
                });
                return RpcVoid.Instance;
            });
        }

        if (name.StartsWith("remove_from_", StringComparison.Ordinal) && schema.FindField(name[12..]) is { Type.Kind: XapiTypeKind.Map } removeMap)
        {
            return Sync(call =>
            {
                call.Pool.Database.Update<Dictionary<string, object>>(call.ClassName, call.Str(0), removeMap.Name, map => map.Remove(call.Str(1)));
                return RpcVoid.Instance;
            });
        }

        if (name.StartsWith("add_", StringComparison.Ordinal) && schema.FindField(name[4..]) is { Type.Kind: XapiTypeKind.Set } addSet)
        {
            return Sync(call =>
            {
                call.Pool.Database.Update<List<object>>(call.ClassName, call.Str(0), addSet.Name, set =>
                {
                    if (!set.Contains(call.Args[1]))
                    {
                        set.Add(call.Args[1]);
                    }
                });
                return RpcVoid.Instance;
            });
        }

        if (name.StartsWith("remove_", StringComparison.Ordinal) && schema.FindField(name[7..]) is { Type.Kind: XapiTypeKind.Set } removeSet)
        {
            return Sync(call =>
            {
                call.Pool.Database.Update<List<object>>(call.ClassName, call.Str(0), removeSet.Name, set => set.RemoveAll(item => Equals(item, call.Args[1])));
                return RpcVoid.Instance;
            });
        }

        return null;
    }

    private static MethodHandler Sync(Func<MethodCall, object> handler) => (call, _) => ValueTask.FromResult(handler(call));
}
