namespace XapiSim.Model.Methods;

/// <summary>Hand-written handlers by wire name (<c>VM.snapshot</c>). Messages without one fall back to <see cref="GenericMethods"/>.</summary>
internal sealed class MethodTable
{
    private readonly Dictionary<string, MethodHandler> _handlers = new(StringComparer.Ordinal);

    public static MethodTable CreateDefault()
    {
        var table = new MethodTable();
        SessionMethods.Register(table);
        TaskMethods.Register(table);
        EventMethods.Register(table);
        VmMethods.Register(table);
        VdiMethods.Register(table);
        VdiNameMethods.Register(table);
        DeviceMethods.Register(table);
        MiscMethods.Register(table);
        VmSettingsMethods.Register(table);
        StorageMethods.Register(table);
        DrTaskMethods.Register(table);
        ApplianceMethods.Register(table);
        DrMethods.Register(table);
        return table;
    }

    public void Add(string wireName, MethodHandler handler) => _handlers[wireName] = handler;

    /// <summary>Adds a synchronous handler.</summary>
    public void Add(string wireName, Func<MethodCall, object> handler)
        => _handlers[wireName] = (call, _) => ValueTask.FromResult(handler(call));

    public MethodHandler? Find(string wireName) => _handlers.GetValueOrDefault(wireName);
}
