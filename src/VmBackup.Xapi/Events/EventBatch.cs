using VmBackup.Xapi.Values;

namespace VmBackup.Xapi.Events;

/// <summary>The result of one <c>event.from</c> call.</summary>
public sealed record EventBatch
{
    /// <summary>The events since the token passed in, oldest first.</summary>
    public IReadOnlyList<XenEvent> Events { get; init; } = [];

    /// <summary><c>valid_ref_counts</c>: lower-case class name → number of live objects.</summary>
    public IReadOnlyDictionary<string, long> ValidRefCounts { get; init; } = new Dictionary<string, long>();

    /// <summary>The token to pass to the next <c>event.from</c> call.</summary>
    public string Token { get; init; } = string.Empty;

    internal static EventBatch FromRaw(object? raw)
    {
        var fields = XenValueConverter.ToStruct(raw);
        var r = new XenStructReader(fields, "event.from");
        fields.TryGetValue("events", out var events);
        return new EventBatch
        {
            Events = XenValueConverter.ToArray(events).Select(e => XenEvent.FromStruct(XenValueConverter.ToStruct(e))).ToArray(),
            ValidRefCounts = r.Value<IReadOnlyDictionary<string, long>>("valid_ref_counts"),
            Token = r.String("token"),
        };
    }
}
