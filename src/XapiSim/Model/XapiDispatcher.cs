using XapiSim.Model.Database;
using XapiSim.Model.Methods;
using XapiSim.Model.Schema;
using XapiSim.Rpc;

namespace XapiSim.Model;

/// <summary>
/// Executes XenAPI calls against a <see cref="SimulatedPool"/> in XAPI's order: method lookup, parameter count,
/// argument types, session check, then the handler. <c>Async.*</c> calls return a task ref at once and run the
/// handler in the background.
/// </summary>
internal sealed class XapiDispatcher : IRpcDispatcher
{
    private readonly SimulatedPool _pool;
    private readonly MethodTable _table;
    private readonly Lazy<IReadOnlyList<object>> _methodList;

    public XapiDispatcher(SimulatedPool pool, MethodTable? table = null)
    {
        _pool = pool;
        _table = table ?? MethodTable.CreateDefault();
        _methodList = new Lazy<IReadOnlyList<object>>(BuildMethodList);
    }

    public bool IsBareResultMethod(string method) => method.StartsWith("system.", StringComparison.Ordinal);

    public async ValueTask<object> CallAsync(string method, IReadOnlyList<object> args, RpcCallContext context, CancellationToken cancellationToken)
    {
        var delay = _pool.Faults.CallDelay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _pool.Time, cancellationToken).ConfigureAwait(false);
        }

        if (method == "system.listMethods")
        {
            return _methodList.Value;
        }

        var isAsync = method.StartsWith("Async.", StringComparison.Ordinal);
        var name = isAsync ? method[6..] : method;
        var message = Resolve(name) ?? throw new XenApiFailure("MESSAGE_METHOD_UNKNOWN", method);
        if (isAsync && !message.HasAsync)
        {
            throw new XenApiFailure("MESSAGE_METHOD_UNKNOWN", method);
        }

        var sessionCount = message.TakesSession ? 1 : 0;
        var given = args.Count - sessionCount;
        if (given != message.Parameters.Count && given != message.RequiredCount)
        {
            throw new XenApiFailure("MESSAGE_PARAMETER_COUNT_MISMATCH", method, message.RequiredCount.ToString(System.Globalization.CultureInfo.InvariantCulture), given.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        string? session = null;
        if (message.TakesSession)
        {
            session = args[0] as string ?? throw new XenApiFailure("FIELD_TYPE_ERROR", "session_id");
        }

        var coerced = message.IsRemoved ? [] : Coerce(message, args, sessionCount);
        if (session is not null)
        {
            _pool.ValidateSession(session);
        }

        if (message.IsRemoved)
        {
            throw new XenApiFailure("MESSAGE_REMOVED");
        }

        var host = _pool.HostForAddress(context.Local?.Address);
        var call = new MethodCall(_pool, message, coerced, session, host, context);
        var handler = _table.Find(message.WireName) ?? GenericMethods.Find(message)
            ?? throw new XenApiFailure("NOT_IMPLEMENTED", message.WireName);

        if (!isAsync)
        {
            if (_pool.Faults.NextFailure(message.WireName) is { } failure)
            {
                throw failure;
            }

            return await handler(call, cancellationToken).ConfigureAwait(false);
        }

        var task = _pool.CreateTask("Async." + message.WireName, string.Empty, session, host);
        _pool.ClaimTask(task);
        _ = Task.Run(() => RunAsyncCallAsync(task, call, handler), CancellationToken.None);
        return task;
    }

    /// <summary>The message a wire name (without <c>Async.</c>) refers to, or null.</summary>
    internal static MessageSchema? Resolve(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !PoolDatabase.Model.Classes.TryGetValue(name[..dot], out var schema))
        {
            return null;
        }

        return schema.Messages.GetValueOrDefault(name[(dot + 1)..]);
    }

    private static List<object> Coerce(MessageSchema message, IReadOnlyList<object> args, int offset)
    {
        var values = new List<object>(message.Parameters.Count);
        for (var i = 0; i < message.Parameters.Count; i++)
        {
            var parameter = message.Parameters[i];
            if (offset + i >= args.Count)
            {
                values.Add(DefaultFor(parameter));
                continue;
            }

            if (!parameter.Type.TryCoerce(args[offset + i], out var value))
            {
                throw new XenApiFailure("FIELD_TYPE_ERROR", parameter.Name);
            }

            values.Add(value);
        }

        return values;
    }

    private static object DefaultFor(ParamSchema parameter) => parameter.Name switch
    {
        "version" => "1.1",
        _ => parameter.Type.DefaultValue(PoolDatabase.Model.Enums),
    };

    private static List<object> BuildMethodList()
    {
        var names = new List<object>();
        foreach (var schema in PoolDatabase.Model.Classes.Values)
        {
            foreach (var message in schema.Messages.Values)
            {
                if (message.IsRemoved)
                {
                    continue;
                }

                names.Add(message.WireName);
                if (message.HasAsync)
                {
                    names.Add("Async." + message.WireName);
                }
            }
        }

        names.Add("system.listMethods");
        return names;
    }

    private async Task RunAsyncCallAsync(string task, MethodCall call, MethodHandler handler)
    {
        try
        {
            if (_pool.Faults.NextFailure(call.Message.WireName) is { } failure)
            {
                throw failure;
            }

            var result = await handler(call, CancellationToken.None).ConfigureAwait(false);
            _pool.CompleteTask(task, result);
        }
        catch (XenApiFailure failure)
        {
            _pool.FailTask(task, failure);
        }
#pragma warning disable CA1031 // A failed async call must fail its task, whatever the exception.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _pool.FailTask(task, new XenApiFailure("INTERNAL_ERROR", exception.Message));
        }
    }
}
